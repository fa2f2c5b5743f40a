import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { AuthProvider } from './lib/auth';
import { ToastProvider } from './lib/toast';
import { mockFetch, referenceRoutes } from './test/mockFetch';
import { COMMENTS, DASHBOARD, TRENDS } from './test/metrics';

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

describe('Metrics and comments in the app shell', () => {
  it('managers (by role defaults) see Metrics and Comments', async () => {
    sessionStorage.setItem('caredesk.token', 'T1');
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/session': who('manager'),
      'GET /api/v1/metrics/dashboard': DASHBOARD,
      'GET /api/v1/comments/trends': TRENDS,
      'GET /api/v1/comments': COMMENTS,
    });
    const user = userEvent.setup();
    renderApp('/dashboard');
    expect(await screen.findByRole('heading', { name: 'Service metrics' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await user.click(within(nav).getByRole('link', { name: 'Comments' }));
    expect(await screen.findByRole('heading', { name: 'What patients say' })).toBeInTheDocument();
  });

  it('managers see Improvement after Metrics and can open the project list', async () => {
    sessionStorage.setItem('caredesk.token', 'T1');
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/session': who('manager'),
      'GET /api/v1/metrics/dashboard': DASHBOARD,
      'GET /api/v1/metrics': { items: [] },
      'GET /api/v1/improvement-projects': { items: [] },
    });
    const user = userEvent.setup();
    renderApp('/dashboard');
    await screen.findByRole('heading', { name: 'Service metrics' });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const labels = within(nav).getAllByRole('link').map((l) => l.textContent);
    expect(labels.indexOf('Improvement')).toBe(labels.indexOf('Metrics') + 1);
    await user.click(within(nav).getByRole('link', { name: 'Improvement' }));
    expect(await screen.findByRole('heading', { name: 'Improvement projects' })).toBeInTheDocument();
    expect(await screen.findByText('No improvement projects yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /New project/ })).toHaveAttribute('href', '/improvement/new');
  }, 20000);

  it('keeps /improvement/new from those without improvement.write', async () => {
    sessionStorage.setItem('caredesk.token', 'T1');
    mockFetch({ ...referenceRoutes, 'GET /api/v1/session': who('manager', ['analytics.read', 'patient.read']) });
    renderApp('/improvement/new');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeInTheDocument();
  });

  it('hides the metrics without analytics.read; staff keep Comments (their unit’s), billing neither', async () => {
    sessionStorage.setItem('caredesk.token', 'T1');
    mockFetch({ ...referenceRoutes, 'GET /api/v1/session': who('coordinator') });
    const { unmount } = renderApp('/dashboard');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeInTheDocument();
    let nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Metrics' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Alerts' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Improvement' })).toBeNull();
    expect(within(nav).getByRole('link', { name: 'Comments' })).toBeInTheDocument();
    unmount();
    mockFetch({ ...referenceRoutes, 'GET /api/v1/session': who('billing') });
    renderApp('/comments');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeInTheDocument();
    nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Comments' })).toBeNull();
  });
});
