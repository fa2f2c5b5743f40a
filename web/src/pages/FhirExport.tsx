// Exporting FHIR data on the FHIR tab of the Interfaces page (admins and managers): the Bulk Data $export of
// everything CareDesk serves, of every patient's data, or of the patients of one location or provider (a
// Group), optionally only what changed since a day; followed to its files, which download with the user's
// own token, and deleted when done. Earlier exports are listed (the server keeps them, across restarts, for a
// day after they end), so their files can be fetched again later.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import * as api from '../api';
import type { FhirExportManifest, FhirJob } from '../api/types';
import { Field } from '../components/Field';
import { ErrorAlert } from '../components/ui';
import { useAuth } from '../lib/auth';
import { saveBlob } from '../lib/download';
import { useReference } from '../lib/reference';
import { fmtDateTime } from '../lib/time';

type Scope = 'system' | 'patients' | 'location' | 'provider';

const SCOPES: { value: Scope; label: string }[] = [
  { value: 'patients', label: 'Every patient’s data' },
  { value: 'location', label: 'The patients of a location' },
  { value: 'provider', label: 'The patients of a provider' },
  { value: 'system', label: 'Everything, set-up included' },
];

const POLL_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The kick-off path of a scope ('' when its location or provider is not chosen). */
export function exportPath(scope: Scope, locationId: string, providerId: string): string {
  if (scope === 'system') return '/fhir/R4/$export';
  if (scope === 'patients') return '/fhir/R4/Patient/$export';
  const id = scope === 'location' ? locationId : providerId;
  return id ? `/fhir/R4/Group/${scope}-${encodeURIComponent(id)}/$export` : '';
}

/** What an export was of, from its kick-off URL, in the words of the form (locations and providers by name). */
export function exportScope(
  request: string | undefined,
  locations: { id: unknown; name: string }[],
  providers: { id: unknown; name: string }[],
): string {
  let path = request ?? '';
  try {
    path = new URL(path).pathname;
  } catch {
    /* a path already */
  }
  const since = /[?&]_since=([^&]+)/.exec(request ?? '');
  const suffix = since ? `, changed since ${fmtDateTime(decodeURIComponent(since[1]))}` : '';
  const group = /\/Group\/(location|provider)-([^/]+)\/\$export$/.exec(path);
  if (group) {
    const list = group[1] === 'location' ? locations : providers;
    const name = list.find((x) => String(x.id) === decodeURIComponent(group[2]))?.name ?? `${group[1]} ${group[2]}`;
    return `The patients of ${name}${suffix}`;
  }
  if (path.endsWith('/Patient/$export')) return `Every patient’s data${suffix}`;
  if (path.endsWith('/$export')) return `Everything, set-up included${suffix}`;
  return path;
}

/** A file's name from its URL: ".../$export-file/job/Patient-1.ndjson" → "Patient-1.ndjson". */
const fileName = (url: string) => decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));

