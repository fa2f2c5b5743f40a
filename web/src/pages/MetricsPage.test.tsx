import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { MetricsPage, filtersFromParams, groupMetrics } from './MetricsPage';
import { useLocation } from 'react-router-dom';
import { DASHBOARD, NO_SHOW_RECORDS, makeMetric } from '../test/metrics';
import { apiError, mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';
import { defaultMetricsRange } from '../lib/spc';

const routes = { ...referenceRoutes, 'GET /api/v1/metrics/dashboard': DASHBOARD };

describe('Metrics dashboard', () => {
  it('narrows to a department (a specialty) and keeps it in the URL, the export and the drill-down', async () => {
    const m = mockFetch(routes);
    const user = userEvent.setup();
    renderPage(<MetricsPage />, { route: '/dashboard', path: '/dashboard/:key?', role: 'manager' });
    await screen.findByRole('region', { name: 'Access' });
    const form = screen.getByRole('search', { name: 'Metrics filters' });
    const select = within(form).getByLabelText(/Department/);
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['All departments', 'Family medicine', 'Internal medicine']);
    await user.selectOptions(select, 'Internal medicine');
    await user.click(within(form).getByRole('button', { name: 'Show metrics' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/metrics/dashboard').at(-1)!.url.searchParams.get('department')).toBe('Internal medicine'));
    expect(screen.getByText(/all locations, Internal medicine\./)).toBeInTheDocument();
  });

  it('shows the open alerts of the chosen location above the tiles, with a link to all of them', async () => {
    const alert = {
      id: 5, metric_key: 'no_show_rate', metric_name: 'No-show rate', unit: '%', improvement: 'decrease', location_id: 1,
      location_name: 'Riverside Clinic', interval: 'week', first_period_start: '2026-02-09', last_period_start: '2026-02-09', periods: 1,
      special_cause: 'Above UCL', point_type: 'special_cause_concern', value: 18, centre: 9, lower_limit: 3, upper_limit: 15,
      detected_at: '', updated_at: '', acknowledged_at: null, acknowledged_by: null, note: '',
    };
    const m = mockFetch({ ...routes, 'GET /api/v1/metrics/alerts': { items: [alert], total: 4 } });
    renderPage(<MetricsPage />, { route: '/dashboard?location=1', path: '/dashboard/:key?', role: 'manager' });
    const panel = await screen.findByRole('region', { name: '4 open alerts: new special causes' });
    expect(within(panel).getByRole('listitem', { name: 'No-show rate at Riverside Clinic' })).toHaveTextContent('Above UCL — a concern: 18%');
    expect(within(panel).getByRole('link', { name: 'All alerts and alert emails' })).toHaveAttribute('href', '/alerts?location_id=1');
    const q = m.callsTo('GET /api/v1/metrics/alerts')[0].url.searchParams;
    expect([q.get('status'), q.get('location_id'), q.get('limit')]).toEqual(['open', '1', '3']);
  });

  it('groups tiles, shows latest value and variation in words, defaults to 26 weeks', async () => {
    const m = mockFetch(routes);
    renderPage(<MetricsPage />, { route: '/dashboard', path: '/dashboard/:key?', role: 'manager' });
    const access = await screen.findByRole('region', { name: 'Access' });
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual(['Access', 'Flow', 'Relations']);
    const noShow = within(access).getByRole('link', { name: /No-show rate/ });
    expect(noShow).toHaveTextContent('18%');
    expect(noShow).toHaveTextContent('Special cause — concerning (higher)');
    expect(noShow.querySelector('.variation')).toHaveAttribute('data-tone', 'concern');
    expect(noShow.querySelector('.variation')).toHaveAttribute('data-direction', 'up');
    expect(within(access).getByRole('link', { name: /Lead time/ })).toHaveTextContent(/18 days.*Not enough data to judge variation.*Too little data for limits/);
    const flow = screen.getByRole('region', { name: 'Flow' });
    expect(within(flow).getByRole('link', { name: /Cycle time/ })).toHaveTextContent('Special cause — improving (lower)');
    expect(screen.getByRole('link', { name: /Complaints per 1,000 visits/ })).toHaveTextContent('Common cause — no significant change');

    const q = m.callsTo('GET /api/v1/metrics/dashboard')[0].url.searchParams;
    expect(q.get('interval')).toBe('week');
    expect(q.get('from')).toBe(defaultMetricsRange().from);
    expect(q.get('to')).toBe(defaultMetricsRange().to);
    expect(q.has('location_id')).toBe(false);
  });

  it('opens the SPC chart for a tile, with definition, table, highlighted signals and CSV export', async () => {
    mockFetch(routes);
    const user = userEvent.setup();
    renderPage(<MetricsPage />, { route: '/dashboard?interval=week&from=2026-01-05&to=2026-02-15', path: '/dashboard/:key?', role: 'manager' });
    await user.click(await screen.findByRole('link', { name: /No-show rate/ }));
    const panel = await screen.findByRole('region', { name: 'No-show rate' });
    expect(within(panel).getByRole('heading', { name: 'No-show rate' })).toHaveFocus();
    const img = within(panel).getByRole('img', { name: /No-show rate \(%\), by week/ });
    expect(img.querySelectorAll('[data-line="ucl"], [data-line="lcl"]')).toHaveLength(2);
    expect(img.querySelector('[data-line="y"]')!.getAttribute('d')!.match(/M/g)).toHaveLength(2); // one gap
    expect(img.querySelectorAll('circle.spc-point')).toHaveLength(5);
    expect(img.querySelectorAll('circle[data-tone="concern"]')).toHaveLength(1);
    expect(within(panel).getByText(/Booked appointments marked as no-shows/)).toBeInTheDocument();
    const table = within(panel).getByRole('table', { name: /No-show rate, each period/ });
    expect(within(table).getByRole('row', { name: /19 Jan 2026 0 0 No data/ })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /9 Feb 2026 18 100 18 Above UCL/ })).toBeInTheDocument();

    const created: Blob[] = [];
    const real = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:x';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    try {
      await user.click(within(panel).getByRole('button', { name: 'Export CSV' }));
      expect(click).toHaveBeenCalled();
      expect(created[0].type).toMatch(/^text\/csv/);
      const text = await created[0].text();
      expect(text.split('\r\n')[0]).toBe('start,numerator,denominator,value,centre_line,lower_limit,upper_limit,special_cause,point_type');
      expect(text).toContain('2026-02-09,18,100,18,10,4,16,Above UCL,special_cause_concern');
    } finally {
      URL.createObjectURL = real.create;
      URL.revokeObjectURL = real.revoke;
    }
  });

  it('exports every metric as an XLSX workbook for the chosen period and place', async () => {
    const m = mockFetch({
      ...routes,
      'GET /api/v1/metrics/dashboard.xlsx': () =>
        new Response('PK', { status: 200, headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }),
    });
    const user = userEvent.setup();
    renderPage(<MetricsPage />, { route: '/dashboard?interval=month&from=2026-01-01&to=2026-06-30&location=1', path: '/dashboard/:key?', role: 'manager' });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const real = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    try {
      await user.click(await screen.findByRole('button', { name: 'Export all metrics (XLSX)' }));
      await waitFor(() => expect(click).toHaveBeenCalled());
      const q = m.callsTo('GET /api/v1/metrics/dashboard.xlsx')[0].url.searchParams;
      expect(q.get('interval')).toBe('month');
      expect(q.get('from')).toBe('2026-01-01');
      expect(q.get('location_id')).toBe('1');
    } finally {
      URL.createObjectURL = real.create;
      URL.revokeObjectURL = real.revoke;
      click.mockRestore();
    }
  });

  it('says when there is too little data for a chart', async () => {
    mockFetch(routes);
    renderPage(<MetricsPage />, { route: '/dashboard/lead_time_days', path: '/dashboard/:key?', role: 'manager' });
    const panel = await screen.findByRole('region', { name: 'Lead time' });
    expect(within(panel).getByText(/Too little data for control limits/)).toBeInTheDocument();
    expect(within(panel).getByRole('img').querySelector('[data-line="ucl"]')).toBeNull();
    expect(within(panel).getByRole('button', { name: 'Export CSV' })).toBeInTheDocument();
  });

  it('sends the chosen filters and keeps them in the URL', async () => {
    const m = mockFetch(routes);
    const user = userEvent.setup();
    renderPage(<MetricsPage />, { route: '/dashboard', path: '/dashboard/:key?', role: 'manager' });
    await screen.findByRole('region', { name: 'Access' });
    await user.selectOptions(screen.getByLabelText('Location'), '1');
    await user.selectOptions(screen.getByLabelText('Interval'), 'month');
    await user.clear(screen.getByLabelText(/^From/));
    await user.type(screen.getByLabelText(/^From/), '2025-01-01');
    await user.click(screen.getByRole('button', { name: 'Show metrics' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/metrics/dashboard')).toHaveLength(2));
    const q = m.callsTo('GET /api/v1/metrics/dashboard')[1].url.searchParams;
    expect(q.get('interval')).toBe('month');
    expect(q.get('from')).toBe('2025-01-01');
    expect(q.get('location_id')).toBe('1');
    const link = await screen.findByRole('link', { name: /Cycle time/ });
    expect(link.getAttribute('href')).toMatch(/^\/dashboard\/cycle_time_minutes\?.*interval=month.*location=1/);
  });

  it('lists the metric’s improvement projects under the chart, with a link to start one', async () => {
    const project = {
      id: 5,
      title: 'Fewer no-shows',
      aim: 'Cut no-shows.',
      start_date: '2026-01-12',
      end_date: null,
      target: 8,
      status: 'active',
      cycles: [{ id: 2, title: 'Reminder calls', start_date: '2026-01-14', end_date: null }],
    };
    const dash = { ...DASHBOARD, location_id: 1, metrics: DASHBOARD.metrics.map((x) => (x.key === 'no_show_rate' ? { ...x, projects: [project] } : x)) };
    mockFetch({ ...routes, 'GET /api/v1/metrics/dashboard': dash });
    renderPage(<MetricsPage />, { route: '/dashboard/no_show_rate?location=1', path: '/dashboard/:key?', role: 'manager' });
    const panel = await screen.findByRole('region', { name: 'No-show rate' });
    const img = within(panel).getByRole('img', { name: /No-show rate/ });
    expect(img.querySelectorAll('[data-pdsa-cycle]')).toHaveLength(1);
    const list = within(panel).getByRole('region', { name: 'Improvement projects' });
    expect(within(list).getByRole('link', { name: 'Fewer no-shows' })).toHaveAttribute('href', '/improvement/5');
    expect(list).toHaveTextContent('1 PDSA cycle');
    expect(within(list).getByRole('link', { name: 'Start an improvement project' })).toHaveAttribute('href', '/improvement/new?metric_key=no_show_rate&location_id=1');
  });

  it('offers no "Start an improvement project" without improvement.write', async () => {
    mockFetch(routes);
    renderPage(<MetricsPage />, { route: '/dashboard/no_show_rate', path: '/dashboard/:key?', role: 'manager', permissions: ['analytics.read'] });
    const panel = await screen.findByRole('region', { name: 'No-show rate' });
    expect(within(panel).getByText(/No improvement project on No-show rate/)).toBeInTheDocument();
    expect(within(panel).queryByRole('link', { name: 'Start an improvement project' })).toBeNull();
    expect(within(panel).getByRole('img', { name: /No-show rate/ }).querySelector('[data-pdsa-cycle]')).toBeNull();
  });

  it('groups known groups first and validates URL filters', () => {
    const g = groupMetrics([makeMetric({ group: 'Other' }), makeMetric({ group: 'Relations' }), makeMetric({ group: 'Access' })]);
    expect(g.map((x) => x.group)).toEqual(['Access', 'Relations', 'Other']);
    expect(filtersFromParams(new URLSearchParams('interval=year'), '2026-03-15')).toEqual({ location: '', department: '', interval: 'week', from: '2025-09-15', to: '2026-03-15' });
  });
});

function UrlProbe() {
  const l = useLocation();
  return <div data-testid="url">{l.pathname + l.search}</div>;
}
const RECORDS = 'GET /api/v1/metrics/no_show_rate/records';
const AT_RIVERSIDE = '/dashboard/no_show_rate?interval=week&from=2026-01-05&to=2026-02-15&location=1';
const renderDrill = (route: string) =>
  renderPage(
    <>
      <MetricsPage />
      <UrlProbe />
    </>,
    { route, path: '/dashboard/:key?', role: 'manager' },
  );

describe('Drill-down from a chart point to its records', () => {
  it('opens the records of a clicked point, with links, the numerator column, paging and the choice in the URL', async () => {
    const m = mockFetch({ ...routes, [RECORDS]: NO_SHOW_RECORDS });
    const user = userEvent.setup();
    renderDrill(AT_RIVERSIDE);
    const chart = await screen.findByRole('region', { name: 'No-show rate' });
    expect(within(chart).queryByText(/Choose a location to see the records/)).toBeNull();
    // One button per point with data (the gap week has none).
    expect(within(chart).getAllByRole('button', { name: /^Records for the week of .*: / })).toHaveLength(5);
    const point = within(chart).getByRole('button', { name: 'Records for the week of 9 Feb 2026: 18%' });
    expect(m.callsTo(RECORDS)).toHaveLength(0);
    await user.click(point);

    const panel = await screen.findByRole('region', { name: 'No-show rate, week of 9 Feb 2026' });
    expect(within(panel).getByRole('heading', { name: 'No-show rate, week of 9 Feb 2026' })).toHaveFocus();
    expect(screen.getByTestId('url').textContent).toMatch(/[?&]point=2026-02-09/);
    expect(point).toHaveAttribute('aria-current', 'true');
    const q = m.callsTo(RECORDS)[0].url.searchParams;
    expect(q.get('location_id')).toBe('1');
    expect(q.get('interval')).toBe('week');
    expect(q.get('period_start')).toBe('2026-02-09');
    expect(q.get('limit')).toBe('50');
    expect(q.get('offset')).toBe('0');

    const table = await within(panel).findByRole('table');
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Time', 'Patient', 'Provider', 'Status', 'No-show']); // no value column: all values null
    expect(within(table).getByRole('link', { name: 'Ana Ruiz' })).toHaveAttribute('href', '/patients/12');
    expect(within(table).queryByRole('link', { name: 'Ben Okafor' })).toBeNull();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(/Mon 9 Feb 2026, 9:30\sAM.*Ana Ruiz.*Dr. Maria Lopez.*No-show.*Yes/);
    expect(rows[1]).toHaveTextContent(/Tue 10 Feb 2026, 2:00\sPM.*Ben Okafor.*Dr. James Chen.*Completed.*—No/);
    expect(panel).toHaveTextContent('120 appointments, oldest first.');
    expect(within(panel).getByRole('navigation', { name: 'Record pages' })).toHaveTextContent('Showing 1–2 of 120');

    await user.click(within(panel).getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(m.callsTo(RECORDS)).toHaveLength(2));
    expect(m.callsTo(RECORDS)[1].url.searchParams.get('offset')).toBe('50');

    await user.click(await within(panel).findByRole('button', { name: 'Close records' }));
    expect(screen.queryByRole('region', { name: /week of 9 Feb 2026/ })).toBeNull();
    expect(within(chart).getByRole('button', { name: 'Records for the week of 9 Feb 2026: 18%' })).toHaveFocus();
    expect(screen.getByTestId('url').textContent).not.toMatch(/point=/);
    expect(screen.getByTestId('url').textContent).toMatch(/location=1/);
  });

  it('opens from a row of the figures table, shows values for a mean metric and returns focus to the row button', async () => {
    const lead = {
      ...NO_SHOW_RECORDS,
      metric: 'no_show_rate',
      numerator_label: null,
      items: [{ ...NO_SHOW_RECORDS.items[0], value: 12.5, in_numerator: false, link: '/cases/5', patient_name: null }],
      total: 1,
    };
    const m = mockFetch({ ...routes, [RECORDS]: lead });
    const user = userEvent.setup();
    renderDrill(AT_RIVERSIDE);
    const chart = await screen.findByRole('region', { name: 'No-show rate' });
    await user.click(within(chart).getByText('Show the figures as a table'));
    const figures = within(chart).getByRole('table', { name: /No-show rate, each period/ });
    const rowButton = within(figures).getByRole('button', { name: 'Records for the week of 2 Feb 2026' });
    await user.click(rowButton);
    const panel = await screen.findByRole('region', { name: 'No-show rate, week of 2 Feb 2026' });
    expect(m.callsTo(RECORDS)[0].url.searchParams.get('period_start')).toBe('2026-02-02');
    const table = await within(panel).findByRole('table');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Time', 'Patient', 'Provider', 'Status', 'Counts in the numerator', 'Value (%)']);
    expect(within(table).getByRole('link', { name: 'Appointment 501' })).toHaveAttribute('href', '/cases/5');
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(/12\.5$/);
    expect(panel).toHaveTextContent('1 appointment, oldest first.');
    await user.click(within(panel).getByRole('button', { name: 'Close records' }));
    expect(rowButton).toHaveFocus();
  });

  it('activates a point from the keyboard with Enter and Space', async () => {
    const m = mockFetch({ ...routes, [RECORDS]: NO_SHOW_RECORDS });
    const user = userEvent.setup();
    renderDrill(AT_RIVERSIDE);
    const chart = await screen.findByRole('region', { name: 'No-show rate' });
    const first = within(chart).getByRole('button', { name: 'Records for the week of 5 Jan 2026: 9%' });
    expect(first).toHaveAttribute('tabindex', '0');
    first.focus();
    expect(first).toHaveFocus();
    await user.keyboard('{Enter}');
    await screen.findByRole('region', { name: 'No-show rate, week of 5 Jan 2026' });
    expect(m.callsTo(RECORDS)[0].url.searchParams.get('period_start')).toBe('2026-01-05');

    const other = within(chart).getByRole('button', { name: 'Records for the week of 12 Jan 2026: 11%' });
    other.focus();
    await user.keyboard(' ');
    await screen.findByRole('region', { name: 'No-show rate, week of 12 Jan 2026' });
    expect(screen.queryByRole('region', { name: 'No-show rate, week of 5 Jan 2026' })).toBeNull();
    await waitFor(() => expect(m.callsTo(RECORDS).at(-1)!.url.searchParams.get('period_start')).toBe('2026-01-12'));
    await user.keyboard('{Tab}'); // away from the heading: Close records is next
    expect(screen.getByRole('button', { name: 'Close records' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(other).toHaveFocus();
  });

  it('opens the point named in the URL', async () => {
    const m = mockFetch({ ...routes, [RECORDS]: NO_SHOW_RECORDS });
    renderDrill(`${AT_RIVERSIDE}&point=2026-02-09`);
    const panel = await screen.findByRole('region', { name: 'No-show rate, week of 9 Feb 2026' });
    expect(await within(panel).findByRole('link', { name: 'Ana Ruiz' })).toBeInTheDocument();
    expect(m.callsTo(RECORDS)).toHaveLength(1);
    // The tiles and "Close chart" do not carry the point to another metric.
    expect(screen.getByRole('link', { name: /Cycle time/ }).getAttribute('href')).not.toMatch(/point=/);
  });

  it('without a location shows a hint, no buttons, and asks for no records', async () => {
    const m = mockFetch({ ...routes, [RECORDS]: NO_SHOW_RECORDS });
    renderDrill('/dashboard/no_show_rate?interval=week&from=2026-01-05&to=2026-02-15&point=2026-02-09');
    const chart = await screen.findByRole('region', { name: 'No-show rate' });
    expect(within(chart).getByText('Choose a location to see the records behind a point.')).toBeInTheDocument();
    expect(within(chart).queryAllByRole('button', { name: /^Records/ })).toHaveLength(0);
    expect(screen.queryByRole('region', { name: /week of/ })).toBeNull();
    expect(m.callsTo(RECORDS)).toHaveLength(0);
  });

  it('shows the API error in an alert', async () => {
    mockFetch({ ...routes, [RECORDS]: apiError(400, 'invalid', 'period_start is not the start of a week.', 'period_start') });
    const user = userEvent.setup();
    renderDrill(AT_RIVERSIDE);
    const chart = await screen.findByRole('region', { name: 'No-show rate' });
    await user.click(within(chart).getByRole('button', { name: 'Records for the week of 9 Feb 2026: 18%' }));
    const panel = await screen.findByRole('region', { name: 'No-show rate, week of 9 Feb 2026' });
    const alert = await within(panel).findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the records. period_start is not the start of a week.');
    expect(within(panel).queryByRole('table')).toBeNull();
  });

  it('says when a point has no records', async () => {
    mockFetch({ ...routes, [RECORDS]: { ...NO_SHOW_RECORDS, items: [], total: 0 } });
    renderDrill(`${AT_RIVERSIDE}&point=2026-02-09`);
    const panel = await screen.findByRole('region', { name: 'No-show rate, week of 9 Feb 2026' });
    expect(await within(panel).findByText('No records behind this point.')).toBeInTheDocument();
  });
});
