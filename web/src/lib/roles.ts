import type { Role, SessionInfo } from '../api/types';
import { canDo } from './auth';

export interface NavItem {
  to: string;
  label: string;
  /** Shown when the session holds any of these permissions (GET /api/v1/session). */
  anyOf: string[];
}

/** Top navigation, by permission (falling back to the role's usual grants when the server sends none). */
export const NAV: NavItem[] = [
  { to: '/patients', label: 'Patients', anyOf: ['patient.read'] },
  { to: '/schedule', label: 'Schedule', anyOf: ['appointment.read'] },
  { to: '/flow', label: 'Flow board', anyOf: ['flow.read'] },
  { to: '/cases', label: 'Relations', anyOf: ['cases.read'] },
  { to: '/dashboard', label: 'Metrics', anyOf: ['analytics.read'] },
  { to: '/improvement', label: 'Improvement', anyOf: ['analytics.read'] },
  { to: '/alerts', label: 'Alerts', anyOf: ['analytics.read'] },
  { to: '/comments', label: 'Comments', anyOf: ['comments.read'] },
  { to: '/surveys', label: 'Surveys', anyOf: ['surveys.manage', 'analytics.read', 'surveys.send'] },
  { to: '/interfaces', label: 'Interfaces', anyOf: ['interfaces.manage'] },
  { to: '/admin', label: 'Admin', anyOf: ['setup.write', 'user.admin'] },
  { to: '/audit', label: 'Audit', anyOf: ['audit.read'] },
];

export function navFor(session: SessionInfo | null): NavItem[] {
  if (!session) return [];
  return NAV.filter((n) => n.anyOf.some((p) => canDo(session, p)));
}

/** Where a user lands after signing in. */
export function homeFor(session: SessionInfo | null): string {
  if (session?.user.role === 'auditor') return '/audit';
  return navFor(session)[0]?.to ?? '/patients';
}

export const ROLE_LABEL: Record<Role, string> = {
  admin: 'Administrator',
  manager: 'Manager',
  coordinator: 'Coordinator',
  clinician: 'Clinician',
  billing: 'Billing',
  auditor: 'Auditor',
};
