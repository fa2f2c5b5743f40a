import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { PatientPage } from './PatientPage';
import { apiError, mockFetch, referenceRoutes } from '../test/mockFetch';
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

const dupPatient = { id: 42, mrn: 'MRN000042', given_name: 'Jon', family_name: 'Smith', birth_date: '1984-02-29', sex: 'male', phone: '555-0199', coverages: [{ id: 9, payer: 'Acme', member_id: 'A1', relationship: 'self' }], consents: [] };
const mergeRow = (over: Record<string, unknown> = {}) => ({
  id: 5, survivor: { id: 41, mrn: 'MRN000041', name: 'Jonathan Smith' }, merged: { id: 42, mrn: 'MRN000042', name: 'Jon Smith' },
  at: '2026-11-20T15:00:00Z', by: 'manager', reason: 'same person', undone_at: null, undone_by: null, undo_reason: null,
  moved: { appointments: 2, coverages: 1 }, ...over,
});
const pageRoutes = {
  ...referenceRoutes,
  'GET /api/v1/patients/41/appointments': { items: [] },
  'GET /api/v1/patients/41/encounters': { items: [], more: false },
};

describe('Patient page: merging duplicates', () => {
  it('merges a duplicate found by search after showing both records side by side and asking why', async () => {
    const m = mockFetch({
      ...pageRoutes,
      'GET /api/v1/patients/41': patient,
      'GET /api/v1/patients/41/merges': { items: [] },
      'GET /api/v1/patients': { items: [{ id: 42, mrn: 'MRN000042', given_name: 'Jon', family_name: 'Smith', birth_date: '1984-02-29' }] },
      'GET /api/v1/patients/42': dupPatient,
      'POST /api/v1/patient-merges': (req) => ({ status: 201, body: mergeRow({ reason: req.body.reason }) }),
    });
    const user = userEvent.setup();
    renderPage(<PatientPage />, { route: '/patients/41', path: '/patients/:id', role: 'manager' });
    await user.click(await screen.findByRole('button', { name: 'Merge a duplicate…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Merge a duplicate into this record' });
    await user.type(within(dialog).getByRole('combobox', { name: 'Duplicate record' }), 'Jon Smith');
    await user.click(await within(dialog).findByRole('option', { name: /Jon/ }));
    const table = await within(dialog).findByRole('table', { name: /side by side/ });
    expect(within(table).getByRole('rowheader', { name: /^Name\s*\(differs\)$/ })).toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: 'Date of birth' })).toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: /^MRN\s*\(differs\)$/ })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /Coverage.*Acme A1/ })).toBeInTheDocument();
    const submit = within(dialog).getByRole('button', { name: 'Merge MRN000042 into this record' });
    await user.click(submit);
    expect(await within(dialog).findByText(/Say why these are the same person/)).toBeInTheDocument();
    expect(m.callsTo('POST /api/v1/patient-merges')).toHaveLength(0);
    await user.type(within(dialog).getByRole('textbox', { name: /Why are these the same person/ }), 'registered twice at the desk');
    await user.click(submit);
    expect(await screen.findByText(/Jon Smith \(MRN000042\) was merged into this record: moved 2 appointments and 1 coverage\./)).toBeInTheDocument();
    expect(m.callsTo('POST /api/v1/patient-merges')[0].body).toEqual({ survivor_id: 41, merged_id: 42, reason: 'registered twice at the desk' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(m.callsTo('GET /api/v1/patients/41/merges').length).toBeGreaterThanOrEqual(2); // the history is read again
  });

  it('shows the server’s refusal next to the duplicate', async () => {
    mockFetch({
      ...pageRoutes,
      'GET /api/v1/patients/41': patient,
      'GET /api/v1/patients/41/merges': { items: [] },
      'GET /api/v1/patients': { items: [{ id: 42, mrn: 'MRN000042', given_name: 'Jon', family_name: 'Smith', birth_date: '1984-02-29' }] },
      'GET /api/v1/patients/42': dupPatient,
      'POST /api/v1/patient-merges': apiError(409, 'already_merged', 'patient 42 was already merged into patient 7', 'merged_id'),
    });
    const user = userEvent.setup();
    renderPage(<PatientPage />, { route: '/patients/41', path: '/patients/:id', role: 'admin' });
    await user.click(await screen.findByRole('button', { name: 'Merge a duplicate…' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByRole('combobox', { name: 'Duplicate record' }), 'Jon');
    await user.click(await within(dialog).findByRole('option', { name: /Jon/ }));
    await user.type(await within(dialog).findByRole('textbox', { name: /Why/ }), 'same');
    await user.click(await within(dialog).findByRole('button', { name: /^Merge MRN000042/ }));
    expect(await within(dialog).findByText('patient 42 was already merged into patient 7')).toBeInTheDocument();
  });

  it('marks a merged record, links to the record that stays and offers no bookings or edits', async () => {
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/patients/42': { ...dupPatient, merged_into: 41 },
      'GET /api/v1/patients/42/appointments': { items: [] },
      'GET /api/v1/patients/42/encounters': { items: [], more: false },
      'GET /api/v1/patients/42/merges': { items: [mergeRow()] },
    });
    renderPage(<PatientPage />, { route: '/patients/42', path: '/patients/:id', role: 'manager' });
    await screen.findByRole('heading', { name: 'Jon Smith' });
    const history = await screen.findByRole('region', { name: 'Merged records' });  // the history names the survivor
    const banner = await screen.findByText(/This record was merged into/, { selector: '.alert > span' });
    expect(within(banner).getByRole('link', { name: 'Jonathan Smith (MRN000041)' })).toHaveAttribute('href', '/patients/41');
    for (const name of ['Edit patient', 'Merge a duplicate…']) expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Book appointment|Edit patient/ })).not.toBeInTheDocument();
    expect(history).toHaveTextContent(/This record was merged into Jonathan Smith \(MRN000041\).*by manager/);
    expect(history).toHaveTextContent('“same person” · Moved 2 appointments and 1 coverage');
  });

  it('separates merged records again, asking why', async () => {
    const m = mockFetch({
      ...pageRoutes,
      'GET /api/v1/patients/41': patient,
      'GET /api/v1/patients/41/merges': { items: [mergeRow()] },
      'POST /api/v1/patient-merges/5/undo': mergeRow({ undone_at: '2026-11-21T10:00:00Z', undone_by: 'manager', undo_reason: 'twins' }),
    });
    const user = userEvent.setup();
    renderPage(<PatientPage />, { route: '/patients/41', path: '/patients/:id', role: 'manager' });
    const history = await screen.findByRole('region', { name: 'Merged records' });
    expect(history).toHaveTextContent(/Jon Smith \(MRN000042\) was merged into this record/);
    await user.click(within(history).getByRole('button', { name: /^Separate again\s*Jon Smith \(MRN000042\)$/ }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Separate the records again' });
    await user.click(within(dialog).getByRole('button', { name: 'Separate again' }));
    expect(within(dialog).getByText('Say why the records are separated again.')).toBeInTheDocument();
    await user.type(within(dialog).getByRole('textbox', { name: /Why/ }), 'twins');
    await user.click(within(dialog).getByRole('button', { name: 'Separate again' }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/patient-merges/5/undo')).toHaveLength(1));
    expect(m.callsTo('POST /api/v1/patient-merges/5/undo')[0].body).toEqual({ reason: 'twins' });
  });

  it('offers neither merge nor undo to a coordinator', async () => {
    mockFetch({ ...pageRoutes, 'GET /api/v1/patients/41': patient, 'GET /api/v1/patients/41/merges': { items: [mergeRow()] } });
    renderPage(<PatientPage />, { route: '/patients/41', path: '/patients/:id' });
    const history = await screen.findByRole('region', { name: 'Merged records' });
    expect(within(history).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Merge a duplicate…' })).not.toBeInTheDocument();
  });
});
