import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../api/client';
import type { ConsentKind, ContactMethod, CoverageRelationship, Patient, PatientInput, Sex } from '../api/types';
import { CONSENT_LABEL, CONTACT_LABEL, LANGUAGE_LABEL, RELATIONSHIP_LABEL, SEX_LABEL } from '../lib/format';
import { todayIn } from '../lib/time';
import { Field, fieldId, normaliseField } from './Field';
import { ErrorAlert, Icon } from './ui';

const CONSENT_KINDS: ConsentKind[] = ['treatment', 'privacy_notice', 'sms', 'email', 'research'];

interface CoverageDraft {
  key: number;
  id?: string | number;
  payer: string;
  member_id: string;
  group_number: string;
  relationship: CoverageRelationship;
  start_date: string;
  end_date: string;
}
interface Draft {
  given_name: string;
  middle_name: string;
  family_name: string;
  birth_date: string;
  sex: Sex | '';
  phone: string;
  email: string;
  preferred_language: string;
  preferred_contact_method: ContactMethod | '';
  address: { line1: string; line2: string; city: string; state: string; postal_code: string; country: string };
  emergency_contact: { name: string; relationship: string; phone: string };
  coverages: CoverageDraft[];
  consents: Record<ConsentKind, { granted: boolean; date: string; known: boolean }>;
}

let coverageKey = 1;
const s = (v: string | null | undefined) => v ?? '';

export function draftFrom(p?: Partial<Patient>): Draft {
  const consents = {} as Draft['consents'];
  for (const k of CONSENT_KINDS) {
    const c = p?.consents?.find((x) => x.kind === k);
    consents[k] = { granted: !!c?.granted, date: s(c?.date), known: !!c };
  }
  return {
    given_name: s(p?.given_name),
    middle_name: s(p?.middle_name),
    family_name: s(p?.family_name),
    birth_date: s(p?.birth_date),
    sex: p?.sex ?? '',
    phone: s(p?.phone),
    email: s(p?.email),
    preferred_language: s(p?.preferred_language),
    preferred_contact_method: p?.preferred_contact_method ?? '',
    address: {
      line1: s(p?.address?.line1),
      line2: s(p?.address?.line2),
      city: s(p?.address?.city),
      state: s(p?.address?.state),
      postal_code: s(p?.address?.postal_code),
      country: s(p?.address?.country),
    },
    emergency_contact: {
      name: s(p?.emergency_contact?.name),
      relationship: s(p?.emergency_contact?.relationship),
      phone: s(p?.emergency_contact?.phone),
    },
    coverages: (p?.coverages ?? []).map((c) => ({
      key: coverageKey++,
      id: c.id,
      payer: s(c.payer),
      member_id: s(c.member_id),
      group_number: s(c.group_number),
      relationship: c.relationship ?? 'self',
      start_date: s(c.start_date),
      end_date: s(c.end_date),
    })),
    consents,
  };
}

/** Draft → API body. Empty optional values are left out. */
export function toInput(d: Draft): PatientInput {
  const out: Record<string, unknown> = {
    given_name: d.given_name.trim(),
    family_name: d.family_name.trim(),
    birth_date: d.birth_date,
    sex: d.sex,
  };
  const opt = (k: string, v: string) => {
    if (v.trim()) out[k] = v.trim();
  };
  opt('middle_name', d.middle_name);
  opt('phone', d.phone);
  opt('email', d.email);
  opt('preferred_language', d.preferred_language);
  if (d.preferred_contact_method) out.preferred_contact_method = d.preferred_contact_method;
  const compact = (o: Record<string, string>) => {
    const r: Record<string, string> = {};
    for (const [k, v] of Object.entries(o)) if (v.trim()) r[k] = v.trim();
    return Object.keys(r).length ? r : undefined;
  };
  const address = compact(d.address);
  if (address) out.address = address;
  const ec = compact(d.emergency_contact);
  if (ec) out.emergency_contact = ec;
  out.coverages = d.coverages.map((c) => {
    const r: Record<string, unknown> = { payer: c.payer.trim(), member_id: c.member_id.trim(), relationship: c.relationship };
    if (c.id !== undefined) r.id = c.id;
    if (c.group_number.trim()) r.group_number = c.group_number.trim();
    if (c.start_date) r.start_date = c.start_date;
    if (c.end_date) r.end_date = c.end_date;
    return r;
  });
  out.consents = CONSENT_KINDS.filter((k) => d.consents[k].granted || d.consents[k].known).map((k) => {
    const c = d.consents[k];
    return c.date ? { kind: k, granted: c.granted, date: c.date } : { kind: k, granted: c.granted };
  });
  return out as unknown as PatientInput;
}

