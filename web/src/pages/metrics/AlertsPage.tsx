import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import * as api from '../../api';
import type { AlertScanReport, AlertSubscription, MetricAlertStatus } from '../../api/types';
import { Field } from '../../components/Field';
import { LocationSelect } from '../../components/LocationSelect';
import { Pager } from '../../components/Pager';
import { AlertList } from '../../components/metrics/AlertList';
import { ErrorAlert, Notice, PageHeader, Spinner } from '../../components/ui';
import { fieldErrorFrom } from '../../lib/forms';
import { useApi, useTitle } from '../../lib/hooks';
import { useToast } from '../../lib/toast';

const STATUS_LABEL: Record<MetricAlertStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', all: 'All' };
const LIMIT = 20;

function scanSummary(r: AlertScanReport): string {
  const news = r.new_alerts === 0 ? 'No new signals' : `${r.new_alerts} new signal${r.new_alerts === 1 ? '' : 's'}`;
  const mail = r.emailed > 0 ? `, ${r.emailed} email${r.emailed === 1 ? '' : 's'} sent` : '';
  const failed = r.failed > 0 ? `, ${r.failed} email${r.failed === 1 ? '' : 's'} failed (retried later)` : '';
  return `${news} in ${r.charts} charts at ${r.locations} location${r.locations === 1 ? '' : 's'}${mail}${failed}.`;
}

/**
 * /alerts — new special causes on the service metrics' weekly and monthly charts (found every hour and on demand),
 * acknowledged with a note; and the signed-in user's alert emails.
 */
