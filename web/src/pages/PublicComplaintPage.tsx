import { useEffect, useRef, useState, type FormEvent } from 'react';
import * as api from '../api';
import type { ContactPreference, PublicComplaintReceipt } from '../api/types';
import { Field } from '../components/Field';
import { Icon, Spinner } from '../components/ui';
import { useApi, useTitle } from '../lib/hooks';
import { fmtWait } from '../lib/relations';
import { todayIn } from '../lib/time';

const P = 'pc';
const PREFS: { key: ContactPreference; label: string }[] = [
  { key: 'email', label: 'By email' },
  { key: 'phone', label: 'By phone' },
  { key: 'none', label: 'I don’t need a reply' },
];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_RE = /^[+()\d\s.-]{5,}$/;
const MAX_TEXT = 5000;

interface Draft {
  name: string;
  email: string;
  phone: string;
  contact_preference: ContactPreference;
  location_id: string;
  category: string;
  visit_date: string;
  description: string;
  desired_outcome: string;
  website: string;
}
type Errors = Partial<Record<keyof Draft, string>>;
const ORDER: (keyof Draft)[] = ['name', 'contact_preference', 'email', 'phone', 'location_id', 'category', 'visit_date', 'description', 'desired_outcome'];

export function validatePublic(d: Draft, today = todayIn()): Errors {
  const e: Errors = {};
  if (!d.name.trim()) e.name = 'Enter your name.';
  if (d.email.trim() && !EMAIL_RE.test(d.email.trim())) e.email = 'Enter an email address in the right format, like name@example.com.';
  else if (d.contact_preference === 'email' && !d.email.trim()) e.email = 'Enter your email address, so we can reply by email.';
  if (d.phone.trim() && !PHONE_RE.test(d.phone.trim())) e.phone = 'Enter a phone number using digits, spaces, +, ( ) or -.';
  else if (d.contact_preference === 'phone' && !d.phone.trim()) e.phone = 'Enter your phone number, so we can call you back.';
  if (d.visit_date && d.visit_date > today) e.visit_date = 'The date of your visit cannot be in the future.';
  if (!d.description.trim()) e.description = 'Tell us what happened.';
  else if (d.description.length > MAX_TEXT) e.description = `What happened must be ${MAX_TEXT.toLocaleString()} characters or fewer.`;
  if (d.desired_outcome.length > MAX_TEXT) e.desired_outcome = `This must be ${MAX_TEXT.toLocaleString()} characters or fewer.`;
  return e;
}

