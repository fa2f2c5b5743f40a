import { cloneElement, useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../api';
import type { BusinessCalendar, CaseKind, DayCount, DeadlineRule, Location, Milestone, RelationsSettings } from '../api/types';
import { CheckGroup } from '../components/CheckGroup';
import { Field, normaliseField } from '../components/Field';
import { Empty, ErrorAlert, Icon, PageHeader, Spinner } from '../components/ui';
import { useApi, useTitle } from '../lib/hooks';
import { rememberedLocation, useReference } from '../lib/reference';
import {
  DAY_COUNT_LABEL,
  KIND_LABEL,
  KIND_PLURAL,
  MILESTONES_FOR,
  MILESTONE_LABEL,
  PLACEHOLDERS,
  hasUnbalancedBraces,
  label,
  unknownPlaceholders,
} from '../lib/relations';
import { useToast } from '../lib/toast';
import { WEEKDAYS, fmtDate } from '../lib/time';

const KINDS: CaseKind[] = ['complaint', 'grievance', 'inquiry'];
const P = 'rs';

interface RuleDraft {
  key: number;
  milestone: Milestone;
  days: string;
  count: DayCount;
  remind_before_hours: string;
}
interface Draft {
  organization_name: string;
  categories: { key: number; name: string }[];
  policy: Record<CaseKind, RuleDraft[]>;
  letter_template: string;
}
let nextKey = 1;

function draftFrom(s: RelationsSettings): Draft {
  const rules = (list: DeadlineRule[] | undefined): RuleDraft[] =>
    (list ?? []).map((r) => ({
      key: nextKey++,
      milestone: r.milestone,
      days: String(r.days ?? ''),
      count: r.count ?? 'business_days',
      remind_before_hours: String(r.remind_before_hours ?? 0),
    }));
  return {
    organization_name: s.organization_name ?? '',
    categories: (s.categories ?? []).map((name) => ({ key: nextKey++, name })),
    policy: { complaint: rules(s.deadline_policy?.complaint), grievance: rules(s.deadline_policy?.grievance), inquiry: rules(s.deadline_policy?.inquiry) },
    letter_template: s.letter_template ?? '',
  };
}

function toSettings(d: Draft): RelationsSettings {
  const rules = (list: RuleDraft[]): DeadlineRule[] =>
    list.map((r) => ({ milestone: r.milestone, days: Number(r.days), count: r.count, remind_before_hours: Number(r.remind_before_hours) }));
  return {
    organization_name: d.organization_name.trim(),
    categories: d.categories.map((c) => c.name.trim()),
    deadline_policy: { complaint: rules(d.policy.complaint), grievance: rules(d.policy.grievance), inquiry: rules(d.policy.inquiry) },
    letter_template: d.letter_template,
  };
}

/** Error keys: organization_name, categories, categories.N, KIND (table), KIND.N.FIELD, letter_template. */
export function validateSettings(d: Draft): Record<string, string> {
  const e: Record<string, string> = {};
  if (!d.organization_name.trim()) e.organization_name = 'Enter the organisation’s name, as it appears on letters.';
  if (d.categories.length === 0) e.categories = 'Add at least one category.';
  const seen = new Set<string>();
  d.categories.forEach((c, i) => {
    const n = c.name.trim().toLowerCase();
    if (!n) e[`categories.${i}`] = 'Enter a name or remove this category.';
    else if (seen.has(n)) e[`categories.${i}`] = `“${c.name.trim()}” is listed twice.`;
    seen.add(n);
  });
  for (const k of KINDS) {
    const ms = new Set<string>();
    d.policy[k].forEach((r, i) => {
      if (ms.has(r.milestone)) e[`${k}.${i}.milestone`] = `${MILESTONE_LABEL[r.milestone]} appears twice for ${KIND_PLURAL[k].toLowerCase()}.`;
      ms.add(r.milestone);
      const days = Number(r.days);
      if (r.days.trim() === '' || !Number.isInteger(days) || days < 0 || days > 365) e[`${k}.${i}.days`] = 'Enter whole days from 0 to 365.';
      const h = Number(r.remind_before_hours);
      if (r.remind_before_hours.trim() === '' || !Number.isInteger(h) || h < 0 || h > 24 * 60) e[`${k}.${i}.remind_before_hours`] = 'Enter whole hours, 0 or more.';
    });
  }
  if (!d.letter_template.trim()) e.letter_template = 'Enter the letter template.';
  else {
    const unknown = unknownPlaceholders(d.letter_template);
    if (unknown.length) e.letter_template = `Unknown placeholder${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => `{{${u}}}`).join(', ')}. Use one from the list.`;
    else if (hasUnbalancedBraces(d.letter_template)) e.letter_template = 'A placeholder is missing a brace: write them as {{name}}.';
  }
  return e;
}

/** Map an API error field to our error key (see validateSettings). */
export function settingsErrorKey(field: string, d: Draft): string | null {
  const f = normaliseField(field).replace(/^deadline_policy\./, '');
  if (f === 'template' || f === 'letter_template') return 'letter_template';
  if (f === 'organization_name') return f;
  const cat = /^categories(?:\.(\d+))?$/.exec(f);
  if (cat) return cat[1] !== undefined ? `categories.${cat[1]}` : 'categories';
  const m = /^(complaint|grievance|inquiry)(?:\.([a-z_]+|\d+)(?:\.([a-z_]+))?)?$/.exec(f);
  if (!m) return null;
  const kind = m[1] as CaseKind;
  if (m[2] === undefined) return kind;
  const idx = /^\d+$/.test(m[2]) ? Number(m[2]) : d.policy[kind].findIndex((r) => r.milestone === m[2]);
  if (idx < 0 || idx >= d.policy[kind].length) return kind;
  return `${kind}.${idx}.${m[3] ?? 'milestone'}`;
}
const domId = (key: string) => `${P}-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

export function RelationsSettingsPage() {
  useTitle('Relations settings');
  const res = useApi((signal) => api.getRelationsSettings({ signal }), []);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/cases">Patient relations</Link> <span aria-hidden="true">›</span> Settings
      </p>
      <PageHeader title="Relations settings" sub="Categories, deadlines, the decision-letter template and business calendars." />
      {res.loading && !res.data && <Spinner label="Loading settings…" />}
      <ErrorAlert error={res.error} title="Could not load settings" onRetry={res.reload} />
      {res.data && <SettingsForm key={JSON.stringify(res.data)} initial={res.data} onSaved={(s) => res.setData(s)} />}
      <CalendarEditor />
    </div>
  );
}

function SettingsForm({ initial, onSaved }: { initial: RelationsSettings; onSaved: (s: RelationsSettings) => void }) {
  const { notify } = useToast();
  const [d, setD] = useState<Draft>(() => draftFrom(initial));
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [newCat, setNewCat] = useState('');
  const tplRef = useRef<HTMLTextAreaElement>(null);
  const err = (k: string) => errs[k];
  const focus = (k: string) => setTimeout(() => document.getElementById(domId(k))?.focus(), 0);

  const setRules = (k: CaseKind, f: (r: RuleDraft[]) => RuleDraft[]) => setD((o) => ({ ...o, policy: { ...o.policy, [k]: f(o.policy[k]) } }));
  const updRule = (k: CaseKind, key: number, patch: Partial<RuleDraft>) => setRules(k, (rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const addCategory = () => {
    const name = newCat.trim();
    if (!name) {
      setErrs({ new_category: 'Type the new category’s name first.' });
      focus('new_category');
      return;
    }
    if (d.categories.some((c) => c.name.trim().toLowerCase() === name.toLowerCase())) {
      setErrs({ new_category: `“${name}” is already a category.` });
      focus('new_category');
      return;
    }
    setErrs({});
    setD((o) => ({ ...o, categories: [...o.categories, { key: nextKey++, name }] }));
    setNewCat('');
  };
  const moveCategory = (i: number, by: number) =>
    setD((o) => {
      const list = o.categories.slice();
      const j = i + by;
      if (j < 0 || j >= list.length) return o;
      [list[i], list[j]] = [list[j], list[i]];
      return { ...o, categories: list };
    });

  const insertPlaceholder = (key: string) => {
    const el = tplRef.current;
    const token = `{{${key}}}`;
    const start = el?.selectionStart ?? d.letter_template.length;
    const end = el?.selectionEnd ?? start;
    const text = d.letter_template.slice(0, start) + token + d.letter_template.slice(end);
    setD((o) => ({ ...o, letter_template: text }));
    setTimeout(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    }, 0);
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validateSettings(d);
    setErrs(e);
    setError(null);
    const first = Object.keys(e)[0];
    if (first) return focus(first);
    setBusy(true);
    try {
      const saved = await api.saveRelationsSettings(toSettings(d));
      notify('Relations settings saved');
      onSaved(saved);
    } catch (x) {
      const key = api.isApiError(x) && x.field ? settingsErrorKey(x.field, d) : null;
      if (key && api.isApiError(x)) {
        setErrs({ [key]: x.message });
        focus(key);
      } else setError(x);
    } finally {
      setBusy(false);
    }
  };

  const errorCount = Object.keys(errs).filter((k) => k !== 'new_category').length;
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Relations settings">
      {errorCount > 0 && (
        <div className="alert alert-error" role="alert">
          <Icon name="alert" />
          <div>
            {errorCount === 1 ? 'One field needs attention' : `${errorCount} fields need attention`}:{' '}
            {Object.entries(errs).find(([k]) => k !== 'new_category')?.[1]}
          </div>
        </div>
      )}
      <ErrorAlert error={error} title="Not saved" />

      <fieldset>
        <legend>Organisation</legend>
        <Field id={domId('organization_name')} label="Organisation name" required error={err('organization_name')} hint="Shown on the public form and in letters.">
          <input value={d.organization_name} onChange={(e) => setD({ ...d, organization_name: e.target.value })} />
        </Field>
      </fieldset>

      <fieldset id={domId('categories')} tabIndex={-1} aria-describedby={err('categories') ? `${domId('categories')}-error` : undefined}>
        <legend>Categories</legend>
        <p className="hint">Offered at intake and on the public form, in this order. Removing a category keeps it on existing cases.</p>
        {err('categories') && (
          <div className="field-error" id={`${domId('categories')}-error`}>
            {err('categories')}
          </div>
        )}
        {d.categories.length === 0 ? (
          <Empty>No categories.</Empty>
        ) : (
          <ol className="cat-list">
            {d.categories.map((c, i) => (
              <li key={c.key} className="cat-row">
                <Field id={domId(`categories.${i}`)} label={<span className="sr-only">Category {i + 1}</span>} error={err(`categories.${i}`)}>
                  <input
                    value={c.name}
                    onChange={(e) => setD((o) => ({ ...o, categories: o.categories.map((x) => (x.key === c.key ? { ...x, name: e.target.value } : x)) }))}
                  />
                </Field>
                <div className="row-actions">
                  <button type="button" className="btn btn-small" disabled={i === 0} aria-label={`Move ${c.name} up`} onClick={() => moveCategory(i, -1)}>
                    Up
                  </button>
                  <button type="button" className="btn btn-small" disabled={i === d.categories.length - 1} aria-label={`Move ${c.name} down`} onClick={() => moveCategory(i, 1)}>
                    Down
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger-ghost"
                    aria-label={`Remove ${c.name || `category ${i + 1}`}`}
                    onClick={() => setD((o) => ({ ...o, categories: o.categories.filter((x) => x.key !== c.key) }))}
                  >
                    Remove
                  </button>
                </div>
              </li>
            ))}
          </ol>
        )}
        <div className="add-row">
          <Field id={domId('new_category')} label="New category" error={err('new_category')}>
            <input
              value={newCat}
              onChange={(e) => setNewCat(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addCategory();
                }
              }}
            />
          </Field>
          <button type="button" className="btn" onClick={addCategory}>
            <Icon name="plus" /> Add category
          </button>
        </div>
      </fieldset>

      <fieldset>
        <legend>Deadlines</legend>
        <p className="hint">
          When each milestone is due, counted from the day the case was received. Business days skip the location’s non-working days and
          holidays (calendar below). Reminders go to the case owner.
        </p>
        {KINDS.map((k) => (
          <PolicyTable
            key={k}
            kind={k}
            rules={d.policy[k]}
            errs={errs}
            onChange={(key, patch) => updRule(k, key, patch)}
            onRemove={(key) => setRules(k, (rs) => rs.filter((r) => r.key !== key))}
            onAdd={() =>
              setRules(k, (rs) => {
                const used = new Set(rs.map((r) => r.milestone));
                const m = MILESTONES_FOR[k].find((x) => !used.has(x)) ?? MILESTONES_FOR[k][0];
                return [...rs, { key: nextKey++, milestone: m, days: '', count: 'business_days', remind_before_hours: '24' }];
              })
            }
          />
        ))}
      </fieldset>

      <fieldset>
        <legend>Decision letter template</legend>
        <div className="template-layout">
          <Field
            id={domId('letter_template')}
            label="Template"
            required
            error={err('letter_template')}
            hint="Plain text. Placeholders in double braces are filled in from the case and the letter form."
          >
            <textarea ref={tplRef} rows={18} className="mono" value={d.letter_template} onChange={(e) => setD({ ...d, letter_template: e.target.value })} />
          </Field>
          <div className="placeholder-list">
            <h3 className="subhead" id="ph-h">
              Placeholders
            </h3>
            <ul aria-labelledby="ph-h">
              {PLACEHOLDERS.map((p) => (
                <li key={p.key}>
                  <button type="button" className="btn btn-small ph-btn" aria-label={`Insert {{${p.key}}}`} aria-describedby={`ph-${p.key}`} onClick={() => insertPlaceholder(p.key)}>
                    <code>{`{{${p.key}}}`}</code>
                  </button>
                  <span className="muted small" id={`ph-${p.key}`}>
                    {p.text}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </fieldset>

      <div className="form-actions sticky-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

function PolicyTable({
  kind,
  rules,
  errs,
  onChange,
  onRemove,
  onAdd,
}: {
  kind: CaseKind;
  rules: RuleDraft[];
  errs: Record<string, string>;
  onChange: (key: number, patch: Partial<RuleDraft>) => void;
  onRemove: (key: number) => void;
  onAdd: () => void;
}) {
  const capId = `${P}-${kind}-cap`;
  const tableErr = errs[kind];
  const cellErr = (i: number, f: string) => errs[`${kind}.${i}.${f}`];
  const cell = (i: number, f: string, lbl: string, control: ReactElement<Record<string, unknown>>) => {
    const id = domId(`${kind}.${i}.${f}`);
    const e = cellErr(i, f);
    return (
      <td className={e ? 'has-error' : undefined}>
        <label htmlFor={id} className="sr-only">
          {lbl} ({KIND_LABEL[kind].toLowerCase()}, row {i + 1})
        </label>
        {cloneElement(control, { id, 'aria-invalid': e ? true : undefined, 'aria-describedby': e ? `${id}-error` : undefined })}
        {e && (
          <div className="field-error" id={`${id}-error`}>
            {e}
          </div>
        )}
      </td>
    );
  };
  const options = (current: Milestone) => {
    const list: Milestone[] = MILESTONES_FOR[kind].includes(current) ? MILESTONES_FOR[kind] : [...MILESTONES_FOR[kind], current];
    return list.map((m) => (
      <option key={m} value={m}>
        {MILESTONE_LABEL[m]}
      </option>
    ));
  };
  return (
    <div className="policy" id={domId(kind)} tabIndex={-1}>
      <h3 id={capId}>{KIND_PLURAL[kind]}</h3>
      {tableErr && <div className="field-error">{tableErr}</div>}
      {rules.length === 0 ? (
        <p className="muted small">No deadlines for {KIND_PLURAL[kind].toLowerCase()}.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-dense policy-table" aria-labelledby={capId}>
            <thead>
              <tr>
                <th scope="col">Milestone</th>
                <th scope="col">Within (days)</th>
                <th scope="col">Counting</th>
                <th scope="col">Remind (hours before)</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r, i) => (
                <tr key={r.key}>
                  {cell(i, 'milestone', 'Milestone', <select value={r.milestone} onChange={(e) => onChange(r.key, { milestone: e.target.value as Milestone })}>{options(r.milestone)}</select>)}
                  {cell(i, 'days', 'Days', <input type="number" min={0} max={365} inputMode="numeric" className="num-input" value={r.days} onChange={(e) => onChange(r.key, { days: e.target.value })} />)}
                  {cell(
                    i,
                    'count',
                    'Counting',
                    <select value={r.count} onChange={(e) => onChange(r.key, { count: e.target.value as DayCount })}>
                      {(Object.keys(DAY_COUNT_LABEL) as DayCount[]).map((c) => (
                        <option key={c} value={c}>
                          {DAY_COUNT_LABEL[c]}
                        </option>
                      ))}
                    </select>,
                  )}
                  {cell(i, 'remind_before_hours', 'Remind hours before', <input type="number" min={0} inputMode="numeric" className="num-input" value={r.remind_before_hours} onChange={(e) => onChange(r.key, { remind_before_hours: e.target.value })} />)}
                  <td className="num">
                    <button
                      type="button"
                      className="btn btn-small btn-danger-ghost"
                      aria-label={`Remove ${label(MILESTONE_LABEL, r.milestone)} for ${KIND_PLURAL[kind].toLowerCase()}`}
                      onClick={() => onRemove(r.key)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rules.length < MILESTONES_FOR[kind].length && (
        <button type="button" className="btn btn-small" onClick={onAdd}>
          <Icon name="plus" /> Add milestone<span className="sr-only"> for {KIND_PLURAL[kind].toLowerCase()}</span>
        </button>
      )}
    </div>
  );
}

// ---- business calendar per location ------------------------------------------------------------
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

function CalendarEditor() {
  const ref = useReference();
  const [locationId, setLocationId] = useState<string>(() => rememberedLocation() ?? '');
  useEffect(() => {
    if (ref.loading || !ref.locations.length) return;
    if (!ref.location(locationId)) setLocationId(String(ref.locations[0].id));
  }, [ref, locationId]);
  const loc = ref.location(locationId);
  const cal = useApi((signal) => api.getLocationCalendar(locationId, { signal }), [locationId], !!loc);

  return (
    <section className="panel" aria-labelledby="cal-h">
      <h2 id="cal-h">Business calendar</h2>
      <p className="hint">Working days and holidays per location, used to count business-day deadlines.</p>
      <div className="field inline">
        <label htmlFor="cal-location">Location</label>
        <select id="cal-location" value={locationId} onChange={(e) => setLocationId(e.target.value)}>
          {ref.locations.map((l) => (
            <option key={String(l.id)} value={String(l.id)}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      {cal.loading && <Spinner label="Loading calendar…" />}
      <ErrorAlert error={cal.error} title="Could not load the calendar" onRetry={cal.reload} />
      {cal.data && !cal.loading && loc && (
        <CalendarForm key={`${locationId}:${JSON.stringify(cal.data)}`} location={loc} initial={cal.data} onSaved={(c) => cal.setData(c)} />
      )}
    </section>
  );
}

function CalendarForm({ location, initial, onSaved }: { location: Location; initial: BusinessCalendar; onSaved: (c: BusinessCalendar) => void }) {
  const { notify } = useToast();
  const [weekdays, setWeekdays] = useState<string[]>(() => (initial.working_weekdays ?? []).map(String));
  const [holidays, setHolidays] = useState<string[]>(() => [...(initial.holidays ?? [])].sort());
  const [newDate, setNewDate] = useState('');
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const addHoliday = () => {
    if (!newDate || !/^\d{4}-\d{2}-\d{2}$/.test(newDate)) {
      setErrs({ new_holiday: 'Choose the holiday’s date.' });
      document.getElementById('cal-new_holiday')?.focus();
      return;
    }
    if (holidays.includes(newDate)) {
      setErrs({ new_holiday: `${fmtDate(newDate)} is already a holiday.` });
      document.getElementById('cal-new_holiday')?.focus();
      return;
    }
    setErrs({});
    setHolidays((h) => [...h, newDate].sort());
    setNewDate('');
  };

  const save = async (ev: FormEvent) => {
    ev.preventDefault();
    if (weekdays.length === 0) {
      setErrs({ working_weekdays: 'Choose at least one working day.' });
      document.getElementById('cal-working_weekdays')?.focus();
      return;
    }
    setErrs({});
    setError(null);
    setBusy(true);
    try {
      const saved = await api.saveLocationCalendar(location.id, { working_weekdays: weekdays.map(Number).sort((a, b) => a - b), holidays });
      notify(`Calendar for ${location.name} saved`);
      onSaved(saved ?? { working_weekdays: weekdays.map(Number), holidays });
    } catch (x) {
      const f = api.isApiError(x) && x.field ? normaliseField(x.field) : '';
      if (api.isApiError(x) && f.startsWith('working_weekdays')) setErrs({ working_weekdays: x.message });
      else if (api.isApiError(x) && f.startsWith('holidays')) setErrs({ holidays: x.message });
      else setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form cal-form" onSubmit={save} noValidate aria-label={`Business calendar for ${location.name}`}>
      <ErrorAlert error={error} title="Calendar not saved" />
      <CheckGroup
        id="cal-working_weekdays"
        legend="Working days"
        options={WEEK_ORDER.map((n) => ({ id: n, label: WEEKDAYS[n] }))}
        value={weekdays}
        onChange={setWeekdays}
        error={errs.working_weekdays}
      />
      <fieldset className="checkgroup" aria-describedby={errs.holidays ? 'cal-holidays-error' : undefined}>
        <legend>Holidays</legend>
        {errs.holidays && (
          <div className="field-error" id="cal-holidays-error">
            {errs.holidays}
          </div>
        )}
        {holidays.length === 0 ? (
          <p className="muted small">No holidays.</p>
        ) : (
          <ul className="holiday-list">
            {holidays.map((h) => (
              <li key={h}>
                <span>{fmtDate(h)}</span>
                <button type="button" className="btn-icon small" aria-label={`Remove holiday ${fmtDate(h)}`} onClick={() => setHolidays((l) => l.filter((x) => x !== h))}>
                  <Icon name="close" />
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="add-row">
          <Field id="cal-new_holiday" label="Add a holiday" error={errs.new_holiday}>
            <input
              type="date"
              value={newDate}
              onChange={(e) => setNewDate(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addHoliday();
                }
              }}
            />
          </Field>
          <button type="button" className="btn" onClick={addHoliday}>
            <Icon name="plus" /> Add holiday
          </button>
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save calendar'}
        </button>
      </div>
    </form>
  );
}
