import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { errorMessage, isApiError } from '../api/client';
import { Field } from '../components/Field';
import { useAuth } from '../lib/auth';
import { useTitle } from '../lib/hooks';
import { homeFor } from '../lib/roles';

export function LoginPage() {
  useTitle('Sign in');
  const { session, login, notice, clearNotice } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErr, setFieldErr] = useState<{ username?: string; password?: string }>({});

  if (session && !busy) return <Navigate to={from && from !== '/login' ? from : homeFor(session)} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fe: typeof fieldErr = {};
    if (!username.trim()) fe.username = 'Enter your username.';
    if (!password) fe.password = 'Enter your password.';
    setFieldErr(fe);
    setError(null);
    if (fe.username || fe.password) return;
    setBusy(true);
    clearNotice();
    try {
      await login(username.trim(), password);
      setBusy(false);
    } catch (err) {
      setBusy(false);
      if (isApiError(err) && err.status === 401) setError('The username or password is not correct.');
      else if (isApiError(err) && err.status === 429)
        setError(err.message || 'Too many sign-in attempts. Wait a minute and try again.');
      else if (isApiError(err) && err.field && (err.field === 'username' || err.field === 'password'))
        setFieldErr({ [err.field]: err.message });
      else setError(errorMessage(err));
      return;
    }
    navigate(from && from !== '/login' ? from : '/', { replace: true });
  };

  return (
    <div className="login-screen">
      <main className="login-card" id="main">
        <div className="login-brand">
          <svg viewBox="0 0 32 32" width="40" height="40" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#0b5c73" />
            <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
          </svg>
          <div>
            <h1>CareDesk</h1>
            <p className="muted">Patient services</p>
          </div>
        </div>
        {notice && (
          <div className="alert alert-info" role="status">
            {notice}
          </div>
        )}
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <form onSubmit={submit} noValidate aria-label="Sign in">
          <Field id="login-username" label="Username" error={fieldErr.username} required>
            <input
              type="text"
              autoComplete="username"
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </Field>
          <Field id="login-password" label="Password" error={fieldErr.password} required>
            <input
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="login-public">
          <Link to="/complaint">Patients: tell us about your experience</Link>
        </p>
      </main>
    </div>
  );
}