export function FhirExport() {
  const { can } = useAuth();
  const ref = useReference();
  const [scope, setScope] = useState<Scope>('patients');
  const [locationId, setLocationId] = useState('');
  const [providerId, setProviderId] = useState('');
  const [since, setSince] = useState('');
  const [errors, setErrors] = useState<{ location?: string; provider?: string }>({});
  const [progress, setProgress] = useState<string>();
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<{ status: string; manifest: FhirExportManifest; expires?: string }>();
  const [error, setError] = useState<unknown>();
  const [fileError, setFileError] = useState<unknown>();
  const [jobs, setJobs] = useState<FhirJob[]>([]);
  const [jobsError, setJobsError] = useState<unknown>();
  const allowed = can('interfaces.manage') && can('patient.read');

  const loadJobs = useCallback(async () => {
    try {
      setJobs((await api.listFhirJobs('export')).items);
      setJobsError(undefined);
    } catch (err) {
      setJobsError(err);
    }
  }, []);
  useEffect(() => {
    if (allowed) void loadJobs();
  }, [allowed, loadJobs]);
  if (!allowed) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const path = exportPath(scope, locationId, providerId);
    if (!path) {
      setErrors(scope === 'location' ? { location: 'Choose a location.' } : { provider: 'Choose a provider.' });
      return;
    }
    setErrors({});
    setError(undefined);
    setFileError(undefined);
    setDone(undefined);
    setRunning(true);
    setProgress(undefined);
    try {
      const query: Record<string, string> = {};
      if (since) query._since = new Date(`${since}T00:00:00`).toISOString();
      const status = await api.startFhirExport(path, query);
      for (;;) {
        const s = await api.pollFhirExport(status);
        if (s.manifest) {
          setDone({ status, manifest: s.manifest, expires: s.expires });
          break;
        }
        setProgress(s.progress);
        await sleep(POLL_MS);
      }
    } catch (err) {
      setError(err);
    }
    setRunning(false);
    void loadJobs();
  };

  // An earlier export: its files shown again (a finished one), or followed no further (deleted).
  const show = async (job: FhirJob) => {
    setFileError(undefined);
    try {
      const s = await api.pollFhirExport(job.status_url);
      if (s.manifest) setDone({ status: job.status_url, manifest: s.manifest, expires: s.expires });
      else void loadJobs();
    } catch (err) {
      setFileError(err);
      void loadJobs();
    }
  };
  const remove = async (job: FhirJob) => {
    setFileError(undefined);
    try {
      await api.deleteFhirExport(job.status_url);
      if (done?.status === job.status_url) setDone(undefined);
    } catch (err) {
      setFileError(err);
    }
    void loadJobs();
  };

  const download = async (url: string) => {
    setFileError(undefined);
    try {
      // The file needs the bearer token (the manifest says requiresAccessToken), so it is fetched, not linked.
      saveBlob(await api.fetchBlob(new URL(url, window.location.origin).pathname), fileName(url));
    } catch (err) {
      setFileError(err);
    }
  };

  const forget = async () => {
    if (!done) return;
    try {
      await api.deleteFhirExport(done.status);
      setDone(undefined);
    } catch (err) {
      setFileError(err);
    }
    void loadJobs();
  };

  const total = done ? done.manifest.output.reduce((n, o) => n + o.count, 0) : 0;
  return (
    <section className="card" aria-labelledby="fhir-export">
      <h2 id="fhir-export">Export FHIR data</h2>
      <p>
        Hand CareDesk’s data to another system as FHIR R4 ndjson files (Bulk Data <code>$export</code>): one file per resource
        type. Every patient read is in the audit trail.
      </p>
      <form onSubmit={submit} noValidate aria-label="Export FHIR data">
        <fieldset className="checkgroup">
          <legend>What to export</legend>
          <div className="checkgroup-items">
            {SCOPES.map((s) => (
              <div className="check" key={s.value}>
                <input
                  id={`fhir-export-${s.value}`}
                  type="radio"
                  name="fhir-export-scope"
                  checked={scope === s.value}
                  onChange={() => setScope(s.value)}
                  disabled={running}
                />
                <label htmlFor={`fhir-export-${s.value}`}>{s.label}</label>
              </div>
            ))}
          </div>
        </fieldset>
        {scope === 'location' && (
          <Field id="fhir-export-location-id" label="Location" error={errors.location} required>
            <select value={locationId} onChange={(e) => setLocationId(e.target.value)} disabled={running}>
              <option value="">Choose…</option>
              {ref.locations.map((l) => (
                <option key={String(l.id)} value={String(l.id)}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        {scope === 'provider' && (
          <Field id="fhir-export-provider-id" label="Provider" error={errors.provider} required>
            <select value={providerId} onChange={(e) => setProviderId(e.target.value)} disabled={running}>
              <option value="">Choose…</option>
              {ref.providers.map((p) => (
                <option key={String(p.id)} value={String(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="fhir-export-since" label="Only what changed since" hint="Optional: a day; leave empty for all of it">
          <input type="date" value={since} onChange={(e) => setSince(e.target.value)} disabled={running} />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={running}>
          {running ? 'Exporting…' : 'Export'}
        </button>
      </form>
      {running && (
        <div role="status" aria-live="polite" className="import-progress">
          <p>Exporting{progress ? ` — ${progress}` : '…'}</p>
          <progress aria-label="Export" />
        </div>
      )}
      <ErrorAlert error={error} title="Could not export" />
      {done && (
        <section aria-label="Exported files" className="import-result">
          <h3>Exported {fmtDateTime(done.manifest.transactionTime)}</h3>
          <p>
            {total.toLocaleString()} {total === 1 ? 'resource' : 'resources'} in {done.manifest.output.length.toLocaleString()}{' '}
            {done.manifest.output.length === 1 ? 'file' : 'files'}.{' '}
            {done.expires
              ? `The files are kept until ${fmtDateTime(done.expires)} unless you delete them.`
              : 'The files are kept until you delete them.'}
          </p>
          {done.manifest.output.length > 0 && (
            <div className="table-wrap">
              <table className="table table-dense">
                <caption className="sr-only">Exported files</caption>
                <thead>
                  <tr>
                    <th scope="col">Resource</th>
                    <th scope="col" className="num">
                      Resources
                    </th>
                    <th scope="col">File</th>
                  </tr>
                </thead>
                <tbody>
                  {done.manifest.output.map((o) => (
                    <tr key={o.url}>
                      <th scope="row">{o.type}</th>
                      <td className="num">{o.count.toLocaleString()}</td>
                      <td>
                        <button type="button" className="btn btn-small" onClick={() => void download(o.url)}>
                          Download {fileName(o.url)}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <ErrorAlert error={fileError} title="Could not download the file" />
          <button type="button" className="btn" onClick={() => void forget()}>
            Delete the exported files
          </button>
        </section>
      )}
      <ErrorAlert error={jobsError} title="Could not list your earlier exports" />
      {jobs.length > 0 && (
        <section aria-labelledby="fhir-export-jobs" className="import-result">
          <h3 id="fhir-export-jobs">Your exports</h3>
          <p className="muted">Kept for a day after they end, also when the server restarts.</p>
          <div className="table-wrap">
            <table className="table table-dense">
              <caption className="sr-only">Your exports, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Of</th>
                  <th scope="col">State</th>
                  <th scope="col" className="num">
                    Resources
                  </th>
                  <th scope="col">Kept until</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((j) => {
                  const of = exportScope(j.request, ref.locations, ref.providers);
                  return (
                    <tr key={j.id}>
                      <th scope="row">{fmtDateTime(j.started_at)}</th>
                      <td>{of}</td>
                      <td>
                        {j.state === 'done' ? (
                          <span className="badge job-done">Done</span>
                        ) : j.state === 'running' ? (
                          <span className="badge job-running">Running</span>
                        ) : (
                          <span className="badge job-failed" title={j.error}>
                            Failed
                          </span>
                        )}
                        {j.state === 'failed' && j.error && <div className="muted small">{j.error}</div>}
                      </td>
                      <td className="num">{j.done.toLocaleString()}</td>
                      <td>{j.expires_at ? fmtDateTime(j.expires_at) : ''}</td>
                      <td className="actions">
                        {j.state === 'done' && (
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-label={`Show the files of the export of ${fmtDateTime(j.started_at)}`}
                            onClick={() => void show(j)}
                          >
                            Files
                          </button>
                        )}
                        <button
                          type="button"
                          className="btn btn-small"
                          aria-label={`${j.state === 'running' ? 'Stop' : 'Delete'} the export of ${fmtDateTime(j.started_at)}`}
                          onClick={() => void remove(j)}
                        >
                          {j.state === 'running' ? 'Stop' : 'Delete'}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </section>
  );
}
