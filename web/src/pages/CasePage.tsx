import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import * as api from '../api';
import type { Case } from '../api/types';
import { AttachmentsPanel } from '../components/cases/AttachmentsPanel';
import { CaseActions } from '../components/cases/CaseActions';
import { CaseStatusBadge, DeadlineStateBadge, DueCell, KindBadge, SeverityBadge } from '../components/cases/CaseBadges';
import { CaseTimeline } from '../components/cases/CaseTimeline';
import { LetterEditor } from '../components/cases/LetterEditor';
import { TriagePanel } from '../components/cases/TriagePanel';
import { Empty, ErrorAlert, PageHeader, Spinner } from '../components/ui';
import { useAuth } from '../lib/auth';
import { useApi, useTitle } from '../lib/hooks';
import { CHANNEL_LABEL, CONTACT_PREF_LABEL, MILESTONE_LABEL, label } from '../lib/relations';
import { fmtDateTime } from '../lib/time';
import { useToast } from '../lib/toast';

export function CasePage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const canWrite = can('cases.write');
  const res = useApi((signal) => api.getCase(id, { signal }), [id]);
  const c = res.data;
  useTitle(c ? c.reference_number : 'Case');

  if (res.loading && !c)
    return (
      <div className="page">
        <Spinner label="Loading case…" />
      </div>
    );
  if (!c)
    return (
      <div className="page">
        <PageHeader title="Case" />
        <ErrorAlert error={res.error ?? new Error('Case not found')} title="Could not load the case" onRetry={res.reload} />
        <p>
          <Link to="/cases">Back to all cases</Link>
        </p>
      </div>
    );

  const changed = (upd: Case) => res.setData(upd);
  const goToLetter = () => {
    // after the dialog has closed and handed focus back
    setTimeout(() => {
      const el = document.getElementById('decision-letter');
      el?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
      el?.focus({ preventScroll: true });
    }, 50);
  };

  return (
    <div className="page page-wide">
      <p className="breadcrumb">
        <Link to="/cases">Patient relations</Link> <span aria-hidden="true">›</span> <span className="mono">{c.reference_number}</span>
      </p>
      <PageHeader
        title={c.reference_number}
        sub={
          <span className="case-sub">
            <KindBadge kind={c.kind} inquiryType={c.inquiry_type} />
            <CaseStatusBadge status={c.status} />
            <SeverityBadge severity={c.severity} />
            <span>{c.category}</span>
            <span>{c.location_name}</span>
          </span>
        }
      >
        <OwnerPicker c={c} canWrite={canWrite} onChanged={changed} />
      </PageHeader>
      <ErrorAlert error={res.error} title="Could not refresh the case" onRetry={res.reload} />

      <div className="case-layout">
        <div className="case-main">
          <TriagePanel c={c} canWrite={canWrite} onChanged={changed} />
          <Details c={c} />
          {c.kind === 'grievance' && <LetterEditor key={String(c.id)} c={c} canWrite={canWrite} onChanged={changed} />}
          <CaseTimeline c={c} canWrite={canWrite} onChanged={changed} />
        </div>
        <aside className="case-side" aria-label="Deadlines, status and attachments">
          <Deadlines c={c} />
          {canWrite ? (
            <CaseActions c={c} onChanged={changed} onGoToLetter={goToLetter} />
          ) : (
            <section className="panel" aria-labelledby="actions-h">
              <h2 id="actions-h">Status</h2>
              <CaseStatusBadge status={c.status} />
            </section>
          )}
          <AttachmentsPanel c={c} canWrite={canWrite} onUploaded={() => res.reload()} />
          <Contact c={c} />
        </aside>
      </div>
    </div>
  );
}

