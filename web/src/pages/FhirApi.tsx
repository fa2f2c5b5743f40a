// The FHIR tab of the Interfaces page: where other systems reach CareDesk's FHIR R4 API, tokens for those
// systems (admins), what the server states it serves (its CapabilityStatement), and a Patient search to try it
// with the signed-in session.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../api';
import { ApiError } from '../api/client';
import type { FhirBundle, FhirPatient, SystemToken, SystemTokenInfo } from '../api/types';
import { Field } from '../components/Field';
import { Empty, ErrorAlert, Spinner } from '../components/ui';
import { EMPTY_SEARCH, displayName, keptTypes, matches, mrnOf, nextPage, patientSearchParams, servedResources, warnings, type DatePrefix, type PatientSearchForm } from '../lib/fhir';
import { useAuth } from '../lib/auth';
import { useApi } from '../lib/hooks';
import { useCopy, useToast } from '../lib/toast';
import { FhirExport } from './FhirExport';
import { FhirImport } from './FhirImport';

const PREFIXES: { value: DatePrefix; label: string }[] = [
  { value: 'eq', label: 'on' },
  { value: 'lt', label: 'before' },
  { value: 'le', label: 'on or before' },
  { value: 'gt', label: 'after' },
  { value: 'ge', label: 'on or after' },
  { value: 'ap', label: 'around' },
];

// The form's fields by the search parameter the server names in an error.
const FIELD_OF: Record<string, keyof PatientSearchForm> = { family: 'family', given: 'given', birthdate: 'birthdate', identifier: 'identifier' };

