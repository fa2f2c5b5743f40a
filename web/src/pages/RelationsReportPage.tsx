import { useState, type FormEvent } from 'react';
import { DateTime } from 'luxon';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import type { ReportRow } from '../api/types';
import { BarChart } from '../components/BarChart';
import { Field } from '../components/Field';
import { Empty, ErrorAlert, PageHeader, Spinner } from '../components/ui';
import { useApi, useTitle } from '../lib/hooks';
import { useReference } from '../lib/reference';
import { fmtMonth } from '../lib/relations';
import { fmtDate, todayIn } from '../lib/time';

const n0 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toLocaleString());
const n1 = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pctOf = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${Math.round(v * 100)}%`);

export function defaultRange(today = todayIn()): { from: string; to: string } {
  const t = DateTime.fromISO(today);
  return { from: t.minus({ months: 11 }).startOf('month').toISODate()!, to: today };
}

export function RelationsReportPage() {
  useTitle('Relations report');
  const ref = useReference();
  const [params, setParams] = useSearchParams();
  const def = defaultRange();
  const q = { from: params.get('from') ?? def.from, to: params.get('to') ?? def.to, location: params.get('location') ?? '' };
  const [d, setD] = useState(q);
  const [errs, setErrs] = useState<{ from?: string; to?: string }>({});
  const res = useApi((signal) => api.getRelationsReport({ from: q.from, to: q.to, location_id: q.location || undefined }, { signal }), [q.from, q.to, q.location]);
  const r = res.data;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const x: typeof errs = {};
    if (!d.from) x.from = 'Choose the first day.';
    if (!d.to) x.to = 'Choose the last day.';
    else if (d.from && d.to < d.from) x.to = 'The end date is before the start date.';
    setErrs(x);
    if (x.from || x.to) {
      document.getElementById(x.from ? 'rp-from' : 'rp-to')?.focus();
      return;
    }
    const next: Record<string, string> = { from: d.from, to: d.to };
    if (d.location) next.location = d.location;
    setParams(next);
  };

  const apiField = api.isApiError(res.error) && res.error.status === 400 ? res.error.field : undefined;
  const fieldMsg = (f: string) => (apiField === f && api.isApiError(res.error) ? res.error.message : undefined);
  const locName = q.location ? (ref.location(q.location)?.name ?? 'the location') : 'all locations';

  return (
    <div className="page page-wide">
      <p className="breadcrumb">
        <Link to="/cases">Patient relations</Link> <span aria-hidden="true">›</span> Report
      </p>
      <PageHeader title="Relations report" sub={`${fmtDate(q.from)} – ${fmtDate(q.to)}, ${locName}.`} />
      <form className="panel form filters" onSubmit={submit} role="search" aria-label="Report period">
        <div className="grid grid-4">
          <Field id="rp-from" label="From" required error={errs.from ?? fieldMsg('from')}>
            <input type="date" value={d.from} onChange={(e) => setD({ ...d, from: e.target.value })} />
          </Field>
          <Field id="rp-to" label="To" required error={errs.to ?? fieldMsg('to')} hint="Inclusive.">
            <input type="date" value={d.to} onChange={(e) => setD({ ...d, to: e.target.value })} />
          </Field>
          <Field id="rp-location" label="Location" error={fieldMsg('location_id')}>
            <select value={d.location} onChange={(e) => setD({ ...d, location: e.target.value })}>
              <option value="">All locations</option>
              {ref.locations.map((l) => (
                <option key={String(l.id)} value={String(l.id)}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
          <div className="field field-end">
            <button type="submit" className="btn btn-primary">
              Show report
            </button>
          </div>
        </div>
      </form>

      {res.loading && <Spinner label="Preparing the report…" />}
      {!apiField && <ErrorAlert error={res.error} title="Could not load the report" onRetry={res.reload} />}
      {r && !res.loading && (
        <>
          <section aria-labelledby="tiles-h">
            <h2 id="tiles-h" className="sr-only">
              Summary
            </h2>
            <ul className="tiles">
              <Tile label="Cases" value={n0(r.cases)} sub={`in ${n0(r.visits)} visits`} />
              <Tile label="Per 1,000 visits" value={n1(r.per_1000_visits)} />
              <Tile label="Acknowledged in" value={r.acknowledge_hours.median === null ? '—' : `${n1(r.acknowledge_hours.median)} h`} sub={`median · 90% within ${n1(r.acknowledge_hours.p90)} h`} />
              <Tile label="Resolved in" value={r.resolve_days.median === null ? '—' : `${n1(r.resolve_days.median)} days`} sub={`median · 90% within ${n1(r.resolve_days.p90)} days`} />
              <Tile label="Deadlines met" value={pctOf(r.within_deadline_share)} sub="of milestones due in the period" />
              <Tile label="Open now" value={n0(r.open_now)} />
              <Tile label="Overdue now" value={n0(r.overdue_now)} tone={r.overdue_now > 0 ? 'alert' : undefined} />
            </ul>
          </section>

          <section className="panel" aria-labelledby="trend-h">
            <h2 id="trend-h">Cases per 1,000 visits, by month</h2>
            {r.by_month.length === 0 ? (
              <Empty>No months in this period.</Empty>
            ) : (
              <BarChart
                title={`Cases per 1,000 visits by month, ${locName}`}
                hideTitle
                valueLabel="cases per 1,000 visits"
                format={(v) => v.toLocaleString(undefined, { maximumFractionDigits: 1 })}
                bars={r.by_month.map((m) => ({
                  key: m.month,
                  label: fmtMonth(m.month),
                  value: m.per_1000,
                  detail: `${n0(m.count)} case${m.count === 1 ? '' : 's'} in ${n0(m.visits)} visits`,
                }))}
              />
            )}
          </section>

          <div className="grid grid-2 report-tables">
            <BreakdownTable id="bycat" title="By category" keyLabel="Category" rows={r.by_category} total={r.cases} />
            <BreakdownTable id="bydept" title="By department" keyLabel="Department" rows={r.by_department} total={r.cases} />
          </div>
        </>
      )}
    </div>
  );
}

function Tile({ label, value, sub, tone }: { label: string; value: string; sub?: string; tone?: 'alert' }) {
  return (
    <li className={`tile${tone ? ` tile-${tone}` : ''}`}>
      <span className="tile-label">{label}</span>
      <span className="tile-value">{value}</span>
      {sub && <span className="tile-sub">{sub}</span>}
    </li>
  );
}

function BreakdownTable({ id, title, keyLabel, rows, total }: { id: string; title: string; keyLabel: string; rows: ReportRow[]; total: number }) {
  const sorted = [...rows].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {sorted.length === 0 ? (
        <Empty>No cases.</Empty>
      ) : (
        <table className="table table-dense">
          <caption className="sr-only">Cases {title.toLowerCase()}, most first</caption>
          <thead>
            <tr>
              <th scope="col">{keyLabel}</th>
              <th scope="col" className="num">
                Cases
              </th>
              <th scope="col" className="num">
                Per 1,000 visits
              </th>
              <th scope="col" className="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={row.key || '(none)'}>
                <th scope="row">{row.key || <span className="muted">Not recorded</span>}</th>
                <td className="num">{n0(row.count)}</td>
                <td className="num">{n1(row.per_1000)}</td>
                <td className="num">
                  <span className="share">
                    <span className="share-bar" aria-hidden="true">
                      <span style={{ width: `${total ? Math.round((row.count / total) * 100) : 0}%` }} />
                    </span>
                    {total ? `${Math.round((row.count / total) * 100)}%` : '—'}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
