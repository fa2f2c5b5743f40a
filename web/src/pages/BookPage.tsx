import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import type { Appointment, PatientSummary, Slot } from '../api/types';
import { Field } from '../components/Field';
import { PatientPicker } from '../components/PatientPicker';
import { SlotList } from '../components/SlotList';
import { ErrorAlert, Icon, Notice, PageHeader, Spinner } from '../components/ui';
import { patientSortName, mrnText } from '../lib/format';
import { useTitle } from '../lib/hooks';
import { rememberLocation, rememberedLocation, sameId, useReference } from '../lib/reference';
import { LOCAL_ZONE, dateOf, dayRange, fmtDateTime, fmtDayHeading, fmtTime, todayIn } from '../lib/time';

type Step = 1 | 2 | 3 | 4 | 5;
const STEPS = ['Patient', 'Visit', 'Time', 'Confirm'];
const RANGES = [
  { days: 7, label: '1 week' },
  { days: 14, label: '2 weeks' },
  { days: 28, label: '4 weeks' },
  { days: 56, label: '8 weeks' },
  { days: 91, label: '3 months' },
];

export function BookPage() {
  useTitle('Book appointment');
  const ref = useReference();
  const [params] = useSearchParams();
  const [step, setStep] = useState<Step>(1);
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [patientErr, setPatientErr] = useState<string | null>(null);
  const [typeId, setTypeId] = useState(params.get('type') ?? '');
  const [providerId, setProviderId] = useState(params.get('provider') ?? '');
  const [locationId, setLocationId] = useState(params.get('location') ?? '');
  // The first date to search from, once chosen; until then today at the location (not in the browser's zone:
  // in the evening west of UTC they differ, and today's remaining slots would be skipped).
  const [fromChosen, setFrom] = useState<string | null>(params.get('from'));
  const [rangeDays, setRangeDays] = useState(28);
  const [visitErr, setVisitErr] = useState<{ type?: string; from?: string }>({});
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [slotsLoading, setSlotsLoading] = useState(false);
  const [slotsError, setSlotsError] = useState<unknown>(null);
  const [slotNotice, setSlotNotice] = useState<string | null>(null);
  const [picked, setPicked] = useState<Slot | null>(null);
  const [notes, setNotes] = useState('');
  const [bookErr, setBookErr] = useState<unknown>(null);
  const [booking, setBooking] = useState(false);
  const [booked, setBooked] = useState<Appointment | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // ?patient=ID preselects the patient (the "Book appointment" shortcut on the patient page).
  const prePatient = params.get('patient');
  useEffect(() => {
    if (!prePatient) return;
    const ctl = new AbortController();
    api
      .getPatient(prePatient, { signal: ctl.signal })
      .then((p) => {
        setPatient(p);
        setStep(2);
      })
      .catch((e) => !api.isAbortError(e) && setPatientErr(api.errorMessage(e)));
    return () => ctl.abort();
  }, [prePatient]);

  useEffect(() => {
    if (!locationId && !params.get('location')) {
      const r = rememberedLocation();
      if (r) setLocationId(r);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step]);

  const activeTypes = ref.types.filter((t) => t.active !== false);
  const type = ref.type(typeId);
  const eligibleProviders = useMemo(
    () =>
      ref.providers.filter(
        (p) =>
          p.active !== false &&
          (!type || !type.provider_ids?.length || type.provider_ids.some((x) => sameId(x, p.id))) &&
          (!locationId || p.location_ids?.some((x) => sameId(x, locationId))),
      ),
    [ref.providers, type, locationId],
  );
  const provider = ref.provider(providerId);
  const location = ref.location(locationId);
  const zone =
    location?.time_zone ?? ref.location(provider?.location_ids?.[0])?.time_zone ?? ref.locations[0]?.time_zone ?? LOCAL_ZONE;
  const from = fromChosen ?? todayIn(zone);

  // If the chosen provider no longer fits the type/location, drop it.
  useEffect(() => {
    if (providerId && !eligibleProviders.some((p) => sameId(p.id, providerId))) setProviderId('');
  }, [eligibleProviders, providerId]);

  const loadSlots = async () => {
    setSlotsLoading(true);
    setSlotsError(null);
    try {
      const r = dayRange(from, zone, rangeDays);
      const res = await api.findSlots({
        appointment_type: type?.id ?? typeId,
        from: r.from,
        to: r.to,
        provider: providerId || undefined,
        location: locationId || undefined,
        limit: 500,
      });
      setSlots(res.items ?? []);
    } catch (e) {
      setSlots(null);
      setSlotsError(e);
    } finally {
      setSlotsLoading(false);
    }
  };

  const toVisit = () => {
    if (!patient) {
      setPatientErr('Choose the patient to book for.');
      return;
    }
    setPatientErr(null);
    setStep(2);
  };

  const findTimes = () => {
    const e: typeof visitErr = {};
    if (!typeId) e.type = 'Choose the appointment type.';
    if (!from) e.from = 'Choose the first date to search from.';
    setVisitErr(e);
    if (e.type || e.from) {
      document.getElementById(e.type ? 'bk-type' : 'bk-from')?.focus();
      return;
    }
    setSlotNotice(null);
    setPicked(null);
    setStep(3);
    void loadSlots();
  };

  const pick = (s: Slot) => {
    setPicked(s);
    setBookErr(null);
    setStep(4);
  };

  const confirm = async () => {
    if (!patient || !picked) return;
    setBooking(true);
    setBookErr(null);
    try {
      const a = await api.bookAppointment({
        patient_id: patient.id,
        appointment_type_id: type?.id ?? typeId,
        provider_id: picked.provider_id,
        location_id: picked.location_id,
        start: picked.start,
        ...(picked.room_id != null ? { room_id: picked.room_id } : {}),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      });
      rememberLocation(picked.location_id);
      setBooked(a);
      setStep(5);
    } catch (e) {
      if (api.isApiError(e) && e.status === 409 && e.code === 'slot_taken') {
        setSlotNotice(
          `Sorry — ${fmtTime(picked.start, ref.location(picked.location_id)?.time_zone)} on ${fmtDayHeading(
            dateOf(picked.start, ref.location(picked.location_id)?.time_zone),
          )} was just booked by someone else. The open times below have been refreshed; please choose another.`,
        );
        setPicked(null);
        setStep(3);
        void loadSlots();
      } else setBookErr(e);
    } finally {
      setBooking(false);
    }
  };

  const restart = () => {
    setBooked(null);
    setPicked(null);
    setSlots(null);
    setNotes('');
    setStep(1);
    setPatient(null);
  };

  const first = slots?.[0];
  const slotZone = (s: Slot) => ref.location(s.location_id)?.time_zone;

  return (
    <div className="page page-narrow">
      <PageHeader title="Book appointment" sub="Patient, visit, time, confirm." />
      {step <= 4 && (
        <ol className="steps" aria-label="Booking steps">
          {STEPS.map((label, i) => {
            const n = (i + 1) as Step;
            const state = n < step ? 'done' : n === step ? 'current' : 'todo';
            return (
              <li key={label} className={`step step-${state}`} aria-current={n === step ? 'step' : undefined}>
                <span className="step-num" aria-hidden="true">
                  {n < step ? <Icon name="check" /> : n}
                </span>
                <span>
                  {label}
                  {state === 'done' && <span className="sr-only"> (done)</span>}
                </span>
              </li>
            );
          })}
        </ol>
      )}

      {ref.loading && <Spinner label="Loading appointment types and providers…" />}
      <ErrorAlert error={ref.error} title="Could not load scheduling set-up" onRetry={ref.reload} />

      {/* Summary of earlier choices */}
      {step > 1 && step <= 4 && patient && (
        <div className="summary-line">
          <span>
            <span className="muted">Patient:</span> <strong>{patientSortName(patient)}</strong>{' '}
            <span className="muted small">{mrnText(patient.mrn)}</span>
          </span>
          <button type="button" className="btn btn-link" onClick={() => setStep(1)}>
            Change<span className="sr-only"> patient</span>
          </button>
        </div>
      )}
      {step > 2 && step <= 4 && type && (
        <div className="summary-line">
          <span>
            <span className="muted">Visit:</span> <strong>{type.name}</strong> ({type.duration_minutes} min
            {type.modality === 'telehealth' ? ', telehealth' : ''}) · {provider ? provider.name : 'any provider'} ·{' '}
            {location ? location.name : 'any location'}
          </span>
          <button type="button" className="btn btn-link" onClick={() => setStep(2)}>
            Change<span className="sr-only"> visit</span>
          </button>
        </div>
      )}

      {step === 1 && (
        <section className="panel" aria-labelledby="st1">
          <h2 id="st1" ref={headingRef} tabIndex={-1}>
            1. Who is the appointment for?
          </h2>
          <PatientPicker
            id="bk-patient"
            label="Patient"
            value={patient}
            onChange={(p) => {
              setPatient(p);
              if (p) setPatientErr(null);
            }}
            autoFocus
            error={patientErr}
          />
          <p className="muted small">
            Not on file? <Link to="/patients/new">Register the patient</Link> first.
          </p>
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={toVisit}>
              Continue
            </button>
          </div>
        </section>
      )}

      {step === 2 && (
        <section className="panel" aria-labelledby="st2">
          <h2 id="st2" ref={headingRef} tabIndex={-1}>
            2. What kind of visit?
          </h2>
          <div className="grid grid-2">
            <Field id="bk-type" label="Appointment type" required error={visitErr.type}>
              <select value={typeId} onChange={(e) => setTypeId(e.target.value)}>
                <option value="">Choose…</option>
                {activeTypes.map((t) => (
                  <option key={String(t.id)} value={String(t.id)}>
                    {t.name} — {t.duration_minutes} min{t.modality === 'telehealth' ? ', telehealth' : ''}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="bk-location" label="Location" hint="Optional.">
              <select value={locationId} onChange={(e) => setLocationId(e.target.value)}>
                <option value="">Any location</option>
                {ref.locations.map((l) => (
                  <option key={String(l.id)} value={String(l.id)}>
                    {l.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="bk-provider" label="Provider" hint={type ? 'Only providers who do this type are listed. Optional.' : 'Optional.'}>
              <select value={providerId} onChange={(e) => setProviderId(e.target.value)}>
                <option value="">Any provider (first available)</option>
                {eligibleProviders.map((p) => (
                  <option key={String(p.id)} value={String(p.id)}>
                    {p.name}
                    {p.specialty ? ` — ${p.specialty}` : ''}
                  </option>
                ))}
              </select>
            </Field>
            <div className="grid grid-2 tight">
              <Field id="bk-from" label="From date" required error={visitErr.from}>
                <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
              </Field>
              <Field id="bk-range" label="Search period">
                <select value={rangeDays} onChange={(e) => setRangeDays(Number(e.target.value))}>
                  {RANGES.map((r) => (
                    <option key={r.days} value={r.days}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          </div>
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={findTimes}>
              Find open times
            </button>
            <button type="button" className="btn" onClick={() => setStep(1)}>
              Back
            </button>
          </div>
        </section>
      )}

      {step === 3 && (
        <section className="panel" aria-labelledby="st3">
          <h2 id="st3" ref={headingRef} tabIndex={-1}>
            3. Choose a time
          </h2>
          {slotNotice && <Notice kind="warn">{slotNotice}</Notice>}
          {slotsLoading && <Spinner label="Finding open times…" />}
          <ErrorAlert error={slotsError} title="Could not search open times" onRetry={loadSlots} />
          {!slotsLoading && slots && slots.length === 0 && (
            <div className="empty-box">
              <p>
                No open times for {type?.name ?? 'this type'} between {fmtDayHeading(from)} and the next {rangeDays} days.
              </p>
              <button type="button" className="btn" onClick={() => setStep(2)}>
                Change the search
              </button>
            </div>
          )}
          {!slotsLoading && first && (
            <>
              <div className="first-available">
                <div>
                  <div className="fa-label">First available</div>
                  <div className="fa-when">
                    {fmtDateTime(first.start, slotZone(first))}
                    <span className="muted">
                      {' '}
                      · {ref.provider(first.provider_id)?.name ?? 'Provider'} · {ref.location(first.location_id)?.name ?? ''}
                    </span>
                  </div>
                </div>
                <button type="button" className="btn btn-primary" onClick={() => pick(first)}>
                  Choose first available
                </button>
              </div>
              <h3 className="subhead">All open times ({slots!.length})</h3>
              <SlotList slots={slots!} onPick={pick} selected={picked} showProvider={!providerId} showLocation={!locationId && ref.locations.length > 1} />
            </>
          )}
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setStep(2)}>
              Back
            </button>
          </div>
        </section>
      )}

      {step === 4 && picked && patient && (
        <section className="panel" aria-labelledby="st4">
          <h2 id="st4" ref={headingRef} tabIndex={-1}>
            4. Confirm the booking
          </h2>
          <dl className="dl dl-wide">
            <div>
              <dt>Patient</dt>
              <dd>
                {patientSortName(patient)} <span className="muted">· {mrnText(patient.mrn)}</span>
              </dd>
            </div>
            <div>
              <dt>Visit</dt>
              <dd>
                {type?.name} · {type?.duration_minutes} min {type?.modality === 'telehealth' && '· telehealth (join link sent with the confirmation)'}
              </dd>
            </div>
            <div>
              <dt>When</dt>
              <dd>
                <strong>
                  {fmtDateTime(picked.start, slotZone(picked))} – {fmtTime(picked.end, slotZone(picked))}
                </strong>
              </dd>
            </div>
            <div>
              <dt>Provider</dt>
              <dd>{ref.provider(picked.provider_id)?.name ?? String(picked.provider_id)}</dd>
            </div>
            <div>
              <dt>Location</dt>
              <dd>{ref.location(picked.location_id)?.name ?? String(picked.location_id)}</dd>
            </div>
          </dl>
          <Field id="bk-notes" label="Notes for the visit" hint="Optional, e.g. needs an interpreter.">
            <textarea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </Field>
          <ErrorAlert error={bookErr} title="Not booked" />
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={confirm} disabled={booking}>
              {booking ? 'Booking…' : 'Confirm booking'}
            </button>
            <button type="button" className="btn" onClick={() => setStep(3)} disabled={booking}>
              Back to times
            </button>
          </div>
        </section>
      )}

      {step === 5 && booked && (
        <section className="panel panel-success" aria-labelledby="st5">
          <h2 id="st5" ref={headingRef} tabIndex={-1}>
            <Icon name="check" /> Appointment booked
          </h2>
          <p>
            <strong>{booked.patient_name}</strong> is booked for <strong>{booked.appointment_type_name}</strong> with{' '}
            {booked.provider_name} at {booked.location_name} on{' '}
            <strong>{fmtDateTime(booked.start, ref.location(booked.location_id)?.time_zone)}</strong>.
          </p>
          {booked.join_url && (
            <p>
              Telehealth join link: <a href={booked.join_url}>{booked.join_url}</a>
            </p>
          )}
          <div className="form-actions">
            <Link
              className="btn btn-primary"
              to={`/schedule?date=${dateOf(booked.start, ref.location(booked.location_id)?.time_zone)}&location=${encodeURIComponent(
                String(booked.location_id),
              )}&mode=provider&ids=${encodeURIComponent(String(booked.provider_id))}&view=day`}
            >
              See it on the calendar
            </Link>
            <Link className="btn" to={`/patients/${encodeURIComponent(String(booked.patient_id))}`}>
              Open patient
            </Link>
            <button type="button" className="btn" onClick={restart}>
              Book another
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
