import { useEffect, useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { ExceptionKind, ScheduleException } from '../../api/types';
import { Field } from '../../components/Field';
import { Empty, ErrorAlert, Spinner } from '../../components/ui';
import { fieldErrorFrom, focusFirstError } from '../../lib/forms';
import { useApi } from '../../lib/hooks';
import { sameId, useReference } from '../../lib/reference';
import { useToast } from '../../lib/toast';
import { fmtDate, todayIn } from '../../lib/time';

const KIND_LABEL: Record<ExceptionKind, string> = { holiday: 'Holiday (closed)', leave: 'Leave', other: 'Other' };

export function ExceptionsAdmin() {
  const ref = useReference();
  const [loc, setLoc] = useState('');
  const [prov, setProv] = useState('');
  useEffect(() => {
    if (!loc && ref.locations[0]) setLoc(String(ref.locations[0].id));
  }, [ref.locations, loc]);
  const list = useApi(
    (signal) => api.listExceptions({ location: loc || undefined, provider: prov || undefined }, { signal }),
    [loc, prov],
    !!loc,
  );
  const { notify } = useToast();
  const [err, setErr] = useState<unknown>(null);
  const providersHere = ref.providers.filter((p) => p.location_ids?.some((l) => sameId(l, loc)));

  const remove = async (x: ScheduleException) => {
    setErr(null);
    try {
      await api.deleteException(x.id);
      notify('Exception removed');
      list.reload();
    } catch (e) {
      setErr(e);
    }
  };

  const items = (list.data?.items ?? []).slice().sort((a, b) => a.start_date.localeCompare(b.start_date));
  return (
    <section aria-labelledby="exc-h">
      <h2 id="exc-h">Holidays and leave</h2>
      <p className="muted">Days or hours when no one (holiday) or one provider (leave) can be booked. Existing appointments are not moved.</p>
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor="exc-location">Location</label>
          <select id="exc-location" value={loc} onChange={(e) => setLoc(e.target.value)}>
            {ref.locations.map((l) => (
              <option key={String(l.id)} value={String(l.id)}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="exc-provider-filter">Provider</label>
          <select id="exc-provider-filter" value={prov} onChange={(e) => setProv(e.target.value)}>
            <option value="">All</option>
            {providersHere.map((p) => (
              <option key={String(p.id)} value={String(p.id)}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.loading && <Spinner label="Loading exceptions…" />}
      <ErrorAlert error={list.error ?? err} onRetry={list.reload} />
      {list.data &&
        (items.length === 0 ? (
          <Empty>No holidays or leave recorded.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Dates</th>
                  <th scope="col">Hours</th>
                  <th scope="col">Who</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Reason</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((x) => (
                  <tr key={String(x.id)}>
                    <td className="nowrap">
                      {fmtDate(x.start_date)}
                      {x.end_date !== x.start_date && <> – {fmtDate(x.end_date)}</>}
                    </td>
                    <td>{x.start && x.end ? `${x.start}–${x.end}` : 'All day'}</td>
                    <td>{x.provider_id == null ? 'Whole location' : (ref.provider(x.provider_id)?.name ?? String(x.provider_id))}</td>
                    <td>{KIND_LABEL[x.kind] ?? x.kind}</td>
                    <td>{x.reason ?? ''}</td>
                    <td className="num">
                      <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => remove(x)}>
                        Remove<span className="sr-only"> exception from {fmtDate(x.start_date)}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {loc && <AddException key={loc} locationId={loc} onAdded={list.reload} />}
    </section>
  );
}

function AddException({ locationId, onAdded }: { locationId: string; onAdded: () => void }) {
  const ref = useReference();
  const { notify } = useToast();
  const providersHere = ref.providers.filter((p) => p.location_ids?.some((l) => sameId(l, locationId)));
  const [scope, setScope] = useState<'location' | 'provider'>('location');
  const [prov, setProv] = useState('');
  const [kind, setKind] = useState<ExceptionKind>('holiday');
  const [from, setFrom] = useState(todayIn());
  const [to, setTo] = useState(todayIn());
  const [partial, setPartial] = useState(false);
  const [start, setStart] = useState('12:00');
  const [end, setEnd] = useState('17:00');
  const [reason, setReason] = useState('');
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const x: Record<string, string> = {};
    if (scope === 'provider' && !prov) x.provider_id = 'Choose the provider.';
    if (!from) x.start_date = 'Enter the first day.';
    if (!to) x.end_date = 'Enter the last day.';
    else if (from && to < from) x.end_date = 'The last day is before the first day.';
    if (partial) {
      if (!start) x.start = 'Enter the start time.';
      if (!end) x.end = 'Enter the end time.';
      else if (start && end <= start) x.end = 'The end must be after the start.';
    }
    setErrs(x);
    setError(null);
    if (Object.keys(x).length) return focusFirstError('ex', x);
    setBusy(true);
    try {
      const provider = scope === 'provider' ? (ref.provider(prov)?.id ?? prov) : null;
      await api.createException({
        provider_id: provider,
        location_id: ref.location(locationId)?.id ?? locationId,
        kind,
        start_date: from,
        end_date: to,
        ...(partial ? { start, end } : {}),
        reason: reason.trim(),
      });
      notify('Exception added');
      setReason('');
      onAdded();
    } catch (err) {
      if (!fieldErrorFrom(err, 'ex', ['provider_id', 'kind', 'start_date', 'end_date', 'start', 'end', 'reason'], setErrs)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="ex-h">
      <h3 id="ex-h">Add holiday or leave</h3>
      <ErrorAlert error={error} title="Not added" />
      <fieldset className="radios">
        <legend>Applies to</legend>
        <div className="check">
          <input id="ex-scope-loc" type="radio" name="ex-scope" checked={scope === 'location'} onChange={() => { setScope('location'); setKind('holiday'); }} />
          <label htmlFor="ex-scope-loc">Whole location</label>
        </div>
        <div className="check">
          <input id="ex-scope-prov" type="radio" name="ex-scope" checked={scope === 'provider'} onChange={() => { setScope('provider'); setKind('leave'); }} />
          <label htmlFor="ex-scope-prov">One provider</label>
        </div>
      </fieldset>
      <div className="grid grid-4">
        {scope === 'provider' && (
          <Field id="ex-provider_id" label="Provider" required error={errs.provider_id}>
            <select value={prov} onChange={(e) => setProv(e.target.value)}>
              <option value="">Choose…</option>
              {providersHere.map((p) => (
                <option key={String(p.id)} value={String(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="ex-kind" label="Kind" error={errs.kind}>
          <select value={kind} onChange={(e) => setKind(e.target.value as ExceptionKind)}>
            {(Object.keys(KIND_LABEL) as ExceptionKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field id="ex-start_date" label="First day" required error={errs.start_date}>
          <input type="date" value={from} onChange={(e) => { setFrom(e.target.value); if (!to || to < e.target.value) setTo(e.target.value); }} />
        </Field>
        <Field id="ex-end_date" label="Last day" required error={errs.end_date}>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
      </div>
      <div className="check">
        <input id="ex-partial" type="checkbox" checked={partial} onChange={(e) => setPartial(e.target.checked)} />
        <label htmlFor="ex-partial">Part of the day only</label>
      </div>
      {partial && (
        <div className="grid grid-4">
          <Field id="ex-start" label="From time" required error={errs.start}>
            <input type="time" step={300} value={start} onChange={(e) => setStart(e.target.value)} />
          </Field>
          <Field id="ex-end" label="Until time" required error={errs.end}>
            <input type="time" step={300} value={end} onChange={(e) => setEnd(e.target.value)} />
          </Field>
        </div>
      )}
      <Field id="ex-reason" label="Reason" error={errs.reason} hint="e.g. Thanksgiving, annual leave.">
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add exception'}
        </button>
      </div>
    </form>
  );
}
