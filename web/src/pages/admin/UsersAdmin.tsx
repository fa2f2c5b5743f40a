import { useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { Role, User } from '../../api/types';
import { ROLES } from '../../api/types';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { Empty, ErrorAlert, Spinner } from '../../components/ui';
import { fieldErrorFrom, focusFirstError } from '../../lib/forms';
import { useApi } from '../../lib/hooks';
import { ROLE_LABEL } from '../../lib/roles';
import { useToast } from '../../lib/toast';

const FIELDS = ['username', 'display_name', 'role', 'password'] as const;

export function UsersAdmin() {
  const users = useApi((signal) => api.listUsers({ signal }), []);
  const { notify } = useToast();
  const [roleDraft, setRoleDraft] = useState<Record<string, Role>>({});
  const [rowErr, setRowErr] = useState<{ id: string; error: unknown } | null>(null);
  const [resetFor, setResetFor] = useState<User | null>(null);

  const save = async (u: User, patch: Partial<User> & { password?: string }, msg: string) => {
    setRowErr(null);
    try {
      await api.updateUser(u.id, { username: u.username, display_name: u.display_name, role: u.role, active: u.active, ...patch });
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
  const [u, setU] = useState({ username: '', display_name: '', role: 'coordinator' as Role, password: '' });
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
      await api.createUser({ ...u, username: u.username.trim(), display_name: u.display_name.trim(), active: true });
      notify(`User ${u.username} added`);
      setU({ username: '', display_name: '', role: 'coordinator', password: '' });
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
        <Field id="nu-password" label="Initial password" required error={errs.password} hint="At least 8 characters.">
          <input type="password" autoComplete="new-password" value={u.password} onChange={(e) => setU({ ...u, password: e.target.value })} />
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
      <Field id="rp-new" label="New password" required error={errs.pw} hint="At least 8 characters. Give it to the user in person.">
        <input type="password" autoComplete="new-password" value={pw} onChange={(e) => setPw(e.target.value)} />
      </Field>
      <Field id="rp-again" label="Repeat new password" required error={errs.pw2}>
        <input type="password" autoComplete="new-password" value={pw2} onChange={(e) => setPw2(e.target.value)} />
      </Field>
    </Modal>
  );
}
