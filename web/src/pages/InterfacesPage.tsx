// Inbound HL7 v2 messages: what each sender sent, what CareDesk made of it, and — for the ones that
// failed — why, where in the message, and a way to send them through again once the cause is fixed.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import type { Hl7Message, Hl7MessageList, Hl7Status, Hl7SubmitResult } from '../api/types';
import { Field } from '../components/Field';
import { Pager } from '../components/Pager';
import { Empty, ErrorAlert, Notice, PageHeader, Spinner } from '../components/ui';
import { hl7Segments, locate, parseHl7Location } from '../lib/hl7';
import { useApi, useTitle } from '../lib/hooks';
import { FhirSection } from './FhirApi';
import { OutboundQueue, PeersSection } from './Hl7Outbound';
import { useToast } from '../lib/toast';
import { fmtDateTime } from '../lib/time';

const LIMIT = 50;

/** The filters, most urgent first; '' is every message. */
const FILTERS: { status: Hl7Status | ''; label: string; hint: string }[] = [
  { status: 'failed', label: 'Failed', hint: 'Answered AE: fix the cause (a missing patient, a wrong field) and reprocess.' },
  { status: 'rejected', label: 'Rejected', hint: 'Answered AR: the header could not be read, or CareDesk does not take this message type.' },
  { status: 'received', label: 'Interrupted', hint: 'Stored, but processing was cut short (the database failed); reprocess them.' },
  { status: 'applied', label: 'Applied', hint: 'Answered AA: CareDesk’s records were changed.' },
  { status: 'ignored', label: 'Ignored', hint: 'Answered AA: understood, nothing in CareDesk to change.' },
  { status: 'duplicate', label: 'Duplicates', hint: 'Answered AA: a retransmission of a message already applied.' },
  { status: '', label: 'All', hint: 'Every stored message, newest first.' },
];

const STATUS_LABEL: Record<Hl7Status, string> = {
  received: 'Interrupted',
  applied: 'Applied',
  ignored: 'Ignored',
  duplicate: 'Duplicate',
  failed: 'Failed',
  rejected: 'Rejected',
};

const REPROCESSABLE: Hl7Status[] = ['failed', 'rejected', 'received'];

function typeOf(m: Pick<Hl7Message, 'message_type' | 'trigger_event'>): string {
  return [m.message_type, m.trigger_event].filter(Boolean).join('^') || '—';
}

function Hl7Badge({ status }: { status: Hl7Status }) {
  return <span className={`badge hl7-${status}`}>{STATUS_LABEL[status] ?? status}</span>;
}

