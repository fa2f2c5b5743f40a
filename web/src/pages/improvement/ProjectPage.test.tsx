import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { NewProjectPage, ProjectPage } from './ProjectPage';
import { METRIC_DEFS, makeProject } from '../../test/improvement';
import { makeMetric } from '../../test/metrics';
import { apiError, mockFetch, referenceRoutes, type MockRequest } from '../../test/mockFetch';
import { renderPage } from '../../test/render';
import { addDays, todayIn } from '../../lib/time';
import type { ImprovementProject } from '../../api/types';

const base = {
  ...referenceRoutes,
  'GET /api/v1/metrics': { items: METRIC_DEFS },
  'GET /api/v1/metrics/no_show_rate': { metric: makeMetric() },
};

describe('New improvement project', () => {
  it('prefills from the URL, puts a 400 at the named field (end_date), then creates the project and opens it', async () => {
    let posts = 0;
    const m = mockFetch({
      ...base,
      'POST /api/v1/improvement-projects': (r: MockRequest) =>
        posts++ === 0
          ? apiError(400, 'invalid', 'The end date must not be before the start date.', 'end_date')
          : { status: 201, body: makeProject({ ...r.body, id: 77, cycles: [] }) },
    });
    const user = userEvent.setup();
    renderPage(<NewProjectPage />, { route: '/improvement/new?metric_key=no_show_rate&location_id=1', path: '/improvement/new', role: 'manager' });
    const metric = await screen.findByLabelText(/^Metric/);
    await waitFor(() => expect(metric).toHaveValue('no_show_rate'));
    await waitFor(() => expect(screen.getByLabelText('Location')).toHaveValue('1'));
    expect(screen.getByLabelText('Owner')).toHaveValue('Test manager');
    expect(screen.getByLabelText(/^Start date/)).toHaveValue(todayIn());
    expect(screen.getByLabelText('Target (%)')).toBeInTheDocument();

    await user.type(screen.getByLabelText(/^Title/), 'Fewer no-shows');
    await user.type(screen.getByLabelText(/^Aim/), 'From 12% to 8% by June.');
    const end = screen.getByLabelText('End date');
    await user.type(end, addDays(todayIn(), 90));
    await user.type(screen.getByLabelText('Target (%)'), '8');
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    await waitFor(() => expect(end).toHaveAccessibleDescription(/must not be before the start date/));
    expect(end).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(end).toHaveFocus());
    expect(screen.getByRole('alert')).toHaveTextContent('One field needs attention');

    await user.click(screen.getByRole('button', { name: 'Create project' }));
    expect(await screen.findByTestId('location')).toHaveTextContent('/improvement/77');
    const body = m.callsTo('POST /api/v1/improvement-projects')[1].body;
    expect(body).toEqual({
      title: 'Fewer no-shows',
      aim: 'From 12% to 8% by June.',
      metric_key: 'no_show_rate',
      location_id: 1,
      owner: 'Test manager',
      start_date: todayIn(),
      end_date: addDays(todayIn(), 90),
      target: 8,
      status: 'active',
    });
  }, 20000);

  it('checks required fields before sending', async () => {
    const m = mockFetch(base);
    const user = userEvent.setup();
    renderPage(<NewProjectPage />, { route: '/improvement/new', path: '/improvement/new', role: 'manager' });
    await screen.findByRole('option', { name: 'Cycle time' });
    expect(screen.getByLabelText('Location')).toHaveValue('');
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    expect(screen.getByLabelText(/^Title/)).toHaveAccessibleDescription(/Enter a title/);
    expect(screen.getByLabelText(/^Metric/)).toHaveAccessibleDescription(/Choose the metric/);
    await waitFor(() => expect(screen.getByLabelText(/^Title/)).toHaveFocus());
    expect(m.callsTo('POST /api/v1/improvement-projects')).toHaveLength(0);
  }, 20000);
});

