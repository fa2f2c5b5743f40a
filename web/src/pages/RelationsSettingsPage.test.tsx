import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RelationsSettingsPage } from './RelationsSettingsPage';
import { apiError, mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';
import { SETTINGS } from '../test/cases';
import type { RelationsSettings } from '../api/types';

const CAL = { working_weekdays: [1, 2, 3, 4, 5], holidays: ['2026-12-25', '2026-07-03'] };

describe('Relations settings', () => {
  it('edits categories and deadlines, puts the server’s field error on the right cell, then saves', async () => {
    let puts = 0;
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/relations/settings': SETTINGS,
      'GET /api/v1/locations/1/calendar': CAL,
      'PUT /api/v1/relations/settings': (r: { body: RelationsSettings }) =>
        puts++ === 0 ? apiError(400, 'invalid', 'Must be at most 7 calendar days (CMS).', 'grievance.resolve_or_interim_notice.days') : r.body,
    });
    const user = userEvent.setup();
    renderPage(<RelationsSettingsPage />, { route: '/relations/settings', path: '/relations/settings', role: 'manager' });
    await user.type(await screen.findByLabelText('New category'), 'Food');
    await user.click(screen.getByRole('button', { name: /add category/i }));
    await user.click(screen.getByRole('button', { name: 'Remove Billing' }));
    await user.click(screen.getByRole('button', { name: 'Move Food up' }));

    const days = screen.getByLabelText('Days (grievance, row 2)');
    await user.clear(days);
    await user.type(days, '10');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(days).toHaveAccessibleDescription(/at most 7 calendar days/i));
    expect(days).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(days).toHaveFocus());

    await user.clear(days);
    await user.type(days, '7');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(m.callsTo('PUT /api/v1/relations/settings')).toHaveLength(2));
    const body = m.callsTo('PUT /api/v1/relations/settings')[1].body;
    expect(body.categories).toEqual(['Communication', 'Food', 'Clinical care']);
    expect(body.deadline_policy.grievance[1]).toEqual({ milestone: 'resolve_or_interim_notice', days: 7, count: 'calendar_days', remind_before_hours: 48 });
    expect(body.letter_template).toBe(SETTINGS.letter_template);
  });

  it('rejects unknown placeholders before saving and inserts known ones', async () => {
    const m = mockFetch({ ...referenceRoutes, 'GET /api/v1/relations/settings': SETTINGS, 'GET /api/v1/locations/1/calendar': CAL });
    const user = userEvent.setup();
    renderPage(<RelationsSettingsPage />, { route: '/relations/settings', path: '/relations/settings', role: 'manager' });
    const tpl = await screen.findByLabelText(/^Template/);
    await user.type(tpl, ' {{{{patient}}');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(tpl).toHaveAccessibleDescription(/unknown placeholder: \{\{patient\}\}/i);
    expect(m.callsTo('PUT /api/v1/relations/settings')).toHaveLength(0);

    await user.clear(tpl);
    await user.click(screen.getByRole('button', { name: 'Insert {{reference_number}}' }));
    expect(tpl).toHaveValue('{{reference_number}}');
  });

  it('edits the business calendar of a location', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/relations/settings': SETTINGS,
      'GET /api/v1/locations/1/calendar': CAL,
      'PUT /api/v1/locations/1/calendar': (r: { body: unknown }) => r.body,
    });
    const user = userEvent.setup();
    renderPage(<RelationsSettingsPage />, { route: '/relations/settings', path: '/relations/settings', role: 'manager' });
    const days = await screen.findByRole('group', { name: 'Working days' });
    expect(within(days).getByRole('checkbox', { name: 'Monday' })).toBeChecked();
    expect(within(days).getByRole('checkbox', { name: 'Saturday' })).not.toBeChecked();
    await user.click(within(days).getByRole('checkbox', { name: 'Saturday' }));
    await user.click(screen.getByRole('button', { name: /remove holiday fri 3 jul 2026/i }));
    await user.type(screen.getByLabelText('Add a holiday'), '2026-11-26');
    await user.click(screen.getByRole('button', { name: /add holiday/i }));
    await user.type(screen.getByLabelText('Add a holiday'), '2026-11-26');
    await user.click(screen.getByRole('button', { name: /add holiday/i }));
    expect(screen.getByLabelText('Add a holiday')).toHaveAccessibleDescription(/already a holiday/i);
    await user.click(screen.getByRole('button', { name: 'Save calendar' }));
    await waitFor(() => expect(m.callsTo('PUT /api/v1/locations/1/calendar')).toHaveLength(1));
    expect(m.callsTo('PUT /api/v1/locations/1/calendar')[0].body).toEqual({ working_weekdays: [1, 2, 3, 4, 5, 6], holidays: ['2026-11-26', '2026-12-25'] });
  });
});
