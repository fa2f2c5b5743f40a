import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api';
import type { SurveyDispatchResult, SurveySettings, SurveySummary } from '../../api/types';
import { Field, normaliseField } from '../../components/Field';
import { SurveyNav } from '../../components/surveys/SurveyNav';
import { ErrorAlert, Icon, Notice, PageHeader, Spinner } from '../../components/ui';
import { useApi, useTitle } from '../../lib/hooks';
import { fmtCount } from '../../lib/surveys';
import { useToast } from '../../lib/toast';

const P = 'ss';
const NUMBERS = ['send_after_hours', 'expires_days', 'reminder_after_days', 'max_reminders'] as const;
type NumKey = (typeof NUMBERS)[number];
const FIELDS = ['active_survey_id', ...NUMBERS, 'public_base_url', 'from_name', 'from_email', 'email_subject', 'email_intro'] as const;
type Key = (typeof FIELDS)[number];
type Draft = Record<Key, string>;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Smallest sensible value; the server judges the rest (a 400 names the field). */
const MIN: Record<NumKey, number> = { send_after_hours: 0, expires_days: 1, reminder_after_days: 1, max_reminders: 0 };

function draftFrom(s: SurveySettings): Draft {
  return {
    active_survey_id: s.active_survey_id ?? '',
    send_after_hours: String(s.send_after_hours ?? ''),
    expires_days: String(s.expires_days ?? ''),
    reminder_after_days: String(s.reminder_after_days ?? ''),
    max_reminders: String(s.max_reminders ?? ''),
    public_base_url: s.public_base_url ?? '',
    from_name: s.from_name ?? '',
    from_email: s.from_email ?? '',
    email_subject: s.email_subject ?? '',
    email_intro: s.email_intro ?? '',
  };
}

export function validateSurveySettings(d: Draft): Partial<Record<Key, string>> {
  const e: Partial<Record<Key, string>> = {};
  for (const k of NUMBERS) {
    const v = d[k].trim();
    const n = Number(v);
    if (v === '' || !Number.isInteger(n) || n < MIN[k]) e[k] = `Enter a whole number, ${MIN[k]} or more.`;
  }
  const url = d.public_base_url.trim();
  if (!url) e.public_base_url = 'Enter the address patients use to reach CareDesk, like https://care.example.org.';
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) e.public_base_url = 'Start the address with http:// or https://.';
  if (d.from_email.trim() && !EMAIL_RE.test(d.from_email.trim())) e.from_email = 'Enter an email address in the right format, like surveys@example.org.';
  return e;
}

export function SurveySettingsPage() {
  useTitle('Survey settings');
  const res = useApi((signal) => api.getSurveySettings({ signal }), []);
  const surveys = useApi((signal) => api.listSurveys({ signal }), []);
  return (
    <div className="page page-narrow">
      <SurveyNav />
      <p className="breadcrumb">
        <Link to="/surveys">Surveys</Link> <span aria-hidden="true">›</span> Settings
      </p>
      <PageHeader title="Survey settings" sub="Which survey patients get after a visit, when, and how the email reads." />
      {res.loading && !res.data && <Spinner label="Loading settings…" />}
      <ErrorAlert error={res.error} title="Could not load the settings" onRetry={res.reload} />
      <ErrorAlert error={surveys.error} title="Could not load the surveys" onRetry={surveys.reload} />
      {res.data && <SettingsForm key={JSON.stringify(res.data)} initial={res.data} surveys={surveys.data?.items ?? []} onSaved={(s) => res.setData(s)} />}
      <DispatchPanel />
    </div>
  );
}

