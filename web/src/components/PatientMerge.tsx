import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../api';
import type { MergeMoved, Patient, PatientMerge, PatientSummary } from '../api/types';
import { mrnText, patientName, SEX_LABEL } from '../lib/format';
import { fmtDate, fmtDateTime } from '../lib/time';
import { Field } from './Field';
import { Modal } from './Modal';
import { PatientPicker } from './PatientPicker';
import { ErrorAlert, Icon, Spinner } from './ui';

const MOVED_LABEL: Record<keyof MergeMoved, [string, string]> = {
  appointments: ['appointment', 'appointments'],
  encounters: ['visit', 'visits'],
  coverages: ['coverage', 'coverages'],
  consents: ['consent', 'consents'],
  cases: ['case', 'cases'],
  survey_invitations: ['survey invitation', 'survey invitations'],
  survey_responses: ['survey response', 'survey responses'],
  survey_opt_outs: ['survey opt-out', 'survey opt-outs'],
  identifiers: ['identifier from another system', 'identifiers from other systems'],
  fhir_resources: ['FHIR resource (conditions, allergies, …)', 'FHIR resources (conditions, allergies, …)'],
};

/** "3 appointments, 1 visit and 2 identifiers from other systems", or "nothing". */
export function movedText(moved: MergeMoved): string {
  const parts = (Object.keys(MOVED_LABEL) as (keyof MergeMoved)[])
    .filter((k) => (moved[k] ?? 0) > 0)
    .map((k) => `${moved[k]} ${MOVED_LABEL[k][moved[k] === 1 ? 0 : 1]}`);
  if (parts.length === 0) return 'nothing';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

const MAX_REASON = 500;

function addressText(p: Patient): string {
  const a = p.address;
  if (!a) return '';
  return [a.line1, a.line2, [a.city, a.state, a.postal_code].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');
}

/** The two records side by side, the rows that differ marked. */
function Comparison({ keep, dup }: { keep: Patient; dup: Patient }) {
  const rows: [string, (p: Patient) => string][] = [
    ['Name', (p) => patientName(p)],
    ['MRN', (p) => mrnText(p.mrn)],
    ['Date of birth', (p) => fmtDate(p.birth_date)],
    ['Sex', (p) => SEX_LABEL[p.sex] ?? p.sex],
    ['Phone', (p) => p.phone ?? ''],
    ['Email', (p) => p.email ?? ''],
    ['Address', addressText],
    ['Coverage', (p) => (p.coverages ?? []).map((c) => `${c.payer} ${c.member_id}`).join('; ')],
  ];
  return (
    <div className="table-wrap">
      <table className="table merge-compare">
        <caption className="sr-only">The record that stays and the duplicate, side by side; differences are marked</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Field</span>
            </th>
            <th scope="col">Stays (this record)</th>
            <th scope="col">Merged into it</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => {
            const a = value(keep);
            const b = value(dup);
            const differs = a !== b;
            return (
              <tr key={label} className={differs ? 'differs' : undefined}>
                <th scope="row">
                  {label}
                  {differs && <span className="sr-only"> (differs)</span>}
                </th>
                <td>{a || <span className="muted">—</span>}</td>
                <td>{b || <span className="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Merges a duplicate record, found by search, into `keep` after a side-by-side check and a reason. */
export function MergeDialog({ keep, onClose, onMerged }: { keep: Patient; onClose: () => void; onMerged: (m: PatientMerge) => void }) {
  const reasonId = useId();
  const [picked, setPicked] = useState<PatientSummary | null>(null);
  const [dup, setDup] = useState<Patient | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [pickError, setPickError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setDup(null);
    setLoadError(null);
    setPickError(null);
    if (!picked) return;
    if (String(picked.id) === String(keep.id)) {
      setPickError('That is this record. Choose the duplicate to merge into it.');
      return;
    }
    const ctl = new AbortController();
    api
      .getPatient(picked.id, { signal: ctl.signal })
      .then(setDup)
      .catch((e) => {
        if (!api.isAbortError(e)) setLoadError(e);
      });
    return () => ctl.abort();
  }, [picked, keep.id]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!dup) {
      setPickError('Choose the duplicate record first.');
      return;
    }
    const why = reason.trim();
    if (!why) {
      setReasonError('Say why these are the same person (it is kept in the audit trail).');
      return;
    }
    if (why.length > MAX_REASON) {
      setReasonError(`At most ${MAX_REASON} characters.`);
      return;
    }
    setReasonError(null);
    setBusy(true);
    setError(null);
    try {
      onMerged(await api.mergePatients(keep.id, dup.id, why));
    } catch (err) {
      if (api.isApiError(err) && err.field === 'reason') setReasonError(err.message);
      else if (api.isApiError(err) && err.field === 'merged_id') setPickError(err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title="Merge a duplicate into this record" onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <p className="muted">
          The duplicate’s appointments, visits, coverage, consents, cases, survey invitations and identifiers from other
          systems move to <strong>{patientName(keep)}</strong> ({mrnText(keep.mrn)}). The duplicate is kept, marked as
          merged, and can be separated again from the merge history.
        </p>
        <PatientPicker label="Duplicate record" value={picked} onChange={setPicked} autoFocus error={picked ? null : pickError} />
        {picked && pickError && (
          <p className="alert alert-error" role="alert">
            {pickError}
          </p>
        )}
        {picked && !dup && !loadError && !pickError && <Spinner label="Loading the duplicate…" />}
        <ErrorAlert error={loadError} title="Could not load that record" />
        {dup && dup.merged_into && (
          <p className="alert alert-warn" role="alert">
            This record was already merged into another one.
          </p>
        )}
        {dup && <Comparison keep={keep} dup={dup} />}
        <Field id={reasonId} label="Why are these the same person?" required error={reasonError} hint="Kept in both records’ audit trail.">
          <textarea rows={2} maxLength={MAX_REASON + 50} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <ErrorAlert error={error} title="The records were not merged" />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !dup || !!dup.merged_into}>
            {busy ? 'Merging…' : dup ? `Merge ${mrnText(dup.mrn)} into this record` : 'Merge'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** For a record merged into another: where to go instead, named from its merge history. */
export function MergedBanner({ patientId, mergedInto, merges }: { patientId: string; mergedInto: string; merges: PatientMerge[] }) {
  const merge = merges.find((m) => String(m.merged.id) === patientId && !m.undone_at && String(m.survivor.id) === mergedInto);
  return (
    <div className="alert alert-warn" role="status">
      <Icon name="warn" />
      <span>
        This record was merged into{' '}
        <Link to={`/patients/${encodeURIComponent(mergedInto)}`}>
          {merge ? `${merge.survivor.name} (${mrnText(merge.survivor.mrn)})` : 'another patient’s record'}
        </Link>
        {merge && <> on {fmtDateTime(merge.at)}</>}. It is kept for its history; book, check in and edit on that record.
      </span>
    </div>
  );
}

/** The merges a patient took part in (newest first), with undo for those who may merge. */
export function MergeHistory({
  patientId,
  merges,
  canMerge,
  onChanged,
}: {
  patientId: string;
  merges: PatientMerge[];
  canMerge: boolean;
  /** After an undo: the page reads the records and the history again. */
  onChanged: () => void;
}) {
  const [undoing, setUndoing] = useState<PatientMerge | null>(null);
  if (merges.length === 0) return null;
  return (
    <section className="section" aria-labelledby="merges-h">
      <h2 id="merges-h">Merged records</h2>
      <ul className="plain-list merge-list">
        {merges.map((m) => {
          const here = String(m.survivor.id) === String(patientId);
          const other = here ? m.merged : m.survivor;
          return (
            <li key={String(m.id)}>
              <div>
                {here ? (
                  <>
                    <Link to={`/patients/${encodeURIComponent(String(other.id))}`}>
                      {other.name} ({mrnText(other.mrn)})
                    </Link>{' '}
                    was merged into this record
                  </>
                ) : (
                  <>
                    This record was merged into{' '}
                    <Link to={`/patients/${encodeURIComponent(String(other.id))}`}>
                      {other.name} ({mrnText(other.mrn)})
                    </Link>
                  </>
                )}{' '}
                on {fmtDateTime(m.at)} by {m.by}
                {m.undone_at && <span className="tag">Separated again</span>}
              </div>
              <div className="muted small">
                {m.reason && <>“{m.reason}” · </>}
                {m.undone_at ? 'Had moved' : 'Moved'} {movedText(m.moved)}
              </div>
              {m.undone_at && (
                <div className="muted small">
                  Separated again on {fmtDateTime(m.undone_at)} by {m.undone_by}
                  {m.undo_reason && <>: “{m.undo_reason}”</>}
                </div>
              )}
              {canMerge && !m.undone_at && (
                <button type="button" className="btn btn-small" onClick={() => setUndoing(m)}>
                  <Icon name="undo" /> Separate again
                  <span className="sr-only">
                    {' '}
                    {m.merged.name} ({mrnText(m.merged.mrn)})
                  </span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {undoing && (
        <UndoDialog
          merge={undoing}
          onClose={() => setUndoing(null)}
          onDone={() => {
            setUndoing(null);
            onChanged();
          }}
        />
      )}
    </section>
  );
}

function UndoDialog({ merge, onClose, onDone }: { merge: PatientMerge; onClose: () => void; onDone: () => void }) {
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const why = reason.trim();
    if (!why) {
      setReasonError('Say why the records are separated again.');
      return;
    }
    setReasonError(null);
    setBusy(true);
    setError(null);
    try {
      await api.undoPatientMerge(merge.id, why);
      onDone();
    } catch (err) {
      if (api.isApiError(err) && err.field === 'reason') setReasonError(err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Separate the records again" onClose={onClose} alert>
      <form onSubmit={submit} noValidate>
        <p>
          {merge.merged.name} ({mrnText(merge.merged.mrn)}) becomes a record of its own again, and gets back what the merge
          moved ({movedText(merge.moved)}) unless it was moved on since. What was added to {merge.survivor.name} after the
          merge stays there.
        </p>
        <Field id={reasonId} label="Why?" required error={reasonError}>
          <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-autofocus />
        </Field>
        <ErrorAlert error={error} title="The records were not separated" />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Separating…' : 'Separate again'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
