import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { InvitationsPage } from './InvitationsPage';
import { PrintSlipPage } from './PrintSlipPage';
import { SurveyListPage } from './SurveyListPage';
import { SurveySettingsPage } from './SurveySettingsPage';
import { apiError, json, mockFetch, referenceRoutes } from '../../test/mockFetch';
import { renderPage } from '../../test/render';
import { SURVEY, surveyPerms } from '../../test/surveys';

const manager = { role: 'manager' as const, permissions: surveyPerms.manager };
const coordinator = { role: 'coordinator' as const, permissions: surveyPerms.coordinator };
const LIST = { items: [{ id: 'outpatient', title: 'Outpatient experience', latest_version: 2, active: true, responses: 148, created_at: '2026-01-05T09:00:00-05:00' }] };

describe('Survey list', () => {
  it('lists surveys and creates the HCAHPS survey when there is none', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/surveys': LIST,
      'POST /api/v1/surveys/hcahps': json(201, { ...SURVEY, id: 'hcahps', title: 'HCAHPS-style survey', version: 1, versions: [1] }),
    });
    const user = userEvent.setup();
    renderPage(<SurveyListPage />, { route: '/surveys', path: '/surveys', ...manager });
    const row = await screen.findByRole('row', { name: /Outpatient experience/ });
    expect(row).toHaveTextContent(/Outpatient experience\s*outpatient\s*2\s*Active\s*148/);
    expect(within(row).getByRole('link', { name: 'Outpatient experience' })).toHaveAttribute('href', '/surveys/outpatient');
    expect(screen.getByRole('link', { name: /New survey/ })).toHaveAttribute('href', '/surveys/new');
    const nav = screen.getByRole('navigation', { name: 'Survey pages' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Surveys', 'Invitations', 'Settings']);
    expect(within(nav).getByRole('link', { name: 'Surveys' })).toHaveAttribute('aria-current', 'page');

    await user.click(screen.getByRole('button', { name: 'Create the HCAHPS survey' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/surveys/hcahps?tab=questions'));
    expect(m.callsTo('POST /api/v1/surveys/hcahps')).toHaveLength(1);
  });

  it('hides the HCAHPS button when it exists, and the actions from analysts', async () => {
    mockFetch({ ...referenceRoutes, 'GET /api/v1/surveys': { items: [...LIST.items, { ...LIST.items[0], id: 'hcahps', title: 'HCAHPS', active: false }] } });
    renderPage(<SurveyListPage />, { route: '/surveys', path: '/surveys', role: 'manager', permissions: ['analytics.read'] });
    await screen.findByRole('row', { name: /HCAHPS/ });
    expect(screen.queryByRole('button', { name: 'Create the HCAHPS survey' })).toBeNull();
    expect(screen.queryByRole('link', { name: /New survey/ })).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Survey pages' })).toBeNull();
  });
});

describe('Survey settings', () => {
  const SETTINGS = {
    active_survey_id: 'outpatient',
    send_after_hours: 2,
    expires_days: 30,
    reminder_after_days: 7,
    max_reminders: 1,
    public_base_url: 'http://127.0.0.1:8080',
    from_name: 'Riverside Health',
    from_email: 'surveys@riverside.example',
    email_subject: 'How was your visit?',
    email_intro: 'Thank you for visiting us.',
    mail_enabled: false,
  };

  it('says mail is off, saves the form with a field error first, and sends invitations now', async () => {
    let puts = 0;
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/surveys/settings': SETTINGS,
      'GET /api/v1/surveys': LIST,
      'PUT /api/v1/surveys/settings': (r: { body: object }) =>
        puts++ === 0 ? apiError(400, 'invalid', 'Must be a public https address.', 'public_base_url') : { ...r.body, mail_enabled: false },
      'POST /api/v1/surveys/dispatch': { invited: 5, emailed: 0, to_print: 5, reminded: 0, failed: 0, opted_out_skipped: 1 },
    });
    const user = userEvent.setup();
    renderPage(<SurveySettingsPage />, { route: '/surveys/settings', path: '/surveys/settings', ...manager });

    const active = await screen.findByLabelText('Active survey');
    await waitFor(() => expect(active).toHaveDisplayValue('Outpatient experience (outpatient, version 2)'));
    expect(screen.getByText('Not configured')).toBeInTheDocument();
    expect(screen.getByText(/every invitation waits to be printed/)).toBeInTheDocument();
    expect(screen.queryByRole('checkbox', { name: /mail/i })).toBeNull();

    const max = screen.getByLabelText(/^Reminders at most/);
    await user.clear(max);
    await user.type(max, '2');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    const url = screen.getByLabelText(/^Public address of CareDesk/);
    await waitFor(() => expect(url).toHaveAccessibleDescription(/Must be a public https address\./));
    await waitFor(() => expect(url).toHaveFocus());
    await user.clear(url);
    await user.type(url, 'https://care.riverside.example');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(m.callsTo('PUT /api/v1/surveys/settings')).toHaveLength(2));
    expect(m.callsTo('PUT /api/v1/surveys/settings')[1].body).toEqual({
      active_survey_id: 'outpatient',
      send_after_hours: 2,
      expires_days: 30,
      reminder_after_days: 7,
      max_reminders: 2,
      public_base_url: 'https://care.riverside.example',
      from_name: 'Riverside Health',
      from_email: 'surveys@riverside.example',
      email_subject: 'How was your visit?',
      email_intro: 'Thank you for visiting us.',
    });

    await user.click(screen.getByRole('button', { name: 'Send invitations now' }));
    const done = await screen.findByText('Done.');
    const box = done.closest('.alert')!;
    expect(box).toHaveTextContent(/Invited\s*5/);
    expect(box).toHaveTextContent(/Waiting to be printed\s*5/);
    expect(box).toHaveTextContent(/Skipped \(opted out\)\s*1/);
    expect(within(box as HTMLElement).getByRole('link', { name: 'Print the waiting slips' })).toHaveAttribute('href', '/surveys/invitations?channel=print&printed=false');
  });

  it('checks numbers and the address before saving', async () => {
    const m = mockFetch({ ...referenceRoutes, 'GET /api/v1/surveys/settings': SETTINGS, 'GET /api/v1/surveys': LIST });
    const user = userEvent.setup();
    renderPage(<SurveySettingsPage />, { route: '/surveys/settings', path: '/surveys/settings', ...manager });
    const days = await screen.findByLabelText(/^Link expires after/);
    await user.clear(days);
    await user.type(days, '0');
    await user.clear(screen.getByLabelText(/^Public address/));
    await user.type(screen.getByLabelText(/^Public address/), 'care.example');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(days).toHaveAccessibleDescription(/Enter a whole number, 1 or more\./);
    expect(screen.getByLabelText(/^Public address/)).toHaveAccessibleDescription(/Start the address with http/);
    expect(screen.getByRole('alert')).toHaveTextContent('2 fields need attention');
    expect(m.callsTo('PUT /api/v1/surveys/settings')).toHaveLength(0);
  });
});

