import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useAuth } from '../lib/auth';
import { navFor, ROLE_LABEL } from '../lib/roles';

export function Layout() {
  const { session, logout } = useAuth();
  const navigate = useNavigate();
  const nav = navFor(session);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <div className="brand">
          <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#fff" opacity=".16" />
            <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
          </svg>
          <span>CareDesk</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to}>{n.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        {session && (
          <div className="userbox">
            <span className="who">
              <span className="who-name">{session.user.display_name || session.user.username}</span>
              <span className="who-role">{ROLE_LABEL[session.user.role] ?? session.user.role}</span>
            </span>
            <button
              type="button"
              className="btn btn-ghost-light"
              onClick={async () => {
                await logout();
                navigate('/login', { replace: true });
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
