import { useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { Provider } from '../../api/types';
import { CheckGroup, idsBack } from '../../components/CheckGroup';
import { Field } from '../../components/Field';
import { Empty, ErrorAlert } from '../../components/ui';
import { fieldErrorFrom, focusFirstError } from '../../lib/forms';
import { useReference } from '../../lib/reference';
import { useToast } from '../../lib/toast';

const FIELDS = ['name', 'specialty', 'location_ids', 'max_overbook', 'active'] as const;

export function ProvidersAdmin() {
  const ref = useReference();
  const [editing, setEditing] = useState<Provider | null>(null);
  const locName = (id: unknown) => ref.location(id as string)?.name ?? String(id);
  return (
    <section aria-labelledby="prov-h">
      <h2 id="prov-h">Providers</h2>
      <ErrorAlert error={ref.error} onRetry={ref.reload} />
      {ref.providers.length === 0 && !ref.loading ? (
        <Empty>No providers yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Specialty</th>
                <th scope="col">Locations</th>
                <th scope="col" className="num">
                  Max overbook
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ref.providers.map((p) => (
                <tr key={String(p.id)} className={p.active === false ? 'row-inactive' : undefined}>
                  <th scope="row">{p.name}</th>
                  <td>{p.specialty ?? ''}</td>
                  <td>{(p.location_ids ?? []).map(locName).join(', ')}</td>
                  <td className="num">{p.max_overbook ? p.max_overbook : 'Never'}</td>
                  <td>{p.active === false ? 'Inactive' : 'Active'}</td>
                  <td className="num">
                    <button type="button" className="btn btn-small" onClick={() => setEditing(p)}>
                      Edit<span className="sr-only"> {p.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ProviderForm key={editing ? String(editing.id) : 'new'} editing={editing} onDone={() => setEditing(null)} />
    </section>
  );
}

function ProviderForm({ editing, onDone }: { editing: Provider | null; onDone: () => void }) {
  const ref = useReference();
  const { notify } = useToast();
  const [name, setName] = useState(editing?.name ?? '');
  const [specialty, setSpecialty] = useState(editing?.specialty ?? '');
  const [locs, setLocs] = useState<string[]>((editing?.location_ids ?? []).map(String));
  const [maxOver, setMaxOver] = useState(String(editing?.max_overbook ?? 0));
  const [active, setActive] = useState(editing?.active ?? true);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const x: Record<string, string> = {};
    const mo = Number(maxOver);
    if (!name.trim()) x.name = 'Enter the provider’s name.';
    if (locs.length === 0) x.location_ids = 'Choose at least one location.';
    if (!Number.isInteger(mo) || mo < 0) x.max_overbook = 'Enter 0 (never) or a whole number.';
    setErrs(x);
    setError(null);
    if (Object.keys(x).length) return focusFirstError('prov', x);
    const body = { name: name.trim(), specialty: specialty.trim(), location_ids: idsBack(locs, ref.locations), max_overbook: mo, active };
    setBusy(true);
    try {
      if (editing) await api.updateProvider(editing.id, body);
      else await api.createProvider(body);
      notify(editing ? `Saved ${body.name}` : `Provider ${body.name} added`);
      ref.reload();
      if (!editing) {
        setName('');
        setSpecialty('');
        setLocs([]);
        setMaxOver('0');
      }
      onDone();
    } catch (err) {
      if (!fieldErrorFrom(err, 'prov', FIELDS, setErrs)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="prov-form-h">
      <h3 id="prov-form-h">{editing ? `Edit ${editing.name}` : 'Add provider'}</h3>
      <ErrorAlert error={error} title="Not saved" />
      <div className="grid grid-3">
        <Field id="prov-name" label="Provider name" required error={errs.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field id="prov-specialty" label="Specialty" error={errs.specialty}>
          <input value={specialty} onChange={(e) => setSpecialty(e.target.value)} />
        </Field>
        <Field id="prov-max_overbook" label="Max overbook per slot" error={errs.max_overbook} hint="0 = never overbook.">
          <input type="number" min={0} inputMode="numeric" value={maxOver} onChange={(e) => setMaxOver(e.target.value)} />
        </Field>
      </div>
      <CheckGroup
        id="prov-location_ids"
        legend="Works at"
        options={ref.locations.map((l) => ({ id: l.id, label: l.name }))}
        value={locs}
        onChange={setLocs}
        error={errs.location_ids}
        empty="Add a location first."
      />
      <div className="check">
        <input id="prov-active" type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        <label htmlFor="prov-active">Active (can be booked)</label>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save provider' : 'Add provider'}
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
