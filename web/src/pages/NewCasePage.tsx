import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { DateTime } from 'luxon';
import * as api from '../api';
import type {
  CaseChannel,
  CaseInput,
  CaseSeverity,
  ContactPreference,
  InquiryType,
  IntakeKind,
  PatientSummary,
} from '../api/types';
import { CheckGroup } from '../components/CheckGroup';
import { Field, normaliseField } from '../components/Field';
import { PatientPicker } from '../components/PatientPicker';
import { ErrorAlert, Icon, PageHeader, Spinner } from '../components/ui';
import { useAuth } from '../lib/auth';
import { patientName } from '../lib/format';
import { focusFirstError } from '../lib/forms';
import { useApi, useTitle } from '../lib/hooks';
import { rememberLocation, rememberedLocation, useReference } from '../lib/reference';
import {
  CHANNELS,
  CHANNEL_LABEL,
  CONTACT_PREF_LABEL,
  FACT_KEYS,
  FACT_LABEL,
  INQUIRY_TYPE_LABEL,
  SEVERITIES,
  SEVERITY_HINT,
  SEVERITY_LABEL,
  WRITTEN_CHANNELS,
  factsFromList,
  noFacts,
} from '../lib/relations';
import { useToast } from '../lib/toast';
import { LOCAL_ZONE, fmtDateTime } from '../lib/time';

const P = 'nc';
const FIELDS = [
  'kind',
  'inquiry_type',
  'channel',
  'location_id',
  'category',
  'severity',
  'description',
  'desired_outcome',
  'patient_id',
  'encounter_id',
  'department',
  'staff_member',
  'contact_name',
  'contact_email',
  'contact_phone',
  'contact_preference',
  'facts',
  'received_at',
] as const;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_RE = /^[+()\d\s.-]{5,}$/;
const localNow = (zone: string) => DateTime.now().setZone(zone).toFormat("yyyy-LL-dd'T'HH:mm");

interface Draft {
  kind: IntakeKind;
  inquiry_type: InquiryType | '';
  channel: CaseChannel;
  location_id: string;
  category: string;
  severity: CaseSeverity;
  description: string;
  desired_outcome: string;
  encounter_id: string;
  department: string;
  staff_member: string;
  contact_name: string;
  contact_email: string;
  contact_phone: string;
  contact_preference: ContactPreference;
  facts: string[];
  received_at: string;
}

export function validateIntake(d: Draft, zone: string, now = DateTime.now()): Record<string, string> {
  const e: Record<string, string> = {};
  if (d.kind === 'inquiry' && !d.inquiry_type) e.inquiry_type = 'Choose what the inquiry is about.';
  if (!d.location_id) e.location_id = 'Choose the location the case is about.';
  if (!d.category.trim()) e.category = 'Choose a category.';
  if (!d.description.trim()) e.description = 'Describe the concern in the person’s own words.';
  if (!d.contact_name.trim()) e.contact_name = 'Enter the name of the person to reply to.';
  if (d.contact_email.trim() && !EMAIL_RE.test(d.contact_email.trim())) e.contact_email = 'Enter an email address like name@example.org.';
  if (d.contact_phone.trim() && !PHONE_RE.test(d.contact_phone.trim())) e.contact_phone = 'Enter a phone number using digits, spaces, +, ( ) or -.';
  if (d.contact_preference === 'email' && !d.contact_email.trim() && !e.contact_email)
    e.contact_email = 'Enter an email address, or choose another way to reply.';
  if (d.contact_preference === 'phone' && !d.contact_phone.trim() && !e.contact_phone)
    e.contact_phone = 'Enter a phone number, or choose another way to reply.';
  if (!d.received_at) e.received_at = 'Enter when the concern was received.';
  else {
    const t = DateTime.fromISO(d.received_at, { zone });
    if (!t.isValid) e.received_at = 'Enter a valid date and time.';
    else if (t > now.plus({ minutes: 5 })) e.received_at = 'The received time cannot be in the future.';
  }
  return e;
}

