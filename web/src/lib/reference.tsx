// Reference data used on many pages (locations, providers, appointment types), loaded once per session.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as api from '../api';
import type { AppointmentType, Id, Location, Provider, Room } from '../api/types';

interface RefData {
  locations: Location[];
  providers: Provider[];
  types: AppointmentType[];
  loading: boolean;
  error: unknown;
  reload(): void;
  location(id: Id | null | undefined): Location | undefined;
  provider(id: Id | null | undefined): Provider | undefined;
  type(id: Id | null | undefined): AppointmentType | undefined;
}

const RefContext = createContext<RefData | null>(null);

export const sameId = (a: Id | null | undefined, b: Id | null | undefined) =>
  a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b);

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const [locations, setLocations] = useState<Location[]>([]);
  const [providers, setProviders] = useState<Provider[]>([]);
  const [types, setTypes] = useState<AppointmentType[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(undefined);
    Promise.all([
      api.listLocations({ signal: ctl.signal }),
      api.listProviders({ signal: ctl.signal }),
      api.listAppointmentTypes({ signal: ctl.signal }),
    ])
      .then(([l, p, t]) => {
        setLocations(l.items ?? []);
        setProviders(p.items ?? []);
        setTypes(t.items ?? []);
      })
      .catch((e) => {
        if (!api.isAbortError(e)) setError(e);
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const value = useMemo<RefData>(
    () => ({
      locations,
      providers,
      types,
      loading,
      error,
      reload,
      location: (id) => locations.find((l) => sameId(l.id, id)),
      provider: (id) => providers.find((p) => sameId(p.id, id)),
      type: (id) => types.find((t) => sameId(t.id, id)),
    }),
    [locations, providers, types, loading, error, reload],
  );
  return <RefContext.Provider value={value}>{children}</RefContext.Provider>;
}

export function useReference(): RefData {
  const ctx = useContext(RefContext);
  if (!ctx) throw new Error('useReference outside ReferenceProvider');
  return ctx;
}

/** Remember the last location chosen on any page (flow board, schedule, booking). */
const LOC_KEY = 'caredesk.location';
export function rememberedLocation(): string | null {
  try {
    return localStorage.getItem(LOC_KEY);
  } catch {
    return null;
  }
}
export function rememberLocation(id: Id | null | undefined) {
  try {
    if (id !== null && id !== undefined && id !== '') localStorage.setItem(LOC_KEY, String(id));
  } catch {
    /* ignore */
  }
}

// ---- rooms per location, cached for the page's life (admin edits clear it) ----
const roomCache = new Map<string, Promise<Room[]>>();
export function clearRoomCache() {
  roomCache.clear();
}
export function loadRooms(location: Id): Promise<Room[]> {
  const key = String(location);
  let p = roomCache.get(key);
  if (!p) {
    p = api.listRooms(location).then((r) => r.items ?? []);
    p.catch(() => roomCache.delete(key));
    roomCache.set(key, p);
  }
  return p;
}
export function useRooms(location: Id | null | undefined): { rooms: Room[]; loading: boolean; error: unknown } {
  const [state, setState] = useState<{ rooms: Room[]; loading: boolean; error: unknown }>({ rooms: [], loading: false, error: undefined });
  useEffect(() => {
    if (location === null || location === undefined || location === '') {
      setState({ rooms: [], loading: false, error: undefined });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    loadRooms(location).then(
      (rooms) => live && setState({ rooms, loading: false, error: undefined }),
      (error) => live && setState({ rooms: [], loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [location]);
  return state;
}