const INV = {
  id: 31,
  encounter_id: 900,
  patient_id: 41,
  patient_name: 'Jonathan Smith',
  location_id: 1,
  location_name: 'Riverside Clinic',
  department: 'Cardiology',
  provider_id: 1,
  provider_name: 'Dr. Maria Lopez',
  visit_date: '2026-03-10',
  survey_id: 'outpatient',
  survey_version: 2,
  channel: 'print',
  email: null,
  issued_at: '2026-03-10T14:00:00-04:00',
  expires_at: '2026-04-09T14:00:00-04:00',
  sent_at: null,
  printed_at: null,
  reminders: 0,
  last_reminder_at: null,
  used_at: null,
  state: 'valid',
  send_error: null,
};

describe('Survey invitations', () => {
  it('filters the list, pages it, and links each open invitation to its slip', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/surveys/invitations': {
        items: [
          INV,
          { ...INV, id: 32, patient_name: 'Ana Diaz', channel: 'email', email: 'ana@example.org', state: 'used', used_at: '2026-03-11T09:00:00-04:00', sent_at: '2026-03-10T16:00:00-04:00' },
          { ...INV, id: 33, patient_name: 'Lee Wong', channel: 'email', email: 'lee@example.org', send_error: 'SMTP 550 mailbox unavailable' },
        ],
        total: 120,
      },
    });
    const user = userEvent.setup();
    renderPage(<InvitationsPage />, { route: '/surveys/invitations', path: '/surveys/invitations', ...coordinator });
    const row = await screen.findByRole('row', { name: /Jonathan Smith/ });
    expect(row).toHaveTextContent(/Riverside Clinic · Cardiology · Dr\. Maria Lopez/);
    expect(row).toHaveTextContent('Printed slip');
    expect(row).toHaveTextContent('Waiting for an answer');
    expect(within(row).getByRole('link', { name: 'Print slip for Jonathan Smith' })).toHaveAttribute('href', '/surveys/invitations/31/print');
    const used = screen.getByRole('row', { name: /Ana Diaz/ });
    expect(within(used).queryByRole('link', { name: /Print slip/ })).toBeNull();
    expect(used).toHaveTextContent('Answered');
    expect(screen.getByRole('row', { name: /Lee Wong/ })).toHaveTextContent('Email failed: SMTP 550 mailbox unavailable');
    // a coordinator sees only the invitations among the survey pages
    expect(screen.queryByRole('navigation', { name: 'Survey pages' })).toBeNull();

    await user.selectOptions(screen.getByLabelText('State'), 'valid');
    await user.selectOptions(screen.getByLabelText('Channel'), 'print');
    await user.selectOptions(screen.getByLabelText('Printed'), 'false');
    await user.selectOptions(screen.getByLabelText('Location'), '1');
    await waitFor(() => {
      const q = m.callsTo('GET /api/v1/surveys/invitations').at(-1)!.url.searchParams;
      expect(Object.fromEntries(q)).toEqual({ state: 'valid', channel: 'print', printed: 'false', location_id: '1', limit: '50', offset: '0' });
    });
    await user.click(await screen.findByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/surveys/invitations').at(-1)!.url.searchParams.get('offset')).toBe('50'));
  });
});

