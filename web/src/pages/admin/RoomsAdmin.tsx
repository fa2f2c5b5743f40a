import { useEffect, useState, type FormEvent } from 'react';
import * as api from '../../api';
import type { Room } from '../../api/types';
import { Field } from '../../components/Field';
import { Empty, ErrorAlert, Spinner } from '../../components/ui';
import { fieldErrorFrom } from '../../lib/forms';
import { useApi } from '../../lib/hooks';
import { clearRoomCache, useReference } from '../../lib/reference';
import { useToast } from '../../lib/toast';

export function RoomsAdmin() {
  const ref = useReference();
  const [loc, setLoc] = useState('');
  useEffect(() => {
    if (!loc && ref.locations[0]) setLoc(String(ref.locations[0].id));
  }, [ref.locations, loc]);
  const rooms = useApi((signal) => api.listRooms(loc, { signal }), [loc], !!loc);
  const [editing, setEditing] = useState<Room | null>(null);
  const { notify } = useToast();
  const [rowErr, setRowErr] = useState<unknown>(null);

  const toggle = async (r: Room) => {
    setRowErr(null);
    try {
      await api.updateRoom(r.id, { location_id: r.location_id, name: r.name, active: !r.active });
      clearRoomCache();
      notify(`${r.name} ${r.active ? 'deactivated' : 'reactivated'}`);
      rooms.reload();
    } catch (e) {
      setRowErr(e);
    }
  };

  return (
    <section aria-labelledby="rooms-h">
      <h2 id="rooms-h">Rooms</h2>
      <div className="field inline">
        <label htmlFor="rooms-location">Location</label>
        <select id="rooms-location" value={loc} onChange={(e) => { setLoc(e.target.value); setEditing(null); }}>
          {ref.locations.map((l) => (
            <option key={String(l.id)} value={String(l.id)}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      {ref.locations.length === 0 && !ref.loading && <Empty>Add a location first.</Empty>}
      {rooms.loading && <Spinner label="Loading rooms…" />}
      <ErrorAlert error={rooms.error ?? rowErr} onRetry={rooms.reload} />
      {rooms.data &&
        (rooms.data.items.length === 0 ? (
          <Empty>No rooms at this location yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Room</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {rooms.data.items.map((r) => (
                  <tr key={String(r.id)} className={r.active ? undefined : 'row-inactive'}>
                    <th scope="row">{r.name}</th>
                    <td>{r.active ? 'In use' : 'Out of use'}</td>
                    <td>
                      <div className="row-actions">
                        <button type="button" className="btn btn-small" onClick={() => setEditing(r)}>
                          Rename<span className="sr-only"> {r.name}</span>
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => toggle(r)}>
                          {r.active ? 'Take out of use' : 'Bring back into use'}
                          <span className="sr-only"> {r.name}</span>
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {loc && (
        <RoomForm
          key={editing ? String(editing.id) : `new-${loc}`}
          locationId={loc}
          editing={editing}
          onDone={() => {
            setEditing(null);
            clearRoomCache();
            rooms.reload();
          }}
          notify={notify}
        />
      )}
    </section>
  );
}

function RoomForm({ locationId, editing, onDone, notify }: { locationId: string; editing: Room | null; onDone: () => void; notify: (s: string) => void }) {
  const ref = useReference();
  const [name, setName] = useState(editing?.name ?? '');
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setErrs({ name: 'Enter the room name.' });
      document.getElementById('room-name')?.focus();
      return;
    }
    setErrs({});
    setError(null);
    setBusy(true);
    try {
      if (editing) await api.updateRoom(editing.id, { location_id: editing.location_id, name: name.trim(), active: editing.active });
      else await api.createRoom({ location_id: ref.location(locationId)?.id ?? Number(locationId), name: name.trim(), active: true });
      notify(editing ? `Renamed to ${name.trim()}` : `Room ${name.trim()} added`);
      setName('');
      onDone();
    } catch (err) {
      if (!fieldErrorFrom(err, 'room', ['name'], setErrs)) setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="room-form-h">
      <h3 id="room-form-h">{editing ? `Rename ${editing.name}` : 'Add room'}</h3>
      <ErrorAlert error={error} title="Not saved" />
      <div className="grid grid-3">
        <Field id="room-name" label="Room name" required error={errs.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save room' : 'Add room'}
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
