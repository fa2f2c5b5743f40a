import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { AuthProvider } from './lib/auth';
import { ToastProvider } from './lib/toast';
import { mockFetch, referenceRoutes } from './test/mockFetch';
import { SCORES, SURVEY, surveyPerms } from './test/surveys';

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

describe('Surveys in the app shell', () => {
  it('the public survey needs no sign-in and shows no staff navigation', async () => {
    const m = mockFetch({
      'GET /api/v1/public/surveys/abc': { state: 'valid', organization_name: 'Riverside Health', visit: { date: '2026-03-10', location_name: 'Riverside Clinic' }, survey: { title: 'Outpatient experience', items: [] } },
    });
    renderApp('/s/abc');
    expect(await screen.findByRole('heading', { name: 'Outpatient experience' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();
    expect(m.callsTo('GET /api/v1/session')).toHaveLength(0);
  });

  it('managers see "Surveys" in the main navigation and land on the list, then a survey', async () => {
    sessionStorage.setItem('caredesk.token', 'T1');
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/session': who('manager', surveyPerms.manager),
      'GET /api/v1/surveys': { items: [{ id: 'outpatient', title: 'Outpatient experience', latest_version: 2, active: true, responses: 148, created_at: '2026-01-05' }] },
      'GET /api/v1/surveys/outpatient': SURVEY,
      'GET /api/v1/surveys/outpatient/scores': SCORES,
    });
    const user = userEvent.setup();
    renderApp('/patients');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await user.click(within(nav).getByRole('link', { name: 'Surveys' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Surveys' })).toBeInTheDocument();
    await user.click(await screen.findByRole('link', { name: 'Outpatient experience' }));
    expect(await screen.findByRole('tab', { name: 'Scores', selected: true })).toBeInTheDocument();
  });

  it('sends coordinators (surveys.send only) from /surveys to the invitations, and keeps them out of the settings', async () => {
    sessionStorage.setItem('caredesk.token', 'T1');
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/session': who('coordinator', surveyPerms.coordinator),
      'GET /api/v1/surveys/invitations': { items: [], total: 0 },
    });
    const user = userEvent.setup();
    const { unmount } = renderApp('/surveys');
    expect(await screen.findByRole('heading', { name: 'Survey invitations' })).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Surveys' })).toBeInTheDocument();
    await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Surveys' }));
    expect(await screen.findByRole('heading', { name: 'Survey invitations' })).toBeInTheDocument();
    unmount();
    renderApp('/surveys/settings');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeInTheDocument();
  });

  it('hides "Surveys" from roles without a survey permission', async () => {
    sessionStorage.setItem('caredesk.token', 'T1');
    mockFetch({ ...referenceRoutes, 'GET /api/v1/session': who('clinician', ['patient.read', 'flow.read']) });
    renderApp('/surveys');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: 'Surveys' })).toBeNull();
  });
});
