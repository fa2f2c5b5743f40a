import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../../api';
import type { InvitationChannel, InvitationState, SurveyInvitation } from '../../api/types';
import { Pager } from '../../components/Pager';
import { SurveyNav } from '../../components/surveys/SurveyNav';
import { ErrorAlert, PageHeader, Spinner } from '../../components/ui';
import { useApi, useTitle } from '../../lib/hooks';
import { useReference } from '../../lib/reference';
import { CHANNEL_LABEL, INVITATION_STATES, INVITATION_STATE_LABEL } from '../../lib/surveys';
import { fmtDate, fmtDateTime } from '../../lib/time';

const LIMIT = 50;
const CHANNELS: InvitationChannel[] = ['email', 'print'];

export function InvitationsPage() {
  useTitle('Survey invitations');
  const ref = useReference();
  const [params, setParams] = useSearchParams();
  const state = (INVITATION_STATES as string[]).includes(params.get('state') ?? '') ? (params.get('state') as InvitationState) : '';
  const channel = (CHANNELS as string[]).includes(params.get('channel') ?? '') ? (params.get('channel') as InvitationChannel) : '';
  const printed = params.get('printed') === 'true' ? 'true' : params.get('printed') === 'false' ? 'false' : '';
  const location = params.get('location') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);

  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('offset' in patch)) next.delete('offset');
    setParams(next, { replace: true });
  };

  const res = useApi(
    (signal) =>
      api.listSurveyInvitations(
        { state, channel, printed: printed === '' ? undefined : printed === 'true', location_id: location || undefined, limit: LIMIT, offset },
        { signal },
      ),
    [state, channel, printed, location, offset],
  );
  const items = res.data?.items ?? [];
  const filtered = !!(state || channel || printed || location);

  return (
    <div className="page page-wide">
      <SurveyNav />
      <PageHeader title="Survey invitations" sub="One invitation per completed visit, newest first. Print a slip for patients without email." />
      <div className="toolbar" role="search" aria-label="Filter invitations">
        <div className="field inline">
          <label htmlFor="inv-state">State</label>
          <select id="inv-state" value={state} onChange={(e) => update({ state: e.target.value })}>
            <option value="">Any state</option>
            {INVITATION_STATES.map((s) => (
              <option key={s} value={s}>
                {INVITATION_STATE_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="inv-channel">Channel</label>
          <select id="inv-channel" value={channel} onChange={(e) => update({ channel: e.target.value })}>
            <option value="">Email and print</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABEL[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="inv-printed">Printed</label>
          <select id="inv-printed" value={printed} onChange={(e) => update({ printed: e.target.value })}>
            <option value="">Either</option>
            <option value="false">Not yet printed</option>
            <option value="true">Printed</option>
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="inv-location">Location</label>
          <select id="inv-location" value={location} onChange={(e) => update({ location: e.target.value })}>
            <option value="">All locations</option>
            {ref.locations.map((l) => (
              <option key={String(l.id)} value={String(l.id)}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        {filtered && (
          <button type="button" className="btn btn-link" onClick={() => update({ state: null, channel: null, printed: null, location: null })}>
            Clear filters
          </button>
        )}
      </div>

      {res.loading && <Spinner label="Loading invitations…" />}
      <ErrorAlert error={res.error} title="Could not load the invitations" onRetry={res.reload} />
      {res.data && !res.loading && (
        <section aria-labelledby="inv-h">
          <h2 id="inv-h" className="sr-only">
            Invitations
          </h2>
          {items.length === 0 ? (
            <div className="empty-box">
              <p>{filtered ? 'No invitation matches these filters.' : 'No invitations yet.'}</p>
            </div>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">Survey invitations, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Patient</th>
                      <th scope="col">Visit</th>
                      <th scope="col">Channel</th>
                      <th scope="col">State</th>
                      <th scope="col">Sent or printed</th>
                      <th scope="col">Expires</th>
                      <th scope="col">
                        <span className="sr-only">Slip</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i) => (
                      <InvitationRow key={String(i.id)} inv={i} />
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager offset={offset} limit={LIMIT} count={items.length} total={res.data.total} onChange={(o) => update({ offset: String(o) })} label="Invitation pages" />
            </>
          )}
        </section>
      )}
    </div>
  );
}

function InvitationRow({ inv: i }: { inv: SurveyInvitation }) {
  return (
    <tr>
      <th scope="row">
        {i.patient_name}{' '}
        <span className="block muted small">
          {i.survey_id} v{i.survey_version}
        </span>
      </th>
      <td>
        <span className="nowrap">{fmtDate(i.visit_date)}</span>{' '}
        <span className="block muted small">{[i.location_name, i.department, i.provider_name].filter(Boolean).join(' · ')}</span>
      </td>
      <td>
        {CHANNEL_LABEL[i.channel] ?? i.channel}{' '}
        {i.channel === 'email' && i.email && <span className="block muted small">{i.email}</span>}
      </td>
      <td>
        <span className={`badge inv-${i.state}`}>{INVITATION_STATE_LABEL[i.state] ?? i.state}</span>{' '}
        {i.used_at && <span className="block muted small">{fmtDate(i.used_at)}</span>}
      </td>
      <td className="small">
        {i.sent_at && <span className="block">Emailed {fmtDateTime(i.sent_at)} </span>}
        {i.printed_at && <span className="block">Printed {fmtDateTime(i.printed_at)} </span>}
        {i.reminders > 0 && (
          <span className="block muted">
            {i.reminders} reminder{i.reminders === 1 ? '' : 's'}
            {i.last_reminder_at ? `, last ${fmtDate(i.last_reminder_at)}` : ''}
          </span>
        )}
        {!i.sent_at && !i.printed_at && <span className="muted">Not yet</span>}
        {i.send_error && (
          <span className="block field-error">
            <span>Email failed: {i.send_error}</span>
          </span>
        )}
      </td>
      <td className="nowrap small">{fmtDate(i.expires_at)}</td>
      <td>
        {i.state === 'used' ? (
          <span className="muted small">Answered</span>
        ) : i.state === 'opted_out' ? (
          <span className="muted small">Opted out</span>
        ) : i.state === 'expired' ? (
          <span className="muted small">Link expired</span>
        ) : (
          <Link className="btn btn-small" to={`/surveys/invitations/${encodeURIComponent(String(i.id))}/print`}>
            Print slip{' '}<span className="sr-only">for {i.patient_name}</span>
          </Link>
        )}
      </td>
    </tr>
  );
}
