import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RelationsReportPage, defaultRange } from './RelationsReportPage';
import { niceMax } from '../components/BarChart';
import { mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';

const REPORT = {
  visits: 8200,
  cases: 41,
  per_1000_visits: 5,
  by_category: [
    { key: 'Billing', count: 11, per_1000: 1.34 },
    { key: 'Communication', count: 30, per_1000: 3.66 },
  ],
  by_department: [{ key: 'Emergency', count: 41, per_1000: 5 }],
  by_month: [
    { month: '2026-01', count: 20, visits: 4000, per_1000: 5 },
    { month: '2026-02', count: 21, visits: 4200, per_1000: 5.0 },
    { month: '2026-03', count: 0, visits: 0, per_1000: null },
  ],
  acknowledge_hours: { median: 6.5, p90: 30 },
  resolve_days: { median: 12, p90: 28 },
  within_deadline_share: 0.87,
  open_now: 9,
  overdue_now: 2,
};

describe('Relations report', () => {
  it('defaults to the last 12 months and summarises, charts and tabulates', async () => {
    const m = mockFetch({ ...referenceRoutes, 'GET /api/v1/relations/report': REPORT });
    const user = userEvent.setup();
    renderPage(<RelationsReportPage />, { route: '/relations/report', path: '/relations/report' });
    expect(await screen.findByText('87%')).toBeInTheDocument();
    expect(screen.getByText('Overdue now').parentElement).toHaveTextContent('2');
    expect(screen.getByText('in 8,200 visits')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /cases per 1,000 visits by month/i })).toBeInTheDocument();
    const chartTable = screen.getByRole('table', { name: /cases per 1,000 visits by month/i });
    expect(within(chartTable).getByRole('row', { name: /Feb 2026 5 21 cases in 4,200 visits/ })).toBeInTheDocument();
    expect(within(chartTable).getByRole('row', { name: /Mar 2026 —/ })).toBeInTheDocument();
    const cat = screen.getByRole('table', { name: /by category/i });
    const rows = within(cat).getAllByRole('row');
    expect(rows[1]).toHaveTextContent(/Communication\s*30\s*3\.7\s*73%/);

    const q = m.callsTo('GET /api/v1/relations/report')[0].url.searchParams;
    expect(q.get('from')).toBe(defaultRange().from);
    expect(q.has('location_id')).toBe(false);

    await user.selectOptions(screen.getByLabelText('Location'), '1');
    await user.clear(screen.getByLabelText(/^From/));
    await user.type(screen.getByLabelText(/^From/), '2026-01-01');
    await user.click(screen.getByRole('button', { name: 'Show report' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/relations/report')).toHaveLength(2));
    const q2 = m.callsTo('GET /api/v1/relations/report')[1].url.searchParams;
    expect(q2.get('from')).toBe('2026-01-01');
    expect(q2.get('location_id')).toBe('1');
  });

  it('picks readable axis maxima and a 12-month default range', () => {
    expect(niceMax(4.3)).toBe(5);
    expect(niceMax(0)).toBe(1);
    expect(niceMax(11)).toBe(20);
    expect(niceMax(230)).toBe(250);
    expect(defaultRange('2026-03-15')).toEqual({ from: '2025-04-01', to: '2026-03-15' });
  });
});
