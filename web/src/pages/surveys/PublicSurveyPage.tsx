import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import * as api from '../../api';
import type { InvitationState, PublicSurveyAnswer } from '../../api/types';
import { PublicQuestion, questionDomId } from '../../components/surveys/PublicQuestion';
import { Icon, Spinner } from '../../components/ui';
import { useApi, useTitle } from '../../lib/hooks';
import { fmtWait } from '../../lib/relations';
import { answerErrorItem } from '../../lib/surveys';
import { fmtDayHeading } from '../../lib/time';

const GENERAL = '_';
const STATE_TEXT: Record<Exclude<InvitationState, 'valid'>, { title: string; body: string }> = {
  used: {
    title: 'This survey has already been answered',
    body: 'Thank you — we have your answers for this visit. Each survey link can be used once.',
  },
  expired: {
    title: 'This survey link has expired',
    body: 'The time for answering this survey has passed. Thank you for wanting to tell us about your visit; you are welcome to contact us directly.',
  },
  opted_out: {
    title: 'You have asked not to receive surveys',
    body: 'We will not send you survey invitations or reminders. If this is a mistake, please contact us.',
  },
};

/** `/s/:token`: the patient's survey. No sign-in; mobile first. */
export function PublicSurveyPage() {
  const { token = '' } = useParams<{ token: string }>();
  const res = useApi((signal) => api.getPublicSurvey(token, { signal }), [token]);
  const data = res.data;
  const [state, setState] = useState<InvitationState | null>(null);
  const current = state ?? data?.state ?? null;
  const [values, setValues] = useState<Record<string, number>>({});
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [thanks, setThanks] = useState<string | null>(null);
  const [optedOut, setOptedOut] = useState<string | null>(null);
  const headRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  useTitle(data?.survey?.title || 'Patient survey');

  // Move focus to the new heading when the page's message changes (thanks, opted out, used, expired).
  const phase = thanks !== null ? 'thanks' : optedOut !== null ? 'optout' : state ?? '';
  useEffect(() => {
    if (phase) headRef.current?.focus();
  }, [phase]);

  const items = data?.survey?.items ?? [];
  const org = data?.organization_name || '';
  const visit = data?.visit;

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setFailure(null);
    const answers: PublicSurveyAnswer[] = [];
    for (const it of items) {
      if (it.kind === 'free_text') {
        const t = (texts[it.id] ?? '').trim();
        if (t) answers.push({ item_id: it.id, text: t });
      } else if (values[it.id] !== undefined) answers.push({ item_id: it.id, value: values[it.id] });
    }
    if (!answers.length) {
      setErrs({ [GENERAL]: 'Answer at least one question before sending.' });
      setTimeout(() => summaryRef.current?.focus(), 0);
      return;
    }
    setErrs({});
    setBusy(true);
    try {
      const r = await api.submitPublicSurvey(token, answers);
      setThanks(r?.message ?? '');
    } catch (x) {
      if (api.isApiError(x) && (x.code === 'token_used' || x.code === 'token_expired' || x.code === 'opted_out')) {
        setState(x.code === 'token_used' ? 'used' : x.code === 'token_expired' ? 'expired' : 'opted_out');
      } else if (api.isApiError(x) && x.status === 400) {
        const item = answerErrorItem(x.field, answers);
        if (item && items.some((i) => i.id === item)) setErrs({ [item]: x.message });
        else setErrs({ [GENERAL]: x.message });
        setTimeout(() => summaryRef.current?.focus(), 0);
      } else if (api.isApiError(x) && x.status === 429) {
        const wait = x instanceof api.RateLimitedError ? x.retryAfterSeconds : undefined;
        setFailure(`We received several answers from this connection in a short time. Please wait ${fmtWait(wait)} and send again — your answers are still here.`);
      } else if (api.isApiError(x) && x.status === 0) {
        setFailure('We could not reach our server. Check your internet connection and send again — your answers are still here.');
      } else {
        setFailure(`Sorry, your answers could not be sent (${api.errorMessage(x)}). Please try again.`);
      }
    } finally {
      setBusy(false);
    }
  };

  const errorList = [
    ...(errs[GENERAL] ? [{ k: GENERAL, msg: errs[GENERAL] }] : []),
    ...items.filter((i) => errs[i.id]).map((i) => ({ k: i.id, msg: `Question ${items.indexOf(i) + 1}: ${errs[i.id]}` })),
  ];
  const notFound = api.isApiError(res.error) && res.error.status === 404;

  let body;
  if (res.loading && !data) body = <Spinner label="Loading the survey…" />;
  else if (notFound)
    body = (
      <section className="panel" aria-labelledby="ps-h">
        <h1 id="ps-h" ref={headRef} tabIndex={-1}>
          We could not find this survey
        </h1>
        <p>Check that the address is typed exactly as on your slip or in your email. If it still does not work, the link may have been replaced by a newer one.</p>
      </section>
    );
  else if (res.error)
    body = (
      <div className="alert alert-error" role="alert">
        <Icon name="alert" />
        <div>
          {api.isApiError(res.error) && res.error.status === 0
            ? 'We could not reach our server. Check your internet connection.'
            : `Sorry, the survey could not be loaded (${api.errorMessage(res.error)}).`}
        </div>
        <button type="button" className="btn btn-small" onClick={res.reload}>
          Try again
        </button>
      </div>
    );
  else if (optedOut !== null)
    body = (
      <section className="panel panel-success public-done" aria-labelledby="ps-h">
        <h1 id="ps-h" ref={headRef} tabIndex={-1}>
          <Icon name="check" /> You will not receive more surveys
        </h1>
        <p>{optedOut || 'We will not send you survey invitations or reminders again.'}</p>
        <p className="muted small">You can close this page.</p>
      </section>
    );
  else if (thanks !== null)
    body = (
      <>
        <section className="panel panel-success public-done" aria-labelledby="ps-h">
          <h1 id="ps-h" ref={headRef} tabIndex={-1}>
            <Icon name="check" /> Thank you for your answers
          </h1>
          {thanks && <p>{thanks}</p>}
          <p>Your feedback helps {org || 'us'} improve care for every patient. You can close this page.</p>
        </section>
        <OptOut token={token} org={org} onDone={setOptedOut} />
      </>
    );
  else if (data && current && current !== 'valid')
    body = (
      <>
        <section className="panel" aria-labelledby="ps-h">
          <h1 id="ps-h" ref={headRef} tabIndex={-1}>
            {STATE_TEXT[current].title}
          </h1>
          <p>{STATE_TEXT[current].body}</p>
        </section>
        {current !== 'opted_out' && <OptOut token={token} org={org} onDone={setOptedOut} />}
      </>
    );
  else if (data?.survey)
    body = (
      <>
        <h1 id="ps-h" ref={headRef} tabIndex={-1}>
          {data.survey.title}
        </h1>
        {visit && (
          <p className="lead">
            Tell us about your visit on {fmtDayHeading(visit.date)}
            {visit.location_name ? ` at ${visit.location_name}` : ''}.
          </p>
        )}
        <p className="muted">Answer the questions you want to; you can skip any. It takes about five minutes.</p>
        {failure && (
          <div className="alert alert-error" role="alert">
            <Icon name="alert" />
            <div>{failure}</div>
          </div>
        )}
        {errorList.length > 0 && (
          <div className="alert alert-error error-summary" role="alert" tabIndex={-1} ref={summaryRef} aria-labelledby="ps-errs-h">
            <Icon name="alert" />
            <div>
              <h2 id="ps-errs-h">{errorList.length === 1 ? 'There is a problem' : `There are ${errorList.length} problems`}</h2>
              <ul>
                {errorList.map(({ k, msg }) => (
                  <li key={k}>
                    {k === GENERAL ? (
                      msg
                    ) : (
                      <a
                        href={`#${questionDomId(k)}`}
                        onClick={(e) => {
                          e.preventDefault();
                          document.getElementById(questionDomId(k))?.focus();
                        }}
                      >
                        {msg}
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
        <form className="form public-form survey-form" onSubmit={submit} noValidate aria-labelledby="ps-h">
          {items.map((it, i) => (
            <PublicQuestion
              key={it.id}
              item={it}
              number={i + 1}
              value={values[it.id]}
              text={texts[it.id] ?? ''}
              error={errs[it.id]}
              onValue={(v) =>
                setValues((o) => {
                  const n = { ...o };
                  if (v === undefined) delete n[it.id];
                  else n[it.id] = v;
                  return n;
                })
              }
              onText={(t) => setTexts((o) => ({ ...o, [it.id]: t }))}
            />
          ))}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary btn-large" disabled={busy}>
              {busy ? 'Sending…' : 'Send my answers'}
            </button>
            <span role="status" className="sr-only">
              {busy ? 'Sending your answers…' : ''}
            </span>
          </div>
        </form>
        <OptOut token={token} org={org} onDone={setOptedOut} />
      </>
    );
  else body = null;

  return (
    <div className="public-screen">
      <header className="public-head">
        <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true">
          <rect width="32" height="32" rx="7" fill="#0b5c73" />
          <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
        </svg>
        <span className="public-org">{org || 'Patient survey'}</span>
      </header>
      <main id="main" className="public-main" tabIndex={-1}>
        {body}
      </main>
    </div>
  );
}

/** "Do not send me surveys", with a confirm step. */
function OptOut({ token, org, onDone }: { token: string; org: string; onDone: (message: string) => void }) {
  const [step, setStep] = useState<'idle' | 'confirm'>('idle');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.optOutOfSurveys(token);
      onDone(r?.message ?? '');
    } catch (x) {
      setError(api.isApiError(x) && x.status === 0 ? 'We could not reach our server. Check your internet connection and try again.' : `Sorry, that did not work (${api.errorMessage(x)}). Please try again.`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="optout" aria-labelledby="ps-optout-h">
      <h2 id="ps-optout-h" className="sr-only">
        Stop survey invitations
      </h2>
      {step === 'idle' ? (
        <button
          type="button"
          ref={openRef}
          className="btn-link"
          onClick={() => {
            setStep('confirm');
            setTimeout(() => confirmRef.current?.focus(), 0);
          }}
        >
          Do not send me surveys
        </button>
      ) : (
        <div className="optout-confirm">
          <p ref={confirmRef} tabIndex={-1} id="ps-optout-q">
            <strong>Stop all survey invitations?</strong> {org || 'We'} will not send you any more surveys or reminders, by email or on paper, after any visit.
          </p>
          {error && (
            <div className="alert alert-error" role="alert">
              <Icon name="alert" />
              <div>{error}</div>
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="btn btn-danger" onClick={run} disabled={busy} aria-describedby="ps-optout-q">
              {busy ? 'Please wait…' : 'Yes, stop sending me surveys'}
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => {
                setStep('idle');
                setError(null);
                setTimeout(() => openRef.current?.focus(), 0);
              }}
            >
              Cancel
            </button>
            <span role="status" className="sr-only">
              {busy ? 'Stopping survey invitations…' : ''}
            </span>
          </div>
        </div>
      )}
    </section>
  );
}

