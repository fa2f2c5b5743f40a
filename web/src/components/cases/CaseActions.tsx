import { useState } from 'react';
import * as api from '../../api';
import type { Case, CaseStatus } from '../../api/types';
import { CASE_STATUS_LABEL, STATUS_ACTION, label } from '../../lib/relations';
import { fmtDate, fmtDateTime } from '../../lib/time';
import { useToast } from '../../lib/toast';
import { Field } from '../Field';
import { Modal } from '../Modal';
import { ErrorAlert, Notice } from '../ui';

const letterMissing = (c: Case) => c.kind === 'grievance' && !c.decision_letter_at;

/** Status changes (only those the server allows next) and the 7-day interim notice for grievances. */
export function CaseActions({ c, onChanged, onGoToLetter }: { c: Case; onChanged: (c: Case) => void; onGoToLetter: () => void }) {
  const { notify } = useToast();
  const [target, setTarget] = useState<CaseStatus | null>(null);
  const [interim, setInterim] = useState(false);
  const [refreshed, setRefreshed] = useState<string | null>(null);
  const next = c.allowed_next_statuses ?? [];
  const canInterim = c.kind === 'grievance' && !c.interim_notice_at && !c.resolved_at && c.status !== 'closed';

  return (
    <section className="panel" aria-labelledby="actions-h">
      <h2 id="actions-h">Status</h2>
      <p>
        Now: <strong>{label(CASE_STATUS_LABEL, c.status)}</strong>
        {c.acknowledged_at && <span className="muted small block">Acknowledged {fmtDateTime(c.acknowledged_at)}</span>}
        {c.resolved_at && <span className="muted small block">Resolved {fmtDateTime(c.resolved_at)}</span>}
        {c.closed_at && <span className="muted small block">Closed {fmtDateTime(c.closed_at)}</span>}
      </p>
      {refreshed && <Notice kind="warn">{refreshed}</Notice>}
      {next.length > 0 ? (
        <div className="action-stack" role="group" aria-label="Change status">
          {next.map((s) => (
            <button key={s} type="button" className={`btn${s === 'closed' ? '' : s === 'resolved' ? ' btn-primary' : ''}`} onClick={() => setTarget(s)}>
              {STATUS_ACTION[s] ?? label(CASE_STATUS_LABEL, s)}
            </button>
          ))}
        </div>
      ) : (
        <p className="muted small">No further status changes.</p>
      )}
      {c.kind === 'grievance' && (
        <div className="interim">
          <h3 className="subhead">Interim notice</h3>
          {c.interim_notice_at ? (
            <p className="small">Sent {fmtDateTime(c.interim_notice_at)}</p>
          ) : canInterim ? (
            <>
              <p className="hint">If the grievance cannot be resolved within 7 days, tell the patient it is still being worked on.</p>
              <button type="button" className="btn" onClick={() => setInterim(true)}>
                Send interim notice
              </button>
            </>
          ) : (
            <p className="muted small">Not needed.</p>
          )}
        </div>
      )}

      {target && (
        <StatusDialog
          c={c}
          target={target}
          onClose={() => setTarget(null)}
          onGoToLetter={() => {
            setTarget(null);
            onGoToLetter();
          }}
          onDone={(upd) => {
            setTarget(null);
            setRefreshed(null);
            notify(`Status: ${label(CASE_STATUS_LABEL, upd.status)}`);
            onChanged(upd);
          }}
          onStale={async () => {
            setTarget(null);
            try {
              onChanged(await api.getCase(c.id));
            } catch {
              /* keep what we have */
            }
            setRefreshed('Someone else changed this case’s status. It has been refreshed; choose again.');
          }}
        />
      )}
      {interim && (
        <InterimDialog
          c={c}
          onClose={() => setInterim(false)}
          onDone={(upd) => {
            setInterim(false);
            notify('Interim notice recorded');
            onChanged(upd);
          }}
        />
      )}
    </section>
  );
}

function StatusDialog({
  c,
  target,
  onClose,
  onDone,
  onStale,
  onGoToLetter,
}: {
  c: Case;
  target: CaseStatus;
  onClose: () => void;
  onDone: (c: Case) => void;
  onStale: () => void;
  onGoToLetter: () => void;
}) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [noteErr, setNoteErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [letterRequired, setLetterRequired] = useState(target === 'closed' && letterMissing(c));

  const submit = async () => {
    setBusy(true);
    setError(null);
    setNoteErr(null);
    try {
      onDone(await api.setCaseStatus(c.id, target, note.trim()));
    } catch (e) {
      if (api.isApiError(e) && e.status === 409 && e.code === 'letter_required') setLetterRequired(true);
      else if (api.isApiError(e) && e.status === 409 && e.code === 'invalid_transition') onStale();
      else if (api.isApiError(e) && e.field === 'note') setNoteErr(e.message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const title = STATUS_ACTION[target] ?? label(CASE_STATUS_LABEL, target);
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          {letterRequired ? (
            <button type="button" className="btn btn-primary" onClick={onGoToLetter}>
              Go to the decision letter
            </button>
          ) : (
            <button type="button" className="btn btn-primary" disabled={busy} onClick={submit}>
              {busy ? 'Saving…' : title}
            </button>
          )}
        </>
      }
    >
      <p>
        {c.reference_number}: {label(CASE_STATUS_LABEL, c.status)} → <strong>{label(CASE_STATUS_LABEL, target)}</strong>
      </p>
      {letterRequired && (
        <Notice kind="warn">
          A grievance can be closed only after its written decision letter has been sent. Complete the letter, send it, then close the case.
        </Notice>
      )}
      <ErrorAlert error={error} title="Status not changed" />
      {!letterRequired && (
        <Field id="status-note" label="Note" error={noteErr} hint="Optional. Added to the timeline.">
          <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-autofocus />
        </Field>
      )}
    </Modal>
  );
}

function InterimDialog({ c, onClose, onDone }: { c: Case; onClose: () => void; onDone: (c: Case) => void }) {
  const [text, setText] = useState(
    `We are still looking into the concern you raised on ${fmtDate(c.received_at)} (reference ${c.reference_number}). ` +
      `Our review is taking longer than we expected, and we will write to you with the outcome as soon as it is complete.`,
  );
  const [err, setErr] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!text.trim()) {
      setErr('Enter what was said to the patient.');
      document.getElementById('interim-text')?.focus();
      return;
    }
    setBusy(true);
    setErr(null);
    setError(null);
    try {
      onDone(await api.sendInterimNotice(c.id, text.trim()));
    } catch (e) {
      if (api.isApiError(e) && e.field === 'text') setErr(e.message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Send interim notice"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={submit}>
            {busy ? 'Recording…' : 'Record notice as sent'}
          </button>
        </>
      }
    >
      <p className="hint">
        Send this to {c.contact_name || 'the patient'} by their preferred route, then record it here. It meets the “resolve or send interim
        notice” deadline.
      </p>
      <ErrorAlert error={error} title="Not recorded" />
      <Field id="interim-text" label="Notice text" required error={err}>
        <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} data-autofocus />
      </Field>
    </Modal>
  );
}
