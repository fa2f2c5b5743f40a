import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../api';
import type { Appointment, Id, Slot } from '../api/types';
import { statusLabel } from '../lib/format';
import { useAuth } from '../lib/auth';
import { useReference, useRooms } from '../lib/reference';
import { useToast } from '../lib/toast';
import { addDays, dayRange, fmtDateTime, fmtTime, todayIn } from '../lib/time';
import { Field } from './Field';
import { Modal } from './Modal';
import { SlotList } from './SlotList';
import { ErrorAlert, Icon, Spinner, StatusBadge } from './ui';

const CANCEL_REASONS = [
  'Patient request',
  'Patient unwell',
  'Provider unavailable',
  'Booked in error',
  'Rescheduled by phone',
  'Weather or closure',
  'Other',
];

interface Props {
  appointment: Appointment;
  onChanged: (a: Appointment | null) => void;
  /** Heading level for the title (panel: 2, nested lists: 3). */
  compact?: boolean;
}

/** Details, history and actions (check in, no-show, reschedule, cancel) for one appointment. */
export function AppointmentPanel({ appointment: a, onChanged, compact }: Props) {
  const ref = useReference();
  const zone = ref.location(a.location_id)?.time_zone;
  const { rooms } = useRooms(a.room_id != null ? a.location_id : null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<'cancel' | 'reschedule' | 'noshow' | 'notToday' | null>(null);
  const { notify } = useToast();

  useEffect(() => {
    setError(null);
    setDialog(null);
  }, [a.id]);

  const refresh = async () => {
    try {
      onChanged(await api.getAppointment(a.id));
    } catch {
      onChanged(null);
    }
  };

  const doCheckIn = async (override: boolean) => {
    setBusy('checkin');
    setError(null);
    try {
      await api.checkIn(a.id, override);
      notify(`${a.patient_name} checked in`);
      setDialog(null);
      await refresh();
    } catch (e) {
      if (api.isApiError(e) && e.status === 409 && e.code === 'not_today' && !override) setDialog('notToday');
      else setError(e);
    } finally {
      setBusy(null);
    }
  };

  const doNoShow = async () => {
    setBusy('noshow');
    setError(null);
    try {
      const r = await api.markNoShow(a.id);
      notify(`${a.patient_name} marked as no-show`);
      setDialog(null);
      if (r && typeof r === 'object' && 'id' in r) onChanged(r);
      else await refresh();
    } catch (e) {
      setError(e);
      setDialog(null);
    } finally {
      setBusy(null);
    }
  };

  const { can } = useAuth();
  const booked = a.status === 'booked';
  const canBook = can('appointment.write');
  const canCheckIn = can('flow.write');
  const H = compact ? 'h3' : 'h2';

  return (
    <div className="appt-panel">
      <div className="appt-head">
        <H className="appt-title">
          {a.appointment_type_name}
          {a.modality === 'telehealth' && (
            <span className="tag tag-video">
              <Icon name="video" /> Telehealth
            </span>
          )}
        </H>
        <StatusBadge status={a.status} />
      </div>
      <dl className="dl">
        <div>
          <dt>Patient</dt>
          <dd>
            <Link to={`/patients/${encodeURIComponent(String(a.patient_id))}`}>{a.patient_name}</Link>
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            {fmtDateTime(a.start, zone)} – {fmtTime(a.end, zone)}
          </dd>
        </div>
        <div>
          <dt>Provider</dt>
          <dd>{a.provider_name}</dd>
        </div>
        <div>
          <dt>Location</dt>
          <dd>
            {a.location_name}
            {a.room_id != null && <> · {roomName(a.room_id)}</>}
          </dd>
        </div>
        {a.modality === 'telehealth' && (
          <div>
            <dt>Join link</dt>
            <dd>
              {a.join_url ? (
                <a href={a.join_url} target="_blank" rel="noreferrer">
                  Join video visit <span className="sr-only">(opens in a new tab)</span>
                </a>
              ) : (
                <span className="muted">Not yet issued</span>
              )}
            </dd>
          </div>
        )}
        {a.overbooked && (
          <div>
            <dt>Overbooked</dt>
            <dd>Yes — booked over an existing appointment</dd>
          </div>
        )}
        {a.notes && (
          <div>
            <dt>Notes</dt>
            <dd>{a.notes}</dd>
          </div>
        )}
        {a.cancel_reason && (
          <div>
            <dt>Cancel reason</dt>
            <dd>{a.cancel_reason}</dd>
          </div>
        )}
      </dl>

      <ErrorAlert error={error} />

      {booked && (canBook || canCheckIn) && (
        <div className="actions" role="group" aria-label="Appointment actions">
          {canCheckIn && (
            <button type="button" className="btn btn-primary" disabled={!!busy} onClick={() => doCheckIn(false)}>
              {busy === 'checkin' ? 'Checking in…' : 'Check in'}
            </button>
          )}
          {canBook && (
            <>
              <button type="button" className="btn" disabled={!!busy} onClick={() => setDialog('reschedule')}>
                Reschedule
              </button>
              <button type="button" className="btn" disabled={!!busy} onClick={() => setDialog('noshow')}>
                No-show
              </button>
              <button type="button" className="btn btn-danger-ghost" disabled={!!busy} onClick={() => setDialog('cancel')}>
                Cancel appointment
              </button>
            </>
          )}
        </div>
      )}
      {a.status === 'checked_in' && (
        <p className="muted">
          Checked in — follow the visit on the{' '}
          <Link to={`/flow?location=${encodeURIComponent(String(a.location_id))}`}>flow board</Link>.
        </p>
      )}

      {a.history && a.history.length > 0 && (
        <details className="history" open={!compact}>
          <summary>History ({a.history.length})</summary>
          <ol className="timeline">
            {a.history.map((h, i) => (
              <li key={i}>
                <span className="tl-status">{statusLabel(String(h.status))}</span>
                <span className="muted">
                  {' '}
                  {fmtDateTime(h.at, zone)}
                  {h.by ? ` · ${h.by}` : ''}
                </span>
                {h.note && <div className="tl-note">{h.note}</div>}
              </li>
            ))}
          </ol>
        </details>
      )}

      {dialog === 'cancel' && (
        <CancelDialog
          appointment={a}
          onClose={() => setDialog(null)}
          onDone={(upd) => {
            notify('Appointment cancelled');
            setDialog(null);
            if (upd) onChanged(upd);
            else refresh();
          }}
        />
      )}
      {dialog === 'reschedule' && (
        <RescheduleDialog
          appointment={a}
          onClose={() => setDialog(null)}
          onDone={(upd) => {
            notify('Appointment rescheduled');
            setDialog(null);
            if (upd) onChanged(upd);
            else refresh();
          }}
        />
      )}
      {dialog === 'noshow' && (
        <Modal
          title="Mark as no-show?"
          alert
          onClose={() => setDialog(null)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setDialog(null)}>
                Keep booked
              </button>
              <button type="button" className="btn btn-warning" disabled={!!busy} onClick={doNoShow}>
                {busy === 'noshow' ? 'Saving…' : 'Mark no-show'}
              </button>
            </>
          }
        >
          <p>
            {a.patient_name} did not attend {a.appointment_type_name} at {fmtDateTime(a.start, zone)}.
          </p>
        </Modal>
      )}
      {dialog === 'notToday' && (
        <Modal
          title="Appointment is not today"
          alert
          onClose={() => setDialog(null)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setDialog(null)}>
                Don’t check in
              </button>
              <button type="button" className="btn btn-warning" disabled={!!busy} onClick={() => doCheckIn(true)}>
                {busy === 'checkin' ? 'Checking in…' : 'Check in anyway'}
              </button>
            </>
          }
        >
          <p>
            This appointment is on {fmtDateTime(a.start, zone)}, not today. Check {a.patient_name} in anyway?
          </p>
        </Modal>
      )}
    </div>
  );

  function roomName(id: Id) {
    return rooms.find((r) => String(r.id) === String(id))?.name ?? String(id);
  }
}

