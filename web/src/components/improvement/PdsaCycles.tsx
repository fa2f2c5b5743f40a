import { useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { ImprovementProject, PdsaCycle } from '../../api/types';
import {
  CYCLE_FIELDS,
  TITLE_MAX,
  cycleDraft,
  cycleInput,
  defaultCycleStart,
  fmtSpan,
  validateCycle,
  type CycleDraft,
  type CycleField,
} from '../../lib/improvement';
import { useToast } from '../../lib/toast';
import { Field, normaliseField } from '../Field';
import { Modal } from '../Modal';
import { Empty, ErrorAlert, Icon } from '../ui';

const P = 'pc';
const domId = (k: string) => `${P}-${k}`;

const STEPS: { key: 'plan' | 'do_notes' | 'study' | 'act'; label: string; hint: string }[] = [
  { key: 'plan', label: 'Plan', hint: 'The change to test, the prediction, and how it will be measured.' },
  { key: 'do_notes', label: 'Do', hint: 'What was done, and what was observed.' },
  { key: 'study', label: 'Study', hint: 'The results against the prediction.' },
  { key: 'act', label: 'Act', hint: 'Adopt, adapt or abandon — and the next cycle.' },
];

/** The project's PDSA cycles as cards; with `canWrite`, add and edit them in a dialog, delete with a confirm step. */
export function PdsaCycles({ project, canWrite, onChange }: { project: ImprovementProject; canWrite: boolean; onChange: (p: ImprovementProject) => void }) {
  const { notify } = useToast();
  const [editing, setEditing] = useState<PdsaCycle | 'new' | null>(null);
  const [deleting, setDeleting] = useState<PdsaCycle | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const cycles = project.cycles ?? [];

  const remove = async () => {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      const p = await api.deletePdsaCycle(project.id, deleting.id);
      onChange(p);
      notify(`Cycle “${deleting.title}” deleted`);
      setDeleting(null);
    } catch (e) {
      setDeleteError(e);
    } finally {
      setDeleteBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="pdsa-h">
      <div className="section-head">
        <h2 id="pdsa-h">PDSA cycles</h2>
        {canWrite && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setEditing('new')}>
            <Icon name="plus" /> Add cycle
          </button>
        )}
      </div>
      <p className="hint">Each cycle tests one change: plan it, do it, study the result, act on what was learnt. Cycles are drawn on the metric’s chart at their start.</p>
      {cycles.length === 0 ? (
        <Empty>No cycles yet.{canWrite ? ' Add the first change you will test.' : ''}</Empty>
      ) : (
        <ol className="pdsa-list">
          {cycles.map((c, i) => (
            <li key={String(c.id)}>
              <article className="card pdsa-card" aria-labelledby={`pdsa-c-${c.id}`}>
                <div className="pdsa-card-head">
                  <div>
                    <h3 id={`pdsa-c-${c.id}`}>
                      <span className="pdsa-num">PDSA {i + 1}</span>
                      {c.title}
                    </h3>
                    <div className="muted">{fmtSpan(c.start_date, c.end_date, 'running')}</div>
                  </div>
                  {canWrite && (
                    <div className="pdsa-actions">
                      <button type="button" className="btn btn-small" aria-label={`Edit cycle “${c.title}”`} onClick={() => setEditing(c)}>
                        Edit
                      </button>
                      <button
                        type="button"
                        className="btn btn-small btn-danger-ghost"
                        aria-label={`Delete cycle “${c.title}”`}
                        onClick={() => {
                          setDeleteError(null);
                          setDeleting(c);
                        }}
                      >
                        Delete
                      </button>
                    </div>
                  )}
                </div>
                <dl className="pdsa-steps">
                  {STEPS.map((s) => (
                    <div key={s.key}>
                      <dt>{s.label}</dt>
                      <dd>{c[s.key]?.trim() ? c[s.key] : <span className="muted">—</span>}</dd>
                    </div>
                  ))}
                </dl>
              </article>
            </li>
          ))}
        </ol>
      )}

      {editing && (
        <CycleDialog
          project={project}
          cycle={editing === 'new' ? null : editing}
          number={editing === 'new' ? cycles.length + 1 : cycles.indexOf(editing) + 1}
          onClose={() => setEditing(null)}
          onSaved={(p, added) => {
            onChange(p);
            notify(added ? 'Cycle added' : 'Cycle saved');
            setEditing(null);
          }}
        />
      )}

      {deleting && (
        <Modal
          title={`Delete the cycle “${deleting.title}”?`}
          alert
          onClose={() => setDeleting(null)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setDeleting(null)} data-autofocus>
                Keep it
              </button>
              <button type="button" className="btn btn-danger" disabled={deleteBusy} onClick={remove}>
                {deleteBusy ? 'Deleting…' : 'Delete cycle'}
              </button>
            </>
          }
        >
          <p>Its plan, notes and findings are removed, and its marker leaves the chart. This cannot be undone.</p>
          <ErrorAlert error={deleteError} title="Not deleted" />
        </Modal>
      )}
    </section>
  );
}