export function FhirSection() {
  const meta = useApi((signal) => api.getFhirMetadata({ signal }), []);
  const base = `${window.location.origin}/fhir/R4`;
  const copyText = useCopy();
  const copy = () => copyText(base, 'address');
  const served = meta.data ? servedResources(meta.data) : [];
  const kept = meta.data ? keptTypes(meta.data) : [];
  return (
    <>
      <section className="card" aria-labelledby="fhir-endpoint">
        <h2 id="fhir-endpoint">Endpoint</h2>
        <p>
          Other systems and apps reach CareDesk’s FHIR R4 API at <code className="mono">{base}</code>. They sign in like
          everyone else (<code>POST /api/v1/session</code>) and send the token as <code>Authorization: Bearer</code>: the same
          roles apply, and every patient read is in the audit trail. A system that runs unattended gets a token of its own below:
          a user’s role narrowed by SMART scopes.
        </p>
        <p>
          <button type="button" className="btn btn-small" onClick={copy}>
            Copy the address
          </button>{' '}
          <a href="/fhir/R4/metadata" target="_blank" rel="noreferrer">
            The CapabilityStatement (JSON)
          </a>
        </p>
      </section>
      <SystemTokens />
      <FhirImport />
      <FhirExport />
      <section className="card" aria-labelledby="fhir-served">
        <h2 id="fhir-served">What it serves</h2>
        {meta.loading && <Spinner label="Reading the CapabilityStatement…" />}
        <ErrorAlert error={meta.error} title="Could not read the CapabilityStatement" onRetry={meta.reload} />
        {meta.data && (
          <>
            <p className="muted small">
              FHIR {meta.data.fhirVersion}. These are mapped to CareDesk’s own records.
              {kept.length > 0 &&
                ` ${kept.length} other resource ${kept.length === 1 ? 'type is' : 'types are'} kept as sent (${kept.slice(0, 6).join(', ')}${kept.length > 6 ? ', …' : ''}): read, vread, history, create, update, delete, and search by _id, _lastUpdated and patient.`}
            </p>
            <div className="table-wrap">
              <table className="table table-dense">
                <caption className="sr-only">Resources served</caption>
                <thead>
                  <tr>
                    <th scope="col">Resource</th>
                    <th scope="col">Interactions</th>
                    <th scope="col">Search parameters</th>
                  </tr>
                </thead>
                <tbody>
                  {served.map((r) => (
                    <tr key={r.type}>
                      <th scope="row">{r.type}</th>
                      <td>{r.interactions.join(', ')}</td>
                      <td>
                        {r.params.map((p, i) => (
                          <span key={p.name}>
                            {i > 0 && ', '}
                            <code title={p.documentation}>{p.name}</code>
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      <PatientSearchTry />
    </>
  );
}

const SCOPE_PRESETS: { value: string; label: string }[] = [
  { value: 'system/*.read', label: 'Read everything the user may read' },
  { value: 'system/Patient.read system/Appointment.read system/Encounter.read', label: 'Patients and visits, read only' },
  { value: 'system/Slot.read system/Appointment.cruds', label: 'Booking: free slots and appointments' },
];

/** Admins issue tokens for other systems: one user, its scopes, how many days; the token is shown once. */
function SystemTokens() {
  const { can } = useAuth();
  const users = useApi((signal) => (can('user.admin') ? api.listUsers({ signal }) : Promise.resolve(null)), []);
  const tokens = useApi((signal) => (can('user.admin') ? api.listSystemTokens({ signal }) : Promise.resolve(null)), []);
  const [revoking, setRevoking] = useState<SystemTokenInfo>();
  const [username, setUsername] = useState('');
  const [scope, setScope] = useState(SCOPE_PRESETS[0].value);
  const [days, setDays] = useState('90');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<'username' | 'scope' | 'days', string>>>({});
  const [issued, setIssued] = useState<SystemToken>();
  const { notify } = useToast();
  if (!can('user.admin')) return null;
  const active = (users.data?.items ?? []).filter((u) => u.active);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setIssued(undefined);
    if (!username) {
      setFieldErrors({ username: 'Choose the user the system acts as.' });
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      setIssued(await api.issueSystemToken({ username, scope, days: Number(days) }));
      tokens.reload();
    } catch (err) {
      const field = err instanceof ApiError ? err.field : undefined;
      if (field === 'scope' || field === 'days' || field === 'username') {
        setFieldErrors({ [field]: err instanceof Error ? err.message : String(err) });
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };
  const copyText = useCopy();
  const copy = async () => {
    if (issued) await copyText(issued.token, 'token');
  };
  const revoke = async (t: SystemTokenInfo) => {
    setRevoking(t);
    try {
      await api.revokeSystemToken(t.id);
      notify(`The token of ${t.user.username} is revoked.`, 'success');
      tokens.reload();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), 'error');
    } finally {
      setRevoking(undefined);
    }
  };
  const live = tokens.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="fhir-tokens">
      <h2 id="fhir-tokens">Tokens for systems</h2>
      <p className="muted small">
        A token acts as the user you choose, narrowed by its scopes (<code>system/Type.read</code>, <code>.write</code>, or
        SMART v2 letters such as <code>.rs</code>, <code>.cruds</code>; <code>*</code> for every type). It works on the FHIR API
        only, does not expire when idle, and is shown once. Deactivating the user revokes it.
      </p>
      <ErrorAlert error={users.error} title="Could not list the users" onRetry={users.reload} />
      <form className="form" onSubmit={submit} noValidate aria-label="Issue a token for a system">
        <Field id="token-user" label="Acts as" error={fieldErrors.username} required>
          <select value={username} onChange={(e) => setUsername(e.target.value)}>
            <option value="">Choose a user…</option>
            {active.map((u) => (
              <option key={u.id} value={u.username}>
                {u.display_name || u.username} ({u.username}, {u.role})
              </option>
            ))}
          </select>
        </Field>
        <Field id="token-scope" label="Scopes" hint="Separated by spaces" error={fieldErrors.scope} required>
          <input value={scope} onChange={(e) => setScope(e.target.value)} autoComplete="off" list="token-scope-presets" />
        </Field>
        <datalist id="token-scope-presets">
          {SCOPE_PRESETS.map((p) => (
            <option key={p.value} value={p.value} label={p.label} />
          ))}
        </datalist>
        <Field id="token-days" label="Days" hint="1 to 366" error={fieldErrors.days}>
          <input type="number" min={1} max={366} value={days} onChange={(e) => setDays(e.target.value)} />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Issue the token
        </button>
      </form>
      {busy && <Spinner label="Issuing…" inline />}
      <ErrorAlert error={error} title="The token was not issued" />
      {issued && (
        <div className="alert alert-success" role="status">
          <p>
            A token for <strong>{issued.user.username}</strong> with <code>{issued.scope}</code>, until{' '}
            {new Date(issued.expires_at).toLocaleString()}. Copy it now: it is not shown again.
          </p>
          <p>
            <code className="mono token" aria-label="The new token">
              {issued.token}
            </code>{' '}
            <button type="button" className="btn btn-small" onClick={copy}>
              Copy the token
            </button>
          </p>
        </div>
      )}
      <h3>Tokens in use</h3>
      <ErrorAlert error={tokens.error} title="Could not list the tokens" onRetry={tokens.reload} />
      {tokens.data && live.length === 0 && <Empty>No token for a system is in use.</Empty>}
      {live.length > 0 && (
        <div className="table-wrap">
          <table className="table table-dense">
            <caption className="sr-only">Tokens in use</caption>
            <thead>
              <tr>
                <th scope="col">Acts as</th>
                <th scope="col">Scopes</th>
                <th scope="col">Issued</th>
                <th scope="col">Last used</th>
                <th scope="col">Until</th>
                <th scope="col">
                  <span className="sr-only">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {live.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.user.username}</th>
                  <td>
                    <code>{t.scope}</code>
                  </td>
                  <td>{new Date(t.issued_at).toLocaleDateString()}</td>
                  <td>{new Date(t.last_used_at).toLocaleString()}</td>
                  <td>{new Date(t.expires_at).toLocaleDateString()}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void revoke(t)}
                      disabled={revoking?.id === t.id}
                      aria-label={`Revoke the token of ${t.user.username} (${t.scope})`}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PatientSearchTry() {
  const [form, setForm] = useState<PatientSearchForm>(EMPTY_SEARCH);
  const [pages, setPages] = useState<FhirBundle<FhirPatient>[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof PatientSearchForm, string>>>({});
  const set = (k: keyof PatientSearchForm, v: string) => setForm((f) => ({ ...f, [k]: v }));

  const run = async (load: () => Promise<FhirBundle<FhirPatient>>, append: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await load();
      setPages((p) => (append ? [...p, page] : [page]));
    } catch (e) {
      const field = e instanceof ApiError && e.field ? FIELD_OF[e.field.split(':')[0]] : undefined;
      if (field) setFieldErrors({ [field]: e instanceof Error ? e.message : String(e) });
      else setError(e);
      if (!append) setPages([]);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFieldErrors({});
    const params = patientSearchParams(form);
    if (Object.keys(params).length === 1) {
      setFieldErrors({ family: 'Give at least one of the fields.' });
      return;
    }
    void run(() => api.searchFhirPatients(params), false);
  };
  const last = pages[pages.length - 1];
  const next = last ? nextPage(last) : undefined;
  const found = pages.flatMap(matches);
  const notes = last ? warnings(last) : [];
  return (
    <section className="card" aria-labelledby="fhir-try">
      <h2 id="fhir-try">Try a Patient search</h2>
      <p className="muted small">
        What an outside system would get, as you: names match from their start in any case; the search and each patient found are
        audited.
      </p>
      <form className="form fhir-search" onSubmit={submit} noValidate aria-label="FHIR Patient search">
        <Field id="fhir-family" label="Family name" error={fieldErrors.family}>
          <input value={form.family} onChange={(e) => set('family', e.target.value)} autoComplete="off" />
        </Field>
        <Field id="fhir-given" label="Given name" error={fieldErrors.given}>
          <input value={form.given} onChange={(e) => set('given', e.target.value)} autoComplete="off" />
        </Field>
        <Field id="fhir-birth-prefix" label="Born">
          <select value={form.birthdatePrefix} onChange={(e) => set('birthdatePrefix', e.target.value)}>
            {PREFIXES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="fhir-birthdate" label="Birth date" hint="YYYY, YYYY-MM or YYYY-MM-DD" error={fieldErrors.birthdate}>
          <input value={form.birthdate} onChange={(e) => set('birthdate', e.target.value)} autoComplete="off" />
        </Field>
        <Field id="fhir-identifier" label="Identifier" hint="An MRN, or system|value" error={fieldErrors.identifier}>
          <input value={form.identifier} onChange={(e) => set('identifier', e.target.value)} autoComplete="off" />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Search
        </button>
      </form>
      {busy && <Spinner label="Searching…" inline />}
      <ErrorAlert error={error} title="The search failed" />
      {last && (
        <div aria-live="polite">
          <p>
            <strong>
              {last.total === undefined ? `${found.length} shown` : `${last.total} ${last.total === 1 ? 'patient matches' : 'patients match'}`}
            </strong>
            {last.total !== undefined && found.length < last.total && ` (${found.length} shown)`}
          </p>
          {notes.map((n) => (
            <p key={n} className="alert alert-warn" role="note">
              {n}
            </p>
          ))}
          {found.length === 0 ? (
            <Empty>No patient matches.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table table-dense">
                <caption className="sr-only">Patients found</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Birth date</th>
                    <th scope="col">Gender</th>
                    <th scope="col">MRN</th>
                  </tr>
                </thead>
                <tbody>
                  {found.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/patients/${encodeURIComponent(p.id)}`}>{displayName(p)}</Link>
                      </td>
                      <td>{p.birthDate ?? '—'}</td>
                      <td>{p.gender ?? '—'}</td>
                      <td className="mono">{mrnOf(p) ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {next && (
            <button type="button" className="btn" disabled={busy} onClick={() => void run(() => api.getFhirPage(next), true)}>
              Next page
            </button>
          )}
          <details>
            <summary>The last Bundle as sent</summary>
            <pre className="mono small">{JSON.stringify(last, null, 2)}</pre>
          </details>
        </div>
      )}
    </section>
  );
}
