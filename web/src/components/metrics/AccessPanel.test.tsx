import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { MetricsPage } from '../../pages/MetricsPage';
import { DASHBOARD, makeMetric } from '../../test/metrics';
import { mockFetch, referenceRoutes } from '../../test/mockFetch';
import { renderPage } from '../../test/render';
import { fmtDays, meanByType } from './AccessPanel';

const TNA = makeMetric({ key: 'third_next_available_days', name: 'Third next available', unit: 'days', improvement: 'decrease', latest: 2.5 });
const reading = (provider: number, type: number, days: number, over = {}) => ({
  provider_id: provider,
  provider_name: provider === 1 ? 'Dr. Ada Park' : 'Dr. Ben Lee',
  specialty: 'Family medicine',
  appointment_type_id: type,
  appointment_type_name: type === 7 ? 'Follow-up' : 'Video visit',
  days,
  third_at: '2026-02-12T14:00:00Z',
  open_slots: 3,
  censored: false,
  ...over,
});
const READINGS = {
  location_id: 1,
  time_zone: 'America/New_York',
  snapshot_date: '2026-02-10',
  taken_at: '2026-02-10T05:10:00Z',
  horizon_days: 90,
  mean_days: 32.3,
  items: [reading(2, 8, 90, { third_at: null, open_slots: 1, censored: true }), reading(1, 7, 5), reading(2, 7, 2)],
};
const routes = {
  ...referenceRoutes,
  'GET /api/v1/metrics/dashboard': { ...DASHBOARD, metrics: [TNA, ...DASHBOARD.metrics] },
  'GET /api/v1/access/third-next-available': READINGS,
  'GET /api/v1/metrics/third_next_available_days': { metric: { ...TNA } },
  'POST /api/v1/access/third-next-available/readings': { locations: 1, days: 1, readings: 3 },
};

describe('Third next available by visit type and provider', () => {
  it('formats days and averages by type, worst first', () => {
    expect(fmtDays({ days: 1, censored: false })).toBe('1 day');
    expect(fmtDays({ days: 90, censored: true })).toBe('90+ days');
    expect(meanByType(READINGS.items).map((t) => [t.name, t.mean])).toEqual([
      ['Video visit', 90],
      ['Follow-up', 3.5],
    ]);
  });

  it('asks for a location first', async () => {
    mockFetch(routes);
    renderPage(<MetricsPage />, { route: '/dashboard/third_next_available_days', path: '/dashboard/:key?', role: 'manager' });
    const panel = await screen.findByRole('region', { name: 'By visit type and provider' });
    expect(panel).toHaveTextContent('Choose a location');
  });

  it('lists the latest readings longest first, charts one visit type, and takes a reading again', async () => {
    const m = mockFetch(routes);
    const user = userEvent.setup();
    renderPage(<MetricsPage />, { route: '/dashboard/third_next_available_days?location=1', path: '/dashboard/:key?', role: 'manager' });
    const panel = await screen.findByRole('region', { name: 'By visit type and provider' });
    await within(panel).findByText(/Read on/);
    expect(panel).toHaveTextContent('mean 32.3 days over 3 visit type and provider pairs; 1 with fewer than three open slots in the next 90 days (counted as 90)');
    const table = within(panel).getByRole('table', { name: /Third next available by visit type and provider/ });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows[0]).toEqual(['Video visit', 'Dr. Ben Lee · Family medicine', '90+ days', 'Fewer than 3 open (1)']);
    expect(rows[1].slice(0, 3)).toEqual(['Follow-up', 'Dr. Ada Park · Family medicine', '5 days']);
    const bars = within(panel).getByRole('table', { name: /Mean days to the third next available, by visit type/ });
    expect(within(bars).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['Video visit901', 'Follow-up3.52']);

    await user.selectOptions(within(panel).getByLabelText('Visit type'), 'Follow-up');
    await waitFor(() => expect(m.callsTo('GET /api/v1/metrics/third_next_available_days')).toHaveLength(1));
    const chartQuery = m.callsTo('GET /api/v1/metrics/third_next_available_days')[0].url.searchParams;
    expect([chartQuery.get('location_id'), chartQuery.get('appointment_type_id')]).toEqual(['1', '7']);
    expect(m.callsTo('GET /api/v1/access/third-next-available').at(-1)!.url.searchParams.get('appointment_type_id')).toBe('7');

    await user.click(within(panel).getByRole('button', { name: 'Take today’s reading again' }));
    await within(panel).findByText('Read again now: 3 visit type and provider pairs.');
    expect(m.callsTo('POST /api/v1/access/third-next-available/readings')[0].body).toEqual({ location_id: 1 });
  });
});
