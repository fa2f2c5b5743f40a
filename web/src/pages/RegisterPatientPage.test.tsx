import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RegisterPatientPage } from './RegisterPatientPage';
import { apiError, json, mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';

const candidate = {
  id: 41,
  mrn: 'MRN000041',
  given_name: 'Jonathan',
  family_name: 'Smith',
  birth_date: '1984-02-29',
  sex: 'male',
  phone: '555-0142',
  match: { probability: 0.93, reasons: ['Same birth date', 'Similar family name'] },
};

async function fillMinimum(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText(/^Given name/), 'Jon');
  await user.type(screen.getByLabelText(/^Family name/), 'Smyth');
  await user.type(screen.getByLabelText(/^Date of birth/), '1984-02-29');
  await user.selectOptions(screen.getByLabelText(/^Sex/), 'male');
}

describe('Register patient', () => {
  it('shows duplicate candidates and registers anyway with confirm_new:true', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'POST /api/v1/patients': (r) =>
        r.body.confirm_new
          ? json(201, { ...r.body, id: 77, mrn: 'MRN000077' })
          : apiError(409, 'possible_duplicate', 'This patient may already be registered', undefined, { candidates: [candidate] }),
    });
    const user = userEvent.setup();
    renderPage(<RegisterPatientPage />, { route: '/patients/new', path: '/patients/new' });
    await fillMinimum(user);
    await user.click(screen.getByRole('button', { name: 'Register patient' }));

    const dialog = await screen.findByRole('alertdialog', { name: /possible duplicate/i });
    expect(within(dialog).getByRole('button', { name: /open existing patient\s*smith, jonathan/i })).toBeInTheDocument();
    expect(within(dialog).getByText('93%')).toBeInTheDocument();
    expect(within(dialog).getByText('Similar family name')).toBeInTheDocument();
    expect(m.callsTo('POST /api/v1/patients')[0].body.confirm_new).toBe(false);

    await user.click(within(dialog).getByRole('button', { name: 'Register anyway' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/patients/77'));
    const second = m.callsTo('POST /api/v1/patients')[1].body;
    expect(second.confirm_new).toBe(true);
    expect(second).toMatchObject({ given_name: 'Jon', family_name: 'Smyth', birth_date: '1984-02-29', sex: 'male' });
  });

  it('"Open existing patient" goes to the candidate', async () => {
    mockFetch({
      ...referenceRoutes,
      'POST /api/v1/patients': apiError(409, 'possible_duplicate', 'Possible duplicate', undefined, { candidates: [candidate] }),
    });
    const user = userEvent.setup();
    renderPage(<RegisterPatientPage />, { route: '/patients/new', path: '/patients/new' });
    await fillMinimum(user);
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: /open existing patient/i }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/patients/41'));
  });

  it('shows a 400 error next to the field the API names', async () => {
    mockFetch({ ...referenceRoutes, 'POST /api/v1/patients': apiError(400, 'invalid', 'Phone number has too few digits', 'phone') });
    const user = userEvent.setup();
    renderPage(<RegisterPatientPage />, { route: '/patients/new', path: '/patients/new' });
    await fillMinimum(user);
    await user.type(screen.getByLabelText(/^Phone$/), '12345');
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    const phone = screen.getByLabelText(/^Phone$/);
    await waitFor(() => expect(phone).toHaveAttribute('aria-invalid', 'true'));
    expect(phone).toHaveAccessibleDescription(/too few digits/);
    await waitFor(() => expect(phone).toHaveFocus());
  });

  it('maps coverage field errors like coverages[0].member_id to the row', async () => {
    mockFetch({ ...referenceRoutes, 'POST /api/v1/patients': apiError(400, 'invalid', 'Member ID is not valid for this payer', 'coverages[0].member_id') });
    const user = userEvent.setup();
    renderPage(<RegisterPatientPage />, { route: '/patients/new', path: '/patients/new' });
    await fillMinimum(user);
    await user.click(screen.getByRole('button', { name: /add coverage/i }));
    await user.type(screen.getByLabelText(/^Payer/), 'Acme Health');
    await user.type(screen.getByLabelText(/^Member ID/), 'X1');
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(screen.getByLabelText(/^Member ID/)).toHaveAccessibleDescription(/not valid for this payer/));
  });

  it('validates required fields before calling the API', async () => {
    const m = mockFetch({ ...referenceRoutes });
    const user = userEvent.setup();
    renderPage(<RegisterPatientPage />, { route: '/patients/new', path: '/patients/new' });
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    expect(screen.getByLabelText(/^Given name/)).toHaveAccessibleDescription(/given/i);
    expect(screen.getByLabelText(/^Date of birth/)).toHaveAttribute('aria-invalid', 'true');
    expect(m.callsTo('POST /api/v1/patients')).toHaveLength(0);
  });

  it('sends coverages and consents in the API shape', async () => {
    const m = mockFetch({ ...referenceRoutes, 'POST /api/v1/patients': (r) => json(201, { ...r.body, id: 5, mrn: 'M5' }) });
    const user = userEvent.setup();
    renderPage(<RegisterPatientPage />, { route: '/patients/new', path: '/patients/new' });
    await fillMinimum(user);
    await user.type(screen.getByLabelText(/^City/), 'Springfield');
    await user.type(screen.getByLabelText(/^Contact name/), 'Mary Smyth');
    await user.click(screen.getByRole('button', { name: /add coverage/i }));
    await user.type(screen.getByLabelText(/^Payer/), 'Acme Health');
    await user.type(screen.getByLabelText(/^Member ID/), 'A-1');
    await user.click(screen.getByLabelText('Consent to treatment'));
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/patients')).toHaveLength(1));
    const body = m.callsTo('POST /api/v1/patients')[0].body;
    expect(body.address).toEqual({ city: 'Springfield' });
    expect(body.emergency_contact).toEqual({ name: 'Mary Smyth' });
    expect(body.coverages).toEqual([{ payer: 'Acme Health', member_id: 'A-1', relationship: 'self' }]);
    expect(body.consents).toEqual([{ kind: 'treatment', granted: true, date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
  });
});
