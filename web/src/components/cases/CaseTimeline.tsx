import { useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { Case, CaseEvent } from '../../api/types';
import { EVENT_LABEL, label } from '../../lib/relations';
import { fmtDateTime } from '../../lib/time';
import { useToast } from '../../lib/toast';
import { Field } from '../Field';
import { Empty, ErrorAlert } from '../ui';

/** The case's history, newest first, with a form to add a note or an action taken. */
export function CaseTimeline({ c, canWrite, onChanged }: { c: Case; canWrite: boolean; onChanged: (c: Case) => void }) {
  const events = [...(c.events ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const [filter, setFilter] = useState<'all' | 'notes'>('all');
  const shown = filter === 'notes' ? events.filter((e) => e.type === 'note' || e.type === 'action') : events;
  return (
    <section className="panel" aria-labelledby="tl-h">
      <div className="section-head">
        <h2 id="tl-h">Timeline</h2>
        <div className="seg" role="group" aria-label="Show on the timeline">
          <button type="button" aria-pressed={filter === 'all'} onClick={() => setFilter('all')}>
            Everything
          </button>
          <button type="button" aria-pressed={filter === 'notes'} onClick={() => setFilter('notes')}>
            Notes and actions
          </button>
        </div>
      </div>
      {canWrite && <NoteForm c={c} onChanged={onChanged} />}
      {shown.length === 0 ? (
        <Empty>Nothing recorded yet.</Empty>
      ) : (
        <ol className="timeline case-timeline" aria-label="Case events, newest first">
          {shown.map((e) => (
            <TimelineItem key={String(e.id)} e={e} />
          ))}
        </ol>
      )}
    </section>
  );
}

function TimelineItem({ e }: { e: CaseEvent }) {
  return (
    <li className={`cev-${e.type}`}>
      <div>
        <span className="tl-status">{label(EVENT_LABEL, e.type)}</span>
        <span className="muted small">
          {' '}
          <time dateTime={e.at}>{fmtDateTime(e.at)}</time>
          {e.by ? ` · ${e.by}` : ''}
        </span>
      </div>
      {e.text && <div className="tl-text">{e.text}</div>}
    </li>
  );
}

function NoteForm({ c, onChanged }: { c: Case; onChanged: (c: Case) => void }) {
  const { notify } = useToast();
  const [type, setType] = useState<'note' | 'action'>('note');
  const [text, setText] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (!text.trim()) {
      setErr(type === 'action' ? 'Describe the action taken.' : 'Write the note.');
      document.getElementById('note-text')?.focus();
      return;
    }
    setBusy(true);
    setErr(null);
    setError(null);
    try {
      const upd = await api.addCaseNote(c.id, type, text.trim());
      setText('');
      notify(type === 'action' ? 'Action recorded' : 'Note added');
      onChanged(upd);
    } catch (e) {
      if (api.isApiError(e) && e.field === 'text') setErr(e.message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="note-form" onSubmit={submit} noValidate aria-label="Add to the timeline">
      <fieldset className="radios">
        <legend>Add</legend>
        <div className="check">
          <input id="note-type-note" type="radio" name="note-type" checked={type === 'note'} onChange={() => setType('note')} />
          <label htmlFor="note-type-note">Note</label>
        </div>
        <div className="check">
          <input id="note-type-action" type="radio" name="note-type" checked={type === 'action'} onChange={() => setType('action')} />
          <label htmlFor="note-type-action">Action taken</label>
        </div>
      </fieldset>
      <ErrorAlert error={error} title="Not added" />
      <Field
        id="note-text"
        label={type === 'action' ? 'What was done' : 'Note text'}
        error={err}
        hint={type === 'action' ? 'e.g. “Called the patient, explained the bill, offered a meeting”.' : 'Internal; not sent to the patient.'}
      >
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Adding…' : type === 'action' ? 'Record action' : 'Add note'}
        </button>
      </div>
    </form>
  );
}