describe('Improvement project page', () => {
  it('shows the cycles and the weekly chart for the project’s location from 12 weeks before its start', async () => {
    const m = mockFetch({ ...base, 'GET /api/v1/improvement-projects/5': makeProject() });
    renderPage(<ProjectPage />, { route: '/improvement/5', path: '/improvement/:id', role: 'manager' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Fewer no-shows at Riverside' })).toBeInTheDocument();
    expect(screen.getByLabelText(/^Title/)).toHaveValue('Fewer no-shows at Riverside');
    const card = screen.getByRole('article', { name: /Reminder calls two days ahead/ });
    expect(card).toHaveTextContent(/PDSA 1/);
    expect(within(card).getByText('Call every patient booked for Monday.')).toBeInTheDocument();
    expect(within(card).getByText('Adopt; try texts next.')).toBeInTheDocument();

    const chart = await screen.findByRole('region', { name: /No-show rate at Riverside Clinic/ });
    await waitFor(() => expect(m.callsTo('GET /api/v1/metrics/no_show_rate')).toHaveLength(1));
    const q = m.callsTo('GET /api/v1/metrics/no_show_rate')[0].url.searchParams;
    expect(Object.fromEntries(q)).toEqual({ location_id: '1', interval: 'week', from: '2025-10-20', to: todayIn('America/New_York') });
    const img = await within(chart).findByRole('img', { name: /No-show rate/ });
    expect(Array.from(img.querySelectorAll('[data-pdsa-cycle]')).map((x) => x.getAttribute('data-pdsa-cycle'))).toEqual(['21']);
  });

  it('adds a cycle: posts the body, then shows the card and its marker on the chart', async () => {
    let project: ImprovementProject = makeProject();
    const m = mockFetch({
      ...base,
      'GET /api/v1/improvement-projects/5': () => project,
      'POST /api/v1/improvement-projects/5/cycles': (r: MockRequest) => {
        project = { ...project, cycles: [...project.cycles, { id: 22, ...r.body }] };
        return { status: 201, body: project };
      },
    });
    const user = userEvent.setup();
    renderPage(<ProjectPage />, { route: '/improvement/5', path: '/improvement/:id', role: 'manager' });
    await user.click(await screen.findByRole('button', { name: /Add cycle/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Add PDSA cycle 2' });
    const title = within(dialog).getByLabelText(/^Title/);
    await waitFor(() => expect(title).toHaveFocus());
    await user.type(title, 'Text reminders');
    const start = within(dialog).getByLabelText(/^Start date/);
    await user.clear(start);
    await user.type(start, '2026-02-09');
    await user.type(within(dialog).getByLabelText('Plan'), 'Text everyone the day before.');
    await user.type(within(dialog).getByLabelText('Study'), 'Compare with calls.');
    await user.click(within(dialog).getByRole('button', { name: 'Add cycle' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(m.callsTo('POST /api/v1/improvement-projects/5/cycles')[0].body).toEqual({
      title: 'Text reminders',
      plan: 'Text everyone the day before.',
      do_notes: '',
      study: 'Compare with calls.',
      act: '',
      start_date: '2026-02-09',
      end_date: null,
    });
    const card = screen.getByRole('article', { name: /Text reminders/ });
    expect(card).toHaveTextContent('PDSA 2');
    expect(card).toHaveTextContent(/Mon 9 Feb 2026 – running/);
    const img = await screen.findByRole('img', { name: /No-show rate/ });
    expect(Array.from(img.querySelectorAll('[data-pdsa-cycle]')).map((x) => x.getAttribute('data-pdsa-cycle'))).toEqual(['21', '22']);
  }, 20000);

  it('edits a cycle, shows a 400 at its field, and deletes one after confirming', async () => {
    let project: ImprovementProject = makeProject();
    let puts = 0;
    const m = mockFetch({
      ...base,
      'GET /api/v1/improvement-projects/5': () => project,
      'PUT /api/v1/improvement-projects/5/cycles/21': (r: MockRequest) => {
        if (puts++ === 0) return apiError(400, 'invalid', 'The cycle must end within the project.', 'end_date');
        project = { ...project, cycles: [{ ...project.cycles[0], ...r.body }] };
        return project;
      },
      'DELETE /api/v1/improvement-projects/5/cycles/21': () => {
        project = { ...project, cycles: [] };
        return project;
      },
    });
    const user = userEvent.setup();
    renderPage(<ProjectPage />, { route: '/improvement/5', path: '/improvement/:id', role: 'manager' });
    await user.click(await screen.findByRole('button', { name: 'Edit cycle “Reminder calls two days ahead”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit PDSA 1' });
    const act = within(dialog).getByLabelText('Act');
    await user.clear(act);
    await user.type(act, 'Adopt.');
    await user.click(within(dialog).getByRole('button', { name: 'Save cycle' }));
    const end = within(dialog).getByLabelText('End date');
    await waitFor(() => expect(end).toHaveAccessibleDescription(/must end within the project/));
    await user.click(within(dialog).getByRole('button', { name: 'Save cycle' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(m.callsTo('PUT /api/v1/improvement-projects/5/cycles/21')[1].body.act).toBe('Adopt.');
    expect(screen.getByRole('article', { name: /Reminder calls/ })).toHaveTextContent('Adopt.');

    await user.click(screen.getByRole('button', { name: 'Delete cycle “Reminder calls two days ahead”' }));
    const confirm = await screen.findByRole('alertdialog', { name: /Delete the cycle “Reminder calls two days ahead”\?/ });
    await user.click(within(confirm).getByRole('button', { name: 'Keep it' }));
    expect(m.callsTo('DELETE /api/v1/improvement-projects/5/cycles/21')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Delete cycle “Reminder calls two days ahead”' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete cycle' }));
    await waitFor(() => expect(screen.queryByRole('article')).toBeNull());
    expect(m.callsTo('DELETE /api/v1/improvement-projects/5/cycles/21')).toHaveLength(1);
    expect(screen.getByText(/No cycles yet/)).toBeInTheDocument();
  }, 20000);

  it('saves the project with PUT', async () => {
    const m = mockFetch({
      ...base,
      'GET /api/v1/improvement-projects/5': makeProject(),
      'PUT /api/v1/improvement-projects/5': (r: MockRequest) => makeProject({ ...r.body }),
    });
    const user = userEvent.setup();
    renderPage(<ProjectPage />, { route: '/improvement/5', path: '/improvement/:id', role: 'manager' });
    await screen.findByRole('heading', { level: 1, name: 'Fewer no-shows at Riverside' });
    await waitFor(() => expect(screen.getByLabelText(/^Metric/)).toHaveValue('no_show_rate'));
    await user.selectOptions(screen.getByLabelText(/^Status/), 'completed');
    await user.click(screen.getByRole('button', { name: 'Save project' }));
    await waitFor(() => expect(m.callsTo('PUT /api/v1/improvement-projects/5')).toHaveLength(1));
    expect(m.callsTo('PUT /api/v1/improvement-projects/5')[0].body).toMatchObject({ status: 'completed', location_id: 1, target: 8, end_date: '2026-06-30' });
    expect(await screen.findByText('Project saved')).toBeInTheDocument();
  }, 20000);

  it('is read-only without improvement.write', async () => {
    mockFetch({ ...base, 'GET /api/v1/improvement-projects/5': makeProject({ location_id: null, location_name: '' }) });
    renderPage(<ProjectPage />, { route: '/improvement/5', path: '/improvement/:id', role: 'manager', permissions: ['analytics.read'] });
    const summary = await screen.findByRole('region', { name: 'Project' });
    expect(summary).toHaveTextContent(/Aim.*Cut the no-show rate.*Location.*All locations.*Target.*8 %/);
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: /Add cycle|Edit|Delete/ })).toBeNull();
    expect(screen.getByRole('article', { name: /Reminder calls/ })).toBeInTheDocument();
    expect(await screen.findByRole('region', { name: /No-show rate at all locations/ })).toBeInTheDocument();
  });
});
