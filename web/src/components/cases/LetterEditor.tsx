import { useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { Case, DecisionLetterInput } from '../../api/types';
import { useAuth } from '../../lib/auth';
import { fileSafe, printBlob, saveBlob } from '../../lib/download';
import { dateOf, fmtDate, fmtDateTime, todayIn } from '../../lib/time';
import { useToast } from '../../lib/toast';
import { Field, normaliseField } from '../Field';
import { Modal } from '../Modal';
import { ErrorAlert, Icon, Notice } from '../ui';

const P = 'lt';
type Key = keyof DecisionLetterInput;
const FIELDS: Key[] = ['contact_name', 'contact_title', 'contact_phone', 'investigation_steps', 'results', 'completion_date', 'letter_date', 'further_recourse'];
type Draft = Record<Key, string>;

function draftOf(c: Case, fallbackName: string): Draft {
  const l = c.letter;
  return {
    contact_name: l?.contact_name ?? (c.owner_name || fallbackName),
    contact_title: l?.contact_title ?? '',
    contact_phone: l?.contact_phone ?? '',
    investigation_steps: l?.investigation_steps ?? '',
    results: l?.results ?? '',
    completion_date: l?.completion_date ?? '',
    letter_date: l?.letter_date ?? '',
    further_recourse: l?.further_recourse ?? '',
  };
}

export function validateLetter(d: Draft, receivedDate: string, today = todayIn()): Partial<Record<Key, string>> {
  const e: Partial<Record<Key, string>> = {};
  if (!d.contact_name.trim()) e.contact_name = 'Enter the name of the person the patient can contact.';
  if (!d.contact_title.trim()) e.contact_title = 'Enter their job title.';
  if (!d.contact_phone.trim()) e.contact_phone = 'Enter a phone number the patient can call.';
  else if (!/^[+()\d\s.-]{5,}$/.test(d.contact_phone.trim())) e.contact_phone = 'Enter a phone number using digits, spaces, +, ( ) or -.';
  if (!d.investigation_steps.trim()) e.investigation_steps = 'Describe the steps taken to investigate.';
  if (!d.results.trim()) e.results = 'Describe the results of the investigation.';
  if (!d.completion_date) e.completion_date = 'Enter the date the investigation was completed.';
  else if (d.completion_date > today) e.completion_date = 'The completion date cannot be in the future.';
  else if (receivedDate && d.completion_date < receivedDate) e.completion_date = `The completion date is before the grievance was received (${fmtDate(receivedDate)}).`;
  if (d.letter_date && d.completion_date && d.letter_date < d.completion_date) e.letter_date = 'The letter cannot be dated before the investigation was completed.';
  return e;
}

/** The written decision for a grievance: fields, server-rendered preview, PDF, print, and "mark as sent". */
export function LetterEditor({ c, canWrite, onChanged }: { c: Case; canWrite: boolean; onChanged: (c: Case) => void }) {
  const { session } = useAuth();
  const { notify } = useToast();
  const fallbackName = session?.user.display_name ?? '';
  const [d, setD] = useState<Draft>(() => draftOf(c, fallbackName));
  const [saved, setSaved] = useState<Draft>(() => draftOf(c, fallbackName));
  const [errs, setErrs] = useState<Partial<Record<Key, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'pdf' | 'print' | 'send' | null>(null);
  const [confirmSend, setConfirmSend] = useState(false);

  const letter = c.letter ?? null;
  const sent = !!letter?.sent_at;
  const readOnly = !canWrite || sent;
  const dirty = FIELDS.some((k) => d[k] !== saved[k]);
  const set = (k: Key, v: string) => setD((o) => ({ ...o, [k]: v }));
  const focus = (k: string) => setTimeout(() => document.getElementById(`${P}-${k}`)?.focus(), 0);

  const save = async (ev?: FormEvent) => {
    ev?.preventDefault();
    const e = validateLetter(d, dateOf(c.received_at));
    setErrs(e);
    setError(null);
    const first = Object.keys(e)[0];
    if (first) return focus(first);
    const body: DecisionLetterInput = {
      contact_name: d.contact_name.trim(),
      contact_title: d.contact_title.trim(),
      contact_phone: d.contact_phone.trim(),
      investigation_steps: d.investigation_steps.trim(),
      results: d.results.trim(),
      completion_date: d.completion_date,
      further_recourse: d.further_recourse.trim(),
      ...(d.letter_date ? { letter_date: d.letter_date } : {}),
    };
    setBusy('save');
    try {
      const upd = await api.saveCaseLetter(c.id, body);
      const next = draftOf(upd, fallbackName);
      setD(next);
      setSaved(next);
      notify('Decision letter saved');
      onChanged(upd);
    } catch (x) {
      const f = api.isApiError(x) && x.field ? normaliseField(x.field).replace(/^letter\./, '') : '';
      if (api.isApiError(x) && (FIELDS as string[]).includes(f)) {
        setErrs({ [f]: x.message });
        focus(f);
      } else setError(x);
    } finally {
      setBusy(null);
    }
  };

  const pdf = async (mode: 'pdf' | 'print') => {
    setBusy(mode);
    setError(null);
    try {
      const blob = await api.getCaseLetterPdf(c.id);
      if (mode === 'pdf') saveBlob(blob, `decision-letter-${fileSafe(c.reference_number)}.pdf`);
      else printBlob(blob);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(null);
    }
  };

  const send = async () => {
    setBusy('send');
    setError(null);
    try {
      const upd = await api.sendCaseLetter(c.id);
      setConfirmSend(false);
      notify('Decision letter marked as sent');
      onChanged(upd);
    } catch (x) {
      setConfirmSend(false);
      setError(x);
    } finally {
      setBusy(null);
    }
  };

  const errorCount = Object.keys(errs).length;
  const text = (k: Key, lbl: string, opts: { required?: boolean; type?: string; hint?: string; rows?: number; className?: string } = {}) => (
    <Field id={`${P}-${k}`} label={lbl} required={opts.required} error={errs[k]} hint={opts.hint} className={opts.className}>
      {opts.rows ? (
        <textarea rows={opts.rows} value={d[k]} readOnly={readOnly} onChange={(e) => set(k, e.target.value)} />
      ) : (
        <input type={opts.type ?? 'text'} value={d[k]} readOnly={readOnly} onChange={(e) => set(k, e.target.value)} />
      )}
    </Field>
  );

  return (
    <section className="panel letter-panel" id="decision-letter" aria-labelledby="letter-h" tabIndex={-1}>
      <div className="section-head">
        <h2 id="letter-h">Written decision letter</h2>
        {sent ? (
          <span className="badge dstate-met">
            <Icon name="check" /> Sent {fmtDateTime(letter!.sent_at)}
          </span>
        ) : letter ? (
          <span className="badge dstate-pending">Draft saved</span>
        ) : (
          <span className="badge dstate-pending">Not started</span>
        )}
      </div>
      <p className="hint">
        Every grievance needs a written decision naming a contact person, the steps taken to investigate, the results, and the date the
        investigation was completed. The wording comes from the letter template in Relations settings.
      </p>
      <form className="form" onSubmit={save} noValidate aria-label="Decision letter">
        {errorCount > 0 && (
          <div className="alert alert-error" role="alert">
            <Icon name="alert" />
            <div>
              {errorCount === 1 ? 'One field needs attention' : `${errorCount} fields need attention`}: {Object.values(errs)[0]}
            </div>
          </div>
        )}
        <ErrorAlert error={error} title="Letter problem" />
        <div className="grid grid-3">
          {text('contact_name', 'Contact person', { required: true })}
          {text('contact_title', 'Their job title', { required: true })}
          {text('contact_phone', 'Their phone', { required: true, type: 'tel' })}
        </div>
        {text('investigation_steps', 'Steps taken to investigate', { required: true, rows: 4, hint: 'Who you spoke to, what records you reviewed.' })}
        {text('results', 'Results', { required: true, rows: 4, hint: 'What you found and what will change.' })}
        <div className="grid grid-3">
          {text('completion_date', 'Investigation completed on', { required: true, type: 'date' })}
          {text('letter_date', 'Letter date', { type: 'date', hint: 'Optional; today when left empty.' })}
        </div>
        {text('further_recourse', 'Further recourse', {
          rows: 2,
          hint: 'Where the patient can go if not satisfied, e.g. the state survey agency or the QIO, with contact details.',
        })}
        {!readOnly && (
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={!!busy || (!dirty && !!letter)}>
              {busy === 'save' ? 'Saving…' : letter ? (dirty ? 'Save changes' : 'Saved') : 'Save letter'}
            </button>
            {dirty && letter && (
              <button type="button" className="btn" onClick={() => { setD(saved); setErrs({}); }}>
                Discard changes
              </button>
            )}
          </div>
        )}
      </form>

      {letter && (
        <>
          <h3 className="subhead" id="letter-preview-h">
            Preview
          </h3>
          {dirty && <Notice kind="warn">The preview and PDF show the last saved version. Save your changes to update them.</Notice>}
          <div className="letter-preview" role="document" aria-labelledby="letter-preview-h" tabIndex={0}>
            {letter.rendered_text}
          </div>
          <div className="form-actions">
            <button type="button" className="btn" disabled={!!busy || dirty} onClick={() => pdf('pdf')}>
              {busy === 'pdf' ? 'Preparing PDF…' : 'Download PDF'}
            </button>
            <button type="button" className="btn" disabled={!!busy || dirty} onClick={() => pdf('print')}>
              {busy === 'print' ? 'Preparing…' : 'Print'}
            </button>
            {!readOnly && (
              <button type="button" className="btn btn-primary" disabled={!!busy || dirty} onClick={() => setConfirmSend(true)}>
                Mark as sent
              </button>
            )}
          </div>
        </>
      )}

      {confirmSend && (
        <Modal
          title="Mark the decision letter as sent?"
          alert
          onClose={() => setConfirmSend(false)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setConfirmSend(false)}>
                Not yet
              </button>
              <button type="button" className="btn btn-primary" disabled={busy === 'send'} onClick={send}>
                {busy === 'send' ? 'Recording…' : 'Mark as sent'}
              </button>
            </>
          }
        >
          <p>
            Do this once the letter has been posted or emailed to {c.contact_name || 'the patient'}. It meets the written-decision deadline,
            and the letter can no longer be edited.
          </p>
        </Modal>
      )}
    </section>
  );
}