function CancelDialog({ appointment: a, onClose, onDone }: { appointment: Appointment; onClose: () => void; onDone: (a: Appointment | null) => void }) {
  const [reason, setReason] = useState('');
  const [details, setDetails] = useState('');
  const [errs, setErrs] = useState<{ reason?: string; details?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const e: typeof errs = {};
    if (!reason) e.reason = 'Choose a reason for cancelling.';
    if (reason === 'Other' && !details.trim()) e.details = 'Describe the reason.';
    setErrs(e);
    if (e.reason || e.details) return;
    const text = reason === 'Other' ? details.trim() : details.trim() ? `${reason}: ${details.trim()}` : reason;
    setBusy(true);
    setError(null);
    try {
      const r = await api.cancelAppointment(a.id, text);
      onDone(r && typeof r === 'object' && 'id' in r ? r : null);
    } catch (x) {
      if (api.isApiError(x) && x.field === 'reason') setErrs({ reason: x.message });
      else setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Cancel appointment"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Keep appointment
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={submit}>
            {busy ? 'Cancelling…' : 'Cancel appointment'}
          </button>
        </>
      }
    >
      <p>
        {a.patient_name} · {a.appointment_type_name} · {fmtDateTime(a.start)}
      </p>
      <ErrorAlert error={error} />
      <Field id="cancel-reason" label="Reason" required error={errs.reason}>
        <select value={reason} onChange={(e) => setReason(e.target.value)} data-autofocus>
          <option value="">Choose…</option>
          {CANCEL_REASONS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </Field>
      <Field id="cancel-details" label="Details" required={reason === 'Other'} error={errs.details} hint="Optional unless the reason is Other.">
        <textarea rows={2} value={details} onChange={(e) => setDetails(e.target.value)} />
      </Field>
    </Modal>
  );
}

function RescheduleDialog({ appointment: a, onClose, onDone }: { appointment: Appointment; onClose: () => void; onDone: (a: Appointment | null) => void }) {
  const ref = useReference();
  const loc = ref.location(a.location_id);
  const zone = loc?.time_zone;
  const type = ref.type(a.appointment_type_id);
  const eligible = ref.providers.filter((p) => p.active !== false && (!type || type.provider_ids.some((x) => String(x) === String(p.id))));
  const [providerId, setProviderId] = useState<string>(String(a.provider_id));
  const [from, setFrom] = useState(todayIn(zone));
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [picked, setPicked] = useState<Slot | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    const r = dayRange(from, zone, 14);
    api
      .findSlots(
        { appointment_type: a.appointment_type_id, from: r.from, to: r.to, provider: providerId || undefined, location: a.location_id, limit: 200 },
        { signal: ctl.signal },
      )
      .then((res) => setSlots(res.items ?? []))
      .catch((e) => !api.isAbortError(e) && setError(e))
      .finally(() => !ctl.signal.aborted && setLoading(false));
    return () => ctl.abort();
  }, [a.appointment_type_id, a.location_id, providerId, from, zone, tick]);

  const confirm = async () => {
    if (!picked) return;
    setBusy(true);
    setError(null);
    try {
      const changedProvider = String(picked.provider_id) !== String(a.provider_id);
      const r = await api.rescheduleAppointment(a.id, picked.start, changedProvider ? picked.provider_id : undefined);
      onDone(r && typeof r === 'object' && 'id' in r ? r : null);
    } catch (e) {
      if (api.isApiError(e) && e.status === 409 && e.code === 'slot_taken') {
        setNotice('That time was just taken by another booking. The open times have been refreshed — choose another.');
        setPicked(null);
        setTick((t) => t + 1);
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Reschedule appointment"
      wide
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Keep current time
          </button>
          <button type="button" className="btn btn-primary" disabled={!picked || busy} onClick={confirm}>
            {busy ? 'Moving…' : picked ? `Move to ${fmtDateTime(picked.start, zone)}` : 'Choose a new time'}
          </button>
        </>
      }
    >
      <p>
        {a.patient_name} · {a.appointment_type_name} · now {fmtDateTime(a.start, zone)} with {a.provider_name}
      </p>
      <div className="grid grid-3">
        <Field id="rs-provider" label="Provider">
          <select value={providerId} onChange={(e) => { setProviderId(e.target.value); setPicked(null); }}>
            <option value="">Any eligible provider</option>
            {eligible.map((p) => (
              <option key={String(p.id)} value={String(p.id)}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="rs-from" label="From date" hint="Shows two weeks of open times.">
          <input type="date" value={from} onChange={(e) => { if (e.target.value) { setFrom(e.target.value); setPicked(null); } }} />
        </Field>
        <div className="field field-end">
          <button type="button" className="btn btn-small" onClick={() => setFrom(addDays(from, 14))}>
            Next two weeks
          </button>
        </div>
      </div>
      {notice && (
        <div className="alert alert-warn" role="alert">
          <Icon name="warn" />
          <div>{notice}</div>
        </div>
      )}
      <ErrorAlert error={error} />
      {loading && <Spinner label="Finding open times…" />}
      {!loading && slots && slots.length === 0 && <p className="empty">No open times in these two weeks. Try later dates or another provider.</p>}
      {!loading && slots && slots.length > 0 && (
        <div className="slot-scroll">
          <SlotList slots={slots} selected={picked} onPick={setPicked} showProvider={!providerId} />
        </div>
      )}
    </Modal>
  );
}
