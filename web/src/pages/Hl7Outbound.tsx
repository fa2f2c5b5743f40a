// Outbound HL7 v2 on the Interfaces page: the queue of messages CareDesk sends to its MLLP peers (dead
// letters first, with Retry and Discard), and the peers themselves (add, edit, enable, disable).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import { ApiError } from '../api/client';
import type { Hl7Feed, Hl7Outbound, Hl7OutboundList, Hl7OutboundStatus, Hl7Peer, Hl7PeerInput } from '../api/types';
import { Field } from '../components/Field';
import { Modal } from '../components/Modal';
import { Pager } from '../components/Pager';
import { Empty, ErrorAlert, Spinner } from '../components/ui';
import { useApi } from '../lib/hooks';
import { useToast } from '../lib/toast';
import { fmtDateTime } from '../lib/time';

const LIMIT = 50;

const OUT_FILTERS: { status: Hl7OutboundStatus | ''; label: string; hint: string }[] = [
  { status: 'dead', label: 'Dead letters', hint: 'Refused (AR) or out of attempts. They hold the patient’s later messages until retried or discarded.' },
  { status: 'pending', label: 'Pending', hint: 'Waiting to be sent, or to be tried again after an error.' },
  { status: 'sent', label: 'Sent', hint: 'Acknowledged AA by the peer.' },
  { status: 'discarded', label: 'Discarded', hint: 'Given up by a user.' },
  { status: '', label: 'All', hint: 'Every outbound message, newest first.' },
];

const OUT_LABEL: Record<Hl7OutboundStatus, string> = { pending: 'Pending', sent: 'Sent', dead: 'Dead', discarded: 'Discarded' };

function OutBadge({ status }: { status: Hl7OutboundStatus }) {
  return <span className={`badge hl7-out-${status}`}>{OUT_LABEL[status] ?? status}</span>;
}

