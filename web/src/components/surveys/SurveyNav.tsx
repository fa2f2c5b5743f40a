import { Link, useLocation } from 'react-router-dom';
import { useAuth } from '../../lib/auth';

/** Links between the survey pages (Surveys, Invitations, Settings), by permission. */
export function SurveyNav() {
  const { can } = useAuth();
  const { pathname } = useLocation();
  const section = pathname.startsWith('/surveys/invitations') ? 'invitations' : pathname.startsWith('/surveys/settings') ? 'settings' : 'surveys';
  const links = [
    { key: 'surveys', to: '/surveys', label: 'Surveys', show: can('surveys.manage') || can('analytics.read') },
    { key: 'invitations', to: '/surveys/invitations', label: 'Invitations', show: can('surveys.send') },
    { key: 'settings', to: '/surveys/settings', label: 'Settings', show: can('surveys.manage') },
  ].filter((l) => l.show);
  if (links.length < 2) return null;
  return (
    <nav className="survey-nav no-print" aria-label="Survey pages">
      <ul>
        {links.map((l) => (
          <li key={l.key}>
            <Link to={l.to} className={section === l.key ? 'active' : undefined} aria-current={pathname === l.to ? 'page' : section === l.key ? 'true' : undefined}>
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
