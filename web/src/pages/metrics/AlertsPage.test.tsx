import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { MetricAlert } from '../../api/types';
import { alertChartLink, alertPeriods } from '../../components/metrics/AlertList';
import { apiError, mockFetch, referenceRoutes } from '../../test/mockFetch';
import { renderPage } from '../../test/render';
import { AlertsPage } from './AlertsPage';

const ALERT: MetricAlert = {
  id: 5,
  metric_key: 'cycle_time_minutes',
  metric_name: 'Cycle time',
  unit: 'minutes',
  improvement: 'decrease',
  location_id: 1,
  location_name: 'Riverside Clinic',
  interval: 'week',
  first_period_start: '2026-11-09',
  last_period_start: '2026-11-09',
  periods: 1,
  special_cause: 'Above UCL',
  point_type: 'special_cause_concern',
  value: 125,
  centre: 64.2,
  lower_limit: 45.1,
  upper_limit: 83.3,
  detected_at: '2026-11-16T09:00:00Z',
  updated_at: '2026-11-16T09:00:00Z',
  acknowledged_at: null,
  acknowledged_by: null,
  note: '',
};
const METRICS = { items: [{ key: 'cycle_time_minutes', name: 'Cycle time', unit: 'minutes', group: 'Flow', definition: '', chart: 'i', improvement: 'decrease' }] };

describe('Metric alerts', () => {
  it('words an alert and links to its chart with the period open', () => {
    expect(alertPeriods(ALERT)).toBe('Week of 9 Nov 2026');
    expect(alertPeriods({ ...ALERT, periods: 3, last_period_start: '2026-11-23' })).toBe(
      'From the week of 9 Nov 2026 to the week of 23 Nov 2026 (3 weeks running)',
    );
    expect(alertChartLink(ALERT)).toBe('/dashboard/cycle_time_minutes?location=1&interval=week&point=2026-11-09');
  });

  it('lists open alerts, acknowledges one with a note, and looks for new signals on demand', async () => {
    let acked = false;
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/metrics': METRICS,
      'GET /api/v1/metrics/alert-subscriptions': { items: [] },
      'GET /api/v1/metrics/alerts': () => ({ items: acked ? [] : [ALERT], total: acked ? 0 : 1 }),
      'POST /api/v1/metrics/alerts/5/acknowledge': (req) => {
        acked = true;
        return { ...ALERT, acknowledged_at: '2026-11-16T10:00:00Z', acknowledged_by: 'manager', note: (req.body as { note: string }).note };
      },
      'POST /api/v1/metrics/alerts/scan': { locations: 2, charts: 48, new_alerts: 1, continued: 0, emails_queued: 1, emailed: 1, failed: 0 },
    });
    const user = userEvent.setup();
    renderPage(<AlertsPage />, { route: '/alerts', path: '/alerts', role: 'manager' });
    const card = await screen.findByRole('listitem', { name: 'Cycle time at Riverside Clinic' });
    expect(card).toHaveTextContent('Week of 9 Nov 2026');
    expect(card).toHaveTextContent('Above UCL — a concern: 125 minutes (centre 64.2 minutes, limits 45.1 minutes to 83.3 minutes).');
    expect(within(card).getByRole('img', { name: 'Special cause — concerning (higher)' })).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: /Open the chart/ })).toHaveAttribute(
      'href',
      '/dashboard/cycle_time_minutes?location=1&interval=week&point=2026-11-09',
    );
    expect(m.callsTo('GET /api/v1/metrics/alerts')[0].url.searchParams.get('status')).toBe('open');

    await user.click(within(card).getByRole('button', { name: /Acknowledge/ }));
    const dialog = await screen.findByRole('dialog', { name: /Acknowledge: Cycle time at Riverside Clinic/ });
    await user.type(within(dialog).getByLabelText(/Note/), 'Two locums; reviewed.');
    await user.click(within(dialog).getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(m.callsTo('POST /api/v1/metrics/alerts/5/acknowledge')[0].body).toEqual({ note: 'Two locums; reviewed.' });
    expect(await screen.findByText('No open alerts: no chart shows a new special cause.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Look for new signals now' }));
    expect(await screen.findByText('1 new signal in 48 charts at 2 locations, 1 email sent.')).toBeInTheDocument();
  });

  it('adds alert emails, shows the server’s error at the field, and stops them', async () => {
    let subs: unknown[] = [];
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/metrics': METRICS,
      'GET /api/v1/metrics/alerts': { items: [], total: 0 },
      'GET /api/v1/metrics/alert-subscriptions': () => ({ items: subs }),
      'POST /api/v1/metrics/alert-subscriptions': (req) => {
        const b = req.body as { email: string; location_id: string | null; metric_key: string };
        if (!b.email.includes('@')) return apiError(400, 'invalid_argument', 'not an email address of the form name@host.example', 'email');
        subs = [{ id: 9, location_id: 1, location_name: 'Riverside Clinic', metric_key: b.metric_key, metric_name: 'Cycle time', email: b.email, created_at: '' }];
        return { status: 201, body: subs[0] };
      },
      'DELETE /api/v1/metrics/alert-subscriptions/9': () => {
        subs = [];
        return new Response(null, { status: 204 });
      },
    });
    const user = userEvent.setup();
    renderPage(<AlertsPage />, { route: '/alerts', path: '/alerts', role: 'manager' });
    const form = await screen.findByRole('form', { name: 'Add alert emails' });
    expect(await screen.findByText('You receive no alert emails.')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Email me these alerts' }));
    expect(within(form).getByLabelText(/Email address/)).toHaveFocus();
    expect(form).toHaveTextContent('Enter the address to send the alerts to.');

    await user.type(within(form).getByLabelText(/Email address/), 'manager');
    await user.click(within(form).getByRole('button', { name: 'Email me these alerts' }));
    expect(await within(form).findByText('not an email address of the form name@host.example')).toBeInTheDocument();

    await user.type(within(form).getByLabelText(/Email address/), '@clinic.example');
    await user.selectOptions(within(form).getByLabelText('Location'), 'Riverside Clinic');
    await user.selectOptions(within(form).getByLabelText('Metric'), 'Cycle time');
    await user.click(within(form).getByRole('button', { name: 'Email me these alerts' }));
    const table = await screen.findByRole('table', { name: 'Your alert emails' });
    expect(within(table).getByRole('row', { name: /Riverside Clinic Cycle time manager@clinic.example/ })).toBeInTheDocument();
    expect(m.callsTo('POST /api/v1/metrics/alert-subscriptions').at(-1)!.body).toEqual({
      email: 'manager@clinic.example',
      location_id: 1,
      metric_key: 'cycle_time_minutes',
    });
    await user.click(within(table).getByRole('button', { name: /Stop/ }));
    expect(await screen.findByText('You receive no alert emails.')).toBeInTheDocument();
  });
});
