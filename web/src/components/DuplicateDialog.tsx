import type { DuplicateCandidate } from '../api/types';
import { mrnText, pct, patientSortName } from '../lib/format';
import { fmtDate } from '../lib/time';
import { Modal } from './Modal';
import { ErrorAlert } from './ui';

interface Props {
  candidates: DuplicateCandidate[];
  busy?: boolean;
  error?: unknown;
  onOpen: (c: DuplicateCandidate) => void;
  onRegisterAnyway: () => void;
  onClose: () => void;
}

/** Shown when registration answers 409 possible_duplicate. */
export function DuplicateDialog({ candidates, busy, error, onOpen, onRegisterAnyway, onClose }: Props) {
  return (
    <Modal
      title="Possible duplicate patient"
      onClose={onClose}
      wide
      alert
      describedBy="dup-desc"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Back to the form
          </button>
          <button type="button" className="btn btn-warning" onClick={onRegisterAnyway} disabled={busy}>
            {busy ? 'Registering…' : 'Register anyway'}
          </button>
        </>
      }
    >
      <p id="dup-desc">
        {candidates.length === 1 ? 'A patient already on file looks' : `${candidates.length} patients already on file look`} like the
        one you are registering. Open the existing record if it is the same person; register anyway only if you are sure this is
        someone else.
      </p>
      <ErrorAlert error={error} title="Could not register" />
      <ul className="dup-list" aria-label="Possible matches">
        {candidates.map((c) => (
          <li key={String(c.id)} className="dup-item">
            <div className="dup-main">
              <div className="dup-name">{patientSortName(c)}</div>
              <dl className="dl-inline">
                <div>
                  <dt>DOB</dt>
                  <dd>{fmtDate(c.birth_date)}</dd>
                </div>
                <div>
                  <dt className="sr-only">MRN</dt>
                  <dd className="mono">{mrnText(c.mrn)}</dd>
                </div>
                {c.phone && (
                  <div>
                    <dt>Phone</dt>
                    <dd>{c.phone}</dd>
                  </div>
                )}
                {c.address?.city && (
                  <div>
                    <dt>City</dt>
                    <dd>{c.address.city}</dd>
                  </div>
                )}
              </dl>
              {c.match?.reasons?.length > 0 && (
                <ul className="reasons" aria-label="Why it matches">
                  {c.match.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              )}
            </div>
            <div className="dup-side">
              <div className="prob" aria-label={`Match probability ${pct(c.match?.probability ?? 0)}`}>
                <span className="prob-value">{pct(c.match?.probability ?? 0)}</span>
                <span className="prob-label">match</span>
                <span className="prob-bar" aria-hidden="true">
                  <span style={{ width: pct(c.match?.probability ?? 0) }} />
                </span>
              </div>
              <button type="button" className="btn btn-primary btn-small" onClick={() => onOpen(c)}>
                Open existing patient<span className="sr-only"> {patientSortName(c)}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
