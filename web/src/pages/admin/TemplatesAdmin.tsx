import { useEffect, useMemo, useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { Template } from '../../api/types';
import { CheckGroup } from '../../components/CheckGroup';
import { Field } from '../../components/Field';
import { Empty, ErrorAlert, Icon, Spinner } from '../../components/ui';
import { fieldErrorFrom, focusFirstError } from '../../lib/forms';
import { useApi } from '../../lib/hooks';
import { sameId, useReference, useRooms } from '../../lib/reference';
import { useToast } from '../../lib/toast';
import { fmtDate, todayIn, WEEKDAYS } from '../../lib/time';

// Monday-first display; values keep the API's 0 = Sunday.
const DISPLAY_ORDER = [1, 2, 3, 4, 5, 6, 0];

export function TemplatesAdmin() {
  const ref = useReference();
  const [providerId, setProviderId] = useState('');
  useEffect(() => {
    if (!providerId && ref.providers[0]) setProviderId(String(ref.providers[0].id));
  }, [ref.providers, providerId]);
  const tpl = useApi((signal) => api.listTemplates(providerId, { signal }), [providerId], !!providerId);
  const { notify } = useToast();
  const [err, setErr] = useState<unknown>(null);
  const provider = ref.provider(providerId);

  const byDay = useMemo(() => {
    const m = new Map<number, Template[]>();
    for (const t of tpl.data?.items ?? []) {
      if (!m.has(t.weekday)) m.set(t.weekday, []);
      m.get(t.weekday)!.push(t);
    }
    for (const l of m.values()) l.sort((a, b) => a.start.localeCompare(b.start));
    return m;
  }, [tpl.data]);

  const remove = async (t: Template) => {
    setErr(null);
    try {
      await api.deleteTemplate(t.id);
      notify(`Removed ${WEEKDAYS[t.weekday]} ${t.start}–${t.end}`);
      tpl.reload();
    } catch (e) {
      setErr(e);
    }
  };

  return (
    <section aria-labelledby="tpl-h">
      <h2 id="tpl-h">Weekly availability</h2>
      <p className="muted">Windows when a provider can be booked, each at one location. Holidays and leave are set under “Holidays and leave”.</p>
      <div className="field inline">
        <label htmlFor="tpl-provider">Provider</label>
        <select id="tpl-provider" value={providerId} onChange={(e) => setProviderId(e.target.value)}>
          {ref.providers.map((p) => (
            <option key={String(p.id)} value={String(p.id)}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {ref.providers.length === 0 && !ref.loading && <Empty>Add a provider first.</Empty>}
      {tpl.loading && <Spinner label="Loading availability…" />}
      <ErrorAlert error={tpl.error ?? err} onRetry={tpl.reload} />
      {tpl.data && (
        <div className="week-grid" role="list" aria-label={`Weekly availability of ${provider?.name ?? 'provider'}`}>
          {DISPLAY_ORDER.map((wd) => (
            <div key={wd} className="week-day" role="listitem" aria-label={WEEKDAYS[wd]}>
              <h3>{WEEKDAYS[wd]}</h3>
              {(byDay.get(wd) ?? []).length === 0 && <div className="muted small">Not available</div>}
              <ul>
                {(byDay.get(wd) ?? []).map((t) => (
                  <li key={String(t.id)} className="window">
                    <div className="window-time">
                      {t.start}–{t.end}
                    </div>
                    <div className="muted small">{ref.location(t.location_id)?.name ?? `Location ${t.location_id}`}</div>
                    {(t.valid_from || t.valid_to) && (
                      <div className="muted small">
                        {t.valid_from ? fmtDate(t.valid_from) : '…'} – {t.valid_to ? fmtDate(t.valid_to) : 'open'}
                      </div>
                    )}
                    <button type="button" className="btn-icon small" onClick={() => remove(t)} aria-label={`Remove ${WEEKDAYS[t.weekday]} ${t.start} to ${t.end}`}>
                      <Icon name="close" />
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
      {providerId && <AddWindow key={providerId} providerId={providerId} onAdded={tpl.reload} />}
    </section>
  );
}

function AddWindow({ providerId, onAdded }: { providerId: string; onAdded: () => void }) {
  const ref = useReference();
  const { notify } = useToast();
  const provider = ref.provider(providerId);
  const locs = ref.locations.filter((l) => !provider || provider.location_ids?.some((x) => sameId(x, l.id)));
  const [days, setDays] = useState<string[]>(['1', '2', '3', '4', '5']);
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('17:00');
  const [loc, setLoc] = useState(locs[0] ? String(locs[0].id) : '');
  const [room, setRoom] = useState('');
  const [validFrom, setValidFrom] = useState(todayIn());
  const [validTo, setValidTo] = useState('');
  const { rooms } = useRooms(loc || null);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!loc && locs[0]) setLoc(String(locs[0].id));
  }, [locs, loc]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const x: Record<string, string> = {};
    if (days.length === 0) x.weekday = 'Choose at least one day.';
    if (!/^\d{2}:\d{2}$/.test(start)) x.start = 'Enter a start time.';
    if (!/^\d{2}:\d{2}$/.test(end)) x.end = 'Enter an end time.';
    else if (!x.start && end <= start) x.end = 'The end must be after the start.';
    if (!loc) x.location_id = 'Choose the location.';
    if (validFrom && validTo && validTo < validFrom) x.valid_to = 'This is before the first day.';
    setErrs(x);
    setError(null);
    if (Object.keys(x).length) return focusFirstError('tw', x);
    setBusy(true);
    let made = 0;
    try {
      const locId = ref.location(loc)?.id ?? loc;
      const roomId = room ? (rooms.find((r) => String(r.id) === room)?.id ?? room) : null;
      for (const d of days.map(Number).sort()) {
        await api.createTemplate({
          provider_id: provider?.id ?? providerId,
          location_id: locId,
          room_id: roomId,
          weekday: d,
          start,
          end,
          valid_from: validFrom || null,
          valid_to: validTo || null,
        });
        made++;
      }
      notify(`Added ${made} weekly window${made === 1 ? '' : 's'}`);
      onAdded();
    } catch (err) {
      if (made) onAdded();
      if (!fieldErrorFrom(err, 'tw', ['start', 'end', 'location_id', 'room_id', 'weekday', 'valid_from', 'valid_to'], setErrs)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="tw-h">
      <h3 id="tw-h">Add availability{provider ? ` for ${provider.name}` : ''}</h3>
      <ErrorAlert error={error} title="Not all windows were added" />
      <CheckGroup
        id="tw-weekday"
        legend="Days"
        options={DISPLAY_ORDER.map((d) => ({ id: d, label: WEEKDAYS[d] }))}
        value={days}
        onChange={setDays}
        error={errs.weekday}
      />
      <div className="grid grid-4">
        <Field id="tw-start" label="From" required error={errs.start}>
          <input type="time" step={300} value={start} onChange={(e) => setStart(e.target.value)} />
        </Field>
        <Field id="tw-end" label="Until" required error={errs.end}>
          <input type="time" step={300} value={end} onChange={(e) => setEnd(e.target.value)} />
        </Field>
        <Field id="tw-location_id" label="Location" required error={errs.location_id}>
          <select value={loc} onChange={(e) => { setLoc(e.target.value); setRoom(''); }}>
            {locs.length === 0 && <option value="">No locations for this provider</option>}
            {locs.map((l) => (
              <option key={String(l.id)} value={String(l.id)}>
                {l.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="tw-room_id" label="Room" hint="Optional." error={errs.room_id}>
          <select value={room} onChange={(e) => setRoom(e.target.value)}>
            <option value="">No fixed room</option>
            {rooms.filter((r) => r.active !== false).map((r) => (
              <option key={String(r.id)} value={String(r.id)}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="tw-valid_from" label="Valid from" error={errs.valid_from}>
          <input type="date" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} />
        </Field>
        <Field id="tw-valid_to" label="Valid until" hint="Leave empty for no end." error={errs.valid_to}>
          <input type="date" value={validTo} onChange={(e) => setValidTo(e.target.value)} />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add availability'}
        </button>
      </div>
    </form>
  );
}
