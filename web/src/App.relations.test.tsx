import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { AuthProvider } from './lib/auth';
import { ToastProvider } from './lib/toast';
import { mockFetch, referenceRoutes } from './test/mockFetch';
import { SETTINGS } from './test/cases';

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

describe('Patient relations in the app shell', () => {
  it('the public form needs no sign-in, and the login page links to it', async () => {
    const m = mockFetch({ 'GET /api/v1/public/complaint-form': { organization_name: 'Riverside Health', locations: [], categories: [] } });
    const user = userEvent.setup();
    renderApp('/login');
    await user.click(screen.getByRole('link', { name: 'Patients: tell us about your experience' }));
    expect(await screen.findByRole('heading', { name: 'Tell us about your experience' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();
    expect(m.callsTo('GET /api/v1/session')).toHaveLength(0);
  });

  it('shows "Relations" to roles with cases.read, and guards settings by cases.manage', async () => {
    sessionStorage.setItem('caredesk.token', 'T1');
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/session': who('coordinator', ['patient.read', 'appointment.read', 'flow.read', 'cases.read', 'cases.write']),
      'GET /api/v1/relations/settings': SETTINGS,
      'GET /api/v1/cases': { items: [], total: 0 },
    });
    const user = userEvent.setup();
    renderApp('/relations/settings');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await user.click(within(nav).getByRole('link', { name: 'Relations' }));
    expect(await screen.findByRole('heading', { name: 'Patient relations' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /new case/i })).toHaveAttribute('href', '/cases/new');
  });
});
