import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import { Pager } from '../components/Pager';
import { ErrorAlert, Icon, PageHeader, Spinner } from '../components/ui';
import { useAuth } from '../lib/auth';
import { patientSortName } from '../lib/format';
import { useApi, useDebounced, useTitle } from '../lib/hooks';
import { ageOn, fmtDate } from '../lib/time';

const LIMIT = 25;

export function PatientSearchPage() {
  useTitle('Patients');
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const offset = Number(params.get('offset') ?? 0) || 0;
  const q = useDebounced(text.trim(), 300);
  const navigate = useNavigate();
  const tableRef = useRef<HTMLTableElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  // Keep the URL in step with the (debounced) query so Back returns to the same results.
  useEffect(() => {
    const cur = params.get('q') ?? '';
    if (cur !== q) setParams(q ? { q } : {}, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  const enabled = q.length >= 2;
  const res = useApi((signal) => api.searchPatients(q, LIMIT, offset, { signal }), [q, offset], enabled);
  const items = enabled ? (res.data?.items ?? []) : [];

  const focusRow = (i: number) => {
    const links = tableRef.current?.querySelectorAll<HTMLAnchorElement>('tbody a.row-link');
    if (!links || links.length === 0) return;
    const idx = Math.max(0, Math.min(links.length - 1, i));
    links[idx].focus();
  };
  const onTableKey = (e: KeyboardEvent<HTMLTableElement>) => {
    const links = Array.from(tableRef.current?.querySelectorAll<HTMLAnchorElement>('tbody a.row-link') ?? []);
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (i < 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusRow(i + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i === 0) inputRef.current?.focus();
      else focusRow(i - 1);
    } else if (e.key === 'Home') {
      e.preventDefault();
      focusRow(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      focusRow(links.length - 1);
    }
  };

  return (
    <div className="page">
      <PageHeader title="Patients" sub="Find a patient by name, date of birth, phone number or MRN. Spelling mistakes are tolerated.">
        {can('patient.write') && (
          <Link className="btn btn-primary" to="/patients/new">
            <Icon name="plus" /> Register patient
          </Link>
        )}
      </PageHeader>

      <div className="search-bar" role="search" aria-label="Patient search">
        <label htmlFor="patient-q" className="sr-only">
          Search patients
        </label>
        <div className="input-icon">
          <Icon name="search" />
          <input
            id="patient-q"
            ref={inputRef}
            type="search"
            autoFocus
            autoComplete="off"
            placeholder="e.g. Jon Smith, 1984-02-29, 555 0100, MRN000123"
            value={text}
            aria-describedby="patient-q-hint"
            onChange={(e) => {
              setText(e.target.value);
              if (offset) setParams({ q: e.target.value.trim() }, { replace: true });
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                focusRow(0);
              } else if (e.key === 'Enter' && items.length > 0) {
                navigate(`/patients/${encodeURIComponent(String(items[0].id))}`);
              }
            }}
          />
        </div>
        <p id="patient-q-hint" className="hint">
          Results update as you type. Use ↓ and ↑ to move through results, Enter to open.
        </p>
      </div>

      {!enabled && text.trim().length > 0 && <p className="muted">Type at least 2 characters.</p>}
      {enabled && res.loading && <Spinner label="Searching patients…" />}
      <ErrorAlert error={res.error} title="Search failed" onRetry={res.reload} />

      {enabled && !res.loading && !res.error && (
        <section aria-labelledby="results-h">
          <h2 id="results-h" className="sr-only">
            Search results
          </h2>
          {items.length === 0 ? (
            <div className="empty-box">
              <p>
                No patient matches “{q}”. Check the spelling or try the date of birth, or{' '}
                <Link to="/patients/new">register a new patient</Link>.
              </p>
            </div>
          ) : (
            <>
              <table className="table table-hover" ref={tableRef} onKeyDown={onTableKey} aria-describedby="patient-q-hint">
                <caption className="sr-only">Patients matching “{q}”, best match first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Date of birth</th>
                    <th scope="col">MRN</th>
                    <th scope="col">Phone</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((p) => {
                    const age = ageOn(p.birth_date);
                    return (
                      <tr key={String(p.id)} onClick={() => navigate(`/patients/${encodeURIComponent(String(p.id))}`)}>
                        <td>
                          <Link className="row-link" to={`/patients/${encodeURIComponent(String(p.id))}`}>
                            {patientSortName(p)}
                          </Link>
                          {p.sex && <span className="muted small"> · {p.sex}</span>}
                        </td>
                        <td>
                          {fmtDate(p.birth_date)}
                          {age !== null && <span className="muted small"> ({age} y)</span>}
                        </td>
                        <td className="mono">{p.mrn}</td>
                        <td>{p.phone ?? '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <Pager
                offset={offset}
                limit={LIMIT}
                count={items.length}
                total={res.data?.total}
                onChange={(o) => setParams({ q, offset: String(o) })}
              />
            </>
          )}
        </section>
      )}
    </div>
  );
}
