import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import * as api from '../api';
import type { Appointment, Encounter, Patient } from '../api/types';
import { AppointmentPanel } from '../components/AppointmentPanel';
import { Modal } from '../components/Modal';
import { MergeDialog, MergedBanner, MergeHistory, movedText } from '../components/PatientMerge';
import { Empty, ErrorAlert, Icon, PageHeader, Spinner, StatusBadge } from '../components/ui';
import { useAuth } from '../lib/auth';
import { CONSENT_LABEL, CONTACT_LABEL, languageName, RELATIONSHIP_LABEL, SEX_LABEL, patientName, titleCase, mrnText } from '../lib/format';
import { stateLabel } from '../lib/flow';
import { useApi, useTitle } from '../lib/hooks';
import { useReference } from '../lib/reference';
import { ageOn, fmtDate, fmtDateTime, fmtTime } from '../lib/time';

export function PatientPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const canSeeLog = can('audit.read');
  const patient = useApi((signal) => api.getPatient(id, { signal }), [id]);
  const appts = useApi((signal) => api.getPatientAppointments(id, { signal }), [id], !!patient.data && can('appointment.read'));
  const visits = useApi((signal) => api.getPatientEncounters(id, { signal }), [id], !!patient.data && can('flow.read'));
  const log = useApi((signal) => api.getPatientAccessLog(id, { signal }), [id], canSeeLog && !!patient.data);
  const merges = useApi((signal) => api.getPatientMerges(id, { signal }), [id], !!patient.data);
  const [open, setOpen] = useState<Appointment | null>(null);
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState<string | null>(null);
  const p = patient.data;
  useEffect(() => setMerged(null), [id]);
  useTitle(p ? patientName(p) : 'Patient');

  const { upcoming, past } = useMemo(() => {
    const now = Date.now();
    const items = appts.data?.items ?? [];
    const up = items.filter((a) => Date.parse(a.end) >= now && (a.status === 'booked' || a.status === 'checked_in'));
    const pa = items.filter((a) => !up.includes(a));
    up.sort((x, y) => Date.parse(x.start) - Date.parse(y.start));
    pa.sort((x, y) => Date.parse(y.start) - Date.parse(x.start));
    return { upcoming: up, past: pa };
  }, [appts.data]);

  if (patient.loading && !p) return <div className="page"><Spinner label="Loading patient…" /></div>;
  if (patient.error || !p)
    return (
      <div className="page">
        <PageHeader title="Patient" />
        <ErrorAlert error={patient.error ?? new Error('Patient not found')} title="Could not load the patient" onRetry={patient.reload} />
      </div>
    );

  const age = ageOn(p.birth_date);
  const closed = p.merged_into != null;
  const reloadRecords = () => {
    patient.reload();
    appts.reload();
    visits.reload();
    merges.reload();
  };
  return (
    <div className="page">
      <PageHeader
        title={patientName(p)}
        sub={
          <span className="patient-sub">
            <span>
              <strong className="mono">{mrnText(p.mrn)}</strong>
            </span>
            <span>
              DOB {fmtDate(p.birth_date)}
              {age !== null && ` (${age} y)`}
            </span>
            <span>{SEX_LABEL[p.sex] ?? p.sex}</span>
          </span>
        }
      >
        {can('patient.merge') && !closed && (
          <button type="button" className="btn" onClick={() => setMerging(true)}>
            Merge a duplicate…
          </button>
        )}
        {can('patient.write') && !closed && (
          <Link className="btn" to={`/patients/${encodeURIComponent(String(p.id))}/edit`}>
            Edit patient
          </Link>
        )}
        {can('appointment.write') && !closed && (
          <Link className="btn btn-primary" to={`/schedule/book?patient=${encodeURIComponent(String(p.id))}`}>
            <Icon name="plus" /> Book appointment
          </Link>
        )}
      </PageHeader>

      {closed && <MergedBanner patientId={id} mergedInto={String(p.merged_into)} merges={merges.data?.items ?? []} />}
      {merged && (
        <div className="alert alert-success" role="status">
          {merged}
        </div>
      )}

      <div className="cards">
        <Demographics p={p} />
        <section className="card" aria-labelledby="cov-h">
          <h2 id="cov-h">Coverage</h2>
          {p.coverages && p.coverages.length > 0 ? (
            <ul className="plain-list">
              {p.coverages.map((c, i) => (
                <li key={String(c.id ?? i)}>
                  <strong>{c.payer}</strong>
                  <div className="muted small">
                    Member {c.member_id}
                    {c.group_number ? ` · Group ${c.group_number}` : ''} · {RELATIONSHIP_LABEL[c.relationship] ?? c.relationship}
                  </div>
                  {(c.start_date || c.end_date) && (
                    <div className="muted small">
                      {c.start_date ? fmtDate(c.start_date) : '…'} – {c.end_date ? fmtDate(c.end_date) : 'open'}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No coverage on file (self-pay).</Empty>
          )}
        </section>
        <section className="card" aria-labelledby="cons-h">
          <h2 id="cons-h">Consents</h2>
          {p.consents && p.consents.length > 0 ? (
            <ul className="plain-list">
              {p.consents.map((c) => (
                <li key={c.kind} className="consent-line">
                  <span className={c.granted ? 'yes' : 'no'}>
                    <Icon name={c.granted ? 'check' : 'close'} /> {c.granted ? 'Given' : 'Declined'}
                  </span>{' '}
                  {CONSENT_LABEL[c.kind] ?? c.kind}
                  {c.date && <span className="muted small"> · {fmtDate(c.date)}</span>}
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No consents recorded.</Empty>
          )}
        </section>
        <section className="card" aria-labelledby="ec-h">
          <h2 id="ec-h">Emergency contact</h2>
          {p.emergency_contact?.name ? (
            <dl className="dl">
              <div>
                <dt>Name</dt>
                <dd>{p.emergency_contact.name}</dd>
              </div>
              {p.emergency_contact.relationship && (
                <div>
                  <dt>Relationship</dt>
                  <dd>{p.emergency_contact.relationship}</dd>
                </div>
              )}
              {p.emergency_contact.phone && (
                <div>
                  <dt>Phone</dt>
                  <dd>{p.emergency_contact.phone}</dd>
                </div>
              )}
            </dl>
          ) : (
            <Empty>None recorded.</Empty>
          )}
        </section>
      </div>

      {can('appointment.read') && (
      <section className="section" aria-labelledby="appt-h">
        <div className="section-head">
          <h2 id="appt-h">Appointments</h2>
        </div>
        {appts.loading && <Spinner label="Loading appointments…" />}
        <ErrorAlert error={appts.error} title="Could not load appointments" onRetry={appts.reload} />
        {appts.data && (
          <>
            <h3 className="subhead">Upcoming</h3>
            <ApptTable items={upcoming} empty="No upcoming appointments." onOpen={setOpen} />
            <h3 className="subhead">Past and cancelled</h3>
            <ApptTable items={past} empty="No past appointments." onOpen={setOpen} />
          </>
        )}
      </section>
      )}

      {can('flow.read') && (
        <section className="section" aria-labelledby="visits-h">
          <div className="section-head">
            <h2 id="visits-h">Visits</h2>
          </div>
          <p className="muted small">Check-ins and walk-ins here, and visits imported from other systems.</p>
          {visits.loading && <Spinner label="Loading visits…" />}
          <ErrorAlert error={visits.error} title="Could not load visits" onRetry={visits.reload} />
          {visits.data && <VisitTable items={visits.data.items} more={visits.data.more} name={patientName(p)} />}
        </section>
      )}

      <ErrorAlert error={merges.error} title="Could not load the merge history" onRetry={merges.reload} />
      {merges.data && (
        <MergeHistory patientId={id} merges={merges.data.items} canMerge={can('patient.merge')} onChanged={reloadRecords} />
      )}

      {canSeeLog && (
        <section className="section" aria-labelledby="log-h">
          <h2 id="log-h">Access log</h2>
          <p className="muted small">Who viewed or changed this patient’s record.</p>
          {log.loading && <Spinner label="Loading access log…" />}
          <ErrorAlert error={log.error} title="Could not load the access log" onRetry={log.reload} />
          {log.data &&
            (log.data.items.length === 0 ? (
              <Empty>No access recorded.</Empty>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">Access log for {patientName(p)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">User</th>
                      <th scope="col">Role</th>
                      <th scope="col">Action</th>
                      <th scope="col">Data</th>
                      <th scope="col">Outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    {log.data.items.map((e) => (
                      <tr key={String(e.id)}>
                        <td className="nowrap">{fmtDateTime(e.at)}</td>
                        <td>{e.user}</td>
                        <td>{e.role ?? ''}</td>
                        <td>{titleCase(e.action)}</td>
                        <td>{e.category ?? ''}</td>
                        <td>
                          <span className={`outcome outcome-${String(e.outcome).toLowerCase()}`}>{e.outcome}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </section>
      )}

      {merging && (
        <MergeDialog
          keep={p}
          onClose={() => setMerging(false)}
          onMerged={(m) => {
            setMerging(false);
            setMerged(`${m.merged.name} (${mrnText(m.merged.mrn)}) was merged into this record: moved ${movedText(m.moved)}.`);
            reloadRecords();
          }}
        />
      )}

      {open && (
        <Modal title="Appointment" onClose={() => setOpen(null)} wide>
          <AppointmentPanel
            appointment={open}
            compact
            onChanged={(a) => {
              appts.reload();
              setOpen(a);
            }}
          />
        </Modal>
      )}
    </div>
  );
}

function Demographics({ p }: { p: Patient }) {
  const addr = p.address;
  const lines = addr
    ? [addr.line1, addr.line2, [addr.city, addr.state, addr.postal_code].filter(Boolean).join(' '), addr.country].filter(Boolean)
    : [];
  return (
    <section className="card" aria-labelledby="demo-h">
      <h2 id="demo-h">Demographics and contact</h2>
      <dl className="dl">
        <div>
          <dt>Phone</dt>
          <dd>{p.phone || <span className="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{p.email || <span className="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Address</dt>
          <dd>
            {lines.length ? (
              lines.map((l, i) => (
                <span key={i} className="block">
                  {l}
                </span>
              ))
            ) : (
              <span className="muted">—</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Language</dt>
          <dd>{languageName(p.preferred_language) || <span className="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Contact by</dt>
          <dd>{p.preferred_contact_method ? CONTACT_LABEL[p.preferred_contact_method] : <span className="muted">Not stated</span>}</dd>
        </div>
      </dl>
    </section>
  );
}

function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
}

/** "15 min", "1 h", "1 h 30 min", "2 d", "1 d 3 h". */
function durationText(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const d = Math.floor(h / 24);
  const parts = d >= 1 ? [`${d} d`, h % 24 ? `${h % 24} h` : ''] : [`${h} h`, minutes % 60 ? `${minutes % 60} min` : ''];
  return parts.filter(Boolean).join(' ');
}

const VISITS_SHOWN = 10;

function VisitTable({ items, more, name }: { items: Encounter[]; more: boolean; name: string }) {
  const ref = useReference();
  const [all, setAll] = useState(false);
  if (items.length === 0) return <Empty>No visits.</Empty>;
  const shown = all ? items : items.slice(0, VISITS_SHOWN);
  return (
    <>
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Visits of {name}, the latest first</caption>
          <thead>
            <tr>
              <th scope="col">Arrived</th>
              <th scope="col">Location</th>
              <th scope="col">Provider</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Length
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => {
              const location = ref.location(e.location_id);
              const zone = location?.time_zone;
              return (
                <tr key={String(e.id)}>
                  <td className="nowrap">
                    {fmtDate(e.arrived_at, zone)}, {fmtTime(e.arrived_at, zone)}
                  </td>
                  <td>{location?.name ?? `Location ${e.location_id}`}</td>
                  <td>{e.provider_name || <span className="muted">—</span>}</td>
                  <td>
                    {stateLabel(e.state)}
                    {e.walk_in && <span className="tag">Walk-in</span>}
                  </td>
                  <td className="num nowrap">{e.ended_at ? durationText(minutesBetween(e.arrived_at, e.ended_at)) : 'Open'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {items.length > VISITS_SHOWN && (
        <button type="button" className="btn btn-small" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? `Show the latest ${VISITS_SHOWN}` : `Show all ${items.length} visits`}
        </button>
      )}
      {more && all && <p className="muted small">The latest {items.length} visits; there are more.</p>}
    </>
  );
}

function ApptTable({ items, empty, onOpen }: { items: Appointment[]; empty: string; onOpen: (a: Appointment) => void }) {
  const ref = useReference();
  if (items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Date and time</th>
            <th scope="col">Type</th>
            <th scope="col">Provider</th>
            <th scope="col">Location</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => {
            const zone = ref.location(a.location_id)?.time_zone;
            return (
              <tr key={String(a.id)}>
                <td className="nowrap">
                  {fmtDate(a.start, zone)}, {fmtTime(a.start, zone)}
                </td>
                <td>
                  {a.appointment_type_name}
                  {a.modality === 'telehealth' && (
                    <span className="tag tag-video">
                      <Icon name="video" /> Video
                    </span>
                  )}
                </td>
                <td>{a.provider_name}</td>
                <td>{a.location_name}</td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td className="num">
                  <button type="button" className="btn btn-small" onClick={() => onOpen(a)}>
                    {a.status === 'booked' ? 'Manage' : 'Details'}
                    <span className="sr-only">
                      {' '}
                      {a.appointment_type_name} on {fmtDate(a.start, zone)} at {fmtTime(a.start, zone)}
                    </span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
