import { useRef, useState } from 'react';
import * as api from '../../api';
import type { Case, CodeText } from '../../api/types';
import { FACT_KEYS, FACT_LABEL, KIND_LABEL } from '../../lib/relations';
import { fmtDateTime } from '../../lib/time';
import { useToast } from '../../lib/toast';
import { Field } from '../Field';
import { ErrorAlert, Icon } from '../ui';

type Choice = 'complaint' | 'grievance';
const other = (k: Choice): Choice => (k === 'complaint' ? 'grievance' : 'complaint');
const lower = (k: Choice) => KIND_LABEL[k].toLowerCase();

/**
 * Complaint or grievance? Shows CareDesk's proposal with its reasons; staff confirm it, or override it with a
 * reason. Once decided, shows the decision. Renders nothing for inquiries.
 */
export function TriagePanel({ c, canWrite, onChanged }: { c: Case; canWrite: boolean; onChanged: (c: Case) => void }) {
  const t = c.triage;
  const { notify } = useToast();
  const [overriding, setOverriding] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonErr, setReasonErr] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<Choice | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  if (c.kind === 'inquiry' || !t) return null;

  const decide = async (chosen: Choice) => {
    const overridden = chosen !== t.proposed;
    if (overridden && !reason.trim()) {
      setReasonErr(`Say why this should be a ${lower(chosen)} rather than a ${lower(t.proposed)}.`);
      reasonRef.current?.focus();
      return;
    }
    setBusy(chosen);
    setError(null);
    setReasonErr(null);
    try {
      const upd = await api.triageCase(c.id, chosen, overridden ? reason.trim() : '');
      notify(`Triaged as ${lower(chosen)}`);
      setOverriding(false);
      setReason('');
      onChanged(upd);
    } catch (e) {
      if (api.isApiError(e) && e.field === 'override_reason') {
        setOverriding(true);
        setReasonErr(e.message);
        setTimeout(() => reasonRef.current?.focus(), 0);
      } else setError(e);
    } finally {
      setBusy(null);
    }
  };

  const d = t.decision;
  const offerQio = d ? d.offer_qio_referral : t.offer_qio_referral;
  const facts = FACT_KEYS.filter((k) => t.facts?.[k]);

  if (d) {
    return (
      <section className="panel triage-done" aria-labelledby="triage-h">
        <h2 id="triage-h">Triage</h2>
        <p>
          Handled as a <strong>{lower(d.chosen)}</strong>
          <span className="muted">
            {' '}
            — decided by {d.by} on {fmtDateTime(d.at)}
          </span>
        </p>
        {d.overridden && (
          <p className="override-note">
            <Icon name="info" /> CareDesk proposed a {lower(t.proposed)}; overridden because: “{d.override_reason}”
          </p>
        )}
        {offerQio && <QioNotice concerns={t.qio_concerns} />}
      </section>
    );
  }

  const alt = other(t.proposed);
  return (
    <section className="panel triage-panel" aria-labelledby="triage-h">
      <h2 id="triage-h">Triage: complaint or grievance?</h2>
      <p className="proposal">
        CareDesk proposes: <strong className={`proposal-kind kind-text-${t.proposed}`}>{KIND_LABEL[t.proposed]}</strong>
      </p>
      {t.reasons.length > 0 && (
        <>
          <h3 className="subhead" id="triage-why">
            Why
          </h3>
          <ul className="reason-list" aria-labelledby="triage-why">
            {t.reasons.map((r) => (
              <li key={r.code}>{r.text}</li>
            ))}
          </ul>
        </>
      )}
      <details className="facts-details">
        <summary>Facts recorded at intake ({facts.length})</summary>
        {facts.length ? (
          <ul className="plain-list">
            {facts.map((k) => (
              <li key={k}>{FACT_LABEL[k].label}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">None ticked.</p>
        )}
      </details>
      {offerQio && <QioNotice concerns={t.qio_concerns} />}
      <ErrorAlert error={error} title="Triage not saved" />
      {canWrite ? (
        !overriding ? (
          <div className="form-actions">
            <button type="button" className="btn btn-primary" disabled={!!busy} onClick={() => decide(t.proposed)}>
              {busy === t.proposed ? 'Saving…' : `Confirm as ${lower(t.proposed)}`}
            </button>
            <button
              type="button"
              className="btn"
              disabled={!!busy}
              onClick={() => {
                setOverriding(true);
                setTimeout(() => reasonRef.current?.focus(), 0);
              }}
            >
              Treat as {lower(alt)} instead…
            </button>
          </div>
        ) : (
          <div className="override-box">
            <Field
              id="triage-override_reason"
              label={`Why treat it as a ${lower(alt)}?`}
              required
              error={reasonErr}
              hint="Recorded on the case timeline and in the audit trail."
            >
              <textarea ref={reasonRef} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
            </Field>
            <div className="form-actions">
              <button type="button" className="btn btn-warning" disabled={!!busy} onClick={() => decide(alt)}>
                {busy === alt ? 'Saving…' : `Treat as ${lower(alt)}`}
              </button>
              <button
                type="button"
                className="btn"
                disabled={!!busy}
                onClick={() => {
                  setOverriding(false);
                  setReasonErr(null);
                }}
              >
                Cancel
              </button>
            </div>
          </div>
        )
      ) : (
        <p className="muted">Waiting for a coordinator to confirm the triage.</p>
      )}
    </section>
  );
}

/** The Medicare QIO referral right, shown prominently when a concern qualifies. */
export function QioNotice({ concerns }: { concerns: CodeText[] }) {
  return (
    <div className="qio" role="note" aria-labelledby="qio-h">
      <h3 id="qio-h">
        <Icon name="warn" /> Offer a QIO referral
      </h3>
      <p>
        A Medicare patient may ask the Quality Improvement Organization (QIO) to review concerns about
        {concerns.length ? ':' : ' the quality of their care or a discharge they think came too early.'}
      </p>
      {concerns.length > 0 && (
        <ul>
          {concerns.map((q) => (
            <li key={q.code}>{q.text}</li>
          ))}
        </ul>
      )}
      <p className="qio-do">
        They can do so at any time, whether or not they use this process. Tell them about this right and note on the timeline that you did.
      </p>
    </div>
  );
}
