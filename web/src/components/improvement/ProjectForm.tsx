import { useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { ImprovementProject, ImprovementProjectInput, MetricDefinition } from '../../api/types';
import {
  AIM_MAX,
  PROJECT_FIELDS,
  PROJECT_STATUSES,
  PROJECT_STATUS_LABEL,
  TITLE_MAX,
  projectInput,
  validateProject,
  type ProjectDraft,
  type ProjectField,
} from '../../lib/improvement';
import { useReference } from '../../lib/reference';
import { Field, normaliseField } from '../Field';
import { ErrorAlert, Icon } from '../ui';

const P = 'ip';
const domId = (k: string) => `${P}-${k}`;

/**
 * The project's own fields. Checks what it can before sending; a 400 from the server lands at the field it names.
 * `onSubmit` sends the body and returns the saved project (create or update).
 */
export function ProjectForm({
  initial,
  metrics,
  metricsLoading,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: ProjectDraft;
  metrics: MetricDefinition[];
  metricsLoading?: boolean;
  submitLabel: string;
  onSubmit: (body: ImprovementProjectInput) => Promise<ImprovementProject | void>;
  onCancel?: () => void;
}) {
  const ref = useReference();
  const [d, setD] = useState<ProjectDraft>(initial);
  const [errs, setErrs] = useState<Partial<Record<ProjectField, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ProjectDraft>(k: K, v: ProjectDraft[K]) => setD((o) => ({ ...o, [k]: v }));
  const focus = (k: string) => setTimeout(() => document.getElementById(domId(k))?.focus(), 0);
  const metric = metrics.find((m) => m.key === d.metric_key);
  const metricKnown = !d.metric_key || !!metric;
  const locationKnown = !d.location_id || ref.locations.some((l) => String(l.id) === d.location_id);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validateProject(d);
    setErrs(e);
    setError(null);
    const first = PROJECT_FIELDS.find((k) => e[k]);
    if (first) return focus(first);
    const body = projectInput(d);
    const loc = d.location_id ? ref.locations.find((l) => String(l.id) === d.location_id) : undefined;
    if (loc) body.location_id = loc.id;
    setBusy(true);
    try {
      await onSubmit(body);
    } catch (x) {
      const f = api.isApiError(x) && x.status === 400 ? normaliseField(x.field) : '';
      if (f && (PROJECT_FIELDS as readonly string[]).includes(f) && api.isApiError(x)) {
        setErrs({ [f]: x.message });
        focus(f);
      } else setError(x);
    } finally {
      setBusy(false);
    }
  };

  const errCount = Object.keys(errs).length;
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Improvement project">
      {errCount > 0 && (
        <div className="alert alert-error" role="alert">
          <Icon name="alert" />
          <div>
            {errCount === 1 ? 'One field needs attention' : `${errCount} fields need attention`}: {PROJECT_FIELDS.map((k) => errs[k]).find(Boolean)}
          </div>
        </div>
      )}
      <ErrorAlert error={error} title="Not saved" />
      <fieldset>
        <legend>Project</legend>
        <Field id={domId('title')} label="Title" required error={errs.title}>
          <input value={d.title} maxLength={TITLE_MAX + 50} onChange={(e) => set('title', e.target.value)} />
        </Field>
        <Field id={domId('aim')} label="Aim" required error={errs.aim} hint="What will improve, by how much, for whom and by when.">
          <textarea rows={4} value={d.aim} maxLength={AIM_MAX + 200} onChange={(e) => set('aim', e.target.value)} />
        </Field>
        <div className="grid grid-3">
          <Field id={domId('metric_key')} label="Metric" required error={errs.metric_key} hint={metric?.definition}>
            <select value={d.metric_key} onChange={(e) => set('metric_key', e.target.value)}>
              <option value="">{metricsLoading ? 'Loading metrics…' : 'Choose a metric'}</option>
              {!metricKnown && <option value={d.metric_key}>{d.metric_key}</option>}
              {metrics.map((m) => (
                <option key={m.key} value={m.key}>
                  {m.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id={domId('location_id')} label="Location" error={errs.location_id}>
            <select value={d.location_id} onChange={(e) => set('location_id', e.target.value)}>
              <option value="">All locations</option>
              {!locationKnown && <option value={d.location_id}>Location {d.location_id}</option>}
              {ref.locations.map((l) => (
                <option key={String(l.id)} value={String(l.id)}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id={domId('owner')} label="Owner" error={errs.owner} hint="Who leads the project.">
            <input value={d.owner} autoComplete="off" onChange={(e) => set('owner', e.target.value)} />
          </Field>
        </div>
        <div className="grid grid-4">
          <Field id={domId('start_date')} label="Start date" required error={errs.start_date}>
            <input type="date" value={d.start_date} onChange={(e) => set('start_date', e.target.value)} />
          </Field>
          <Field id={domId('end_date')} label="End date" error={errs.end_date} hint="Leave empty while open-ended.">
            <input type="date" value={d.end_date} onChange={(e) => set('end_date', e.target.value)} />
          </Field>
          <Field id={domId('target')} label={metric?.unit ? `Target (${metric.unit})` : 'Target'} error={errs.target} hint="The value you aim for; optional.">
            <input type="number" step="any" inputMode="decimal" className="num-input" value={d.target} onChange={(e) => set('target', e.target.value)} />
          </Field>
          <Field id={domId('status')} label="Status" required error={errs.status}>
            <select value={d.status} onChange={(e) => set('status', e.target.value as ProjectDraft['status'])}>
              {PROJECT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {PROJECT_STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