function OwnerPicker({ c, canWrite, onChanged }: { c: Case; canWrite: boolean; onChanged: (c: Case) => void }) {
  const { session } = useAuth();
  const { notify } = useToast();
  const owners = useApi((signal) => api.listCaseOwners({ signal }), [], canWrite);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!canWrite)
    return (
      <div className="owner-box">
        <span className="muted">Owner:</span> <strong>{c.owner_name || 'Unassigned'}</strong>
      </div>
    );
  const list = owners.data?.items ?? [];
  const current = c.owner_user_id == null ? '' : String(c.owner_user_id);
  const me = session ? list.find((o) => String(o.id) === String(session.user.id)) : undefined;

  const assign = async (value: string) => {
    setBusy(true);
    setError(null);
    try {
      const o = list.find((x) => String(x.id) === value);
      const upd = await api.setCaseOwner(c.id, value === '' ? null : (o?.id ?? value));
      notify(value === '' ? 'Case unassigned' : `Owner: ${o?.name ?? upd.owner_name}`);
      onChanged(upd);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="owner-box">
      <div className="field inline">
        <label htmlFor="case-owner">Owner</label>
        <select id="case-owner" value={current} disabled={busy || owners.loading} onChange={(e) => assign(e.target.value)}>
          <option value="">Unassigned</option>
          {current && !list.some((o) => String(o.id) === current) && <option value={current}>{c.owner_name || `User ${current}`}</option>}
          {list.map((o) => (
            <option key={String(o.id)} value={String(o.id)}>
              {o.name}
              {o.role ? ` (${o.role})` : ''}
            </option>
          ))}
        </select>
        {me && String(me.id) !== current && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => assign(String(me.id))}>
            Assign to me
          </button>
        )}
      </div>
      <ErrorAlert error={error ?? owners.error} title={error ? 'Owner not changed' : 'Could not load the list of owners'} />
    </div>
  );
}

function Details({ c }: { c: Case }) {
  return (
    <section className="panel" aria-labelledby="details-h">
      <h2 id="details-h">{c.kind === 'inquiry' ? 'Inquiry' : 'Concern'}</h2>
      <div className="case-text">{c.description || <span className="muted">No description.</span>}</div>
      {c.desired_outcome && (
        <>
          <h3 className="subhead">Would like</h3>
          <div className="case-text">{c.desired_outcome}</div>
        </>
      )}
      <dl className="dl dl-wide case-facts">
        <div>
          <dt>Received</dt>
          <dd>
            {fmtDateTime(c.received_at)} · {label(CHANNEL_LABEL, c.channel)}
            {c.created_by ? <span className="muted"> · recorded by {c.created_by}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Patient</dt>
          <dd>
            {c.patient_id != null && c.patient_id !== '' ? (
              <Link to={`/patients/${encodeURIComponent(String(c.patient_id))}`}>{c.patient_name || `Patient ${c.patient_id}`}</Link>
            ) : (
              <span className="muted">Not linked</span>
            )}
            {c.encounter_id != null && c.encounter_id !== '' && <span className="muted"> · visit {String(c.encounter_id)}</span>}
          </dd>
        </div>
        <div>
          <dt>Where</dt>
          <dd>
            {c.location_name}
            {c.department ? ` · ${c.department}` : ''}
          </dd>
        </div>
        {c.staff_member && (
          <div>
            <dt>Staff involved</dt>
            <dd>{c.staff_member}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

function Deadlines({ c }: { c: Case }) {
  return (
    <section className="panel" aria-labelledby="dl-h">
      <h2 id="dl-h">Deadlines</h2>
      {c.next_due && (
        <p className="next-due">
          <span className="muted small block">Next due</span>
          <DueCell c={c} />
        </p>
      )}
      {c.deadlines.length === 0 ? (
        <Empty>{c.kind !== 'inquiry' && c.triage && !c.triage.decision ? 'Set once the case is triaged.' : 'No deadlines apply.'}</Empty>
      ) : (
        <ul className="plain-list deadline-list">
          {c.deadlines.map((d) => (
            <li key={d.milestone} className={`deadline dl-${d.state}${d.due_soon && d.state === 'pending' ? ' dl-soon' : ''}`}>
              <div className="deadline-head">
                <strong>{label(MILESTONE_LABEL, d.milestone)}</strong>
                <DeadlineStateBadge d={d} />
              </div>
              <div className="small">
                Due {fmtDateTime(d.due)}
                {d.met_at && <span className="muted block">Done {fmtDateTime(d.met_at)}</span>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Contact({ c }: { c: Case }) {
  return (
    <section className="panel" aria-labelledby="contact-h">
      <h2 id="contact-h">Reply to</h2>
      <dl className="dl">
        <div>
          <dt>Name</dt>
          <dd>{c.contact_name || <span className="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Phone</dt>
          <dd>{c.contact_phone ? <a href={`tel:${c.contact_phone.replace(/[^+\d]/g, '')}`}>{c.contact_phone}</a> : <span className="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{c.contact_email ? <a href={`mailto:${c.contact_email}`}>{c.contact_email}</a> : <span className="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Prefers</dt>
          <dd>{label(CONTACT_PREF_LABEL, c.contact_preference) || <span className="muted">Not stated</span>}</dd>
        </div>
      </dl>
    </section>
  );
}
