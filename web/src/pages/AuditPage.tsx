import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import { Field } from '../components/Field';
import { Pager } from '../components/Pager';
import { Empty, ErrorAlert, PageHeader, Spinner } from '../components/ui';
import { titleCase } from '../lib/format';
import { useApi, useTitle } from '../lib/hooks';
import { addDays, fmtDateTime, startOfDayIso, todayIn } from '../lib/time';

const LIMIT = 50;

export function AuditPage() {
  useTitle('Audit');
  const [params, setParams] = useSearchParams();
  const q = {
    patient: params.get('patient') ?? '',
    user: params.get('user') ?? '',
    from: params.get('from') ?? addDays(todayIn(), -7),
    to: params.get('to') ?? todayIn(),
  };
  const offset = Number(params.get('offset') ?? 0) || 0;
  const [d, setD] = useState(q);
  const [errs, setErrs] = useState<{ to?: string }>({});

  const res = useApi(
    (signal) =>
      api.listAuditEvents(
        {
          patient: q.patient || undefined,
          user: q.user || undefined,
          from: q.from ? startOfDayIso(q.from) : undefined,
          to: q.to ? startOfDayIso(addDays(q.to, 1)) : undefined,
          limit: LIMIT,
          offset,
        },
        { signal },
      ),
    [q.patient, q.user, q.from, q.to, offset],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (d.from && d.to && d.to < d.from) {
      setErrs({ to: 'The end date is before the start date.' });
      document.getElementById('au-to')?.focus();
      return;
    }
    setErrs({});
    const next: Record<string, string> = {};
    if (d.patient.trim()) next.patient = d.patient.trim();
    if (d.user.trim()) next.user = d.user.trim();
    if (d.from) next.from = d.from;
    if (d.to) next.to = d.to;
    setParams(next);
  };

  const items = res.data?.items ?? [];
  // A 400 naming one of the filters is shown next to it.
  const apiField = api.isApiError(res.error) && res.error.status === 400 ? res.error.field : undefined;
  const fieldMsg = (f: string) => (apiField === f && api.isApiError(res.error) ? res.error.message : undefined);
  return (
    <div className="page page-wide">
      <PageHeader title="Audit trail" sub="Every read and change of patient data: who, when, what, from where, and the outcome." />
      <form className="panel form filters" onSubmit={submit} role="search" aria-label="Audit search">
        <div className="grid grid-5">
          <Field id="au-patient" label="Patient ID" hint="The patient’s record id (a number)." error={fieldMsg('patient')}>
            <input value={d.patient} onChange={(e) => setD({ ...d, patient: e.target.value })} />
          </Field>
          <Field id="au-user" label="Username" error={fieldMsg('user')}>
            <input value={d.user} onChange={(e) => setD({ ...d, user: e.target.value })} />
          </Field>
          <Field id="au-from" label="From date" error={fieldMsg('from')}>
            <input type="date" value={d.from} onChange={(e) => setD({ ...d, from: e.target.value })} />
          </Field>
          <Field id="au-to" label="To date" error={errs.to ?? fieldMsg('to')} hint="Inclusive.">
            <input type="date" value={d.to} onChange={(e) => setD({ ...d, to: e.target.value })} />
          </Field>
          <div className="field field-end">
            <button type="submit" className="btn btn-primary">
              Search audit events
            </button>
          </div>
        </div>
      </form>
      {res.loading && <Spinner label="Searching audit events…" />}
      {!apiField && <ErrorAlert error={res.error} title="Could not search the audit trail" onRetry={res.reload} />}
      {res.data &&
        !res.loading &&
        (items.length === 0 ? (
          <Empty>No audit events match.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table table-dense">
                <caption className="sr-only">Audit events, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">User</th>
                    <th scope="col">Role</th>
                    <th scope="col">Action</th>
                    <th scope="col">Patient</th>
                    <th scope="col">Category</th>
                    <th scope="col">Client address</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((e) => (
                    <tr key={String(e.id)}>
                      <td className="nowrap">{fmtDateTime(e.at)}</td>
                      <td className="mono">{e.user}</td>
                      <td>{e.role ?? ''}</td>
                      <td>{titleCase(String(e.action ?? ''))}</td>
                      <td>
                        {e.patient_id != null && e.patient_id !== '' ? (
                          <Link to={`/audit?patient=${encodeURIComponent(String(e.patient_id))}`} title="Show this patient’s events">
                            {String(e.patient_id)}
                          </Link>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>{e.category ?? ''}</td>
                      <td className="mono">{e.client_address ?? ''}</td>
                      <td>
                        <span className={`outcome outcome-${String(e.outcome).toLowerCase()}`}>{e.outcome}</span>
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
              onChange={(o) => {
                const next = new URLSearchParams(params);
                next.set('offset', String(o));
                setParams(next);
              }}
              label="Audit result pages"
            />
          </>
        ))}
    </div>
  );
}
