import { useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { AppointmentType, Modality } from '../../api/types';
import { CheckGroup, idsBack } from '../../components/CheckGroup';
import { Field } from '../../components/Field';
import { Empty, ErrorAlert, Icon } from '../../components/ui';
import { fieldErrorFrom, focusFirstError } from '../../lib/forms';
import { useReference } from '../../lib/reference';
import { useToast } from '../../lib/toast';

const FIELDS = ['name', 'duration_minutes', 'modality', 'provider_ids', 'color', 'active'] as const;

export function TypesAdmin() {
  const ref = useReference();
  const [editing, setEditing] = useState<AppointmentType | null>(null);
  return (
    <section aria-labelledby="types-h">
      <h2 id="types-h">Appointment types</h2>
      <ErrorAlert error={ref.error} onRetry={ref.reload} />
      {ref.types.length === 0 && !ref.loading ? (
        <Empty>No appointment types yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Minutes
                </th>
                <th scope="col">Modality</th>
                <th scope="col">Providers</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ref.types.map((t) => (
                <tr key={String(t.id)} className={t.active === false ? 'row-inactive' : undefined}>
                  <th scope="row">
                    <span className="swatch-inline" style={{ background: t.color || '#8aa' }} aria-hidden="true" /> {t.name}
                  </th>
                  <td className="num">{t.duration_minutes}</td>
                  <td>
                    {t.modality === 'telehealth' ? (
                      <>
                        <Icon name="video" /> Telehealth
                      </>
                    ) : (
                      'In person'
                    )}
                  </td>
                  <td>{(t.provider_ids ?? []).map((id) => ref.provider(id)?.name ?? String(id)).join(', ') || <span className="muted">None</span>}</td>
                  <td>{t.active === false ? 'Inactive' : 'Active'}</td>
                  <td className="num">
                    <button type="button" className="btn btn-small" onClick={() => setEditing(t)}>
                      Edit<span className="sr-only"> {t.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <TypeForm key={editing ? String(editing.id) : 'new'} editing={editing} onDone={() => setEditing(null)} />
    </section>
  );
}

function TypeForm({ editing, onDone }: { editing: AppointmentType | null; onDone: () => void }) {
  const ref = useReference();
  const { notify } = useToast();
  const [name, setName] = useState(editing?.name ?? '');
  const [duration, setDuration] = useState(String(editing?.duration_minutes ?? 20));
  const [modality, setModality] = useState<Modality>(editing?.modality ?? 'in_person');
  const [providers, setProviders] = useState<string[]>((editing?.provider_ids ?? []).map(String));
  const [color, setColor] = useState(editing?.color || '#2f7fbf');
  const [active, setActive] = useState(editing?.active ?? true);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const x: Record<string, string> = {};
    const dur = Number(duration);
    if (!name.trim()) x.name = 'Enter the type name.';
    if (!Number.isInteger(dur) || dur < 5 || dur > 24 * 60) x.duration_minutes = 'Enter whole minutes between 5 and 1440.';
    if (providers.length === 0) x.provider_ids = 'Choose at least one provider who does this type.';
    setErrs(x);
    setError(null);
    if (Object.keys(x).length) return focusFirstError('type', x);
    const body = { name: name.trim(), duration_minutes: dur, modality, provider_ids: idsBack(providers, ref.providers), color, active };
    setBusy(true);
    try {
      if (editing) await api.updateAppointmentType(editing.id, body);
      else await api.createAppointmentType(body);
      notify(editing ? `Saved ${body.name}` : `Appointment type ${body.name} added`);
      ref.reload();
      if (!editing) {
        setName('');
        setProviders([]);
      }
      onDone();
    } catch (err) {
      if (!fieldErrorFrom(err, 'type', FIELDS, setErrs)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="type-form-h">
      <h3 id="type-form-h">{editing ? `Edit ${editing.name}` : 'Add appointment type'}</h3>
      <ErrorAlert error={error} title="Not saved" />
      <div className="grid grid-4">
        <Field id="type-name" label="Type name" required error={errs.name} className="span-2">
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field id="type-duration_minutes" label="Duration (minutes)" required error={errs.duration_minutes}>
          <input type="number" min={5} step={5} inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} />
        </Field>
        <Field id="type-color" label="Calendar colour" error={errs.color}>
          <input type="color" value={color} onChange={(e) => setColor(e.target.value)} />
        </Field>
      </div>
      <fieldset className="radios" id="type-modality">
        <legend>Modality</legend>
        <div className="check">
          <input id="type-mod-in" type="radio" name="modality" checked={modality === 'in_person'} onChange={() => setModality('in_person')} />
          <label htmlFor="type-mod-in">In person</label>
        </div>
        <div className="check">
          <input id="type-mod-tele" type="radio" name="modality" checked={modality === 'telehealth'} onChange={() => setModality('telehealth')} />
          <label htmlFor="type-mod-tele">Telehealth (video)</label>
        </div>
      </fieldset>
      <CheckGroup
        id="type-provider_ids"
        legend="Eligible providers"
        options={ref.providers.filter((p) => p.active !== false || providers.includes(String(p.id))).map((p) => ({ id: p.id, label: p.name, hint: p.specialty ?? undefined }))}
        value={providers}
        onChange={setProviders}
        error={errs.provider_ids}
        empty="Add a provider first."
      />
      <div className="check">
        <input id="type-active" type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        <label htmlFor="type-active">Active (can be booked)</label>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save type' : 'Add appointment type'}
        </button>
        {editing && (
          <button type="button" className="btn" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