function InboundMessages() {
  useTitle('Interface messages');
  const [params, setParams] = useSearchParams();
  const status = (params.has('status') ? params.get('status') ?? '' : 'failed') as Hl7Status | '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const selected = params.get('id');

  const list = useApi(
    (signal) => api.listHl7Messages({ status: status || undefined, limit: LIMIT, offset }, { signal }),
    [status, offset],
  );

  const setQuery = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined) p.delete(k);
      else p.set(k, v);
    }
    setParams(p);
  };

  const filter = FILTERS.find((f) => f.status === status) ?? FILTERS[0];
  // Kept across reloads so the counts don't flicker while a new page loads.
  const [waiting, setWaiting] = useState<Hl7MessageList['needing_attention']>();
  useEffect(() => {
    if (list.data?.needing_attention) setWaiting(list.data.needing_attention);
  }, [list.data]);
  const waitingCount = (s: Hl7Status | '') =>
    waiting && (s === 'failed' || s === 'rejected' || s === 'received') ? waiting[s] : undefined;
  const items = list.data?.items ?? [];
  return (
    <div className="page page-wide">
      <PageHeader
        title="Interface messages"
        sub="HL7 v2 messages received over MLLP and what became of each. Failed ones can be sent through again once the cause is fixed."
      />
      <InterfaceTabs />
      <div className="seg" role="group" aria-label="Show messages">
        {FILTERS.map((f) => (
          <button
            key={f.status || 'all'}
            type="button"
            aria-pressed={f.status === status}
            onClick={() => setQuery({ status: f.status, offset: undefined, id: undefined })}
          >
            {waitingCount(f.status) === undefined ? (
              f.label
            ) : (
              <>
                {`${f.label} `}
                <span className={waitingCount(f.status) ? 'count count-alert' : 'count'}>{waitingCount(f.status)}</span>
              </>
            )}
          </button>
        ))}
      </div>
      <p className="muted small">{filter.hint}</p>
      <div className={selected ? 'hl7-layout hl7-layout-open' : 'hl7-layout'}>
        <div>
          {list.loading && <Spinner label="Loading messages…" />}
          <ErrorAlert error={list.error} title="Could not load the messages" onRetry={list.reload} />
          {list.data &&
            !list.loading &&
            (items.length === 0 ? (
              <Empty>{status ? `No ${filter.label.toLowerCase()} messages.` : 'No messages have been received yet.'}</Empty>
            ) : (
              <>
                <div className="table-wrap">
                  <table className="table table-dense">
                    <caption className="sr-only">{`${filter.label} messages, newest first`}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Received</th>
                        <th scope="col">Type</th>
                        <th scope="col">Control id</th>
                        <th scope="col">Sender</th>
                        <th scope="col">Patient</th>
                        <th scope="col">Outcome</th>
                        <th scope="col">Problem</th>
                        <th scope="col">Tries</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((m) => (
                        <tr key={String(m.id)} aria-selected={String(m.id) === selected}>
                          <td className="nowrap">
                            <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), id: String(m.id) })}`}>
                              {fmtDateTime(m.received_at)}
                            </Link>
                          </td>
                          <td className="mono">{typeOf(m)}</td>
                          <td className="mono">{m.control_id || '—'}</td>
                          <td>{[m.sending_application, m.sending_facility].filter(Boolean).join(' / ') || m.peer}</td>
                          <td>
                            {m.patient_id != null ? (
                              <Link to={`/patients/${encodeURIComponent(String(m.patient_id))}`}>Patient {String(m.patient_id)}</Link>
                            ) : (
                              <span className="muted">—</span>
                            )}
                          </td>
                          <td>
                            <Hl7Badge status={m.status} />
                          </td>
                          <td>
                            {m.error_text ? (
                              <>
                                {m.error_location && <span className="mono">{m.error_location}: </span>}
                                {m.error_text}
                              </>
                            ) : (
                              <span className="muted">—</span>
                            )}
                          </td>
                          <td className="num">{m.attempts}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager
                  offset={offset}
                  limit={LIMIT}
                  count={items.length}
                  total={list.data.total}
                  onChange={(o) => setQuery({ offset: String(o) })}
                  label="Message pages"
                />
              </>
            ))}
        </div>
        {selected && (
          <MessagePanel
            key={selected}
            id={selected}
            onClose={() => setQuery({ id: undefined })}
            onChanged={list.reload}
          />
        )}
      </div>
      <SendMessage onSent={list.reload} />
    </div>
  );
}

function MessagePanel({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const res = useApi((signal) => api.getHl7Message(id, { signal }), [id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const { notify } = useToast();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);

  const reprocess = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const m = await api.reprocessHl7Message(id);
      res.setData(m);
      notify(
        m.status === 'applied' || m.status === 'ignored' || m.status === 'duplicate'
          ? `Message ${m.control_id || m.id} went through: ${STATUS_LABEL[m.status].toLowerCase()}.`
          : `Message ${m.control_id || m.id} ${STATUS_LABEL[m.status].toLowerCase()} again.`,
        m.status === 'applied' || m.status === 'ignored' || m.status === 'duplicate' ? 'success' : 'error',
      );
      onChanged();
      // The Reprocess button is gone once the message went through: keep the focus in the panel.
      if (!REPROCESSABLE.includes(m.status)) ref.current?.focus();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const m = res.data;
  return (
    <aside
      className="side-panel hl7-panel"
      aria-label="Message details"
      tabIndex={-1}
      ref={ref}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="side-panel-head">
        <h2>{m ? `${typeOf(m)} ${m.control_id}` : 'Message'}</h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      {res.loading && <Spinner label="Loading the message…" />}
      <ErrorAlert error={res.error} title="Could not load the message" onRetry={res.reload} />
      {m && (
        <>
          <dl className="dl dl-wide">
            <div>
              <dt>Outcome</dt>
              <dd>
                <Hl7Badge status={m.status} /> <span className="mono">ACK {m.ack_code || '—'}</span>
              </dd>
            </div>
            <div>
              <dt>Received</dt>
              <dd>{fmtDateTime(m.received_at)}</dd>
            </div>
            <div>
              <dt>From</dt>
              <dd>
                {[m.sending_application, m.sending_facility].filter(Boolean).join(' / ') || '—'}{' '}
                <span className="muted mono">({m.peer})</span>
              </dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>{m.version || '—'}</dd>
            </div>
            <div>
              <dt>Processed</dt>
              <dd>
                {m.processed_at ? fmtDateTime(m.processed_at) : '—'} · {m.attempts === 1 ? '1 try' : `${m.attempts} tries`}
              </dd>
            </div>
            {m.patient_id != null && (
              <div>
                <dt>Patient</dt>
                <dd>
                  <Link to={`/patients/${encodeURIComponent(String(m.patient_id))}`}>Patient {String(m.patient_id)}</Link>
                </dd>
              </div>
            )}
          </dl>
          {m.error_text && (
            <div className="alert alert-error" role="alert">
              <div>
                {m.error_location && <strong>{`${m.error_location}: `}</strong>}
                {m.error_text}
                {m.error_code && <span className="muted">{` (HL7 error ${m.error_code})`}</span>}
              </div>
            </div>
          )}
          {m.note && <Notice>{m.note}</Notice>}
          {REPROCESSABLE.includes(m.status) && (
            <div className="actions">
              <button type="button" className="btn btn-primary" onClick={reprocess} disabled={busy}>
                {busy ? 'Reprocessing…' : 'Reprocess'}
              </button>
              <span className="muted small">Runs the stored message again, as received.</span>
            </div>
          )}
          <ErrorAlert error={error} title="Could not reprocess the message" />
          {m.raw !== undefined && <RawMessage raw={m.raw} errorLocation={m.error_location} />}
        </>
      )}
    </aside>
  );
}

/** The message one segment per line, the segment and field an error names marked. */
function RawMessage({ raw, errorLocation }: { raw: string; errorLocation: string }) {
  const loc = parseHl7Location(errorLocation);
  const segments = hl7Segments(raw);
  const sep = segments[0]?.id === 'MSH' && raw.replace(/^\uFEFF/, '').length > 3 ? raw.replace(/^\uFEFF/, '')[3] : '|';
  return (
    <figure className="hl7-raw">
      <figcaption>Message as received</figcaption>
      <pre tabIndex={0} aria-label="Message as received, one segment per line">
        {segments.map((s, i) => {
          const at = locate(s, loc);
          return (
            <div key={i} className={at.segment ? 'hl7-seg hl7-seg-error' : 'hl7-seg'}>
              {s.fields.map((f, j) => (
                <span key={j}>
                  {j > 0 && <span className="hl7-sep">{sep}</span>}
                  {at.index === j ? (
                    <mark title={`${errorLocation}`} aria-label={`${errorLocation}: ${f || 'empty'}`}>
                      {f || '\u2003'}
                    </mark>
                  ) : j === 0 ? (
                    <strong>{f}</strong>
                  ) : (
                    f
                  )}
                </span>
              ))}
            </div>
          );
        })}
      </pre>
    </figure>
  );
}

/** Sends one message as if it had come over MLLP: for trying a feed's messages before going live. */
function SendMessage({ onSent }: { onSent: () => void }) {
  const [raw, setRaw] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [fieldError, setFieldError] = useState<string>();
  const [result, setResult] = useState<Hl7SubmitResult>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult(undefined);
    setError(undefined);
    if (!raw.trim().startsWith('MSH') && !raw.trim().startsWith('\uFEFFMSH') && !/^(FHS|BHS)/.test(raw.trim())) {
      setFieldError('Paste a whole message: it starts with its MSH segment.');
      document.getElementById('hl7-raw')?.focus();
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      const r = await api.submitHl7Message(raw);
      setResult(r);
      onSent();
    } catch (e2) {
      setError(e2);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="panel">
      <summary>
        <h2 className="inline-heading">Send a message by hand</h2>
      </summary>
      <form className="form" onSubmit={submit} aria-label="Send an HL7 v2 message">
        <Field
          id="hl7-raw"
          label="HL7 v2 message"
          hint="Pasted as ER7 text, one segment per line. It is stored and applied exactly as if a sender had sent it over MLLP."
          error={fieldError}
        >
          <textarea className="mono" rows={8} value={raw} onChange={(e) => setRaw(e.target.value)} spellCheck={false} />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Sending…' : 'Send message'}
        </button>
      </form>
      <ErrorAlert error={error} title="Could not send the message" />
      {result && (
        <div className="hl7-result" role="status">
          <p>
            Stored as message {String(result.id)}: <Hl7Badge status={result.message.status} />{' '}
            <Link to={`?${new URLSearchParams({ status: '', id: String(result.id) })}`}>Show it</Link>
          </p>
          <pre className="mono" aria-label="Acknowledgement">
            {result.ack.replace(/\r/g, '\n')}
          </pre>
        </div>
      )}
    </details>
  );
}

type InterfaceView = 'inbound' | 'outbound' | 'peers' | 'fhir';
const VIEWS: { view: InterfaceView; label: string }[] = [
  { view: 'inbound', label: 'Inbound' },
  { view: 'outbound', label: 'Outbound' },
  { view: 'peers', label: 'Peers' },
  { view: 'fhir', label: 'FHIR' },
];

function currentView(params: URLSearchParams): InterfaceView {
  const v = params.get('view');
  return v === 'outbound' || v === 'peers' || v === 'fhir' ? v : 'inbound';
}

const HEADINGS: Record<Exclude<InterfaceView, 'inbound'>, { title: string; sub: string }> = {
  outbound: {
    title: 'Outbound messages',
    sub: 'SIU and ADT messages CareDesk sends to its peers over MLLP, in order per patient, retried with back-off.',
  },
  peers: { title: 'Interface peers', sub: 'The systems CareDesk sends its HL7 v2 messages to.' },
  fhir: { title: 'FHIR API', sub: 'The FHIR R4 API other systems and apps use: where it is, what it serves, and a search to try.' },
};

/** Inbound messages, outbound messages, peers: one query parameter (`view`), each view its own filters. */
function InterfaceTabs() {
  const [params, setParams] = useSearchParams();
  const view = currentView(params);
  return (
    <div className="seg" role="group" aria-label="Interface view">
      {VIEWS.map((v) => (
        <button
          key={v.view}
          type="button"
          aria-pressed={v.view === view}
          onClick={() => setParams(v.view === 'inbound' ? new URLSearchParams() : new URLSearchParams({ view: v.view }))}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}

export function InterfacesPage() {
  const [params] = useSearchParams();
  const view = currentView(params);
  useTitle(view === 'inbound' ? 'Interface messages' : HEADINGS[view].title);
  if (view === 'inbound') return <InboundMessages />;
  return (
    <div className="page page-wide">
      <PageHeader title={HEADINGS[view].title} sub={HEADINGS[view].sub} />
      <InterfaceTabs />
      {view === 'outbound' ? <OutboundQueue /> : view === 'peers' ? <PeersSection /> : <FhirSection />}
    </div>
  );
}