export function AlertsPage() {
  useTitle('Metric alerts');
  const [params, setParams] = useSearchParams();
  const status = (['open', 'acknowledged', 'all'] as string[]).includes(params.get('status') ?? '') ? (params.get('status') as MetricAlertStatus) : 'open';
  const location = params.get('location_id') ?? '';
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
    (signal) => api.listMetricAlerts({ status, location_id: location || undefined, limit: LIMIT, offset }, { signal }),
    [status, location, offset],
  );

  const [scanning, setScanning] = useState(false);
  const [scanResult, setScanResult] = useState<string | undefined>();
  const [scanError, setScanError] = useState<unknown>();
  const scan = async () => {
    setScanning(true);
    setScanResult(undefined);
    setScanError(undefined);
    try {
      setScanResult(scanSummary(await api.scanMetricAlerts()));
      res.reload();
    } catch (e) {
      setScanError(e);
    } finally {
      setScanning(false);
    }
  };
  const items = res.data?.items ?? [];

  return (
    <div className="page page-wide">
      <PageHeader
        title="Metric alerts"
        sub="A new special cause in the last complete week or month of a metric’s chart at a location. CareDesk looks every hour."
      >
        <button type="button" className="btn" onClick={scan} disabled={scanning} aria-busy={scanning}>
          {scanning ? 'Looking at every chart…' : 'Look for new signals now'}
        </button>
      </PageHeader>
      <div aria-live="polite">{scanResult && <Notice kind="success">{scanResult}</Notice>}</div>
      <ErrorAlert error={scanError} title="Could not look for new signals" />

      <div className="toolbar" role="search" aria-label="Filter alerts">
        <div className="field inline">
          <label htmlFor="al-f-status">Status</label>
          <select id="al-f-status" value={status} onChange={(e) => update({ status: e.target.value === 'open' ? null : e.target.value })}>
            {(Object.keys(STATUS_LABEL) as MetricAlertStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="al-f-location">Location</label>
          <LocationSelect id="al-f-location" value={location} onChange={(id) => update({ location_id: id })} emptyLabel="Every location" />
        </div>
      </div>

      {res.loading && <Spinner label="Loading alerts…" />}
      <ErrorAlert error={res.error} title="Could not load the alerts" onRetry={res.reload} />
      {res.data && !res.loading && (
        <section aria-labelledby="al-list-h">
          <h2 id="al-list-h" className="sr-only">
            Alerts
          </h2>
          {items.length === 0 ? (
            <div className="empty-box">
              <p>{status === 'open' ? 'No open alerts: no chart shows a new special cause.' : 'No alerts match these filters.'}</p>
            </div>
          ) : (
            <>
              <AlertList alerts={items} onChanged={() => res.reload()} />
              <Pager offset={offset} limit={LIMIT} count={items.length} total={res.data.total} onChange={(o) => update({ offset: o ? String(o) : null })} label="Alert pages" />
            </>
          )}
        </section>
      )}

      <AlertEmails />
    </div>
  );
}

/** The signed-in user's alert emails: which location and metric, to which address. */
function AlertEmails() {
  const { notify } = useToast();
  const subs = useApi((signal) => api.listAlertSubscriptions({ signal }), []);
  const metrics = useApi((signal) => api.listMetrics({ signal }), []);
  const [d, setD] = useState({ email: '', location: '', metric: '*' });
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setErrs({});
    setError(undefined);
    if (!d.email.trim()) {
      setErrs({ email: 'Enter the address to send the alerts to.' });
      document.getElementById('as-email')?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.createAlertSubscription({ email: d.email.trim(), location_id: d.location ? Number(d.location) : null, metric_key: d.metric });
      notify('Alert emails added');
      subs.reload();
    } catch (err) {
      if (!fieldErrorFrom(err, 'as', ['email', 'location_id', 'metric_key'], setErrs)) setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (s: AlertSubscription) => {
    try {
      await api.deleteAlertSubscription(s.id);
      notify('Alert emails stopped');
      subs.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="panel" aria-labelledby="as-h">
      <h2 id="as-h">Your alert emails</h2>
      <p className="muted">One email per new signal (several at once share one email). A signal that goes on for more periods is not emailed again.</p>
      {subs.loading && <Spinner label="Loading your alert emails…" />}
      <ErrorAlert error={subs.error} title="Could not load your alert emails" onRetry={subs.reload} />
      {subs.data &&
        (subs.data.items.length === 0 ? (
          <p>You receive no alert emails.</p>
        ) : (
          <table className="table">
            <caption className="sr-only">Your alert emails</caption>
            <thead>
              <tr>
                <th scope="col">Location</th>
                <th scope="col">Metric</th>
                <th scope="col">Sent to</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {subs.data.items.map((s) => (
                <tr key={String(s.id)}>
                  <td>{s.location_name ?? 'Every location'}</td>
                  <td>{s.metric_name}</td>
                  <td>{s.email}</td>
                  <td>
                    <button type="button" className="btn btn-small" onClick={() => remove(s)}>
                      Stop<span className="sr-only"> emails about {s.metric_name} at {s.location_name ?? 'every location'}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <form className="form" onSubmit={add} aria-label="Add alert emails" noValidate>
        <div className="grid grid-4">
          <Field id="as-email" label="Email address" required error={errs.email}>
            <input type="email" autoComplete="email" value={d.email} onChange={(e) => setD({ ...d, email: e.target.value })} />
          </Field>
          <Field id="as-location_id" label="Location" error={errs.location_id}>
            <LocationSelect value={d.location} onChange={(id) => setD({ ...d, location: id })} emptyLabel="Every location" />
          </Field>
          <Field id="as-metric_key" label="Metric" error={errs.metric_key}>
            <select value={d.metric} onChange={(e) => setD({ ...d, metric: e.target.value })}>
              <option value="*">Every metric</option>
              {(metrics.data?.items ?? []).map((m) => (
                <option key={m.key} value={m.key}>
                  {m.name}
                </option>
              ))}
            </select>
          </Field>
          <div className="field field-end">
            <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>
              {busy ? 'Adding…' : 'Email me these alerts'}
            </button>
          </div>
        </div>
        <ErrorAlert error={error} title="Could not change your alert emails" />
      </form>
    </section>
  );
}