function CycleDialog({
  project,
  cycle,
  number,
  onClose,
  onSaved,
}: {
  project: ImprovementProject;
  cycle: PdsaCycle | null;
  number: number;
  onClose: () => void;
  onSaved: (p: ImprovementProject, added: boolean) => void;
}) {
  const [d, setD] = useState<CycleDraft>(() => (cycle ? cycleDraft(cycle) : { ...cycleDraft(), start_date: defaultCycleStart(project) }));
  const [errs, setErrs] = useState<Partial<Record<CycleField, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof CycleDraft, v: string) => setD((o) => ({ ...o, [k]: v }));
  const focus = (k: string) => setTimeout(() => document.getElementById(domId(k))?.focus(), 0);
  const formId = `${P}-form`;

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validateCycle(d, project);
    setErrs(e);
    setError(null);
    const first = CYCLE_FIELDS.find((k) => e[k]);
    if (first) return focus(first);
    setBusy(true);
    try {
      const body = cycleInput(d);
      const p = cycle ? await api.updatePdsaCycle(project.id, cycle.id, body) : await api.addPdsaCycle(project.id, body);
      onSaved(p, !cycle);
    } catch (x) {
      const f = api.isApiError(x) && x.status === 400 ? normaliseField(x.field) : '';
      if (f && (CYCLE_FIELDS as readonly string[]).includes(f) && api.isApiError(x)) {
        setErrs({ [f]: x.message });
        focus(f);
      } else setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={cycle ? `Edit PDSA ${number}` : `Add PDSA cycle ${number}`}
      wide
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : cycle ? 'Save cycle' : 'Add cycle'}
          </button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={submit} noValidate aria-label={cycle ? 'Edit PDSA cycle' : 'New PDSA cycle'}>
        <ErrorAlert error={error} title="Not saved" />
        <Field id={domId('title')} label="Title" required error={errs.title} hint="The change being tested.">
          <input value={d.title} maxLength={TITLE_MAX + 50} onChange={(e) => set('title', e.target.value)} data-autofocus />
        </Field>
        <div className="grid grid-2">
          <Field id={domId('start_date')} label="Start date" required error={errs.start_date} hint={`Within the project: ${fmtSpan(project.start_date, project.end_date)}.`}>
            <input type="date" value={d.start_date} min={project.start_date} max={project.end_date ?? undefined} onChange={(e) => set('start_date', e.target.value)} />
          </Field>
          <Field id={domId('end_date')} label="End date" error={errs.end_date} hint="Leave empty while the cycle is running.">
            <input type="date" value={d.end_date} min={d.start_date || project.start_date} max={project.end_date ?? undefined} onChange={(e) => set('end_date', e.target.value)} />
          </Field>
        </div>
        {STEPS.map((s) => (
          <Field key={s.key} id={domId(s.key)} label={s.label} error={errs[s.key]} hint={s.hint}>
            <textarea rows={3} value={d[s.key]} onChange={(e) => set(s.key, e.target.value)} />
          </Field>
        ))}
      </form>
    </Modal>
  );
}
