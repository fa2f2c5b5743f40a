// Importing FHIR data on the FHIR tab of the Interfaces page (admins and managers): ndjson files and Bundles,
// such as a Synthea export, sent to $import and followed to their report. The ndjson files go together as one
// import, so that references between them resolve; each Bundle is an import of its own.
import { useState, type FormEvent } from 'react';
import * as api from '../api';
import type { FhirImportReport } from '../api/types';
import { Field } from '../components/Field';
import { ErrorAlert } from '../components/ui';
import { useAuth } from '../lib/auth';

interface Part {
  name: string;   // what the user chose: a file, or "3 ndjson files"
  files: File[];
  ndjson: boolean;
}

interface Result {
  name: string;
  report?: FhirImportReport;
  error?: unknown;
}

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

const POLL_MS = 500;

/** The imports the chosen files make: every ndjson file in one, then each JSON file alone. */
export function importParts(files: File[]): Part[] {
  const ndjson = files.filter((f) => f.name.toLowerCase().endsWith('.ndjson'));
  const json = files.filter((f) => !f.name.toLowerCase().endsWith('.ndjson'));
  const parts: Part[] = [];
  if (ndjson.length > 0) {
    parts.push({ name: ndjson.length === 1 ? ndjson[0].name : `${ndjson.length} ndjson files`, files: ndjson, ndjson: true });
  }
  for (const f of json) parts.push({ name: f.name, files: [f], ndjson: false });
  return parts;
}

/**
 * The server names where a resource was by the file the import was sent as ("input.ndjson:12", "input.json
 * entry[3]"); this names it by the user's own files: `lines` is how many lines each of them sent, in order.
 */
export function userWhere(message: string, names: string[], lines: number[]): string {
  const m = /^input\.(?:ndjson|json)(?::(\d+))?/.exec(message);
  if (!m) return message;
  const rest = message.slice(m[0].length);
  if (m[1] === undefined) return `${names[0]}${rest}`;
  let line = Number(m[1]);
  for (let i = 0; i < names.length; i++) {
    if (line <= lines[i] || i === names.length - 1) return `${names[i]}:${line}${rest}`;
    line -= lines[i];
  }
  return message;
}

/** "patients: 300 of 615" as a phase and a fraction, for the progress bar. */
export function readProgress(text: string | undefined): { phase: string; done: number; total: number } | undefined {
  const m = /^(\w+): (\d+) of (\d+)$/.exec(text ?? '');
  return m ? { phase: m[1], done: Number(m[2]), total: Number(m[3]) } : undefined;
}

const count = (n: number, noun: string) => `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function FhirImport() {
  const { can } = useAuth();
  const [files, setFiles] = useState<File[]>([]);
  const [fileError, setFileError] = useState<string>();
  const [running, setRunning] = useState<{ name: string; progress?: string }>();
  const [results, setResults] = useState<Result[]>([]);
  if (!can('interfaces.manage') || !can('patient.write')) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (files.length === 0) {
      setFileError('Choose one or more .ndjson or .json files.');
      return;
    }
    setFileError(undefined);
    const done: Result[] = [];
    setResults([]);
    for (const part of importParts(files)) {
      setRunning({ name: part.name });
      let status: string | undefined;  // the job's, once started: forgotten when it has answered, either way
      try {
        const texts = await Promise.all(part.files.map((f) => f.text()));
        const body = part.ndjson ? texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('') : texts[0];
        const names = part.files.map((f) => f.name);
        const lines = texts.map(lineCount);
        const named = (m: string) => userWhere(m, names, lines);
        status = await api.startFhirImport(body, part.ndjson);
        for (;;) {
          const s = await api.pollFhirImport(status);
          if (s.report) {
            done.push({ name: part.name, report: { ...s.report, error: s.report.error.map(named), warning: s.report.warning.map(named) } });
            break;
          }
          setRunning({ name: part.name, progress: s.progress });
          await sleep(POLL_MS);
        }
      } catch (err) {
        done.push({ name: part.name, error: err });
      }
      if (status) await api.deleteFhirImport(status).catch(() => undefined);
      setResults([...done]);
    }
    setRunning(undefined);
  };

  const progress = readProgress(running?.progress);
  return (
    <section className="card" aria-labelledby="fhir-import">
      <h2 id="fhir-import">Import FHIR data</h2>
      <p>
        Load patients and their records from another system: FHIR R4 ndjson files (one resource a line) or Bundles, such as
        a Synthea export. Patients become CareDesk patients (one already here, by an identifier with the same name and
        birth date, is updated, never duplicated), practitioners providers, and finished encounters visits at the
        location they name or one made for their organization; resource types CareDesk has no model of are kept as
        sent. The same as{' '}
        <code>caredesk import fhir</code>.
      </p>
      <form onSubmit={submit} noValidate>
        <Field id="fhir-import-files" label="Files" hint=".ndjson or .json (Bundles); several at once" error={fileError}>
          <input
            type="file"
            multiple
            accept=".ndjson,.json,application/fhir+ndjson,application/fhir+json,application/json"
            onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
            disabled={!!running}
          />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={!!running}>
          {running ? 'Importing…' : 'Import'}
        </button>
      </form>
      {running && (
        <div role="status" aria-live="polite" className="import-progress">
          <p>
            Importing {running.name}
            {progress ? ` — ${progress.phase} ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}` : '…'}
          </p>
          <progress
            aria-label={`Import of ${running.name}`}
            value={progress && progress.total > 0 ? progress.done : undefined}
            max={progress && progress.total > 0 ? progress.total : undefined}
          />
        </div>
      )}
      {results.map((r) => (
        <ImportResult key={r.name} result={r} />
      ))}
    </section>
  );
}

function ImportResult({ result }: { result: Result }) {
  if (result.error !== undefined) {
    return <ErrorAlert error={result.error} title={`Could not import ${result.name}`} />;
  }
  const r = result.report!;
  const written = r.output.reduce((n, o) => n + o.count, 0);
  return (
    <section aria-label={`Imported ${result.name}`} className="import-result">
      <h3>{result.name}</h3>
      <p>
        Read {r.read.toLocaleString()} resources and wrote {written.toLocaleString()}: {count(r.patientsCreated, 'new patient')},{' '}
        {r.patientsUpdated.toLocaleString()} updated.
        {r.refused > 0 && ` ${r.refused.toLocaleString()} refused.`}
      </p>
      {r.output.length > 0 && (
        <div className="table-wrap">
          <table className="table table-dense">
            <caption className="sr-only">Written by type</caption>
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">Written</th>
              </tr>
            </thead>
            <tbody>
              {r.output.map((o) => (
                <tr key={o.type}>
                  <th scope="row">{o.type}</th>
                  <td>{o.count.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {r.skipped.length > 0 && (
        <p className="muted small">
          Not imported (CareDesk keeps its own records of these, or they were not writes):{' '}
          {r.skipped.map((s) => `${s.type} ${s.count.toLocaleString()}`).join(', ')}.
        </p>
      )}
      {r.warning.length > 0 && (
        <div role="note">
          <p>To know:</p>
          <ul>
            {r.warning.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {r.error.length > 0 && (
        <div role="alert">
          <p>Refused{r.refused > r.error.length ? ` (the first ${r.error.length})` : ''}:</p>
          <ul>
            {r.error.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