export function validate(d: Draft): Record<string, string> {
  const e: Record<string, string> = {};
  if (!d.given_name.trim()) e.given_name = 'Enter the given (first) name.';
  if (!d.family_name.trim()) e.family_name = 'Enter the family (last) name.';
  if (!d.birth_date) e.birth_date = 'Enter the date of birth.';
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(d.birth_date)) e.birth_date = 'Use the format YYYY-MM-DD.';
  else if (d.birth_date > todayIn()) e.birth_date = 'The date of birth cannot be in the future.';
  if (!d.sex) e.sex = 'Choose the sex recorded for this patient.';
  if (d.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.email.trim())) e.email = 'Enter an email address like name@example.org.';
  if (d.phone.trim() && !/^[+()\d\s.-]{5,}$/.test(d.phone.trim())) e.phone = 'Enter a phone number using digits, spaces, +, ( ) or -.';
  d.coverages.forEach((c, i) => {
    if (!c.payer.trim()) e[`coverages.${i}.payer`] = 'Enter the payer (insurer).';
    if (!c.member_id.trim()) e[`coverages.${i}.member_id`] = 'Enter the member ID.';
    if (c.start_date && c.end_date && c.end_date < c.start_date) e[`coverages.${i}.end_date`] = 'The end date is before the start date.';
  });
  for (const k of CONSENT_KINDS) {
    const c = d.consents[k];
    if ((c.granted || c.known) && !c.date)
      e[`consents.${k}.date`] = c.granted ? 'Enter the date consent was given.' : 'Enter the date consent was declined or withdrawn.';
  }
  return e;
}

interface Props {
  initial?: Partial<Patient>;
  submitLabel: string;
  busyLabel?: string;
  /** Called with the body; throw an ApiError to show field errors. */
  onSubmit: (body: PatientInput) => Promise<void>;
  onCancel?: () => void;
}

const P = 'pf';
const sub = (label: string, n: number) => (
  <>
    {label}
    <span className="sr-only"> (coverage {n})</span>
  </>
);

