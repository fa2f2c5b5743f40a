import { useEffect, useMemo, useRef, useState, type FormEvent, type Ref } from 'react';
import * as api from '../../api';
import type { SurveyDateFormat, SurveyImportResult, SurveyMetadataKey, SurveyVersion } from '../../api/types';
import { Field } from '../Field';
import { Empty, ErrorAlert, Icon, Spinner } from '../ui';
import { useApi } from '../../lib/hooks';
import {
  CsvError,
  DATE_FORMAT_LABEL,
  METADATA_KEYS,
  METADATA_LABEL,
  autoMatchColumns,
  duplicateHeaders,
  fmtCount,
  guessColumn,
  importErrorKey,
  kindLabel,
  parseCsvHeader,
  rejectedCount,
  splitTokens,
} from '../../lib/surveys';
import { fmtDateTime } from '../../lib/time';
import { useToast } from '../../lib/toast';

const P = 'imp';
const domId = (key: string) => `${P}-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
const MAX_ISSUES = 200;
/** The server's default body limit (--body-limit). */
const BODY_LIMIT = 1024 * 1024;

async function readText(file: File): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result ?? ''));
    r.onerror = () => reject(r.error);
    r.readAsText(file);
  });
}

interface Mapping {
  respondent_id_column: string;
  encounter_id_column: string;
  date_column: string;
  date_format: SurveyDateFormat;
  items: Record<string, string>;
  meta: Record<SurveyMetadataKey, string>;
  missing: string;
}
const emptyMapping = (): Mapping => ({
  respondent_id_column: '',
  encounter_id_column: '',
  date_column: '',
  date_format: 'iso',
  items: {},
  meta: { department: '', provider: '', location: '' },
  missing: 'NA',
});

/** The Import tab: map a vendor's CSV onto the survey's questions, check it (dry run), import it; past imports. */
export function ImportPanel({ survey }: { survey: SurveyVersion }) {
  const { notify } = useToast();
  const versions = survey.versions?.length ? [...survey.versions].sort((a, b) => b - a) : [survey.version];
  const [version, setVersion] = useState<number>(survey.version);
  const other = useApi((signal) => api.getSurveyVersion(survey.id, version, { signal }), [survey.id, version], version !== survey.version);
  const v = version === survey.version ? survey : other.data;
  const items = useMemo(() => (v?.items ?? []).map((i) => ({ id: i.id, text: i.text, kind: i.kind })), [v]);
  const imports = useApi((signal) => api.listSurveyImports(survey.id, { signal }), [survey.id]);

  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [paste, setPaste] = useState('');
  const [reading, setReading] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const csv = file ? file.text : paste;
  const filename = file ? file.name : 'pasted.csv';

  const parsed = useMemo((): { headers: string[]; error: string | null } => {
    if (!csv.trim()) return { headers: [], error: null };
    try {
      const headers = parseCsvHeader(csv);
      return headers.length ? { headers, error: null } : { headers, error: 'The first line of the file is empty: it should name the columns.' };
    } catch (e) {
      return { headers: [], error: e instanceof CsvError ? e.message : String(e) };
    }
  }, [csv]);
  const headers = parsed.headers;
  const headerKey = JSON.stringify(headers);
  const dups = duplicateHeaders(headers);

  const [m, setM] = useState<Mapping>(emptyMapping);
  // A new header row (or another version's questions): match the columns
  // afresh. Done while rendering, not in an effect, so that no frame shows the
  // new columns with the old matches.
  const [matchedFor, setMatchedFor] = useState<{ headerKey: string; items: typeof items } | null>(null);
  if (matchedFor?.headerKey !== headerKey || matchedFor.items !== items) {
    setMatchedFor({ headerKey, items });
    const meta = Object.fromEntries(METADATA_KEYS.map((k) => [k, guessColumn(headers, [k, `${k}_name`])])) as Record<SurveyMetadataKey, string>;
    setM((o) => ({
      ...o,
      respondent_id_column: guessColumn(headers, ['respondent_id', 'respondent', 'respondentid', 'response_id']),
      encounter_id_column: guessColumn(headers, ['encounter_id', 'encounter', 'visit_id']),
      date_column: guessColumn(headers, ['visit_date', 'date', 'service_date', 'discharge_date']),
      items: autoMatchColumns(headers, items),
      meta,
    }));
  }

  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [result, setResult] = useState<{ dryRun: boolean; r: SurveyImportResult } | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const chooseFile = async (f: File | undefined) => {
    setErrs({});
    setResult(null);
    if (!f) {
      setFile(null);
      return;
    }
    setReading(true);
    try {
      setFile({ name: f.name, text: await readText(f) });
    } catch (e) {
      setErrs({ csv: `The file could not be read (${api.errorMessage(e)}).` });
    } finally {
      setReading(false);
    }
  };

  const mappedItems = items.filter((it) => m.items[it.id]);
  const run = async (dryRun: boolean, ev?: FormEvent) => {
    ev?.preventDefault();
    const e: Record<string, string> = {};
    if (!csv.trim()) e.csv = 'Choose the vendor’s CSV file, or paste its text.';
    else if (parsed.error) e.csv = parsed.error;
    if (!e.csv && !m.respondent_id_column) e.respondent_id_column = 'Choose the column with the respondent id.';
    if (!e.csv && mappedItems.length === 0) e.items = 'Choose the column of at least one question.';
    setErrs(e);
    setError(null);
    const first = Object.keys(e)[0];
    if (first) {
      setTimeout(() => document.getElementById(domId(first))?.focus(), 0);
      return;
    }
    const sentItems = mappedItems.map((it) => it.id);
    const meta = METADATA_KEYS.filter((k) => m.meta[k]);
    setBusy(dryRun ? 'check' : 'import');
    setResult(null);
    try {
      const r = await api.importSurveyResults(survey.id, version, {
        filename,
        csv,
        dry_run: dryRun,
        mapping: {
          respondent_id_column: m.respondent_id_column,
          encounter_id_column: m.encounter_id_column,
          date_column: m.date_column,
          date_format: m.date_format,
          items: mappedItems.map((it) => ({ column: m.items[it.id], item_id: it.id })),
          metadata: meta.map((k) => ({ column: m.meta[k], key: k })),
          missing_values: splitTokens(m.missing),
        },
      });
      setResult({ dryRun, r });
      if (!dryRun) {
        notify(`Imported ${fmtCount(r.accepted)} responses from ${filename}`);
        imports.reload();
      }
    } catch (x) {
      const key = api.isApiError(x) && x.status === 400 ? importErrorKey(x.field, sentItems, meta) : null;
      if (key && api.isApiError(x)) {
        setErrs({ [key]: x.message });
        setTimeout(() => document.getElementById(domId(key))?.focus(), 0);
      } else setError(x);
    } finally {
      setBusy(null);
    }
  };

  const columnSelect = (key: string, value: string, onChange: (v: string) => void, none = 'Not in the file') => (
    <select value={value} onChange={(e) => onChange(e.target.value)} disabled={!headers.length}>
      <option value="">{headers.length ? none : 'Choose a file first'}</option>
      {headers.map((h, i) => (
        <option key={`${key}-${i}`} value={h}>
          {h === '' ? `(column ${i + 1}, no name)` : h}
        </option>
      ))}
    </select>
  );
  const errCount = Object.keys(errs).length;

  return (
    <div className="import-panel">
      <form className="form" onSubmit={(e) => run(true, e)} noValidate aria-label="Import vendor results">
        {errCount > 0 && (
          <div className="alert alert-error" role="alert">
            <Icon name="alert" />
            <div>
              {errCount === 1 ? 'One field needs attention' : `${errCount} fields need attention`}: {Object.values(errs)[0]}
            </div>
          </div>
        )}
        <ErrorAlert error={error} title="The file was not processed" />

        <fieldset>
          <legend>Vendor file</legend>
          <div className="grid grid-2">
            <Field id={domId('csv')} label="CSV file" error={errs.csv} hint="The first row must name the columns. Comma-separated, quotes as in RFC 4180.">
              <input ref={fileRef} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => chooseFile(e.target.files?.[0])} />
            </Field>
            <Field id={domId('version')} label="Survey version the file answers">
              <select value={String(version)} onChange={(e) => setVersion(Number(e.target.value))}>
                {versions.map((n) => (
                  <option key={n} value={String(n)}>
                    Version {n}
                    {n === survey.version ? ' (latest)' : ''}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          {reading && <Spinner inline label="Reading the file…" />}
          {file && (
            <p className="small">
              Chosen: <strong>{file.name}</strong> ({fmtCount(file.text.length)} characters){' '}
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  setFile(null);
                  if (fileRef.current) fileRef.current.value = '';
                }}
              >
                Remove file
              </button>
            </p>
          )}
          <Field id={domId('paste')} label="Or paste the CSV text" hint={file ? 'A file is chosen; remove it to paste text instead.' : undefined}>
            <textarea rows={5} className="mono" value={paste} disabled={!!file} spellCheck={false} onChange={(e) => setPaste(e.target.value)} />
          </Field>
          {csv.length > BODY_LIMIT && (
            <p className="alert alert-warn small" role="status">
              This file is larger than 1 MiB, the server’s usual request limit; if it is refused, split it into smaller files.
            </p>
          )}
          {headers.length > 0 && (
            <p className="muted small">
              {headers.length} columns found: {headers.map((h) => h || '(no name)').join(', ')}.
            </p>
          )}
          {dups.length > 0 && (
            <p className="alert alert-warn small" role="status">
              Some column names appear more than once ({dups.join(', ')}); the server may not tell them apart.
            </p>
          )}
        </fieldset>

        <fieldset disabled={!headers.length}>
          <legend>Respondents and visits</legend>
          <div className="grid grid-4">
            <Field id={domId('respondent_id_column')} label="Respondent id column" required error={errs.respondent_id_column} hint="A respondent imported before is skipped.">
              {columnSelect('resp', m.respondent_id_column, (x) => setM({ ...m, respondent_id_column: x }), 'Choose…')}
            </Field>
            <Field id={domId('encounter_id_column')} label="Encounter id column" error={errs.encounter_id_column} hint="Links a response to the visit.">
              {columnSelect('enc', m.encounter_id_column, (x) => setM({ ...m, encounter_id_column: x }))}
            </Field>
            <Field id={domId('date_column')} label="Visit date column" error={errs.date_column}>
              {columnSelect('date', m.date_column, (x) => setM({ ...m, date_column: x }))}
            </Field>
            <Field id={domId('date_format')} label="Date format" error={errs.date_format}>
              <select value={m.date_format} onChange={(e) => setM({ ...m, date_format: e.target.value as SurveyDateFormat })}>
                {(Object.keys(DATE_FORMAT_LABEL) as SurveyDateFormat[]).map((k) => (
                  <option key={k} value={k}>
                    {DATE_FORMAT_LABEL[k]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </fieldset>

        <fieldset id={domId('items')} tabIndex={-1} disabled={!headers.length} aria-describedby={errs.items ? `${domId('items')}-error` : undefined}>
          <legend>Questions</legend>
          <p className="hint">
            A column whose name is the question’s id or text is chosen for you. Cells may hold the answer’s value or its words (“Always”, “9”).
          </p>
          {errs.items && (
            <div className="field-error" id={`${domId('items')}-error`}>
              {errs.items}
            </div>
          )}
          {other.loading && <Spinner label={`Loading version ${version}…`} />}
          <ErrorAlert error={version !== survey.version ? other.error : null} title={`Could not load version ${version}`} onRetry={other.reload} />
          {items.length === 0 ? (
            <Empty>This version has no questions.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table table-dense imp-map">
                <caption className="sr-only">The CSV column for each question</caption>
                <thead>
                  <tr>
                    <th scope="col">Question</th>
                    <th scope="col">Answer</th>
                    <th scope="col">Column</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((it) => {
                    const id = domId(`item.${it.id}`);
                    const e = errs[`item.${it.id}`];
                    return (
                      <tr key={it.id}>
                        <th scope="row">
                          {it.text}{' '}
                          <span className="block muted small mono">{it.id}</span>
                        </th>
                        <td className="small">{kindLabel(it.kind)}</td>
                        <td className={e ? 'has-error' : undefined}>
                          <label htmlFor={id} className="sr-only">
                            Column for {it.id}
                          </label>
                          <select
                            id={id}
                            value={m.items[it.id] ?? ''}
                            aria-invalid={e ? true : undefined}
                            aria-describedby={e ? `${id}-error` : undefined}
                            onChange={(ev) => setM({ ...m, items: { ...m.items, [it.id]: ev.target.value } })}
                          >
                            <option value="">Not in the file</option>
                            {headers.map((h, i) => (
                              <option key={i} value={h}>
                                {h === '' ? `(column ${i + 1}, no name)` : h}
                              </option>
                            ))}
                          </select>
                          {e && (
                            <div className="field-error" id={`${id}-error`}>
                              {e}
                            </div>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </fieldset>

        <fieldset id={domId('metadata')} tabIndex={-1} disabled={!headers.length}>
          <legend>Where and with whom</legend>
          {errs.metadata && <div className="field-error">{errs.metadata}</div>}
          <div className="grid grid-4">
            {METADATA_KEYS.map((k) => (
              <Field key={k} id={domId(`meta.${k}`)} label={`${METADATA_LABEL[k]} column`} error={errs[`meta.${k}`]}>
                {columnSelect(`meta-${k}`, m.meta[k], (x) => setM({ ...m, meta: { ...m.meta, [k]: x } }))}
              </Field>
            ))}
            <Field id={domId('missing_values')} label="Missing-value markers" error={errs.missing_values} hint="Cells read as “not answered”; separate with commas.">
              <input value={m.missing} onChange={(e) => setM({ ...m, missing: e.target.value })} />
            </Field>
          </div>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="btn" disabled={busy !== null || reading}>
            {busy === 'check' ? 'Checking…' : 'Check'}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy !== null || reading} onClick={() => run(false)}>
            {busy === 'import' ? 'Importing…' : 'Import'}
          </button>
          <span role="status" className="muted">
            {busy === 'check' ? 'Checking the file; nothing is saved…' : busy === 'import' ? 'Importing the responses…' : ''}
          </span>
        </div>
      </form>

      {result && <ImportResult result={result.r} dryRun={result.dryRun} headingRef={resultRef} />}

      <section className="panel" aria-labelledby="imp-past-h">
        <h3 id="imp-past-h">Past imports</h3>
        {imports.loading && <Spinner label="Loading imports…" />}
        <ErrorAlert error={imports.error} title="Could not load the past imports" onRetry={imports.reload} />
        {imports.data &&
          !imports.loading &&
          (imports.data.items.length === 0 ? (
            <Empty>Nothing imported yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table table-dense">
                <caption className="sr-only">Past imports, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">File</th>
                    <th scope="col" className="num">
                      Version
                    </th>
                    <th scope="col">By</th>
                    <th scope="col" className="num">
                      Rows read
                    </th>
                    <th scope="col" className="num">
                      Accepted
                    </th>
                    <th scope="col" className="num">
                      Rejected
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {imports.data.items.map((i) => (
                    <tr key={String(i.id)}>
                      <td className="nowrap">{fmtDateTime(i.at)}</td>
                      <td>{i.filename}</td>
                      <td className="num">{i.version}</td>
                      <td>{i.by}</td>
                      <td className="num">{fmtCount(i.rows_read)}</td>
                      <td className="num">{fmtCount(i.accepted)}</td>
                      <td className="num">{fmtCount(rejectedCount(i.rejected_rows))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
      </section>
    </div>
  );
}

function ImportResult({ result: r, dryRun, headingRef }: { result: SurveyImportResult; dryRun: boolean; headingRef: Ref<HTMLHeadingElement> }) {
  const rejected = rejectedCount(r.rejected_rows);
  const issues = r.issues ?? [];
  return (
    <section className={`panel${!dryRun ? ' panel-success' : ''}`} aria-labelledby="imp-result-h">
      <h3 id="imp-result-h" ref={headingRef} tabIndex={-1}>
        {dryRun ? 'Check result — nothing was saved' : 'Import done'}
      </h3>
      <dl className="dl-inline">
        <div>
          <dt>Rows read</dt>
          <dd>{fmtCount(r.rows_read)}</dd>
        </div>
        <div>
          <dt>Accepted</dt>
          <dd>{fmtCount(r.accepted)}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd>{fmtCount(rejected)}</dd>
        </div>
      </dl>
      {dryRun && rejected === 0 && issues.length === 0 && <p>Every row can be imported. Choose “Import” to save them.</p>}
      {issues.length > 0 && (
        <>
          <div className="table-wrap table-scroll">
            <table className="table table-dense">
              <caption className="sr-only">Issues found, by row (the header is row 1)</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Row
                  </th>
                  <th scope="col">Column</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {issues.slice(0, MAX_ISSUES).map((x, i) => (
                  <tr key={i}>
                    <td className="num">
                      {x.row}{' '}
                      {x.line && x.line !== x.row ? <span className="block muted small">line {x.line}</span> : null}
                    </td>
                    <td>{x.column || <span className="muted">—</span>}</td>
                    <td className="mono small">{x.reason}</td>
                    <td>{x.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {issues.length > MAX_ISSUES && (
            <p className="muted small">
              Showing the first {MAX_ISSUES} of {fmtCount(issues.length)} issues.
            </p>
          )}
        </>
      )}
    </section>
  );
}
