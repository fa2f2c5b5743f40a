import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { NewCasePage } from './NewCasePage';
import { json, mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';
import { SETTINGS, makeCase } from '../test/cases';

const patient = { id: 41, mrn: 'MRN000041', given_name: 'Jonathan', family_name: 'Smith', birth_date: '1984-02-29', sex: 'male', phone: '555-0142', email: 'jon@example.org' };
const visit = {
  id: 900, patient_id: 41, patient_name: 'Jonathan Smith', appointment_type_id: 7, appointment_type_name: 'Follow-up', provider_id: 1, provider_name: 'Dr. Maria Lopez',
  location_id: 1, location_name: 'Riverside Clinic', start: '2026-02-27T09:00:00-05:00', end: '2026-02-27T09:20:00-05:00', status: 'completed', modality: 'in_person', encounter_id: 5005,
};

describe('New case (staff intake)', () => {
  it('records a written concern with triage facts, a patient and a visit, then opens the case', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/relations/settings': SETTINGS,
      'GET /api/v1/patients': { items: [patient] },
      'GET /api/v1/patients/41/appointments': { items: [visit] },
      'POST /api/v1/cases': () => json(201, makeCase({ id: 99, reference_number: 'CD-2026-000099-2' })),
    });
    const user = userEvent.setup();
    renderPage(<NewCasePage />, { route: '/cases/new', path: '/cases/new' });

    await user.selectOptions(await screen.findByLabelText(/^Received by/), 'letter');
    const facts = screen.getByRole('group', { name: 'The concern…' });
    expect(within(facts).getByRole('checkbox', { name: /made in writing/i })).toBeChecked();
    await user.click(within(facts).getByRole('checkbox', { name: /quality of care/i }));

    await waitFor(() => expect(screen.getByLabelText(/^Location/)).toHaveValue('1')); // the only location is chosen
    await user.selectOptions(await screen.findByRole('combobox', { name: /^Category/ }), 'Clinical care');
    await user.selectOptions(screen.getByLabelText(/^Severity/), 'high');
    await user.type(screen.getByLabelText(/^What happened/), 'Discharged without pain medication.');

    await user.type(screen.getByRole('combobox', { name: 'Patient (optional)' }), 'smith');
    await user.click(await screen.findByRole('option', { name: /Smith, Jonathan/ }));
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Jonathan Smith'); // reply-to filled from the patient
    const visitSelect = await screen.findByLabelText(/^Related visit/);
    await waitFor(() => expect(within(visitSelect).getAllByRole('option')).toHaveLength(2));
    await user.selectOptions(visitSelect, '5005');

    await user.click(screen.getByRole('button', { name: 'Record case' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/cases/99'));
    const body = m.callsTo('POST /api/v1/cases')[0].body;
    expect(body).toMatchObject({
      kind: 'complaint',
      channel: 'letter',
      category: 'Clinical care',
      severity: 'high',
      description: 'Discharged without pain medication.',
      patient_id: 41,
      encounter_id: 5005,
      location_id: 1,
      contact_name: 'Jonathan Smith',
      contact_email: 'jon@example.org',
      contact_phone: '555-0142',
      contact_preference: 'phone',
    });
    expect(body.facts).toEqual({
      written: true,
      resolved_promptly_by_staff_present: false,
      response_requested: false,
      alleges_abuse_or_neglect: false,
      alleges_conditions_of_participation_breach: false,
      medicare_billing_rights_issue: false,
      quality_of_care_concern: true,
      premature_discharge_concern: false,
    });
    expect(body).not.toHaveProperty('inquiry_type');
    expect(body).not.toHaveProperty('received_at'); // "now" is the server's default
  });

  it('asks for the inquiry type and required fields, and sends an earlier received time with its offset', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/relations/settings': SETTINGS,
      'POST /api/v1/cases': () => json(201, makeCase({ id: 100, kind: 'inquiry' })),
    });
    const user = userEvent.setup();
    renderPage(<NewCasePage />, { route: '/cases/new', path: '/cases/new' });
    await user.click(await screen.findByRole('radio', { name: /inquiry/i }));
    expect(screen.queryByRole('group', { name: 'The concern…' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Record case' }));
    expect(screen.getByRole('alert')).toHaveTextContent(/fields need attention/);
    expect(screen.getByLabelText(/^Inquiry about/)).toHaveAccessibleDescription(/choose what the inquiry is about/i);
    expect(screen.getByLabelText(/^Question or request/)).toHaveAccessibleDescription(/describe the concern/i);
    expect(screen.getByLabelText(/^Name/)).toHaveAccessibleDescription(/name of the person to reply to/i);
    await waitFor(() => expect(screen.getByLabelText(/^Inquiry about/)).toHaveFocus());
    expect(m.callsTo('POST /api/v1/cases')).toHaveLength(0);

    await user.selectOptions(screen.getByLabelText(/^Inquiry about/), 'billing');
    await user.selectOptions(screen.getByRole('combobox', { name: /^Category/ }), 'Billing');
    await user.type(screen.getByLabelText(/^Question or request/), 'Why was I charged a facility fee?');
    await user.type(screen.getByLabelText(/^Name/), 'Maria Garcia');
    await user.click(screen.getByRole('radio', { name: 'No contact wanted' }));
    const received = screen.getByLabelText(/^Received on/);
    await user.clear(received);
    await user.type(received, '2026-01-15T09:30');
    await user.click(screen.getByRole('button', { name: 'Record case' }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/cases')).toHaveLength(1));
    const body = m.callsTo('POST /api/v1/cases')[0].body;
    expect(body).toMatchObject({ kind: 'inquiry', inquiry_type: 'billing', contact_preference: 'none', patient_id: null, encounter_id: null });
    expect(body.received_at).toBe('2026-01-15T09:30:00-05:00'); // Riverside Clinic is in America/New_York
    expect(Object.values(body.facts).every((v) => v === false)).toBe(true);
  });
});