function SettingsForm({ initial, surveys, onSaved }: { initial: SurveySettings; surveys: SurveySummary[]; onSaved: (s: SurveySettings) => void }) {
  const { notify } = useToast();
  const [d, setD] = useState<Draft>(() => draftFrom(initial));
  const [errs, setErrs] = useState<Partial<Record<Key, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: Key, v: string) => setD((o) => ({ ...o, [k]: v }));
  const focus = (k: string) => setTimeout(() => document.getElementById(`${P}-${k}`)?.focus(), 0);
  const mail = !!initial.mail_enabled;
  const activeKnown = !d.active_survey_id || surveys.some((s) => s.id === d.active_survey_id);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validateSurveySettings(d);
    setErrs(e);
    setError(null);
    const first = Object.keys(e)[0];
    if (first) return focus(first);
    setBusy(true);
    try {
      const saved = await api.saveSurveySettings({
        active_survey_id: d.active_survey_id,
        send_after_hours: Number(d.send_after_hours),
        expires_days: Number(d.expires_days),
        reminder_after_days: Number(d.reminder_after_days),
        max_reminders: Number(d.max_reminders),
        public_base_url: d.public_base_url.trim(),
        from_name: d.from_name.trim(),
        from_email: d.from_email.trim(),
        email_subject: d.email_subject.trim(),
        email_intro: d.email_intro,
      });
      notify('Survey settings saved');
      onSaved(saved ?? { ...initial });
    } catch (x) {
      const f = api.isApiError(x) && x.status === 400 ? normaliseField(x.field) : '';
      if (f && (FIELDS as readonly string[]).includes(f) && api.isApiError(x)) {
        setErrs({ [f]: x.message });
        focus(f);
      } else setError(x);
    } finally {
      setBusy(false);
    }
  };

  const errCount = Object.keys(errs).length;
  const num = (k: NumKey, label: string, hint: string) => (
    <Field id={`${P}-${k}`} label={label} required error={errs[k]} hint={hint}>
      <input type="number" inputMode="numeric" min={MIN[k]} className="num-input" value={d[k]} onChange={(e) => set(k, e.target.value)} />
    </Field>
  );

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Survey settings">
      {errCount > 0 && (
        <div className="alert alert-error" role="alert">
          <Icon name="alert" />
          <div>
            {errCount === 1 ? 'One field needs attention' : `${errCount} fields need attention`}: {Object.values(errs)[0]}
          </div>
        </div>
      )}
      <ErrorAlert error={error} title="Not saved" />

      <fieldset>
        <legend>Invitations</legend>
        <Field id={`${P}-active_survey_id`} label="Active survey" error={errs.active_survey_id} hint="After each completed visit the patient is invited to this survey’s latest version.">
          <select value={d.active_survey_id} onChange={(e) => set('active_survey_id', e.target.value)}>
            <option value="">None — send no invitations</option>
            {!activeKnown && <option value={d.active_survey_id}>{d.active_survey_id}</option>}
            {surveys.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title} ({s.id}, version {s.latest_version})
              </option>
            ))}
          </select>
        </Field>
        <div className="grid grid-4">
          {num('send_after_hours', 'Send after (hours)', 'After the visit is completed.')}
          {num('expires_days', 'Link expires after (days)', 'From when it is issued.')}
          {num('reminder_after_days', 'Remind after (days)', 'Since the last email, while unanswered.')}
          {num('max_reminders', 'Reminders at most', '0 sends none.')}
        </div>
        <Field id={`${P}-public_base_url`} label="Public address of CareDesk" required error={errs.public_base_url} hint="Links in emails and on slips are this address followed by /s/ and a code.">
          <input type="url" inputMode="url" spellCheck={false} value={d.public_base_url} onChange={(e) => set('public_base_url', e.target.value)} />
        </Field>
      </fieldset>

      <fieldset>
        <legend>Email</legend>
        <div className="mail-state">
          <span className="label-like">Email sending: </span>
          {mail ? (
            <span className="badge badge-active">Enabled</span>
          ) : (
            <span className="badge badge-off">Not configured</span>
          )}
          <p className="hint">
            {mail
              ? 'The server has an SMTP server configured: patients with an email address are invited by email.'
              : 'The server has no SMTP server configured (--smtp-url), so no email is sent: every invitation waits to be printed on a slip from the invitations list.'}
          </p>
        </div>
        <div className="grid grid-2">
          <Field id={`${P}-from_name`} label="From name" error={errs.from_name}>
            <input value={d.from_name} onChange={(e) => set('from_name', e.target.value)} />
          </Field>
          <Field id={`${P}-from_email`} label="From email address" error={errs.from_email}>
            <input type="email" inputMode="email" spellCheck={false} value={d.from_email} onChange={(e) => set('from_email', e.target.value)} />
          </Field>
        </div>
        <Field id={`${P}-email_subject`} label="Subject" error={errs.email_subject}>
          <input value={d.email_subject} onChange={(e) => set('email_subject', e.target.value)} />
        </Field>
        <Field id={`${P}-email_intro`} label="Introduction" error={errs.email_intro} hint="The opening of the email, before the link.">
          <textarea rows={5} value={d.email_intro} onChange={(e) => set('email_intro', e.target.value)} />
        </Field>
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        <span className="sr-only" role="status">
          {busy ? 'Saving the settings…' : ''}
        </span>
      </div>
    </form>
  );
}

const DISPATCH_LABELS: { key: keyof SurveyDispatchResult; label: string }[] = [
  { key: 'invited', label: 'Invited' },
  { key: 'emailed', label: 'Emailed' },
  { key: 'to_print', label: 'Waiting to be printed' },
  { key: 'reminded', label: 'Reminded' },
  { key: 'failed', label: 'Failed (retried next time)' },
  { key: 'opted_out_skipped', label: 'Skipped (opted out)' },
];

function DispatchPanel() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SurveyDispatchResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.dispatchSurveys());
      setTimeout(() => resultRef.current?.focus(), 0);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="ss-dispatch-h">
      <h2 id="ss-dispatch-h">Send invitations now</h2>
      <p className="hint">The server sends invitations and reminders every few minutes. Use this to do it now, for example after changing the settings.</p>
      <div className="form-actions">
        <button type="button" className="btn" onClick={run} disabled={busy}>
          {busy ? 'Sending…' : 'Send invitations now'}
        </button>
        <span role="status" className="muted">
          {busy ? 'Sending invitations…' : ''}
        </span>
      </div>
      <ErrorAlert error={error} title="Invitations were not sent" />
      {result && (
        <div ref={resultRef} tabIndex={-1} className="focus-target">
          <Notice kind={result.failed > 0 ? 'warn' : 'success'}>
            <strong>Done.</strong>
            <dl className="dl-inline">
              {DISPATCH_LABELS.map((l) => (
                <div key={l.key}>
                  <dt>{l.label}</dt>
                  <dd>{fmtCount(result[l.key])}</dd>
                </div>
              ))}
            </dl>
            {result.to_print > 0 && (
              <p className="small">
                <Link to="/surveys/invitations?channel=print&printed=false">Print the waiting slips</Link>
              </p>
            )}
          </Notice>
        </div>
      )}
    </section>
  );
}
