import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import type { Appointment, FlowBoardItem, Id, PatientSummary } from '../api/types';
import { Field } from '../components/Field';
import { Modal } from '../components/Modal';
import { PatientPicker } from '../components/PatientPicker';
import { Empty, ErrorAlert, Icon, LevelBadge, PageHeader, Spinner } from '../components/ui';
import { FLOW_ORDER, advanceLabel, isActiveState, isWaitingState, liveTimes, nextState, stateLabel } from '../lib/flow';
import { useAuth } from '../lib/auth';
import { useApi, useNow, useTitle } from '../lib/hooks';
import { rememberLocation, rememberedLocation, sameId, useReference, useRooms } from '../lib/reference';
import { useToast } from '../lib/toast';
import { dayRange, fmtTime, formatMinutes, todayIn } from '../lib/time';
import { useFlowBoard, type StreamMode } from '../lib/useFlowBoard';

const MODE_TEXT: Record<StreamMode, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  polling: 'Live updates interrupted — refreshing every 10 s',
};

export function FlowBoardPage() {
  useTitle('Flow board');
  const { can } = useAuth();
  const canAct = can('flow.write');
  const ref = useReference();
  const [params, setParams] = useSearchParams();
  const locationId = params.get('location') ?? '';
  const location = ref.location(locationId);
  const zone = location?.time_zone;
  const { notify } = useToast();

  useEffect(() => {
    if (locationId || ref.locations.length === 0) return;
    const remembered = rememberedLocation();
    const loc = ref.locations.find((l) => sameId(l.id, remembered)) ?? ref.locations[0];
    setParams({ location: String(loc.id) }, { replace: true });
  }, [ref.locations, locationId, setParams]);

  const fb = useFlowBoard(locationId || null);
  const now = useNow(1000);
  const { rooms } = useRooms(locationId || null);
  const [busyRow, setBusyRow] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; error: unknown } | null>(null);
  const [roomFor, setRoomFor] = useState<Record<string, string>>({});
  const [lwbs, setLwbs] = useState<FlowBoardItem | null>(null);
  const [walkIn, setWalkIn] = useState(false);
  const [showDone, setShowDone] = useState(false);

  const thresholds = fb.board?.thresholds ?? {
    warn_minutes: location?.flow_warn_minutes ?? 0,
    alert_minutes: location?.flow_alert_minutes ?? 0,
  };

  const rows = useMemo(() => {
    const items = fb.board?.items ?? [];
    const rank = (s: string) => {
      const i = FLOW_ORDER.indexOf(s as never);
      return i < 0 ? 99 : i;
    };
    return items
      .filter((i) => showDone || isActiveState(i.state))
      .slice()
      .sort((a, b) => rank(a.state) - rank(b.state) || Date.parse(a.arrived_at) - Date.parse(b.arrived_at));
  }, [fb.board, showDone]);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const i of fb.board?.items ?? []) c[i.state] = (c[i.state] ?? 0) + 1;
    return c;
  }, [fb.board]);

  const act = async (item: FlowBoardItem, fn: () => Promise<unknown>, done: string) => {
    const id = String(item.encounter_id);
    setBusyRow(id);
    setRowError(null);
    try {
      await fn();
      notify(done);
      await fb.refresh();
    } catch (e) {
      setRowError({ id, error: e });
    } finally {
      setBusyRow(null);
    }
  };

  const alerts = rows.filter((r) => liveTimes(r, now, fb.receivedAt, fb.skew, thresholds).level === 'alert').length;

  return (
    <div className="page page-wide">
      <PageHeader
        title="Flow board"
        sub={
          location ? (
            <>
              {location.name} · warn at {thresholds.warn_minutes} min, alert at {thresholds.alert_minutes} min in a state
            </>
          ) : undefined
        }
      >
        <div className={`live live-${fb.mode}`} role="status" aria-live="polite">
          <Icon name="live" /> {MODE_TEXT[fb.mode]}
        </div>
        {canAct && (
          <button type="button" className="btn btn-primary" onClick={() => setWalkIn(true)} disabled={!locationId}>
            <Icon name="plus" /> Walk-in
          </button>
        )}
      </PageHeader>

      <div className="toolbar">
        <div className="field inline">
          <label htmlFor="fb-location">Location</label>
          <select
            id="fb-location"
            value={locationId}
            onChange={(e) => {
              rememberLocation(e.target.value);
              setParams({ location: e.target.value }, { replace: true });
            }}
          >
            {!locationId && <option value="">Choose…</option>}
            {ref.locations.map((l) => (
              <option key={String(l.id)} value={String(l.id)}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="state-counts" aria-label="Patients by state">
          {FLOW_ORDER.slice(0, 4).map((s) => (
            <span key={s} className={`count-chip state-${s}`}>
              {stateLabel(s)} <strong>{counts[s] ?? 0}</strong>
            </span>
          ))}
          {alerts > 0 && (
            <span className="count-chip chip-alert">
              <Icon name="alert" /> Over limit <strong>{alerts}</strong>
            </span>
          )}
        </div>
        <div className="check">
          <input id="fb-done" type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />
          <label htmlFor="fb-done">Show completed and left</label>
        </div>
      </div>

      <ErrorAlert error={fb.error} title="Could not load the board" onRetry={fb.refresh} />
      {!fb.board && !fb.error && locationId && <Spinner label="Loading the flow board…" />}

      {fb.board && (
        <section aria-labelledby="fb-h">
          <h2 id="fb-h" className="sr-only">
            Patients at {location?.name ?? 'this location'}
          </h2>
          {rows.length === 0 ? (
            <Empty>No patients on the board. Check in today’s appointments below or add a walk-in.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table flow-table">
                <caption className="sr-only">Flow board: patients, state, time in state, total wait and actions</caption>
                <thead>
                  <tr>
                    <th scope="col">Patient</th>
                    <th scope="col">State</th>
                    <th scope="col" className="num">
                      In state
                    </th>
                    <th scope="col" className="num">
                      Total wait
                    </th>
                    <th scope="col">Level</th>
                    <th scope="col">Provider</th>
                    <th scope="col">Room</th>
                    {canAct && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => {
                    const id = String(r.encounter_id);
                    const t = liveTimes(r, now, fb.receivedAt, fb.skew, thresholds);
                    const next = nextState(r.state);
                    const label = advanceLabel(r.state);
                    const busy = busyRow === id;
                    return (
                      <tr key={id} className={`lvl-${t.level}`} aria-label={`${r.patient_name}, ${stateLabel(r.state)}`}>
                        <th scope="row">
                          <Link to={`/patients/${encodeURIComponent(String(r.patient_id))}`}>{r.patient_name}</Link>
                          <div className="muted small">arrived {fmtTime(r.arrived_at, zone)}</div>
                        </th>
                        <td>
                          <span className={`state-badge state-${r.state}`}>{stateLabel(r.state)}</span>
                        </td>
                        <td className="num mono" aria-label={`Time in state ${formatMinutes(t.stateMinutes)}`}>
                          {formatMinutes(t.stateMinutes)}
                        </td>
                        <td className="num mono">{formatMinutes(t.waitingMinutes)}</td>
                        <td>
                          <LevelBadge level={t.level} />
                        </td>
                        <td>{r.provider_name ?? <span className="muted">—</span>}</td>
                        <td>{r.room_name ?? <span className="muted">—</span>}</td>
                        {canAct && (
                        <td>
                          <div className="row-actions">
                            {next && r.state === 'arrived' && rooms.length > 0 && (
                              <>
                                <label className="sr-only" htmlFor={`room-${id}`}>
                                  Room for {r.patient_name}
                                </label>
                                <select
                                  id={`room-${id}`}
                                  className="select-small"
                                  value={roomFor[id] ?? ''}
                                  onChange={(e) => setRoomFor({ ...roomFor, [id]: e.target.value })}
                                >
                                  <option value="">Any room</option>
                                  {rooms
                                    .filter((x) => x.active !== false)
                                    .map((x) => (
                                      <option key={String(x.id)} value={String(x.id)}>
                                        {x.name}
                                      </option>
                                    ))}
                                </select>
                              </>
                            )}
                            {next && label && (
                              <button
                                type="button"
                                className="btn btn-small btn-primary"
                                disabled={busy}
                                onClick={() =>
                                  act(
                                    r,
                                    () =>
                                      api.transitionEncounter(
                                        r.encounter_id,
                                        next,
                                        r.state === 'arrived' && roomFor[id] ? (rooms.find((x) => String(x.id) === roomFor[id])?.id ?? roomFor[id]) : undefined,
                                      ),
                                    `${r.patient_name}: ${stateLabel(next)}`,
                                  )
                                }
                              >
                                {label}
                                <span className="sr-only">
                                  {' '}
                                  {r.patient_name} (move to {stateLabel(next)})
                                </span>
                              </button>
                            )}
                            {isWaitingState(r.state) && (
                              <button type="button" className="btn btn-small btn-danger-ghost" disabled={busy} onClick={() => setLwbs(r)}>
                                Left without being seen<span className="sr-only">: {r.patient_name}</span>
                              </button>
                            )}
                            {r.state !== 'arrived' && (
                              <button
                                type="button"
                                className="btn btn-small"
                                disabled={busy}
                                onClick={() => act(r, () => api.undoEncounter(r.encounter_id), `${r.patient_name}: last step undone`)}
                              >
                                <Icon name="undo" /> Undo<span className="sr-only"> last step for {r.patient_name}</span>
                              </button>
                            )}
                          </div>
                          {rowError?.id === id && <ErrorAlert error={rowError.error} />}
                        </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      {locationId && location && canAct && can('appointment.read') && (
        <CheckInList
          locationId={locationId}
          zone={zone}
          onCheckedIn={() => {
            void fb.refresh();
          }}
        />
      )}

      {lwbs && (
        <Modal
          title="Left without being seen?"
          alert
          onClose={() => setLwbs(null)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setLwbs(null)}>
                Keep on board
              </button>
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => {
                  const r = lwbs;
                  setLwbs(null);
                  void act(r, () => api.transitionEncounter(r.encounter_id, 'left_without_being_seen'), `${r.patient_name}: left without being seen`);
                }}
              >
                Record left without being seen
              </button>
            </>
          }
        >
          <p>
            Record that <strong>{lwbs.patient_name}</strong> left before being seen. They waited {formatMinutes(lwbs.waiting_minutes)}. This can be
            undone.
          </p>
        </Modal>
      )}
      {walkIn && locationId && (
        <WalkInDialog
          locationId={locationId}
          onClose={() => setWalkIn(false)}
          onDone={(name) => {
            setWalkIn(false);
            notify(`${name} added as a walk-in`);
            void fb.refresh();
          }}
        />
      )}
    </div>
  );
}

function WalkInDialog({ locationId, onClose, onDone }: { locationId: Id; onClose: () => void; onDone: (name: string) => void }) {
  const ref = useReference();
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [providerId, setProviderId] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const providers = ref.providers.filter((p) => p.active !== false && p.location_ids?.some((l) => sameId(l, locationId)));
  const submit = async () => {
    if (!patient) {
      setErr('Choose the patient.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.createWalkIn({
        patient_id: patient.id,
        location_id: ref.location(locationId)?.id ?? locationId,
        ...(providerId ? { provider_id: ref.provider(providerId)?.id ?? providerId } : {}),
      });
      onDone(`${patient.given_name} ${patient.family_name}`);
    } catch (e) {
      if (api.isApiError(e) && e.field === 'patient_id') setErr(e.message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Add walk-in"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={busy}>
            {busy ? 'Adding…' : 'Add to board'}
          </button>
        </>
      }
    >
      <ErrorAlert error={error} />
      <PatientPicker id="walkin-patient" label="Patient" value={patient} onChange={setPatient} error={err} />
      <p className="muted small">
        Not on file? <Link to="/patients/new">Register the patient</Link> first.
      </p>
      <Field id="walkin-provider" label="Provider" hint="Optional.">
        <select value={providerId} onChange={(e) => setProviderId(e.target.value)}>
          <option value="">First available provider</option>
          {providers.map((p) => (
            <option key={String(p.id)} value={String(p.id)}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
    </Modal>
  );
}

/** Today's booked appointments at this location with a Check in button each. */
function CheckInList({ locationId, zone, onCheckedIn }: { locationId: string; zone?: string; onCheckedIn: () => void }) {
  const today = todayIn(zone);
  const r = dayRange(today, zone);
  const list = useApi(
    (signal) => api.listAppointments({ location: locationId, from: r.from, to: r.to, status: 'booked' }, { signal }),
    [locationId, r.from, r.to],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [notToday, setNotToday] = useState<Appointment | null>(null);
  const [error, setError] = useState<{ id: string; error: unknown } | null>(null);
  const { notify } = useToast();

  useEffect(() => {
    const t = setInterval(() => list.reload(), 60_000);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const checkIn = async (a: Appointment, override: boolean) => {
    const id = String(a.id);
    setBusy(id);
    setError(null);
    try {
      await api.checkIn(a.id, override);
      setNotToday(null);
      notify(`${a.patient_name} checked in`);
      list.reload();
      onCheckedIn();
    } catch (e) {
      if (api.isApiError(e) && e.status === 409 && e.code === 'not_today' && !override) setNotToday(a);
      else {
        setNotToday(null);
        setError({ id, error: e });
      }
    } finally {
      setBusy(null);
    }
  };

  const items = (list.data?.items ?? []).filter((a) => a.status === 'booked').sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return (
    <section className="section" aria-labelledby="ci-h">
      <div className="section-head">
        <h2 id="ci-h">To check in today</h2>
        <button type="button" className="btn btn-small" onClick={list.reload}>
          Refresh list
        </button>
      </div>
      {list.loading && !list.data && <Spinner label="Loading today’s appointments…" />}
      <ErrorAlert error={list.error} title="Could not load today’s appointments" onRetry={list.reload} />
      {list.data &&
        (items.length === 0 ? (
          <Empty>Nobody left to check in today.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Booked appointments today</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Patient</th>
                  <th scope="col">Type</th>
                  <th scope="col">Provider</th>
                  <th scope="col">
                    <span className="sr-only">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => {
                  const late = Date.parse(a.start) < Date.now() - 15 * 60_000;
                  return (
                    <tr key={String(a.id)}>
                      <td className="nowrap">
                        {fmtTime(a.start, zone)}
                        {late && <span className="tag tag-late">late</span>}
                      </td>
                      <td>
                        <Link to={`/patients/${encodeURIComponent(String(a.patient_id))}`}>{a.patient_name}</Link>
                      </td>
                      <td>{a.appointment_type_name}</td>
                      <td>{a.provider_name}</td>
                      <td className="num">
                        <button type="button" className="btn btn-small btn-primary" disabled={busy === String(a.id)} onClick={() => checkIn(a, false)}>
                          {busy === String(a.id) ? 'Checking in…' : 'Check in'}
                          <span className="sr-only"> {a.patient_name}</span>
                        </button>
                        {error?.id === String(a.id) && <ErrorAlert error={error.error} />}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      {notToday && (
        <Modal
          title="Appointment is not today"
          alert
          onClose={() => setNotToday(null)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setNotToday(null)}>
                Don’t check in
              </button>
              <button type="button" className="btn btn-warning" onClick={() => checkIn(notToday, true)} disabled={busy !== null}>
                Check in anyway
              </button>
            </>
          }
        >
          <p>The server says {notToday.patient_name}’s appointment is not today. Check in anyway?</p>
        </Modal>
      )}
    </section>
  );
}
