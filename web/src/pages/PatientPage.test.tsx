import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { PatientPage } from './PatientPage';
import { mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';

const patient = { id: 41, mrn: 'MRN000041', given_name: 'Jonathan', family_name: 'Smith', birth_date: '1984-02-29', sex: 'male', phone: '555-0142', coverages: [], consents: [] };
const visit = (over: Record<string, unknown>) => ({
  id: 500, patient_id: 41, patient_name: 'Jonathan Smith', appointment_id: null, location_id: 1, provider_id: 1,
  provider_name: 'Dr. Maria Lopez', room_id: null, state: 'completed', state_since: '2026-11-20T10:00:00-05:00',
  arrived_at: '2026-11-20T09:05:00-05:00', ended_at: '2026-11-20T09:50:00-05:00', walk_in: false, ...over,
});

describe('Patient page: visits', () => {
  it('lists the patient’s visits, the latest first, with where, who, the state and how long', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/patients/41': patient,
      'GET /api/v1/patients/41/appointments': { items: [] },
      'GET /api/v1/patients/41/encounters': {
        items: [
          visit({ id: 502, state: 'with_provider', ended_at: null, walk_in: true, arrived_at: '2026-11-22T08:00:00-05:00' }),
          visit({}),
          visit({ id: 400, location_id: 77, provider_id: null, provider_name: '', state: 'left_without_being_seen',
            arrived_at: '1999-03-01T14:00:00+00:00', ended_at: '1999-03-02T16:30:00+00:00' }),
        ],
        more: true,
      },
    });
    renderPage(<PatientPage />, { route: '/patients/41', path: '/patients/:id' });
    const section = await screen.findByRole('region', { name: 'Visits' });
    const table = await within(section).findByRole('table', { name: 'Visits of Jonathan Smith, the latest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent(/With provider.*Walk-in.*Open/);
    expect(rows[1]).toHaveTextContent(/Riverside Clinic.*Dr\. Maria Lopez.*Completed.*45 min/);
    expect(rows[2]).toHaveTextContent(/Location 77.*Left without being seen.*1 d 2 h/);
    expect(within(section).queryByRole('button', { name: /Show all/ })).not.toBeInTheDocument();
    expect(m.callsTo('GET /api/v1/patients/41/encounters')).toHaveLength(1);
  });

  it('shows the latest ten, and all of them on asking', async () => {
    const items = Array.from({ length: 12 }, (_, i) =>
      visit({ id: 600 - i, arrived_at: `2026-10-${String(20 - i).padStart(2, '0')}T09:00:00-04:00`, ended_at: `2026-10-${String(20 - i).padStart(2, '0')}T10:00:00-04:00` }));
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/patients/41': patient,
      'GET /api/v1/patients/41/appointments': { items: [] },
      'GET /api/v1/patients/41/encounters': { items, more: true },
    });
    renderPage(<PatientPage />, { route: '/patients/41', path: '/patients/:id' });
    const section = await screen.findByRole('region', { name: 'Visits' });
    const table = await within(section).findByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 10);
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(/1 h$/);
    const more = within(section).getByRole('button', { name: 'Show all 12 visits' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    await userEvent.setup().click(more);
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 12);
    expect(within(section).getByRole('button', { name: 'Show the latest 10' })).toHaveAttribute('aria-expanded', 'true');
    expect(within(section).getByText('The latest 12 visits; there are more.')).toBeInTheDocument();
  });

  it('says so when there are none', async () => {
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/patients/41': patient,
      'GET /api/v1/patients/41/appointments': { items: [] },
      'GET /api/v1/patients/41/encounters': { items: [], more: false },
    });
    renderPage(<PatientPage />, { route: '/patients/41', path: '/patients/:id' });
    const section = await screen.findByRole('region', { name: 'Visits' });
    expect(await within(section).findByText('No visits.')).toBeInTheDocument();
  });

  it('leaves the section out for a role that may not read the flow', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/patients/41': patient,
      'GET /api/v1/patients/41/appointments': { items: [] },
    });
    renderPage(<PatientPage />, { route: '/patients/41', path: '/patients/:id', permissions: ['patient.read', 'appointment.read'] });
    await screen.findByRole('heading', { name: 'Jonathan Smith' });
    expect(screen.queryByRole('region', { name: 'Visits' })).not.toBeInTheDocument();
    expect(m.callsTo('GET /api/v1/patients/41/encounters')).toHaveLength(0);
  });
});
