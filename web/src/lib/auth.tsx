import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import * as api from '../api';
import type { Role, SessionInfo } from '../api/types';

interface AuthState {
  session: SessionInfo | null;
  /** True while an existing token is being checked at start-up. */
  restoring: boolean;
  /** Message for the login page (e.g. "session expired"). */
  notice: string | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  clearNotice(): void;
  hasRole(...roles: Role[]): boolean;
  /** Whether the session holds a permission (e.g. "appointment.write"). Unknown (empty list) → by role. */
  can(permission: string): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

/** `initialSession` skips the start-up check (tests). */
export function AuthProvider({ children, initialSession = null }: { children: ReactNode; initialSession?: SessionInfo | null }) {
  const [session, setSession] = useState<SessionInfo | null>(initialSession);
  const [restoring, setRestoring] = useState<boolean>(() => !initialSession && !!api.getToken());
  const [notice, setNotice] = useState<string | null>(null);

  const sessionRef = useRef<SessionInfo | null>(null);
  sessionRef.current = session;

  useEffect(() => {
    api.setUnauthorizedHandler(() => {
      if (sessionRef.current) setNotice('Your session has ended. Please sign in again.');
      setSession(null);
    });
    return () => api.setUnauthorizedHandler(null);
  }, []);

  useEffect(() => {
    if (initialSession || !api.getToken()) return;
    const ctl = new AbortController();
    api
      .getSession({ signal: ctl.signal })
      .then((s) => setSession(s))
      .catch((e) => {
        if (api.isAbortError(e)) return;
        if (api.isApiError(e) && e.status === 401) setNotice('Your session has ended. Please sign in again.');
        else setNotice(api.errorMessage(e));
      })
      .finally(() => {
        if (!ctl.signal.aborted) setRestoring(false);
      });
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await api.login(username, password);
    let info: SessionInfo;
    try {
      info = await api.getSession();
    } catch {
      info = { user: res.user, permissions: [] };
    }
    setNotice(null);
    setSession({ user: info.user ?? res.user, permissions: info.permissions ?? [] });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      /* the token is dropped locally either way */
    }
    setSession(null);
    setNotice('You have signed out.');
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      session,
      restoring,
      notice,
      login,
      logout,
      clearNotice: () => setNotice(null),
      hasRole: (...roles: Role[]) => !!session && roles.includes(session.user.role),
      can: (permission: string) => canDo(session, permission),
    }),
    [session, restoring, notice, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function canDo(session: SessionInfo | null, permission: string): boolean {
  if (!session) return false;
  if (session.permissions?.length) return session.permissions.includes(permission);
  return (ROLE_DEFAULTS[session.user.role] ?? []).includes(permission);
}

/** Used only when the server sends no permission list; mirrors the server's role grants. */
const ROLE_DEFAULTS: Record<string, string[]> = {
  admin: ['patient.read', 'patient.write', 'appointment.read', 'appointment.write', 'flow.read', 'flow.write', 'setup.read', 'setup.write', 'user.admin', 'audit.read', 'analytics.read', 'cases.read', 'cases.write', 'cases.manage', 'surveys.manage', 'surveys.send', 'improvement.write', 'comments.read', 'interfaces.manage', 'patient.merge'],
  manager: ['patient.read', 'patient.write', 'appointment.read', 'appointment.write', 'flow.read', 'flow.write', 'setup.read', 'analytics.read', 'cases.read', 'cases.write', 'cases.manage', 'surveys.manage', 'surveys.send', 'improvement.write', 'comments.read', 'interfaces.manage', 'patient.merge'],
  coordinator: ['patient.read', 'patient.write', 'appointment.read', 'appointment.write', 'flow.read', 'flow.write', 'setup.read', 'cases.read', 'cases.write', 'surveys.send', 'comments.read'],
  clinician: ['patient.read', 'appointment.read', 'flow.read', 'flow.write', 'setup.read', 'comments.read'],
  billing: ['patient.read', 'appointment.read', 'setup.read'],
  auditor: ['patient.read', 'audit.read', 'setup.read', 'cases.read'],
};

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