/** The public "tell us about your experience" form: no sign-in, mobile first. */
export function PublicComplaintPage() {
  useTitle('Tell us about your experience');
  const form = useApi((signal) => api.getPublicComplaintForm({ signal }), []);
  const org = form.data?.organization_name || 'our hospital';
  const shownAt = useRef(Date.now());
  const [d, setD] = useState<Draft>({
    name: '',
    email: '',
    phone: '',
    contact_preference: 'email',
    location_id: '',
    category: '',
    visit_date: '',
    description: '',
    desired_outcome: '',
    website: '',
  });
  const [errs, setErrs] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<PublicComplaintReceipt | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((o) => ({ ...o, [k]: v }));

  useEffect(() => {
    if (receipt) doneRef.current?.focus();
  }, [receipt]);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validatePublic(d);
    setErrs(e);
    setFailure(null);
    if (Object.keys(e).length) {
      setTimeout(() => summaryRef.current?.focus(), 0);
      return;
    }
    setBusy(true);
    try {
      const loc = form.data?.locations.find((l) => String(l.id) === d.location_id);
      const r = await api.submitPublicComplaint({
        name: d.name.trim(),
        email: d.email.trim(),
        phone: d.phone.trim(),
        contact_preference: d.contact_preference,
        location_id: loc ? loc.id : null,
        category: d.category || null,
        visit_date: d.visit_date || null,
        description: d.description.trim(),
        desired_outcome: d.desired_outcome.trim(),
        website: d.website,
        elapsed_ms: Date.now() - shownAt.current,
      });
      setReceipt(r);
    } catch (x) {
      if (x instanceof api.RateLimitedError || (api.isApiError(x) && x.status === 429)) {
        const wait = x instanceof api.RateLimitedError ? x.retryAfterSeconds : undefined;
        setFailure(
          `We have received several messages from this connection in a short time, so we could not accept this one yet. Please wait ${fmtWait(wait)} and send it again — your answers are still here.`,
        );
      } else if (api.isApiError(x) && x.field && (ORDER as string[]).includes(x.field)) {
        setErrs({ [x.field]: x.message });
        setTimeout(() => summaryRef.current?.focus(), 0);
      } else if (api.isApiError(x) && x.status === 0) {
        setFailure('We could not reach our server. Check your internet connection and try again — your answers are still here.');
      } else {
        setFailure(`Sorry, your message could not be sent (${api.errorMessage(x)}). Please try again, or call us.`);
      }
    } finally {
      setBusy(false);
    }
  };

  const errorList = ORDER.filter((k) => errs[k]).map((k) => ({ k, msg: errs[k]! }));
  const fieldId = (k: keyof Draft) => (k === 'contact_preference' ? `${P}-pref-${d.contact_preference}` : `${P}-${k}`);

  return (
    <div className="public-screen">
      <header className="public-head">
        <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true">
          <rect width="32" height="32" rx="7" fill="#0b5c73" />
          <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
        </svg>
        <span className="public-org">{form.data?.organization_name || 'Patient feedback'}</span>
      </header>
      <main id="main" className="public-main" tabIndex={-1}>
        {receipt ? (
          <section className="panel panel-success public-done" aria-labelledby="pc-done-h">
            <h1 id="pc-done-h" ref={doneRef} tabIndex={-1}>
              <Icon name="check" /> Thank you — we have received your message
            </h1>
            <p className="ref-box">
              <span className="ref-label">Keep this reference:</span>
              <strong className="ref-number mono">{receipt.reference_number}</strong>
            </p>
            {receipt.message && <p>{receipt.message}</p>}
            <h2>What happens next</h2>
            <ul>
              <li>
                A member of our patient relations team will acknowledge your message within <strong>2 business days</strong>
                {d.contact_preference === 'email' ? ' by email' : d.contact_preference === 'phone' ? ' by phone' : ''}.
              </li>
              <li>They will look into what happened and, where needed, contact you to hear more.</li>
              <li>If you get in touch with us about this, please quote your reference.</li>
            </ul>
            <p className="muted small">You can close this page. If you need urgent medical help, call emergency services.</p>
          </section>
        ) : (
          <>
            <h1>Tell us about your experience</h1>
            <p className="lead">
              Your feedback helps {org} improve. Tell us what happened and a member of our patient relations team will get back to you. It takes
              about five minutes.
            </p>
            <p className="public-urgent">
              <Icon name="info" /> This form is not for medical emergencies or urgent care. If you need urgent help, call emergency services.
            </p>
            {form.loading && <Spinner label="Loading the form…" />}
            {failure && (
              <div className="alert alert-error" role="alert">
                <Icon name="alert" />
                <div>{failure}</div>
              </div>
            )}
            {errorList.length > 0 && (
              <div className="alert alert-error error-summary" role="alert" tabIndex={-1} ref={summaryRef} aria-labelledby="pc-errs-h">
                <Icon name="alert" />
                <div>
                  <h2 id="pc-errs-h">There {errorList.length === 1 ? 'is a problem' : `are ${errorList.length} problems`}</h2>
                  <ul>
                    {errorList.map(({ k, msg }) => (
                      <li key={k}>
                        <a
                          href={`#${fieldId(k)}`}
                          onClick={(e) => {
                            e.preventDefault();
                            document.getElementById(fieldId(k))?.focus();
                          }}
                        >
                          {msg}
                        </a>
                      </li>
                    ))}
                  </ul>
                </div>
              </div>
            )}
            <form className="form public-form" onSubmit={submit} noValidate aria-label="Tell us about your experience">
              <fieldset>
                <legend>About you</legend>
                <Field id={`${P}-name`} label="Your name" required error={errs.name}>
                  <input value={d.name} autoComplete="name" onChange={(e) => set('name', e.target.value)} />
                </Field>
                <fieldset className="radios public-radios" aria-describedby={errs.contact_preference ? `${P}-pref-error` : undefined}>
                  <legend>How should we reply?</legend>
                  {PREFS.map((p) => (
                    <div className="check" key={p.key}>
                      <input id={`${P}-pref-${p.key}`} type="radio" name="pc-pref" checked={d.contact_preference === p.key} onChange={() => set('contact_preference', p.key)} />
                      <label htmlFor={`${P}-pref-${p.key}`}>{p.label}</label>
                    </div>
                  ))}
                  {errs.contact_preference && (
                    <div className="field-error" id={`${P}-pref-error`}>
                      {errs.contact_preference}
                    </div>
                  )}
                </fieldset>
                <Field id={`${P}-email`} label="Email address" required={d.contact_preference === 'email'} error={errs.email} hint={d.contact_preference === 'email' ? undefined : 'Optional.'}>
                  <input type="email" inputMode="email" autoComplete="email" spellCheck={false} value={d.email} onChange={(e) => set('email', e.target.value)} />
                </Field>
                <Field id={`${P}-phone`} label="Phone number" required={d.contact_preference === 'phone'} error={errs.phone} hint={d.contact_preference === 'phone' ? undefined : 'Optional.'}>
                  <input type="tel" inputMode="tel" autoComplete="tel" value={d.phone} onChange={(e) => set('phone', e.target.value)} />
                </Field>
              </fieldset>

              <fieldset>
                <legend>Your visit</legend>
                {(form.data?.locations.length ?? 0) > 0 && (
                  <Field id={`${P}-location_id`} label="Where was it?" error={errs.location_id} hint="Optional.">
                    <select value={d.location_id} onChange={(e) => set('location_id', e.target.value)}>
                      <option value="">Not sure, or not about one place</option>
                      {form.data!.locations.map((l) => (
                        <option key={String(l.id)} value={String(l.id)}>
                          {l.name}
                        </option>
                      ))}
                    </select>
                  </Field>
                )}
                {(form.data?.categories.length ?? 0) > 0 && (
                  <Field id={`${P}-category`} label="What is it about?" error={errs.category} hint="Optional. Choose the closest.">
                    <select value={d.category} onChange={(e) => set('category', e.target.value)}>
                      <option value="">Not sure</option>
                      {form.data!.categories.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  </Field>
                )}
                <Field id={`${P}-visit_date`} label="Date of your visit" error={errs.visit_date} hint="Optional.">
                  <input type="date" max={todayIn()} value={d.visit_date} onChange={(e) => set('visit_date', e.target.value)} />
                </Field>
              </fieldset>

              <fieldset>
                <legend>Your experience</legend>
                <Field
                  id={`${P}-description`}
                  label="What happened?"
                  required
                  error={errs.description}
                  hint="Include what happened, when, and who was involved if you know. Please don’t include other people’s private details."
                >
                  <textarea rows={7} maxLength={MAX_TEXT} value={d.description} onChange={(e) => set('description', e.target.value)} />
                </Field>
                <div className="char-count" aria-live="polite">
                  {d.description.length > MAX_TEXT * 0.8 ? `${(MAX_TEXT - d.description.length).toLocaleString()} characters left` : ''}
                </div>
                <Field id={`${P}-desired_outcome`} label="What would you like us to do?" error={errs.desired_outcome} hint="Optional. For example: an explanation, an apology, a change.">
                  <textarea rows={3} maxLength={MAX_TEXT} value={d.desired_outcome} onChange={(e) => set('desired_outcome', e.target.value)} />
                </Field>
              </fieldset>

              {/* Honeypot: hidden from people and assistive technology; bots that fill it are ignored by the server. */}
              <div className="hp" aria-hidden="true">
                <label htmlFor={`${P}-website`}>Website</label>
                <input id={`${P}-website`} name="website" type="text" tabIndex={-1} autoComplete="off" value={d.website} onChange={(e) => set('website', e.target.value)} />
              </div>

              <p className="muted small">
                We use what you tell us only to look into your concern and improve our services. It becomes part of our patient relations records.
              </p>
              <div className="form-actions">
                <button type="submit" className="btn btn-primary btn-large" disabled={busy}>
                  {busy ? 'Sending…' : 'Send'}
                </button>
              </div>
            </form>
          </>
        )}
      </main>
    </div>
  );
}
