import { useMemo, useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { Location } from '../../api/types';
import { Field } from '../../components/Field';
import { Empty, ErrorAlert, Spinner } from '../../components/ui';
import { fieldErrorFrom, focusFirstError } from '../../lib/forms';
import { useReference } from '../../lib/reference';
import { useToast } from '../../lib/toast';
import { ianaZones, LOCAL_ZONE } from '../../lib/time';

const FIELDS = ['name', 'time_zone', 'address', 'phone', 'flow_warn_minutes', 'flow_alert_minutes'] as const;
type Draft = { name: string; time_zone: string; address: string; phone: string; flow_warn_minutes: string; flow_alert_minutes: string };
const empty = (): Draft => ({ name: '', time_zone: LOCAL_ZONE, address: '', phone: '', flow_warn_minutes: '15', flow_alert_minutes: '30' });

export function LocationsAdmin() {
  const ref = useReference();
  const [editing, setEditing] = useState<Location | null>(null);
  return (
    <section aria-labelledby="loc-h">
      <h2 id="loc-h">Locations</h2>
      {ref.loading && <Spinner label="Loading locations…" />}
      <ErrorAlert error={ref.error} onRetry={ref.reload} />
      {ref.locations.length === 0 && !ref.loading ? (
        <Empty>No locations yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Time zone</th>
                <th scope="col">Phone</th>
                <th scope="col" className="num">
                  Warn / alert (min)
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ref.locations.map((l) => (
                <tr key={String(l.id)}>
                  <th scope="row">
                    {l.name}
                    {l.address && <div className="muted small">{l.address}</div>}
                  </th>
                  <td>{l.time_zone}</td>
                  <td>{l.phone ?? ''}</td>
                  <td className="num">
                    {l.flow_warn_minutes} / {l.flow_alert_minutes}
                  </td>
                  <td className="num">
                    <button type="button" className="btn btn-small" onClick={() => setEditing(l)}>
                      Edit<span className="sr-only"> {l.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LocationForm key={editing ? String(editing.id) : 'new'} editing={editing} onDone={() => setEditing(null)} />
    </section>
  );
}

function LocationForm({ editing, onDone }: { editing: Location | null; onDone: () => void }) {
  const ref = useReference();
  const { notify } = useToast();
  const zones = useMemo(() => ianaZones(), []);
  const [d, setD] = useState<Draft>(() =>
    editing
      ? {
          name: editing.name,
          time_zone: editing.time_zone,
          address: editing.address ?? '',
          phone: editing.phone ?? '',
          flow_warn_minutes: String(editing.flow_warn_minutes ?? ''),
          flow_alert_minutes: String(editing.flow_alert_minutes ?? ''),
        }
      : empty(),
  );
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const x: Record<string, string> = {};
    const warn = Number(d.flow_warn_minutes);
    const alert = Number(d.flow_alert_minutes);
    if (!d.name.trim()) x.name = 'Enter the location name.';
    if (!d.time_zone) x.time_zone = 'Choose the time zone.';
    if (!Number.isInteger(warn) || warn < 1) x.flow_warn_minutes = 'Enter whole minutes, 1 or more.';
    if (!Number.isInteger(alert) || alert < 1) x.flow_alert_minutes = 'Enter whole minutes, 1 or more.';
    else if (!x.flow_warn_minutes && alert <= warn) x.flow_alert_minutes = 'The alert threshold must be above the warning threshold.';
    setErrs(x);
    setError(null);
    if (Object.keys(x).length) return focusFirstError('loc', x);
    const body = {
      name: d.name.trim(),
      time_zone: d.time_zone,
      address: d.address.trim(),
      phone: d.phone.trim(),
      flow_warn_minutes: warn,
      flow_alert_minutes: alert,
    };
    setBusy(true);
    try {
      if (editing) await api.updateLocation(editing.id, body);
      else await api.createLocation(body);
      notify(editing ? `Saved ${body.name}` : `Location ${body.name} added`);
      ref.reload();
      if (!editing) setD(empty());
      onDone();
    } catch (err) {
      if (!fieldErrorFrom(err, 'loc', FIELDS, setErrs)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="loc-form-h">
      <h3 id="loc-form-h">{editing ? `Edit ${editing.name}` : 'Add location'}</h3>
      <ErrorAlert error={error} title="Not saved" />
      <div className="grid grid-3">
        <Field id="loc-name" label="Location name" required error={errs.name}>
          <input value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} />
        </Field>
        <Field id="loc-time_zone" label="Time zone" required error={errs.time_zone} hint="Appointment times are shown in this zone.">
          <select value={d.time_zone} onChange={(e) => setD({ ...d, time_zone: e.target.value })}>
            {!zones.includes(d.time_zone) && d.time_zone && <option value={d.time_zone}>{d.time_zone}</option>}
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </Field>
        <Field id="loc-phone" label="Phone" error={errs.phone}>
          <input type="tel" value={d.phone} onChange={(e) => setD({ ...d, phone: e.target.value })} />
        </Field>
        <Field id="loc-address" label="Address" error={errs.address} className="span-3">
          <input value={d.address} onChange={(e) => setD({ ...d, address: e.target.value })} />
        </Field>
        <Field id="loc-flow_warn_minutes" label="Flow board: warn after (minutes)" required error={errs.flow_warn_minutes}>
          <input type="number" min={1} inputMode="numeric" value={d.flow_warn_minutes} onChange={(e) => setD({ ...d, flow_warn_minutes: e.target.value })} />
        </Field>
        <Field id="loc-flow_alert_minutes" label="Flow board: alert after (minutes)" required error={errs.flow_alert_minutes}>
          <input type="number" min={1} inputMode="numeric" value={d.flow_alert_minutes} onChange={(e) => setD({ ...d, flow_alert_minutes: e.target.value })} />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save location' : 'Add location'}
        </button>
        {editing && (
          <button type="button" className="btn" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
