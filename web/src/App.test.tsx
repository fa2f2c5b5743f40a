import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { AuthProvider } from './lib/auth';
import { ToastProvider } from './lib/toast';
import { apiError, json, mockFetch, referenceRoutes } from './test/mockFetch';

const who = (role: string, permissions: string[] = []) => ({ user: { id: 1, username: role, role, display_name: `Test ${role}` }, permissions });

function renderApp(route: string) {
  return render(
    <MemoryRouter initialEntries={[route]}>
      <AuthProvider>
        <ToastProvider>
          <App />
        </ToastProvider>
      </AuthProvider>
    </MemoryRouter>,
  );
}

describe('App shell', () => {
  it('signs in, keeps the token in sessionStorage and shows navigation by role', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'POST /api/v1/session': json(201, { token: 'T1', expires_at: '2030-01-01T00:00:00Z', user: who('coordinator').user }),
      'GET /api/v1/session': who('coordinator'),
    });
    const user = userEvent.setup();
    renderApp('/patients');
    await user.type(await screen.findByLabelText(/username/i), 'coordinator');
    await user.type(screen.getByLabelText(/password/i), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Patients' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Schedule' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Flow board' })).toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Admin' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Audit' })).toBeNull();
    expect(sessionStorage.getItem('caredesk.token')).toBe('T1');
    expect(m.callsTo('POST /api/v1/session')[0].body).toEqual({ username: 'coordinator', password: 'secret' });
  });

  it('says so when the password is wrong', async () => {
    mockFetch({ 'POST /api/v1/session': apiError(401, 'bad_credentials', 'Bad credentials') });
    const user = userEvent.setup();
    renderApp('/login');
    await user.type(screen.getByLabelText(/username/i), 'x');
    await user.type(screen.getByLabelText(/password/i), 'y');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/username or password is not correct/i);
  });

  it('auditors see Audit, admins see Admin and Audit', async () => {
    sessionStorage.setItem('caredesk.token', 'T2');
    mockFetch({ ...referenceRoutes, 'GET /api/v1/session': who('auditor', ['patient.read', 'audit.read', 'setup.read']), 'GET /api/v1/audit-events': { items: [] } });
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Audit' })).toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Admin' })).toBeNull();
    expect(await screen.findByRole('heading', { name: 'Audit trail' })).toBeInTheDocument();
  });

  it('navigation follows the permissions the server grants', async () => {
    sessionStorage.setItem('caredesk.token', 'T5');
    mockFetch({ ...referenceRoutes, 'GET /api/v1/session': who('billing', ['patient.read', 'appointment.read']), 'GET /api/v1/patients': { items: [] } });
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(['Patients', 'Schedule']);
    // no write permission: no "Register patient"
    await screen.findByRole('heading', { name: 'Patients' });
    expect(screen.queryByRole('link', { name: /register patient/i })).toBeNull();
  });

  it('a 401 anywhere returns to the login page with a message', async () => {
    sessionStorage.setItem('caredesk.token', 'T3');
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/session': who('coordinator'),
      'GET /api/v1/patients/9': apiError(401, 'session_expired', 'Session expired'),
    });
    renderApp('/patients/9');
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText(/session has ended/i)).toBeInTheDocument();
    expect(sessionStorage.getItem('caredesk.token')).toBeNull();
  });

  it('sign out deletes the session', async () => {
    sessionStorage.setItem('caredesk.token', 'T4');
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/session': who('coordinator'),
      'DELETE /api/v1/session': () => new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    renderApp('/patients');
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    await screen.findByRole('button', { name: 'Sign in' });
    await waitFor(() => expect(m.callsTo('DELETE /api/v1/session')).toHaveLength(1));
    expect(m.callsTo('DELETE /api/v1/session')[0].headers.authorization).toBe('Bearer T4');
  });
});
