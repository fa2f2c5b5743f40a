import { useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { Role, User } from '../../api/types';
import { ROLES } from '../../api/types';
import { Field } from '../../components/Field';
import { LocationSelect } from '../../components/LocationSelect';
import { Modal } from '../../components/Modal';
import { Empty, ErrorAlert, Spinner } from '../../components/ui';
import { fieldErrorFrom, focusFirstError } from '../../lib/forms';
import { useApi } from '../../lib/hooks';
import { useReference } from '../../lib/reference';
import { ROLE_LABEL } from '../../lib/roles';
import { useToast } from '../../lib/toast';

const FIELDS = ['username', 'display_name', 'role', 'password', 'location_id', 'department'] as const;

/** "Riverside Clinic · Cardiology", "Riverside Clinic", or "" without a unit. */
function unitLabel(u: Pick<User, 'location_id' | 'department'>, locationName: (id: string) => string | undefined): string {
  if (u.location_id === null || u.location_id === undefined || u.location_id === '') return '';
  const loc = locationName(String(u.location_id)) ?? `Location ${u.location_id}`;
  return u.department ? `${loc} · ${u.department}` : loc;
}

export function UsersAdmin() {
  const users = useApi((signal) => api.listUsers({ signal }), []);
  const { notify } = useToast();
  const [roleDraft, setRoleDraft] = useState<Record<string, Role>>({});
  const [rowErr, setRowErr] = useState<{ id: string; error: unknown } | null>(null);
  const [resetFor, setResetFor] = useState<User | null>(null);
  const [unitFor, setUnitFor] = useState<User | null>(null);
  const ref = useReference();
  const locName = (id: string) => ref.location(id)?.name;

  const save = async (u: User, patch: Partial<User> & { password?: string }, msg: string) => {
    setRowErr(null);
    try {
      await api.updateUser(u.id, {
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        active: u.active,
        location_id: u.location_id ?? null,
        department: u.department ?? '',
        ...patch,
      });
      notify(msg);
      setRoleDraft((d) => {
        const n = { ...d };
        delete n[String(u.id)];
        return n;
      });
      users.reload();
      return true;
    } catch (e) {
      setRowErr({ id: String(u.id), error: e });
      return false;
    }
  };

  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      {users.loading && <Spinner label="Loading users…" />}
      <ErrorAlert error={users.error} title="Could not load users" onRetry={users.reload} />
      {users.data &&
        (users.data.items.length === 0 ? (
          <Empty>No users.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.map((u) => {
                  const id = String(u.id);
                  const draft = roleDraft[id] ?? u.role;
                  return (
                    <tr key={id} className={u.active ? undefined : 'row-inactive'}>
                      <th scope="row" className="mono">
                        {u.username}
                      </th>
                      <td>{u.display_name}</td>
                      <td>
                        <div className="inline-edit">
                          <label className="sr-only" htmlFor={`role-${id}`}>
                            Role for {u.username}
                          </label>
                          <select id={`role-${id}`} className="select-small" value={draft} onChange={(e) => setRoleDraft({ ...roleDraft, [id]: e.target.value as Role })}>
                            {ROLES.map((r) => (
                              <option key={r} value={r}>
                                {ROLE_LABEL[r]}
                              </option>
                            ))}
                          </select>
                          {draft !== u.role && (
                            <button type="button" className="btn btn-small btn-primary" onClick={() => save(u, { role: draft }, `${u.username} is now ${ROLE_LABEL[draft]}`)}>
                              Change role<span className="sr-only"> for {u.username}</span>
                            </button>
                          )}
                        </div>
                      </td>
                      <td>
                        {unitLabel(u, locName) || <span className="muted">None</span>}{' '}
                        <button type="button" className="btn btn-small btn-link" onClick={() => setUnitFor(u)}>
                          Change unit<span className="sr-only"> for {u.username}</span>
                        </button>
                      </td>
                      <td>{u.active ? <span className="badge status-booked">Active</span> : <span className="badge status-cancelled">Deactivated</span>}</td>
                      <td>
                        <div className="row-actions">
                          <button type="button" className="btn btn-small" onClick={() => setResetFor(u)}>
                            Reset password<span className="sr-only"> for {u.username}</span>
                          </button>
                          <button
                            type="button"
                            className={`btn btn-small${u.active ? ' btn-danger-ghost' : ''}`}
                            onClick={() => save(u, { active: !u.active }, `${u.username} ${u.active ? 'deactivated' : 'reactivated'}`)}
                          >
                            {u.active ? 'Deactivate' : 'Reactivate'}
                            <span className="sr-only"> {u.username}</span>
                          </button>
                        </div>
                        {rowErr?.id === id && <ErrorAlert error={rowErr.error} />}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      <AddUser onAdded={users.reload} />
      {unitFor && (
        <ChangeUnit
          user={unitFor}
          onClose={() => setUnitFor(null)}
          onSave={async (location_id, department) => {
            const ok = await save(unitFor, { location_id, department }, `Unit of ${unitFor.username} changed`);
            if (ok) setUnitFor(null);
          }}
        />
      )}
      {resetFor && (
        <ResetPassword
          user={resetFor}
          onClose={() => setResetFor(null)}
          onSave={async (pw) => {
            const ok = await save(resetFor, { password: pw }, `Password reset for ${resetFor.username}`);
            if (ok) setResetFor(null);
          }}
        />
      )}
    </section>
  );
}

function AddUser({ onAdded }: { onAdded: () => void }) {
  const [u, setU] = useState({ username: '', display_name: '', role: 'coordinator' as Role, password: '', location_id: '', department: '' });
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { notify } = useToast();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const x: Record<string, string> = {};
    if (!u.username.trim()) x.username = 'Enter a username.';
    if (!u.display_name.trim()) x.display_name = 'Enter the person’s name.';
    if (u.password.length < 10) x.password = 'Use at least 10 characters.';
    setErrs(x);
    setError(null);
    if (Object.keys(x).length) return focusFirstError('nu', x);
    setBusy(true);
    try {
      await api.createUser({
        ...u,
        username: u.username.trim(),
        display_name: u.display_name.trim(),
        location_id: u.location_id ? Number(u.location_id) : null,
        department: u.location_id ? u.department.trim() : '',
        active: true,
      });
      notify(`User ${u.username} added`);
      setU({ username: '', display_name: '', role: 'coordinator', password: '', location_id: '', department: '' });
      onAdded();
    } catch (err) {
      if (!fieldErrorFrom(err, 'nu', FIELDS, setErrs)) setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="nu-h">
      <h3 id="nu-h">Add user</h3>
      <ErrorAlert error={error} title="User not added" />
      <div className="grid grid-4">
        <Field id="nu-username" label="Username" required error={errs.username}>
          <input autoComplete="off" value={u.username} onChange={(e) => setU({ ...u, username: e.target.value })} />
        </Field>
        <Field id="nu-display_name" label="Display name" required error={errs.display_name}>
          <input autoComplete="off" value={u.display_name} onChange={(e) => setU({ ...u, display_name: e.target.value })} />
        </Field>
        <Field id="nu-role" label="Role" required error={errs.role}>
          <select value={u.role} onChange={(e) => setU({ ...u, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field id="nu-password" label="Initial password" required error={errs.password} hint="At least 10 characters.">
          <input type="password" autoComplete="new-password" value={u.password} onChange={(e) => setU({ ...u, password: e.target.value })} />
        </Field>
        <Field id="nu-location_id" label="Unit: location" error={errs.location_id} hint="Staff read the comments of their unit.">
          <LocationSelect value={u.location_id} onChange={(id) => setU({ ...u, location_id: id })} emptyLabel="No unit" />
        </Field>
        <Field id="nu-department" label="Unit: department" error={errs.department} hint="Optional.">
          <input autoComplete="off" maxLength={100} value={u.department} disabled={!u.location_id} onChange={(e) => setU({ ...u, department: e.target.value })} />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add user'}
        </button>
      </div>
    </form>
  );
}

function ChangeUnit({ user, onClose, onSave }: { user: User; onClose: () => void; onSave: (location: number | null, department: string) => Promise<void> }) {
  const [loc, setLoc] = useState(user.location_id === null || user.location_id === undefined ? '' : String(user.location_id));
  const [dept, setDept] = useState(user.department ?? '');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    await onSave(loc ? Number(loc) : null, dept.trim());
    setBusy(false);
  };
  return (
    <Modal
      title={`Unit of ${user.username}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={busy}>
            {busy ? 'Saving…' : 'Save unit'}
          </button>
        </>
      }
    >
      <p>Staff who do not see the service metrics read the patients’ comments about their own unit only.</p>
      <Field id="cu-location" label="Location">
        <LocationSelect data-autofocus value={loc} onChange={setLoc} emptyLabel="No unit" />
      </Field>
      <Field id="cu-department" label="Department" hint="Optional: only this department’s comments at the location.">
        <input value={dept} maxLength={100} onChange={(e) => setDept(e.target.value)} disabled={!loc} />
      </Field>
    </Modal>
  );
}

function ResetPassword({ user, onClose, onSave }: { user: User; onClose: () => void; onSave: (pw: string) => Promise<void> }) {
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const [errs, setErrs] = useState<{ pw?: string; pw2?: string }>({});
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const x: typeof errs = {};
    if (pw.length < 10) x.pw = 'Use at least 10 characters.';
    else if (pw !== pw2) x.pw2 = 'The two passwords differ.';
    setErrs(x);
    if (x.pw || x.pw2) return;
    setBusy(true);
    await onSave(pw);
    setBusy(false);
  };
  return (
    <Modal
      title={`Reset password for ${user.username}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={busy}>
            {busy ? 'Saving…' : 'Set new password'}
          </button>
        </>
      }
    >
      <Field id="rp-new" label="New password" required error={errs.pw} hint="At least 10 characters. Give it to the user in person.">
        <input type="password" autoComplete="new-password" value={pw} onChange={(e) => setPw(e.target.value)} />
      </Field>
      <Field id="rp-again" label="Repeat new password" required error={errs.pw2}>
        <input type="password" autoComplete="new-password" value={pw2} onChange={(e) => setPw2(e.target.value)} />
      </Field>
    </Modal>
  );
}