export function NewCasePage() {
  useTitle('New case');
  const ref = useReference();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { notify } = useToast();
  const settings = useApi((signal) => api.getRelationsSettings({ signal }), []);
  const categories = settings.data?.categories ?? [];
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [d, setD] = useState<Draft>(() => ({
    kind: 'complaint',
    inquiry_type: '',
    channel: 'phone',
    location_id: rememberedLocation() ?? '',
    category: '',
    severity: 'medium',
    description: '',
    desired_outcome: '',
    encounter_id: '',
    department: '',
    staff_member: '',
    contact_name: '',
    contact_email: '',
    contact_phone: '',
    contact_preference: 'phone',
    facts: [],
    received_at: localNow(LOCAL_ZONE),
  }));
  const [receivedTouched, setReceivedTouched] = useState(false);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const location = ref.location(d.location_id);
  const zone = location?.time_zone ?? LOCAL_ZONE;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((o) => ({ ...o, [k]: v }));

  // One location only: choose it. A remembered one that no longer exists: drop it.
  useEffect(() => {
    if (ref.loading) return;
    if (!d.location_id && ref.locations.length === 1) set('location_id', String(ref.locations[0].id));
    else if (d.location_id && ref.locations.length && !location) set('location_id', '');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref.loading, ref.locations]);

  // The default "received" is now, in the location's zone, until the user edits it.
  useEffect(() => {
    if (!receivedTouched) set('received_at', localNow(zone));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [zone]);

  // Visits of the chosen patient, to link the case to one (optional).
  const visits = useApi(
    (signal) => api.getPatientAppointments(patient!.id, { signal }),
    [patient?.id],
    !!patient && can('appointment.read'),
  );
  const visitOptions = useMemo(
    () =>
      (visits.data?.items ?? [])
        .filter((a) => a.encounter_id != null && a.encounter_id !== '')
        .sort((a, b) => Date.parse(b.start) - Date.parse(a.start))
        .slice(0, 30),
    [visits.data],
  );

  const choosePatient = (p: PatientSummary | null) => {
    setPatient(p);
    if (!p) return set('encounter_id', '');
    setD((o) => ({
      ...o,
      encounter_id: '',
      contact_name: o.contact_name || patientName(p),
      contact_phone: o.contact_phone || (p.phone ?? ''),
      contact_email: o.contact_email || (p.email ?? ''),
    }));
  };

  const chooseChannel = (c: CaseChannel) => {
    setD((o) => {
      const wasWritten = WRITTEN_CHANNELS.includes(o.channel);
      const isWritten = WRITTEN_CHANNELS.includes(c);
      let facts = o.facts;
      if (isWritten && !facts.includes('written')) facts = [...facts, 'written'];
      else if (!isWritten && wasWritten) facts = facts.filter((f) => f !== 'written');
      return { ...o, channel: c, facts };
    });
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validateIntake(d, zone);
    setErrs(e);
    setError(null);
    if (Object.keys(e).length) return focusFirstError(P, e);
    const loc = ref.location(d.location_id);
    const visit = visitOptions.find((a) => String(a.encounter_id) === d.encounter_id);
    const body: CaseInput = {
      kind: d.kind,
      ...(d.kind === 'inquiry' ? { inquiry_type: d.inquiry_type as InquiryType } : {}),
      channel: d.channel,
      category: d.category.trim(),
      severity: d.severity,
      description: d.description.trim(),
      desired_outcome: d.desired_outcome.trim(),
      patient_id: patient?.id ?? null,
      encounter_id: visit?.encounter_id ?? null,
      location_id: loc?.id ?? d.location_id,
      department: d.department.trim(),
      staff_member: d.staff_member.trim(),
      contact_name: d.contact_name.trim(),
      contact_email: d.contact_email.trim(),
      contact_phone: d.contact_phone.trim(),
      contact_preference: d.contact_preference,
      facts: d.kind === 'inquiry' ? noFacts() : factsFromList(d.facts),
      ...(receivedTouched ? { received_at: DateTime.fromISO(d.received_at, { zone }).toISO({ suppressMilliseconds: true })! } : {}),
    };
    setBusy(true);
    try {
      const c = await api.createCase(body);
      rememberLocation(d.location_id);
      notify(`Case ${c.reference_number} recorded`);
      navigate(`/cases/${encodeURIComponent(String(c.id))}`);
    } catch (x) {
      if (api.isApiError(x) && x.field) {
        let f = normaliseField(x.field);
        if (f.startsWith('facts')) f = 'facts';
        if ((FIELDS as readonly string[]).includes(f)) {
          setErrs({ [f]: x.message });
          focusFirstError(P, { [f]: x.message });
          return;
        }
      }
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  const errorCount = Object.keys(errs).length;
  const isInquiry = d.kind === 'inquiry';

  return (
    <div className="page page-narrow">
      <PageHeader title="New case" sub="Record a concern or an inquiry as the person told it. CareDesk proposes complaint or grievance from the facts below." />
      {ref.loading && <Spinner label="Loading locations…" />}
      <ErrorAlert error={ref.error} title="Could not load locations" onRetry={ref.reload} />
      <form className="form" onSubmit={submit} noValidate aria-label="New case">
        {errorCount > 0 && (
          <div className="alert alert-error" role="alert">
            <Icon name="alert" />
            <div>
              {errorCount === 1 ? 'One field needs attention' : `${errorCount} fields need attention`}: {Object.values(errs)[0]}
            </div>
          </div>
        )}
        <ErrorAlert error={error} title="Not recorded" />

        <fieldset>
          <legend>What is it?</legend>
          <fieldset className="radios" id={`${P}-kind`} tabIndex={-1}>
            <legend className="sr-only">Kind</legend>
            <div className="check">
              <input id={`${P}-kind-complaint`} type="radio" name="nc-kind" checked={d.kind === 'complaint'} onChange={() => set('kind', 'complaint')} />
              <label htmlFor={`${P}-kind-complaint`}>Concern or complaint</label>
            </div>
            <div className="check">
              <input id={`${P}-kind-inquiry`} type="radio" name="nc-kind" checked={d.kind === 'inquiry'} onChange={() => set('kind', 'inquiry')} />
              <label htmlFor={`${P}-kind-inquiry`}>Inquiry (a question or request)</label>
            </div>
          </fieldset>
          <div className="grid grid-3">
            {isInquiry && (
              <Field id={`${P}-inquiry_type`} label="Inquiry about" required error={errs.inquiry_type}>
                <select value={d.inquiry_type} onChange={(e) => set('inquiry_type', e.target.value as InquiryType)}>
                  <option value="">Choose…</option>
                  {(Object.keys(INQUIRY_TYPE_LABEL) as InquiryType[]).map((t) => (
                    <option key={t} value={t}>
                      {INQUIRY_TYPE_LABEL[t]}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            <Field id={`${P}-channel`} label="Received by" required error={errs.channel}>
              <select value={d.channel} onChange={(e) => chooseChannel(e.target.value as CaseChannel)}>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {CHANNEL_LABEL[c]}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              id={`${P}-received_at`}
              label="Received on"
              required
              error={errs.received_at}
              hint={receivedTouched ? `Time at ${location?.name ?? 'your location'}.` : 'Now. Change it for letters or messages received earlier.'}
            >
              <input
                type="datetime-local"
                value={d.received_at}
                max={localNow(zone)}
                onChange={(e) => {
                  setReceivedTouched(true);
                  set('received_at', e.target.value);
                }}
              />
            </Field>
          </div>
          <div className="grid grid-3">
            <Field id={`${P}-location_id`} label="Location" required error={errs.location_id}>
              <select value={d.location_id} onChange={(e) => set('location_id', e.target.value)}>
                <option value="">Choose…</option>
                {ref.locations.map((l) => (
                  <option key={String(l.id)} value={String(l.id)}>
                    {l.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${P}-category`} label="Category" required error={errs.category} hint={settings.error ? 'Categories could not be loaded; type one.' : undefined}>
              {categories.length > 0 ? (
                <select value={d.category} onChange={(e) => set('category', e.target.value)}>
                  <option value="">Choose…</option>
                  {categories.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : (
                <input value={d.category} onChange={(e) => set('category', e.target.value)} />
              )}
            </Field>
            <Field id={`${P}-severity`} label="Severity" required error={errs.severity} hint={SEVERITY_HINT[d.severity]}>
              <select value={d.severity} onChange={(e) => set('severity', e.target.value as CaseSeverity)}>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {SEVERITY_LABEL[s]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Field id={`${P}-description`} label={isInquiry ? 'Question or request' : 'What happened'} required error={errs.description} hint="In the person’s own words where possible: what, when, where, who.">
            <textarea rows={5} value={d.description} onChange={(e) => set('description', e.target.value)} />
          </Field>
          <Field id={`${P}-desired_outcome`} label="What would they like to happen?" error={errs.desired_outcome} hint="Optional.">
            <textarea rows={2} value={d.desired_outcome} onChange={(e) => set('desired_outcome', e.target.value)} />
          </Field>
          <div className="grid grid-2">
            <Field id={`${P}-department`} label="Department" error={errs.department} hint="Optional, e.g. Emergency, Radiology.">
              <input value={d.department} onChange={(e) => set('department', e.target.value)} />
            </Field>
            <Field id={`${P}-staff_member`} label="Staff member involved" error={errs.staff_member} hint="Optional. Name or role.">
              <input value={d.staff_member} onChange={(e) => set('staff_member', e.target.value)} />
            </Field>
          </div>
        </fieldset>

        {!isInquiry && (
          <fieldset>
            <legend>Triage facts</legend>
            <p className="hint">
              Tick what applies. CareDesk uses these to propose whether this is a <strong>grievance</strong> (formal process, written decision) or a{' '}
              <strong>complaint</strong>; you confirm on the case page.
            </p>
            <div className="facts-group">
            <CheckGroup
              id={`${P}-facts`}
              legend="The concern…"
              options={FACT_KEYS.map((k) => ({ id: k, label: FACT_LABEL[k].label, hint: FACT_LABEL[k].hint }))}
              value={d.facts}
              onChange={(v) => set('facts', v)}
              error={errs.facts}
            />
            </div>
          </fieldset>
        )}

        <fieldset>
          <legend>Patient</legend>
          <PatientPicker id={`${P}-patient_id`} label="Patient (optional)" value={patient} onChange={choosePatient} error={errs.patient_id} />
          {patient && can('appointment.read') && (
            <Field id={`${P}-encounter_id`} label="Related visit" error={errs.encounter_id} hint={visits.loading ? 'Loading visits…' : visitOptions.length ? 'Optional.' : 'No recorded visits for this patient.'}>
              <select value={d.encounter_id} onChange={(e) => set('encounter_id', e.target.value)} disabled={!visitOptions.length}>
                <option value="">Not linked to a visit</option>
                {visitOptions.map((a) => (
                  <option key={String(a.encounter_id)} value={String(a.encounter_id)}>
                    {fmtDateTime(a.start, ref.location(a.location_id)?.time_zone)} · {a.appointment_type_name} · {a.provider_name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {!patient && <p className="hint">Leave empty when the person is not a patient or does not want to be identified.</p>}
        </fieldset>

        <fieldset>
          <legend>Who to reply to</legend>
          <div className="grid grid-3">
            <Field id={`${P}-contact_name`} label="Name" required error={errs.contact_name}>
              <input value={d.contact_name} autoComplete="off" onChange={(e) => set('contact_name', e.target.value)} />
            </Field>
            <Field id={`${P}-contact_phone`} label="Phone" error={errs.contact_phone} required={d.contact_preference === 'phone'}>
              <input type="tel" value={d.contact_phone} autoComplete="off" onChange={(e) => set('contact_phone', e.target.value)} />
            </Field>
            <Field id={`${P}-contact_email`} label="Email" error={errs.contact_email} required={d.contact_preference === 'email'}>
              <input type="email" value={d.contact_email} autoComplete="off" onChange={(e) => set('contact_email', e.target.value)} />
            </Field>
          </div>
          <fieldset className="radios" id={`${P}-contact_preference`} tabIndex={-1} aria-describedby={errs.contact_preference ? `${P}-contact_preference-error` : undefined}>
            <legend>Reply by</legend>
            {(Object.keys(CONTACT_PREF_LABEL) as ContactPreference[]).map((p) => (
              <div className="check" key={p}>
                <input
                  id={`${P}-pref-${p}`}
                  type="radio"
                  name="nc-pref"
                  checked={d.contact_preference === p}
                  onChange={() => set('contact_preference', p)}
                />
                <label htmlFor={`${P}-pref-${p}`}>{CONTACT_PREF_LABEL[p]}</label>
              </div>
            ))}
          </fieldset>
          {d.contact_preference === 'letter' && (
            <p className="hint">{patient ? 'Letters go to the address on the patient’s record.' : 'Link the patient so the letter can go to the address on their record, or note the address in the description.'}</p>
          )}
          {errs.contact_preference && (
            <div className="field-error" id={`${P}-contact_preference-error`}>
              {errs.contact_preference}
            </div>
          )}
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Recording…' : 'Record case'}
          </button>
          <Link className="btn" to="/cases">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