export function OutboundQueue() {
  const [params, setParams] = useSearchParams();
  const status = (params.has('out') ? params.get('out') ?? '' : 'dead') as Hl7OutboundStatus | '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const selected = params.get('id');
  const list = useApi(
    (signal) => api.listHl7Outbound({ status: status || undefined, limit: LIMIT, offset }, { signal }),
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
  const [counts, setCounts] = useState<Hl7OutboundList['counts']>();
  useEffect(() => {
    if (list.data?.counts) setCounts(list.data.counts);
  }, [list.data]);
  const countOf = (s: Hl7OutboundStatus | '') => (counts && (s === 'dead' || s === 'pending') ? counts[s] : undefined);
  const filter = OUT_FILTERS.find((f) => f.status === status) ?? OUT_FILTERS[0];
  const items = list.data?.items ?? [];
  return (
    <>
      <div className="seg" role="group" aria-label="Show outbound messages">
        {OUT_FILTERS.map((f) => (
          <button
            key={f.status || 'all'}
            type="button"
            aria-pressed={f.status === status}
            onClick={() => setQuery({ out: f.status, offset: undefined, id: undefined })}
          >
            {countOf(f.status) === undefined ? (
              f.label
            ) : (
              <>
                {`${f.label} `}
                <span className={f.status === 'dead' && countOf(f.status) ? 'count count-alert' : 'count'}>{countOf(f.status)}</span>
              </>
            )}
          </button>
        ))}
      </div>
      <p className="muted small">{filter.hint}</p>
      <div className={selected ? 'hl7-layout hl7-layout-open' : 'hl7-layout'}>
        <div>
          {list.loading && <Spinner label="Loading messages…" />}
          <ErrorAlert error={list.error} title="Could not load the outbound messages" onRetry={list.reload} />
          {list.data &&
            !list.loading &&
            (items.length === 0 ? (
              <Empty>{status ? `No ${filter.label.toLowerCase()}.` : 'Nothing has been sent yet.'}</Empty>
            ) : (
              <>
                <div className="table-wrap">
                  <table className="table table-dense">
                    <caption className="sr-only">{`Outbound: ${filter.label.toLowerCase()}, newest first`}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Queued</th>
                        <th scope="col">Event</th>
                        <th scope="col">Peer</th>
                        <th scope="col">Patient</th>
                        <th scope="col">Status</th>
                        <th scope="col">Last error</th>
                        <th scope="col">Tries</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((m) => (
                        <tr key={String(m.id)} aria-selected={String(m.id) === selected}>
                          <td className="nowrap">
                            <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), id: String(m.id) })}`}>
                              {fmtDateTime(m.created_at)}
                            </Link>
                          </td>
                          <td className="mono">{m.event}</td>
                          <td>{m.peer_name}</td>
                          <td>
                            <Link to={`/patients/${encodeURIComponent(String(m.patient_id))}`}>Patient {String(m.patient_id)}</Link>
                          </td>
                          <td>
                            <OutBadge status={m.status} />
                          </td>
                          <td>{m.last_error || <span className="muted">—</span>}</td>
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
                  label="Outbound message pages"
                />
              </>
            ))}
        </div>
        {selected && (
          <OutboundPanel key={selected} id={selected} onClose={() => setQuery({ id: undefined })} onChanged={list.reload} />
        )}
      </div>
    </>
  );
}

function OutboundPanel({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const res = useApi((signal) => api.getHl7Outbound(id, { signal }), [id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const { notify } = useToast();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const act = async (what: 'retry' | 'discard') => {
    setBusy(true);
    setError(undefined);
    try {
      const m = what === 'retry' ? await api.retryHl7Outbound(id) : await api.discardHl7Outbound(id);
      res.setData({ ...m, message: res.data?.message });
      notify(what === 'retry' ? `Message ${m.control_id} will be sent again now.` : `Message ${m.control_id} discarded.`, 'success');
      onChanged();
      ref.current?.focus();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const m: Hl7Outbound | undefined = res.data;
  return (
    <aside
      className="side-panel hl7-panel"
      aria-label="Outbound message details"
      tabIndex={-1}
      ref={ref}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="side-panel-head">
        <h2>{m ? `${m.event} ${m.control_id}` : 'Message'}</h2>
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
              <dt>Status</dt>
              <dd>
                <OutBadge status={m.status} /> <span className="mono">ACK {m.ack_code || '—'}</span>
              </dd>
            </div>
            <div>
              <dt>Peer</dt>
              <dd>{m.peer_name}</dd>
            </div>
            <div>
              <dt>Queued</dt>
              <dd>{fmtDateTime(m.created_at)}</dd>
            </div>
            <div>
              <dt>Tries</dt>
              <dd>
                {m.attempts}
                {m.status === 'pending' && ` · next ${fmtDateTime(m.next_attempt_at)}`}
                {m.sent_at && ` · sent ${fmtDateTime(m.sent_at)}`}
              </dd>
            </div>
          </dl>
          {m.last_error && (
            <div className="alert alert-error" role="alert">
              <div>
                <strong>Last error: </strong>
                {m.last_error}
              </div>
            </div>
          )}
          {m.status === 'dead' && (
            <div className="actions">
              <button type="button" className="btn btn-primary" onClick={() => act('retry')} disabled={busy}>
                Retry
              </button>
              <button type="button" className="btn" onClick={() => act('discard')} disabled={busy}>
                Discard
              </button>
              <span className="muted small">Discarding lets the patient’s later messages go.</span>
            </div>
          )}
          <ErrorAlert error={error} title="Could not change the message" />
          {m.message !== undefined && (
            <pre tabIndex={0} aria-label="Message text, one segment per line">
              {m.message.split('\r').filter(Boolean).join('\n')}
            </pre>
          )}
        </>
      )}
    </aside>
  );
}

const EMPTY_PEER: Hl7PeerInput = { name: '', host: '', port: 2575, enabled: true, feeds: ['SIU', 'ADT'] };

export function PeersSection() {
  const list = useApi((signal) => api.listHl7Peers({ signal }), []);
  const [editing, setEditing] = useState<Hl7Peer | 'new' | undefined>();
  const [removing, setRemoving] = useState<Hl7Peer | undefined>();
  const [error, setError] = useState<unknown>();
  const { notify } = useToast();
  const remove = async (p: Hl7Peer) => {
    setError(undefined);
    try {
      await api.deleteHl7Peer(p.id);
      notify(`${p.name} removed: CareDesk no longer sends to it.`, 'success');
      if (editing !== undefined && editing !== 'new' && editing.id === p.id) setEditing(undefined);
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setRemoving(undefined);
    }
  };
  const toggle = async (p: Hl7Peer) => {
    setError(undefined);
    try {
      await api.updateHl7Peer(p.id, { name: p.name, host: p.host, port: p.port, feeds: p.feeds, enabled: !p.enabled });
      notify(`${p.name} ${p.enabled ? 'disabled' : 'enabled'}.`, 'success');
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const peers = list.data?.items ?? [];
  return (
    <>
      <p className="muted small">Systems CareDesk sends its bookings (SIU) and check-ins (ADT) to over MLLP. Changes take effect at once.</p>
      {list.loading && <Spinner label="Loading peers…" />}
      <ErrorAlert error={list.error} title="Could not load the peers" onRetry={list.reload} />
      <ErrorAlert error={error} title="Could not change the peer" />
      {list.data &&
        (peers.length === 0 ? (
          <Empty>No peers yet: CareDesk sends nothing.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table table-dense">
              <caption className="sr-only">Peers</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Address</th>
                  <th scope="col">Feeds</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {peers.map((p) => (
                  <tr key={String(p.id)}>
                    <td>{p.name}</td>
                    <td className="mono">{`${p.host}:${p.port}`}</td>
                    <td>{p.feeds.join(', ')}</td>
                    <td>{p.enabled ? 'Enabled' : 'Disabled'}</td>
                    <td className="nowrap">
                      <button type="button" className="btn btn-small" onClick={() => setEditing(p)}>
                        {`Edit ${p.name}`}
                      </button>{' '}
                      <button type="button" className="btn btn-small" onClick={() => toggle(p)}>
                        {`${p.enabled ? 'Disable' : 'Enable'} ${p.name}`}
                      </button>{' '}
                      <button type="button" className="btn btn-small" onClick={() => setRemoving(p)}>
                        {`Remove ${p.name}`}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {removing && (
        <Modal
          alert
          title={`Remove ${removing.name}?`}
          describedBy="remove-peer-what"
          onClose={() => setRemoving(undefined)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setRemoving(undefined)} data-autofocus>
                Keep it
              </button>
              <button type="button" className="btn btn-danger" onClick={() => void remove(removing)}>
                {`Remove ${removing.name}`}
              </button>
            </>
          }
        >
          <p id="remove-peer-what">
            CareDesk stops sending to {removing.name} ({`${removing.host}:${removing.port}`}), and its queue goes with it:
            messages still pending or dead are not sent. To pause it instead, disable it.
          </p>
        </Modal>
      )}
      {editing === undefined ? (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            Add a peer
          </button>
        </div>
      ) : (
        <PeerForm
          key={editing === 'new' ? 'new' : String(editing.id)}
          peer={editing === 'new' ? undefined : editing}
          onDone={() => {
            setEditing(undefined);
            list.reload();
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
    </>
  );
}

function PeerForm({ peer, onDone, onCancel }: { peer?: Hl7Peer; onDone: () => void; onCancel: () => void }) {
  const [v, setV] = useState<Hl7PeerInput>(
    peer ? { name: peer.name, host: peer.host, port: peer.port, enabled: peer.enabled, feeds: peer.feeds } : EMPTY_PEER,
  );
  const [portText, setPortText] = useState(String(v.port));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const { notify } = useToast();
  const setFeed = (f: Hl7Feed, on: boolean) =>
    setV((x) => ({ ...x, feeds: (['SIU', 'ADT'] as Hl7Feed[]).filter((k) => (k === f ? on : x.feeds.includes(k))) }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const errs: Record<string, string> = {};
    if (!v.name.trim()) errs.name = 'A name is required.';
    if (!v.host.trim()) errs.host = 'A host name or address is required.';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) errs.port = 'The port must be between 1 and 65535.';
    if (v.feeds.length === 0) errs.feeds = 'Choose at least one feed.';
    setFieldErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const body = { ...v, port };
      const saved = peer ? await api.updateHl7Peer(peer.id, body) : await api.createHl7Peer(body);
      notify(`${saved.name} saved.`, 'success');
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.field) setFieldErrors({ [err.field]: err.message });
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={submit} noValidate aria-label={peer ? `Edit ${peer.name}` : 'Add a peer'}>
      <h2>{peer ? `Edit ${peer.name}` : 'Add a peer'}</h2>
      <Field id="peer-name" label="Name" error={fieldErrors.name} required>
        <input value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
      </Field>
      <Field id="peer-host" label="Host" error={fieldErrors.host} required>
        <input value={v.host} onChange={(e) => setV({ ...v, host: e.target.value })} />
      </Field>
      <Field id="peer-port" label="Port" error={fieldErrors.port} required>
        <input inputMode="numeric" value={portText} onChange={(e) => setPortText(e.target.value)} />
      </Field>
      <fieldset aria-describedby={fieldErrors.feeds ? 'peer-feeds-error' : undefined}>
        <legend>Feeds</legend>
        <label>
          <input type="checkbox" checked={v.feeds.includes('SIU')} onChange={(e) => setFeed('SIU', e.target.checked)} /> SIU
          (bookings)
        </label>{' '}
        <label>
          <input type="checkbox" checked={v.feeds.includes('ADT')} onChange={(e) => setFeed('ADT', e.target.checked)} /> ADT
          (check-ins)
        </label>
        {fieldErrors.feeds && (
          <p className="field-error" id="peer-feeds-error">
            {fieldErrors.feeds}
          </p>
        )}
      </fieldset>
      <label>
        <input type="checkbox" checked={v.enabled} onChange={(e) => setV({ ...v, enabled: e.target.checked })} /> Enabled
      </label>
      <ErrorAlert error={error} title="Could not save the peer" />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save peer'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