describe('Printed slip', () => {
  const SLIP = {
    url: 'https://care.example/s/AbC123',
    qr_svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" data-testid="qr"><rect width="21" height="21"/></svg>',
    expires_at: '2026-04-09T14:00:00-04:00',
    patient_name: 'Jonathan Smith',
    survey_title: 'Outpatient experience',
    location_name: 'Riverside Clinic',
    visit_date: '2026-03-10',
  };

  it('makes one fresh link and shows a printable slip with the QR code, address and expiry', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'POST /api/v1/surveys/invitations/31/print': SLIP,
      'GET /api/v1/public/complaint-form': { organization_name: 'Riverside Health', locations: [], categories: [] },
    });
    const print = vi.fn();
    vi.stubGlobal('print', print);
    const user = userEvent.setup();
    renderPage(<PrintSlipPage />, { route: '/surveys/invitations/31/print', path: '/surveys/invitations/:id/print', ...coordinator });
    const slip = await screen.findByRole('article', { name: 'How was your visit?' });
    expect(slip).toHaveTextContent('Tell us about your visit on Tuesday 10 March 2026 at Riverside Clinic.');
    await waitFor(() => expect(slip).toHaveTextContent('Riverside Health'));
    const fig = within(slip).getByRole('figure');
    expect(within(fig).getByRole('img', { name: 'QR code that opens the survey' }).querySelector('svg rect')).not.toBeNull();
    expect(fig.querySelector('figcaption')).toHaveTextContent(/Scan the code/);
    expect(slip).toHaveTextContent('https://care.example/s/AbC123');
    expect(slip).toHaveTextContent('This link works until Thu 9 Apr 2026.');
    expect(document.body).toHaveClass('printing-slip');
    await user.click(screen.getByRole('button', { name: 'Print' }));
    expect(print).toHaveBeenCalledTimes(1);
    expect(m.callsTo('POST /api/v1/surveys/invitations/31/print')).toHaveLength(1);
  });

  it('says so when the invitation was already answered', async () => {
    mockFetch({ ...referenceRoutes, 'POST /api/v1/surveys/invitations/32/print': apiError(409, 'token_used', 'Already answered.'), 'GET /api/v1/public/complaint-form': apiError(404, 'x', 'x') });
    renderPage(<PrintSlipPage />, { route: '/surveys/invitations/32/print', path: '/surveys/invitations/:id/print', ...coordinator });
    expect(await screen.findByText(/has already answered the survey/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Print' })).toBeNull();
  });
});
