import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ProjectListPage } from './ProjectListPage';
import { METRIC_DEFS, makeProject } from '../../test/improvement';
import { mockFetch, referenceRoutes } from '../../test/mockFetch';
import { renderPage } from '../../test/render';

const PROJECTS = [
  makeProject(),
  makeProject({
    id: 6,
    title: 'Shorter visits',
    metric_key: 'cycle_time_minutes',
    metric_name: 'Cycle time',
    location_id: null,
    location_name: '',
    owner: '',
    status: 'completed',
    end_date: null,
    cycles: [],
  }),
];

const routes = {
  ...referenceRoutes,
  'GET /api/v1/metrics': { items: METRIC_DEFS },
  'GET /api/v1/improvement-projects': { items: PROJECTS },
};

describe('Improvement projects list', () => {
  it('lists projects with metric, location, owner, status, dates and cycles; filters by status, metric and location', async () => {
    const m = mockFetch(routes);
    const user = userEvent.setup();
    renderPage(<ProjectListPage />, { route: '/improvement', path: '/improvement', role: 'manager' });
    const table = await screen.findByRole('table', { name: /Improvement projects/ });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent(/Fewer no-shows at Riverside.*No-show rate.*Riverside Clinic.*Pat Manager.*Active.*Mon 12 Jan 2026 – Tue 30 Jun 2026.*1$/);
    expect(rows[2]).toHaveTextContent(/Shorter visits.*Cycle time.*All locations.*Completed.*no end date.*0$/);
    expect(within(rows[1]).getByRole('link', { name: 'Fewer no-shows at Riverside' })).toHaveAttribute('href', '/improvement/5');
    expect(screen.getByRole('link', { name: /New project/ })).toHaveAttribute('href', '/improvement/new');

    await user.selectOptions(screen.getByLabelText('Status'), 'active');
    await waitFor(() => expect(m.callsTo('GET /api/v1/improvement-projects')).toHaveLength(2));
    expect(m.callsTo('GET /api/v1/improvement-projects')[1].url.searchParams.get('status')).toBe('active');

    await user.selectOptions(screen.getByLabelText('Metric'), 'no_show_rate');
    await user.selectOptions(screen.getByLabelText('Location'), '1');
    await waitFor(() => expect(m.callsTo('GET /api/v1/improvement-projects')).toHaveLength(4));
    const q = m.callsTo('GET /api/v1/improvement-projects')[3].url.searchParams;
    expect(Object.fromEntries(q)).toEqual({ status: 'active', metric_key: 'no_show_rate', location_id: '1' });
    // A new project starts from the filtered metric and location.
    expect(await screen.findByRole('link', { name: /New project/ })).toHaveAttribute('href', '/improvement/new?metric_key=no_show_rate&location_id=1');

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/improvement-projects')).toHaveLength(5));
    expect(m.callsTo('GET /api/v1/improvement-projects')[4].url.search).toBe('');
  }, 20000);

  it('says when nothing matches, and offers no New project button without improvement.write', async () => {
    mockFetch({ ...routes, 'GET /api/v1/improvement-projects': { items: [] } });
    renderPage(<ProjectListPage />, { route: '/improvement?status=abandoned', path: '/improvement', role: 'manager', permissions: ['analytics.read'] });
    expect(await screen.findByText('No project matches these filters.')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /New project/ })).toBeNull();
  });

  it('opens a project when its row is clicked', async () => {
    mockFetch(routes);
    const user = userEvent.setup();
    renderPage(<ProjectListPage />, { route: '/improvement', path: '/improvement', role: 'manager' });
    await user.click(await screen.findByText('Shorter visits'));
    expect(await screen.findByTestId('location')).toHaveTextContent('/improvement/6');
  });
});
