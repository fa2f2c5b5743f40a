import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import * as api from '../../api';
import type { SurveyBoxes, SurveyKind, SurveyKindInfo, SurveyMeasure, SurveyVersion } from '../../api/types';
import { Field } from '../../components/Field';
import { SurveyNav } from '../../components/surveys/SurveyNav';
import { ErrorAlert, Icon, Notice, PageHeader, Spinner } from '../../components/ui';
import { useApi, useTitle } from '../../lib/hooks';
import {
  RESERVED_SURVEY_IDS,
  SURVEY_ID_RE,
  SURVEY_KINDS,
  boxAnswers,
  builderErrorKey,
  kindLabel,
  sameBoxes,
} from '../../lib/surveys';
import { useToast } from '../../lib/toast';

const P = 'sb';
const domId = (key: string) => {
  const k = /^measures\.\d+$/.test(key) ? `${key}.name` : key;
  return `${P}-${k.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
};
const focusKey = (key: string) => setTimeout(() => document.getElementById(domId(key))?.focus(), 0);

interface ItemDraft {
  key: number;
  id: string;
  text: string;
  kind: SurveyKind | '';
  measure_id: string;
  /** Boxes of the version being edited, kept while the kind is unchanged. */
  boxes: SurveyBoxes | null;
  origKind: SurveyKind | '';
}
interface Draft {
  id: string;
  title: string;
  items: ItemDraft[];
  /** Measure names by measure id. */
  measureNames: Record<string, string>;
}
let nextKey = 1;
const blankItem = (id = ''): ItemDraft => ({ key: nextKey++, id, text: '', kind: '', measure_id: '', boxes: null, origKind: '' });

function draftFrom(v: SurveyVersion | null): Draft {
  if (!v) return { id: '', title: '', items: [blankItem('q1')], measureNames: {} };
  return {
    id: v.id,
    title: v.title ?? '',
    items: (v.items ?? []).map((it) => ({
      key: nextKey++,
      id: it.id,
      text: it.text ?? '',
      kind: it.kind,
      measure_id: it.measure_id ?? '',
      boxes: it.boxes ?? null,
      origKind: it.kind,
    })),
    measureNames: Object.fromEntries((v.measures ?? []).map((m) => [m.id, m.name])),
  };
}

/** Measures implied by the items' measure ids, in order of first use. */
export function measuresOf(d: Draft): SurveyMeasure[] {
  const out: SurveyMeasure[] = [];
  for (const it of d.items) {
    const mid = it.measure_id.trim();
    if (!mid) continue;
    let m = out.find((x) => x.id === mid);
    if (!m) {
      m = { id: mid, name: (d.measureNames[mid] ?? '').trim() || mid, item_ids: [] };
      out.push(m);
    }
    m.item_ids.push(it.id.trim());
  }
  return out;
}

export function validateDraft(d: Draft, isNew: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (isNew) {
    const id = d.id.trim();
    if (!id) e.id = 'Enter an id for the survey, like “outpatient”.';
    else if (!SURVEY_ID_RE.test(id)) e.id = 'Use letters, digits, “_” and “-” only, starting with a letter or digit.';
    else if (RESERVED_SURVEY_IDS.includes(id.toLowerCase())) e.id = `“${id}” is reserved; choose another id.`;
  }
  if (!d.title.trim()) e.title = 'Enter the survey’s title, as patients will see it.';
  if (d.items.length === 0) e.items = 'Add at least one question.';
  const seen = new Set<string>();
  d.items.forEach((it, i) => {
    const id = it.id.trim();
    if (!id) e[`items.${i}.id`] = 'Enter an id for this question.';
    else if (!SURVEY_ID_RE.test(id)) e[`items.${i}.id`] = 'Use letters, digits, “_” and “-” only.';
    else if (seen.has(id.toLowerCase())) e[`items.${i}.id`] = `The id “${id}” is used by an earlier question.`;
    seen.add(id.toLowerCase());
    if (!it.text.trim()) e[`items.${i}.text`] = 'Enter the question.';
    if (!it.kind) e[`items.${i}.kind`] = 'Choose how the question is answered.';
  });
  return e;
}

export function SurveyBuilderPage() {
  const { id } = useParams<{ id?: string }>();
  const isNew = !id;
  const kinds = useApi((signal) => api.listSurveyKinds({ signal }), []);
  const survey = useApi((signal) => api.getSurvey(id!, { signal }), [id], !isNew);
  const [saved, setSaved] = useState<SurveyVersion | null>(null);
  const savedRef = useRef<HTMLDivElement>(null);
  const title = isNew ? 'New survey' : `Edit ${survey.data?.title ? `“${survey.data.title}”` : 'survey'}`;
  useTitle(title);
  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);

  const ready = kinds.data && (isNew || survey.data);
  return (
    <div className="page page-narrow">
      <SurveyNav />
      <p className="breadcrumb">
        <Link to="/surveys">Surveys</Link> <span aria-hidden="true">›</span>{' '}
        {!isNew && (
          <>
            <Link to={`/surveys/${encodeURIComponent(id!)}`}>{survey.data?.title || id}</Link> <span aria-hidden="true">›</span>{' '}
          </>
        )}
        {isNew ? 'New' : 'Edit'}
      </p>
      <PageHeader
        title={title}
        sub={
          isNew
            ? 'Questions, how each is answered, and the measures they add up to.'
            : `Saving makes version ${(survey.data?.versions?.length ? Math.max(...survey.data.versions) : (survey.data?.version ?? 0)) + 1}; earlier responses keep the version they answered.`
        }
      />
      {saved && (
        <div ref={savedRef} tabIndex={-1} className="focus-target">
          <Notice kind="success">
            <strong>Version {saved.version} was made.</strong> Earlier responses keep the version they answered; new invitations use version {saved.version}.{' '}
            <Link to={`/surveys/${encodeURIComponent(saved.id)}?tab=questions`}>View the survey</Link>
          </Notice>
        </div>
      )}
      {(kinds.loading || survey.loading) && <Spinner label="Loading…" />}
      <ErrorAlert error={kinds.error} title="Could not load the answer kinds" onRetry={kinds.reload} />
      <ErrorAlert error={survey.error} title="Could not load the survey" onRetry={survey.reload} />
      {ready && (
        <BuilderForm
          key={isNew ? 'new' : `${survey.data!.id}:${survey.data!.version}`}
          kinds={kinds.data!.items ?? []}
          initial={isNew ? null : survey.data!}
          onSaved={(v) => {
            survey.setData(v);
            setSaved(v);
          }}
        />
      )}
    </div>
  );
}

function BuilderForm({ kinds, initial, onSaved }: { kinds: SurveyKindInfo[]; initial: SurveyVersion | null; onSaved: (v: SurveyVersion) => void }) {
  const isNew = !initial;
  const navigate = useNavigate();
  const { notify } = useToast();
  const [d, setD] = useState<Draft>(() => draftFrom(initial));
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const kindList: SurveyKind[] = kinds.length ? kinds.map((k) => k.kind) : SURVEY_KINDS;
  const kindInfo = (k: string) => kinds.find((x) => x.kind === k);
  const measures = measuresOf(d);

  const setItem = (key: number, patch: Partial<ItemDraft>) => setD((o) => ({ ...o, items: o.items.map((it) => (it.key === key ? { ...it, ...patch } : it)) }));
  const move = (i: number, by: number) => {
    setErrs({});
    setD((o) => {
      const items = o.items.slice();
      const j = i + by;
      if (j < 0 || j >= items.length) return o;
      [items[i], items[j]] = [items[j], items[i]];
      return { ...o, items };
    });
    setTimeout(() => {
      const same = document.getElementById(`${P}-move-${by < 0 ? 'up' : 'down'}-${i + by}`) as HTMLButtonElement | null;
      const other = document.getElementById(`${P}-move-${by < 0 ? 'down' : 'up'}-${i + by}`) as HTMLButtonElement | null;
      (same && !same.disabled ? same : other)?.focus();
    }, 0);
  };
  const remove = (i: number) => {
    setErrs({});
    setD((o) => ({ ...o, items: o.items.filter((_, k) => k !== i) }));
    setTimeout(() => document.getElementById(`${P}-add-item`)?.focus(), 0);
  };
  const add = () => {
    const used = new Set(d.items.map((it) => it.id.trim().toLowerCase()));
    let n = d.items.length + 1;
    while (used.has(`q${n}`)) n++;
    const i = d.items.length;
    setD((o) => ({ ...o, items: [...o.items, blankItem(`q${n}`)] }));
    setTimeout(() => document.getElementById(domId(`items.${i}.text`))?.focus(), 0);
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validateDraft(d, isNew);
    setErrs(e);
    setError(null);
    const first = Object.keys(e)[0];
    if (first) return focusKey(first);
    const ms = measuresOf(d);
    const body = {
      id: isNew ? d.id.trim() : initial!.id,
      title: d.title.trim(),
      items: d.items.map((it) => {
        const keep = it.boxes && it.kind === it.origKind && !sameBoxes(it.boxes, kindInfo(it.kind)?.default_boxes);
        return {
          id: it.id.trim(),
          text: it.text.trim(),
          kind: it.kind as SurveyKind,
          measure_id: it.measure_id.trim() || null,
          ...(keep ? { boxes: it.boxes! } : {}),
        };
      }),
      ...(ms.length ? { measures: ms } : {}),
    };
    setBusy(true);
    try {
      if (isNew) {
        const v = await api.createSurvey(body);
        notify(`Survey “${v.title}” created as version ${v.version}`);
        navigate(`/surveys/${encodeURIComponent(v.id)}?tab=questions`);
      } else {
        const v = await api.createSurveyVersion(initial!.id, body);
        notify(`Version ${v.version} saved`);
        onSaved(v);
      }
    } catch (x) {
      if (api.isApiError(x) && x.code === 'survey_exists') {
        setErrs({ id: x.message || 'A survey with this id exists already.' });
        focusKey('id');
        return;
      }
      const key = api.isApiError(x) && x.status === 400 ? builderErrorKey(x.field) : null;
      if (key && api.isApiError(x) && keyOnForm(key, d, isNew)) {
        setErrs({ [key]: x.message });
        focusKey(key);
      } else setError(x);
    } finally {
      setBusy(false);
    }
  };

  const errorKeys = Object.keys(errs);
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={isNew ? 'New survey' : 'Edit survey'}>
      {errorKeys.length > 0 && (
        <div className="alert alert-error" role="alert">
          <Icon name="alert" />
          <div>
            {errorKeys.length === 1 ? 'One field needs attention' : `${errorKeys.length} fields need attention`}: {errs[errorKeys[0]]}
          </div>
        </div>
      )}
      <ErrorAlert error={error} title="Not saved" />

      <fieldset>
        <legend>Survey</legend>
        <div className="grid grid-2">
          {isNew ? (
            <Field id={domId('id')} label="Id" required error={errs.id} hint="Used in links and imports; cannot be changed later. Letters, digits, “_” and “-”.">
              <input value={d.id} autoComplete="off" spellCheck={false} onChange={(e) => setD({ ...d, id: e.target.value })} />
            </Field>
          ) : (
            <div className="field">
              <span className="label-like">Id</span>
              <span className="mono">{initial!.id}</span>
            </div>
          )}
          <Field id={domId('title')} label="Title" required error={errs.title} hint="Shown to patients at the top of the survey.">
            <input value={d.title} onChange={(e) => setD({ ...d, title: e.target.value })} />
          </Field>
        </div>
      </fieldset>

      <fieldset id={domId('items')} tabIndex={-1} aria-describedby={errs.items ? `${domId('items')}-error` : undefined}>
        <legend>Questions</legend>
        {errs.items && (
          <div className="field-error" id={`${domId('items')}-error`}>
            {errs.items}
          </div>
        )}
        <datalist id={`${P}-measure-ids`}>
          {measures.map((m) => (
            <option key={m.id} value={m.id} />
          ))}
        </datalist>
        <ol className="sb-items">
          {d.items.map((it, i) => (
            <ItemEditor
              key={it.key}
              item={it}
              index={i}
              count={d.items.length}
              kinds={kindList}
              info={it.kind ? kindInfo(it.kind) : undefined}
              errs={errs}
              onChange={(patch) => setItem(it.key, patch)}
              onMove={(by) => move(i, by)}
              onRemove={() => remove(i)}
            />
          ))}
        </ol>
        <button type="button" className="btn" id={`${P}-add-item`} onClick={add}>
          <Icon name="plus" /> Add question
        </button>
      </fieldset>

      {measures.length > 0 && (
        <fieldset>
          <legend>Measures</legend>
          <p className="hint">Questions with the same measure id add up to one measure (a composite: the plain mean of its questions).</p>
          {measures.map((m, i) => (
            <div className="sb-measure" key={m.id}>
              <Field
                id={domId(`measures.${i}.name`)}
                label={
                  <>
                    Name of measure <span className="mono">{m.id}</span>
                  </>
                }
                error={errs[`measures.${i}.name`] ?? errs[`measures.${i}`]}
                hint={`Questions: ${m.item_ids.join(', ')}`}
              >
                <input value={d.measureNames[m.id] ?? m.name} onChange={(e) => setD((o) => ({ ...o, measureNames: { ...o.measureNames, [m.id]: e.target.value } }))} />
              </Field>
            </div>
          ))}
        </fieldset>
      )}

      <div className="form-actions sticky-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : isNew ? 'Create survey' : 'Save as a new version'}
        </button>
        <Link className="btn" to={isNew ? '/surveys' : `/surveys/${encodeURIComponent(initial!.id)}?tab=questions`}>
          Cancel
        </Link>
        <span className="sr-only" role="status">
          {busy ? 'Saving the survey…' : ''}
        </span>
      </div>
    </form>
  );
}

/** Whether the form shows a field for an error key (else the error goes to the banner). */
function keyOnForm(key: string, d: Draft, isNew: boolean): boolean {
  if (key === 'id') return isNew;
  if (key === 'title' || key === 'items') return true;
  const it = /^items\.(\d+)\./.exec(key);
  if (it) return Number(it[1]) < d.items.length;
  const m = /^measures\.(\d+)/.exec(key);
  if (m) return Number(m[1]) < measuresOf(d).length;
  return false;
}

function ItemEditor({
  item,
  index: i,
  count,
  kinds,
  info,
  errs,
  onChange,
  onMove,
  onRemove,
}: {
  item: ItemDraft;
  index: number;
  count: number;
  kinds: SurveyKind[];
  info: SurveyKindInfo | undefined;
  errs: Record<string, string>;
  onChange: (patch: Partial<ItemDraft>) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const n = i + 1;
  const sr = (
    <>
      {' '}
      <span className="sr-only">(question {n})</span>
    </>
  );
  const name = item.id.trim() || `question ${n}`;
  const keepBoxes = item.boxes && item.kind === item.origKind;
  const boxes = keepBoxes ? item.boxes : (info?.default_boxes ?? null);
  const boxesErr = errs[`items.${i}.boxes`];
  return (
    <li className="sb-item">
      <fieldset>
        <legend>Question {n}</legend>
        <div className="grid grid-3">
          <Field id={domId(`items.${i}.id`)} label={<>Item id{sr}</>} required error={errs[`items.${i}.id`]}>
            <input value={item.id} autoComplete="off" spellCheck={false} onChange={(e) => onChange({ id: e.target.value })} />
          </Field>
          <Field id={domId(`items.${i}.kind`)} label={<>Answer kind{sr}</>} required error={errs[`items.${i}.kind`]}>
            <select value={item.kind} onChange={(e) => onChange({ kind: e.target.value as SurveyKind })}>
              <option value="">Choose…</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
          </Field>
          <Field id={domId(`items.${i}.measure_id`)} label={<>Measure id{sr}</>} error={errs[`items.${i}.measure_id`]} hint="Optional.">
            <input value={item.measure_id} list={`${P}-measure-ids`} autoComplete="off" spellCheck={false} onChange={(e) => onChange({ measure_id: e.target.value })} />
          </Field>
        </div>
        <Field id={domId(`items.${i}.text`)} label={<>Question text{sr}</>} required error={errs[`items.${i}.text`]}>
          <textarea rows={2} value={item.text} onChange={(e) => onChange({ text: e.target.value })} />
        </Field>
        {item.kind && (
          <div
            className={`sb-kind-info${boxesErr ? ' has-error' : ''}`}
            id={domId(`items.${i}.boxes`)}
            tabIndex={-1}
            aria-describedby={boxesErr ? `${domId(`items.${i}.boxes`)}-error` : undefined}
          >
            {info && !info.scored ? (
              <p className="muted small">Free-text answers are not scored; they are stored as patient comments with themes and sentiment.</p>
            ) : info ? (
              <>
                <p className="small">
                  <span className="label-like">Answers: </span>
                  {info.options.map((o) => (o.label && o.label !== String(o.value) ? `${o.value} ${o.label}` : String(o.value))).join(' · ')}
                </p>
                {boxes && (
                  <dl className="dl-inline small" aria-label={`Boxes for ${name}`}>
                    <div>
                      <dt>Top box{boxes.top_label ? ` (${boxes.top_label})` : ''}:</dt>
                      <dd>{boxAnswers(boxes.top, info.options)}</dd>
                    </div>
                    <div>
                      <dt>Middle{boxes.middle_label ? ` (${boxes.middle_label})` : ''}:</dt>
                      <dd>{boxAnswers(boxes.middle, info.options)}</dd>
                    </div>
                    <div>
                      <dt>Bottom{boxes.bottom_label ? ` (${boxes.bottom_label})` : ''}:</dt>
                      <dd>{boxAnswers(boxes.bottom, info.options)}</dd>
                    </div>
                  </dl>
                )}
                <p className="muted small">
                  {keepBoxes && !sameBoxes(item.boxes, info.default_boxes) ? 'Boxes as in the current version.' : 'The default boxes for this kind.'}
                </p>
              </>
            ) : null}
            {boxesErr && (
              <div className="field-error" id={`${domId(`items.${i}.boxes`)}-error`}>
                {boxesErr}
              </div>
            )}
          </div>
        )}
        <div className="row-actions">
          <button type="button" id={`${P}-move-up-${i}`} className="btn btn-small" disabled={i === 0} aria-label={`Move ${name} up`} onClick={() => onMove(-1)}>
            Move up
          </button>
          <button type="button" id={`${P}-move-down-${i}`} className="btn btn-small" disabled={i === count - 1} aria-label={`Move ${name} down`} onClick={() => onMove(1)}>
            Move down
          </button>
          <button type="button" className="btn btn-small btn-danger-ghost" aria-label={`Remove ${name}`} onClick={onRemove}>
            Remove
          </button>
        </div>
      </fieldset>
    </li>
  );
}
