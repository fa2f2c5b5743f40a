import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { BookPage } from './BookPage';
import { apiError, json, mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';

const patient = { id: 41, mrn: 'MRN000041', given_name: 'Jonathan', family_name: 'Smith', birth_date: '1984-02-29', sex: 'male', phone: '555-0142' };
const slot = (start: string, end: string, provider_id = 1) => ({ start, end, provider_id, location_id: 1, room_id: 3 });
const SLOTS_1 = [
  slot('2030-03-11T09:00:00-04:00', '2030-03-11T09:20:00-04:00'),
  slot('2030-03-11T09:20:00-04:00', '2030-03-11T09:40:00-04:00', 2),
  slot('2030-03-12T14:00:00-04:00', '2030-03-12T14:20:00-04:00'),
];
const SLOTS_2 = SLOTS_1.slice(1);

describe('Booking', () => {
  it("searches from today at the clinic, not today in the browser's zone", async () => {
    // 02:00 UTC on 23 Nov is still 22 Nov in New York, where the clinic is.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T02:00:00Z'));
    try {
      mockFetch({ ...referenceRoutes, 'GET /api/v1/patients/41': patient });
      renderPage(<BookPage />, { route: '/schedule/book?patient=41', path: '/schedule/book' });
      const from = await screen.findByLabelText(/^From date/);
      await waitFor(() => expect(from).toHaveValue('2026-11-22'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('books the first available slot in a few steps, recovering from slot_taken', async () => {
    let slotCalls = 0;
    let posts = 0;
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/patients': { items: [{ ...patient, score: 0.9 }] },
      'GET /api/v1/slots': () => ({ items: slotCalls++ === 0 ? SLOTS_1 : SLOTS_2 }),
      'POST /api/v1/appointments': (r) =>
        posts++ === 0
          ? apiError(409, 'slot_taken', 'That slot has just been taken', 'start')
          : json(201, {
              id: 900,
              patient_id: 41,
              patient_name: 'Jonathan Smith',
              appointment_type_id: 7,
              appointment_type_name: 'Follow-up',
              provider_id: r.body.provider_id,
              provider_name: 'Dr. James Chen',
              location_id: 1,
              location_name: 'Riverside Clinic',
              room_id: 3,
              start: r.body.start,
              end: '2030-03-11T09:40:00-04:00',
              status: 'booked',
              modality: 'in_person',
              history: [],
            }),
    });
    const user = userEvent.setup();
    renderPage(<BookPage />, { route: '/schedule/book', path: '/schedule/book' });

    // 1. Patient: typo-tolerant search in a combobox
    const combo = screen.getByRole('combobox', { name: 'Patient' });
    await user.type(combo, 'smth');
    const option = await screen.findByRole('option', { name: /Smith, Jonathan/ });
    expect(m.callsTo('GET /api/v1/patients').at(-1)!.url.searchParams.get('q')).toBe('smth');
    await user.click(option);
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    // 2. Visit
    await waitFor(() => expect(screen.getByLabelText(/^Appointment type/)).toBeEnabled());
    await user.selectOptions(screen.getByLabelText(/^Appointment type/), '7');
    await user.click(screen.getByRole('button', { name: 'Find open times' }));

    // 3. Time — grouped by day, "first available" first
    await screen.findByRole('heading', { name: /choose a time/i });
    await screen.findByRole('button', { name: 'Choose first available' });
    const q = m.callsTo('GET /api/v1/slots')[0].url.searchParams;
    expect(q.get('appointment_type')).toBe('7');
    expect(q.get('from')).toMatch(/T00:00:00[-+]\d\d:\d\d$/);
    expect(q.has('provider')).toBe(false);
    expect(screen.getByRole('region', { name: /Monday 11 March 2030/ })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: /Tuesday 12 March 2030/ })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Choose first available' }));

    // 4. Confirm → 409 slot_taken → clear message, refreshed slots
    await screen.findByRole('heading', { name: /confirm the booking/i });
    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));
    expect(await screen.findByText(/was just booked by someone else/i)).toBeInTheDocument();
    await waitFor(() => expect(m.callsTo('GET /api/v1/slots')).toHaveLength(2));
    const day = await screen.findByRole('region', { name: /Monday 11 March 2030/ });
    expect(within(day).getAllByRole('button')).toHaveLength(1);

    // pick the remaining slot on that day and confirm
    await user.click(within(day).getByRole('button'));
    await user.click(await screen.findByRole('button', { name: 'Confirm booking' }));
    expect(await screen.findByRole('heading', { name: /appointment booked/i })).toBeInTheDocument();
    const post = m.callsTo('POST /api/v1/appointments')[1].body;
    expect(post).toEqual({ patient_id: 41, appointment_type_id: 7, provider_id: 2, location_id: 1, start: '2030-03-11T09:20:00-04:00', room_id: 3 });
    expect(screen.getByRole('link', { name: 'See it on the calendar' })).toHaveAttribute('href', expect.stringContaining('date=2030-03-11'));
  });

  it('preselects the patient from ?patient= and offers only eligible providers', async () => {
    mockFetch({ ...referenceRoutes, 'GET /api/v1/patients/41': patient });
    const user = userEvent.setup();
    renderPage(<BookPage />, { route: '/schedule/book?patient=41', path: '/schedule/book' });
    await screen.findByRole('heading', { name: /what kind of visit/i });
    expect(screen.getByText('Smith, Jonathan')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText(/^Appointment type/), '8');
    const provider = screen.getByLabelText(/^Provider/);
    const names = within(provider).getAllByRole('option').map((o) => o.textContent);
    expect(names.some((n) => n?.includes('Dr. James Chen'))).toBe(true);
    expect(names.some((n) => n?.includes('Dr. Maria Lopez'))).toBe(false);
  });

  it('asks for a type before searching', async () => {
    const m = mockFetch({ ...referenceRoutes, 'GET /api/v1/patients/41': patient });
    const user = userEvent.setup();
    renderPage(<BookPage />, { route: '/schedule/book?patient=41', path: '/schedule/book' });
    await screen.findByRole('heading', { name: /what kind of visit/i });
    await user.click(screen.getByRole('button', { name: 'Find open times' }));
    expect(screen.getByLabelText(/^Appointment type/)).toHaveAccessibleDescription(/choose the appointment type/i);
    expect(m.callsTo('GET /api/v1/slots')).toHaveLength(0);
  });
});