export function PatientForm({ initial, submitLabel, busyLabel = 'Saving…', onSubmit, onCancel }: Props) {
  const [d, setD] = useState<Draft>(() => draftFrom(initial));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((o) => ({ ...o, [k]: v }));
  const err = (k: string) => errors[k];
  const id = (k: string) => fieldId(P, k);

  const focusField = (key: string) => {
    setTimeout(() => {
      const el = document.getElementById(id(key));
      el?.focus();
    }, 0);
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validate(d);
    setErrors(e);
    setFormError(null);
    const keys = Object.keys(e);
    if (keys.length) {
      focusField(keys[0]);
      return;
    }
    setBusy(true);
    try {
      await onSubmit(toInput(d));
    } catch (x) {
      if (isApiError(x) && x.field) {
        let key = normaliseField(x.field);
        // consents are shown by kind, not by index
        const m = /^consents\.(\d+)(?:\.(\w+))?$/.exec(key);
        if (m) {
          const kinds = toInput(d).consents ?? [];
          const kind = kinds[Number(m[1])]?.kind;
          if (kind) key = `consents.${kind}.date`;
        }
        if (document.getElementById(id(key))) {
          setErrors({ [key]: x.message });
          focusField(key);
        } else setFormError(x);
      } else if (!(isApiError(x) && x.code === 'possible_duplicate')) {
        setFormError(x);
      }
    } finally {
      setBusy(false);
    }
  };

  const errorCount = Object.keys(errors).length;
  const text = (key: string, label: ReactNode, value: string, onChange: (v: string) => void, opts: { required?: boolean; type?: string; autoComplete?: string; hint?: string; list?: string; className?: string } = {}) => (
    <Field id={id(key)} label={label} error={err(key)} required={opts.required} hint={opts.hint} className={opts.className}>
      <input
        type={opts.type ?? 'text'}
        value={value}
        autoComplete={opts.autoComplete ?? 'off'}
        list={opts.list}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );

  return (
    <form ref={formRef} className="form patient-form" onSubmit={submit} noValidate aria-label={submitLabel}>
      {errorCount > 0 && (
        <div className="alert alert-error" role="alert">
          <Icon name="alert" />
          <div>
            {errorCount === 1 ? 'One field needs attention' : `${errorCount} fields need attention`}: {Object.values(errors)[0]}
          </div>
        </div>
      )}
      <ErrorAlert error={formError} title="Not saved" />

      <fieldset>
        <legend>Patient</legend>
        <div className="grid grid-5">
          {text('given_name', 'Given name', d.given_name, (v) => set('given_name', v), { required: true })}
          {text('middle_name', 'Middle name', d.middle_name, (v) => set('middle_name', v))}
          {text('family_name', 'Family name', d.family_name, (v) => set('family_name', v), { required: true })}
          {text('birth_date', 'Date of birth', d.birth_date, (v) => set('birth_date', v), { required: true, type: 'date' })}
          <Field id={id('sex')} label="Sex" error={err('sex')} required>
            <select value={d.sex} onChange={(e) => set('sex', e.target.value as Sex)}>
              <option value="">Choose…</option>
              {Object.entries(SEX_LABEL).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Contact</legend>
        <div className="grid grid-4">
          {text('phone', 'Phone', d.phone, (v) => set('phone', v), { type: 'tel' })}
          {text('email', 'Email', d.email, (v) => set('email', v), { type: 'email' })}
          <Field id={id('preferred_language')} label="Preferred language" error={err('preferred_language')}>
            <select value={d.preferred_language} onChange={(e) => set('preferred_language', e.target.value)}>
              <option value="">Not stated</option>
              {Object.entries(LANGUAGE_LABEL).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
              {d.preferred_language && !(d.preferred_language in LANGUAGE_LABEL) && (
                <option value={d.preferred_language}>{d.preferred_language}</option>
              )}
            </select>
          </Field>
          <Field id={id('preferred_contact_method')} label="Preferred contact method" error={err('preferred_contact_method')}>
            <select value={d.preferred_contact_method} onChange={(e) => set('preferred_contact_method', e.target.value as ContactMethod)}>
              <option value="">Not stated</option>
              {Object.entries(CONTACT_LABEL).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Address</legend>
        <div className="grid grid-4">
          {text('address.line1', 'Address line 1', d.address.line1, (v) => set('address', { ...d.address, line1: v }), { className: 'span-2' })}
          {text('address.line2', 'Address line 2', d.address.line2, (v) => set('address', { ...d.address, line2: v }), { className: 'span-2' })}
          {text('address.city', 'City', d.address.city, (v) => set('address', { ...d.address, city: v }))}
          {text('address.state', 'State / region', d.address.state, (v) => set('address', { ...d.address, state: v }))}
          {text('address.postal_code', 'Postal code', d.address.postal_code, (v) => set('address', { ...d.address, postal_code: v }))}
          {text('address.country', 'Country', d.address.country, (v) => set('address', { ...d.address, country: v }))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Emergency contact</legend>
        <div className="grid grid-4">
          {text('emergency_contact.name', 'Contact name', d.emergency_contact.name, (v) => set('emergency_contact', { ...d.emergency_contact, name: v }))}
          {text('emergency_contact.relationship', 'Relationship', d.emergency_contact.relationship, (v) => set('emergency_contact', { ...d.emergency_contact, relationship: v }))}
          {text('emergency_contact.phone', 'Contact phone', d.emergency_contact.phone, (v) => set('emergency_contact', { ...d.emergency_contact, phone: v }), { type: 'tel' })}
        </div>
      </fieldset>

      <fieldset>
        <legend>Coverage</legend>
        {d.coverages.length === 0 && <p className="muted">No coverage recorded (self-pay).</p>}
        {d.coverages.map((c, i) => {
          const upd = (patch: Partial<CoverageDraft>) =>
            set(
              'coverages',
              d.coverages.map((x) => (x.key === c.key ? { ...x, ...patch } : x)),
            );
          const n = i + 1;
          return (
            <div className="coverage-row" key={c.key} role="group" aria-label={`Coverage ${n}`}>
              <div className="grid grid-6">
                {text(`coverages.${i}.payer`, sub('Payer', n), c.payer, (v) => upd({ payer: v }), { required: true })}
                {text(`coverages.${i}.member_id`, sub('Member ID', n), c.member_id, (v) => upd({ member_id: v }), { required: true })}
                {text(`coverages.${i}.group_number`, sub('Group number', n), c.group_number, (v) => upd({ group_number: v }))}
                <Field id={id(`coverages.${i}.relationship`)} label={sub('Subscriber relationship', n)} error={err(`coverages.${i}.relationship`)}>
                  <select value={c.relationship} onChange={(e) => upd({ relationship: e.target.value as CoverageRelationship })}>
                    {Object.entries(RELATIONSHIP_LABEL).map(([v, l]) => (
                      <option key={v} value={v}>
                        {l}
                      </option>
                    ))}
                  </select>
                </Field>
                {text(`coverages.${i}.start_date`, sub('Start date', n), c.start_date, (v) => upd({ start_date: v }), { type: 'date' })}
                {text(`coverages.${i}.end_date`, sub('End date', n), c.end_date, (v) => upd({ end_date: v }), { type: 'date' })}
              </div>
              <button
                type="button"
                className="btn btn-small btn-danger-ghost"
                onClick={() => set('coverages', d.coverages.filter((x) => x.key !== c.key))}
              >
                Remove coverage {n}
              </button>
            </div>
          );
        })}
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            set('coverages', [
              ...d.coverages,
              { key: coverageKey++, payer: '', member_id: '', group_number: '', relationship: 'self', start_date: '', end_date: '' },
            ])
          }
        >
          <Icon name="plus" /> Add coverage
        </button>
      </fieldset>

      <fieldset>
        <legend>Consents</legend>
        <div className="consents">
          {CONSENT_KINDS.map((k) => {
            const c = d.consents[k];
            const upd = (patch: Partial<typeof c>) => set('consents', { ...d.consents, [k]: { ...c, ...patch } });
            const cbId = id(`consents.${k}.granted`);
            return (
              <div className="consent-row" key={k}>
                <div className="check">
                  <input
                    id={cbId}
                    type="checkbox"
                    checked={c.granted}
                    onChange={(e) =>
                      // A new decision is dated today (the API needs a date for every recorded consent).
                      upd({ granted: e.target.checked, date: e.target.checked || c.known ? (c.known || !c.date ? todayIn() : c.date) : c.date })
                    }
                  />
                  <label htmlFor={cbId}>{CONSENT_LABEL[k]}</label>
                </div>
                <Field id={id(`consents.${k}.date`)} label={<>Date<span className="sr-only"> ({CONSENT_LABEL[k].toLowerCase()})</span></>} error={err(`consents.${k}.date`)} className="consent-date">
                  <input type="date" value={c.date} disabled={!c.granted && !c.known} onChange={(e) => upd({ date: e.target.value })} />
                </Field>
              </div>
            );
          })}
        </div>
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
