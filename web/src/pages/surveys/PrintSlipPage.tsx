import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import * as api from '../../api';
import type { InvitationSlip } from '../../api/types';
import { SurveyNav } from '../../components/surveys/SurveyNav';
import { ErrorAlert, Notice, Spinner } from '../../components/ui';
import { useTitle } from '../../lib/hooks';
import { fmtDate, fmtDayHeading } from '../../lib/time';

// One POST per visit of the page: React's development double-run of effects must not make two links.
const pending = new Map<string, Promise<InvitationSlip>>();
function printOnce(id: string): Promise<InvitationSlip> {
  let p = pending.get(id);
  if (!p) {
    p = api.printSurveyInvitation(id);
    pending.set(id, p);
    const clear = () => pending.delete(id);
    p.then(clear, clear);
  }
  return p;
}

/** `/surveys/invitations/:id/print`: makes a fresh link for a paper slip and shows the slip, ready to print. */
export function PrintSlipPage() {
  useTitle('Survey slip');
  const { id = '' } = useParams<{ id: string }>();
  const [slip, setSlip] = useState<InvitationSlip | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [org, setOrg] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setSlip(null);
    setError(null);
    printOnce(id).then(
      (s) => live && setSlip(s),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [id, tick]);

  // The organisation's name, as on the public forms (best effort: the slip reads well without it).
  useEffect(() => {
    const ctl = new AbortController();
    api
      .getPublicComplaintForm({ signal: ctl.signal })
      .then((f) => setOrg(f?.organization_name ?? ''))
      .catch(() => undefined);
    return () => ctl.abort();
  }, []);

  // Print only the slip (see @media print in styles.css).
  useEffect(() => {
    document.body.classList.add('printing-slip');
    return () => document.body.classList.remove('printing-slip');
  }, []);

  const used = api.isApiError(error) && error.code === 'token_used';
  return (
    <div className="page page-narrow">
      <SurveyNav />
      <p className="breadcrumb no-print">
        <Link to="/surveys/invitations">Invitations</Link> <span aria-hidden="true">›</span> Slip
      </p>
      {!slip && !error && <Spinner label="Making a link for the slip…" />}
      {used ? (
        <Notice kind="info">This patient has already answered the survey, so there is no slip to print.</Notice>
      ) : (
        <ErrorAlert error={error} title="Could not make the slip" onRetry={() => setTick((t) => t + 1)} />
      )}
      {slip && (
        <>
          <div className="form-actions no-print slip-actions">
            <button type="button" className="btn btn-primary" onClick={() => window.print()}>
              Print
            </button>
            <span className="muted small">Hand the slip to {slip.patient_name}. Earlier links for this visit stay valid.</span>
          </div>
          <article className="slip" aria-labelledby="slip-h">
            <header className="slip-head">
              <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
                <rect width="32" height="32" rx="7" fill="#0b5c73" />
                <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
              </svg>
              <span className="slip-org">{org || 'Your care team'}</span>
            </header>
            <h1 id="slip-h">How was your visit?</h1>
            <p className="slip-lead">
              Tell us about your visit on {fmtDayHeading(slip.visit_date)} at {slip.location_name}.
            </p>
            <p>
              {org ? `${org} wants` : 'We want'} to hear what went well and what we could do better. The survey
              {slip.survey_title ? ` “${slip.survey_title}”` : ''} takes about five minutes, and you can skip any question.
            </p>
            <figure className="slip-qr">
              <div className="slip-qr-code" role="img" aria-label="QR code that opens the survey" dangerouslySetInnerHTML={{ __html: slip.qr_svg }} />
              <figcaption>Scan the code with your phone’s camera to open the survey.</figcaption>
            </figure>
            <p>
              Or type this address into a web browser:
              <span className="slip-url mono">{slip.url}</span>
            </p>
            <p className="slip-expiry">This link works until {fmtDate(slip.expires_at)}.</p>
            <p className="slip-for muted small">For {slip.patient_name}. Your answers are confidential and help us improve care.</p>
          </article>
        </>
      )}
    </div>
  );
}
