import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import type { CaseKind, CaseStatus } from '../api/types';
import { CaseStatusBadge, DueCell, KindBadge, SeverityBadge } from '../components/cases/CaseBadges';
import { Pager } from '../components/Pager';
import { ErrorAlert, Icon, PageHeader, Spinner } from '../components/ui';
import { useAuth } from '../lib/auth';
import { useApi, useDebounced, useTitle } from '../lib/hooks';
import { CASE_STATUSES, CASE_STATUS_LABEL, KIND_LABEL } from '../lib/relations';
import { fmtDate } from '../lib/time';

const LIMIT = 50;
type View = 'open' | 'overdue' | 'mine' | 'all';
const VIEWS: { key: View; label: string; hint: string }[] = [
  { key: 'open', label: 'Open', hint: 'Every case not yet closed' },
  { key: 'overdue', label: 'Overdue', hint: 'Open cases past a deadline' },
  { key: 'mine', label: 'Mine', hint: 'Open cases you own' },
  { key: 'all', label: 'All', hint: 'Including closed cases' },
];

export function CasesPage() {
  useTitle('Patient relations');
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = (VIEWS.some((v) => v.key === params.get('view')) ? params.get('view') : 'open') as View;
  const kind = (params.get('kind') ?? '') as CaseKind | '';
  const status = (params.get('status') ?? '') as CaseStatus | '';
  const category = params.get('category') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 300);

  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('offset' in patch)) next.delete('offset');
    setParams(next, { replace: true });
  };

  useEffect(() => {
    if ((params.get('q') ?? '') !== q) update({ q });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  const settings = useApi((signal) => api.getRelationsSettings({ signal }), []);
  const categories = settings.data?.categories ?? [];

  const res = useApi(
    (signal) =>
      api.listCases(
        {
          kind,
          status,
          category: category || undefined,
          open: view === 'open' || view === 'mine' || view === 'overdue' ? true : undefined,
          overdue: view === 'overdue' ? true : undefined,
          owner: view === 'mine' ? 'me' : undefined,
          q: q || undefined,
          limit: LIMIT,
          offset,
        },
        { signal },
      ),
    [view, kind, status, category, q, offset],
  );
  const items = res.data?.items ?? [];
  const filtered = !!(kind || status || category || q);
  const open = (id: string | number) => navigate(`/cases/${encodeURIComponent(String(id))}`);

  return (
    <div className="page page-wide">
      <PageHeader title="Patient relations" sub="Complaints, grievances and inquiries — overdue first, then by the next deadline.">
        {can('cases.read') && (
          <Link className="btn" to="/relations/report">
            Report
          </Link>
        )}
        {can('cases.manage') && (
          <Link className="btn" to="/relations/settings">
            Settings
          </Link>
        )}
        {can('cases.write') && (
          <Link className="btn btn-primary" to="/cases/new">
            <Icon name="plus" /> New case
          </Link>
        )}
      </PageHeader>

      <div className="toolbar case-toolbar" role="search" aria-label="Filter cases">
        <div className="seg" role="group" aria-label="Show">
          {VIEWS.map((v) => (
            <button key={v.key} type="button" aria-pressed={view === v.key} title={v.hint} onClick={() => update({ view: v.key === 'open' ? null : v.key })}>
              {v.label}
            </button>
          ))}
        </div>
        <div className="field inline">
          <label htmlFor="cs-kind">Kind</label>
          <select id="cs-kind" value={kind} onChange={(e) => update({ kind: e.target.value })}>
            <option value="">All kinds</option>
            {(Object.keys(KIND_LABEL) as CaseKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="cs-status">Status</label>
          <select id="cs-status" value={status} onChange={(e) => update({ status: e.target.value })}>
            <option value="">Any status</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {CASE_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="cs-category">Category</label>
          <select id="cs-category" value={category} onChange={(e) => update({ category: e.target.value })}>
            <option value="">All categories</option>
            {category && !categories.includes(category) && <option value={category}>{category}</option>}
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline case-search">
          <label htmlFor="cs-q">Search</label>
          <input
            id="cs-q"
            type="search"
            autoComplete="off"
            placeholder="Reference (CD-…), name or words"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {filtered && (
          <button
            type="button"
            className="btn btn-link"
            onClick={() => {
              setText('');
              update({ kind: null, status: null, category: null, q: null });
            }}
          >
            Clear filters
          </button>
        )}
      </div>

      {res.loading && <Spinner label="Loading cases…" />}
      <ErrorAlert error={res.error} title="Could not load cases" onRetry={res.reload} />
      {res.data && !res.loading && (
        <section aria-labelledby="cases-h">
          <h2 id="cases-h" className="sr-only">
            {VIEWS.find((v) => v.key === view)?.label} cases
          </h2>
          {items.length === 0 ? (
            <div className="empty-box">
              <p>
                {filtered
                  ? 'No case matches these filters.'
                  : view === 'overdue'
                    ? 'Nothing is overdue.'
                    : view === 'mine'
                      ? 'You own no open cases.'
                      : 'No cases yet.'}
              </p>
            </div>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table table-hover case-table">
                  <caption className="sr-only">Cases, overdue first, then by the next deadline</caption>
                  <thead>
                    <tr>
                      <th scope="col">Reference</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Category</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Status</th>
                      <th scope="col">Owner</th>
                      <th scope="col">Received</th>
                      <th scope="col">Next due</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((c) => (
                      <tr key={String(c.id)} onClick={() => open(c.id)} className={c.overdue ? 'row-overdue' : c.due_soon ? 'row-soon' : undefined}>
                        <td>
                          <Link className="row-link mono" to={`/cases/${encodeURIComponent(String(c.id))}`} onClick={(e) => e.stopPropagation()}>
                            {c.reference_number}
                          </Link>
                          {(c.patient_name || c.contact_name) && <div className="muted small">{c.patient_name || c.contact_name}</div>}
                        </td>
                        <td>
                          <KindBadge kind={c.kind} inquiryType={c.inquiry_type} />
                          {c.kind !== 'inquiry' && c.triage && !c.triage.decision && <div className="muted small">Needs triage</div>}
                        </td>
                        <td>{c.category}</td>
                        <td>
                          <SeverityBadge severity={c.severity} />
                        </td>
                        <td>
                          <CaseStatusBadge status={c.status} />
                        </td>
                        <td>{c.owner_name || <span className="muted">Unassigned</span>}</td>
                        <td className="nowrap">{fmtDate(c.received_at)}</td>
                        <td>
                          <DueCell c={c} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                offset={offset}
                limit={LIMIT}
                count={items.length}
                total={res.data.total}
                onChange={(o) => update({ offset: String(o) })}
                label="Case list pages"
              />
            </>
          )}
        </section>
      )}
    </div>
  );
}
