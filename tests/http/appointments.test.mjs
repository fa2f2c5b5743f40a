// Appointments: book, history, double booking (also under concurrency), cancel, reschedule,
// no-show, and the refusals of impossible starts and unknown references.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  api,
  assertIsoInstant,
  book,
  bookingBody,
  clinicSlots,
  createClinic,
  createPatient,
  expectError,
  expectStatus,
  login,
  slotsOnLocalDay,
  usernameOf,
} from './lib.mjs';

const getAppointment = async (id) =>
  expectStatus(await api('GET', `/api/v1/appointments/${id}`, undefined, await login('coordinator')), 200, `appointment ${id}`);

/** Appointments of the clinic's first provider in [from, to) (as coordinator). */
async function listAppointments(clinic, from, to) {
  const q = new URLSearchParams({ from, to, provider: String(clinic.providers[0].id) });
  const res = await api('GET', `/api/v1/appointments?${q}`, undefined, await login('coordinator'));
  return expectStatus(res, 200, 'list appointments').items;
}

/** The next spring-forward day (second Sunday of March) of America/New_York after today. */
function nextUsSpringForward() {
  const now = new Date();
  for (let year = now.getUTCFullYear(); ; year++) {
    const firstOfMarch = new Date(Date.UTC(year, 2, 1));
    const firstSunday = 1 + ((7 - firstOfMarch.getUTCDay()) % 7);
    const day = firstSunday + 7;
    const date = `${year}-03-${String(day).padStart(2, '0')}`;
    if (Date.parse(`${date}T12:00:00Z`) > now.getTime()) return date;
  }
}

test('booking answers 201 booked; the appointment has a history naming who booked it', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const [slot] = await slotsOnLocalDay(clinic, 1);
  const appt = await book(clinic, patient.id, slot);
  assert.equal(typeof appt.id, 'number');
  assert.equal(appt.status, 'booked');
  assert.equal(appt.patient_id, patient.id);
  assert.equal(appt.provider_id, clinic.providers[0].id);
  assert.equal(appt.location_id, clinic.location.id);
  assert.equal(appt.appointment_type_id, clinic.type.id);
  assert.equal(Date.parse(appt.start), Date.parse(slot.start));
  assert.equal(Date.parse(appt.end), Date.parse(slot.end));

  const got = await getAppointment(appt.id);
  assert.equal(got.status, 'booked');
  assert.ok(Array.isArray(got.history) && got.history.length === 1, `history: ${JSON.stringify(got.history)}`);
  const [h] = got.history;
  assert.equal(h.status, 'booked');
  assert.equal(h.by, usernameOf('coordinator'));
  const at = assertIsoInstant(h.at, 'history.at');
  assert.ok(Math.abs(at - Date.now()) < 5 * 60_000, `history.at is not about now: ${h.at}`);
  expectError(await api('GET', '/api/v1/appointments/987654321', undefined, await login('coordinator')), 404);
});

test('booking a slot that is already taken is 409 slot_taken', async () => {
  const clinic = await createClinic();
  const p1 = await createPatient();
  const p2 = await createPatient();
  const [slot] = await slotsOnLocalDay(clinic, 1);
  await book(clinic, p1.id, slot);
  const res = await api('POST', '/api/v1/appointments', bookingBody(clinic, p2.id, slot), await login('coordinator'));
  expectError(res, 409, { code: 'slot_taken' });
  const day = await listAppointments(clinic, slot.start, slot.end);
  assert.equal(day.filter((a) => a.status === 'booked').length, 1, 'exactly one appointment holds the slot');
});

test('50 concurrent bookings of one slot: exactly one 201, 49 × 409 slot_taken', async () => {
  const clinic = await createClinic();
  const coord = await login('coordinator');
  const patients = [];
  for (let i = 0; i < 50; i += 10) {
    patients.push(...(await Promise.all(Array.from({ length: 10 }, () => createPatient(coord)))));
  }
  const [slot] = await slotsOnLocalDay(clinic, 1);
  const results = await Promise.all(
    patients.map((p) => api('POST', '/api/v1/appointments', bookingBody(clinic, p.id, slot), coord)),
  );
  const created = results.filter((r) => r.status === 201);
  const taken = results.filter((r) => r.status === 409 && r.body?.error?.code === 'slot_taken');
  const other = results.filter((r) => !created.includes(r) && !taken.includes(r));
  assert.deepEqual(other.map((r) => `${r.status} ${r.text}`), [], 'every answer is 201 or 409 slot_taken');
  assert.equal(created.length, 1, 'exactly one booking wins');
  assert.equal(taken.length, 49);
  const held = (await listAppointments(clinic, slot.start, slot.end)).filter((a) => a.status === 'booked');
  assert.deepEqual(held.map((a) => a.id), [created[0].body.id], 'the database holds only the winner');
});

test('overbooking only where the provider allows it: overbook:true fills the extra seats, then 409', async () => {
  const clinic = await createClinic();
  const coord = await login('coordinator');
  const [slot] = await slotsOnLocalDay(clinic, 1);
  const patients = [await createPatient(coord), await createPatient(coord), await createPatient(coord)];
  await book(clinic, patients[0].id, slot);
  // max_overbook 0: never.
  expectError(await api('POST', '/api/v1/appointments', { ...bookingBody(clinic, patients[1].id, slot), overbook: true }, coord), [409, 422]);
  const admin = await login('admin');
  expectStatus(await api('PUT', `/api/v1/providers/${clinic.providers[0].id}`, { max_overbook: 1 }, admin), 200, 'allow one overbooking');
  expectError(await api('POST', '/api/v1/appointments', bookingBody(clinic, patients[1].id, slot), coord), 409, { code: 'slot_taken' });
  const extra = expectStatus(
    await api('POST', '/api/v1/appointments', { ...bookingBody(clinic, patients[1].id, slot), overbook: true }, coord),
    201,
    'overbooking within the policy',
  );
  assert.equal(extra.overbooked, true);
  expectError(
    await api('POST', '/api/v1/appointments', { ...bookingBody(clinic, patients[2].id, slot), overbook: true }, coord),
    409,
    { code: 'slot_taken' },
  );
  const held = (await listAppointments(clinic, slot.start, slot.end)).filter((a) => a.status === 'booked');
  assert.equal(held.length, 2);
});

test('cancelling needs a reason (400 naming reason), then answers 200 and frees the slot', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const coord = await login('coordinator');
  const [slot] = await slotsOnLocalDay(clinic, 1);
  const appt = await book(clinic, patient.id, slot);

  expectError(await api('POST', `/api/v1/appointments/${appt.id}/cancel`, {}, coord), 400, { field: 'reason' });
  expectError(await api('POST', `/api/v1/appointments/${appt.id}/cancel`, { reason: '   ' }, coord), 400, { field: 'reason' });
  assert.equal((await getAppointment(appt.id)).status, 'booked', 'a refused cancel changes nothing');

  const cancelled = expectStatus(await api('POST', `/api/v1/appointments/${appt.id}/cancel`, { reason: 'Patient is travelling' }, coord), 200);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.cancel_reason, 'Patient is travelling');
  const got = await getAppointment(appt.id);
  assert.deepEqual(got.history.map((h) => h.status), ['booked', 'cancelled']);
  assert.equal(got.history[1].by, usernameOf('coordinator'));

  const open = await slotsOnLocalDay(clinic, 1);
  assert.equal(open[0].start, slot.start, 'the cancelled slot is offered again');
  const again = await book(clinic, (await createPatient()).id, slot);
  assert.equal(again.status, 'booked');
  expectError(await api('POST', `/api/v1/appointments/${appt.id}/cancel`, { reason: 'again' }, coord), 409);
  expectError(await api('POST', '/api/v1/appointments/987654321/cancel', { reason: 'nobody' }, coord), 404);
});

test('rescheduling moves the appointment, frees the old slot and shows "rescheduled" in the history', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const coord = await login('coordinator');
  const slots = await slotsOnLocalDay(clinic, 1);
  const [from, , , to] = slots;
  const appt = await book(clinic, patient.id, from);
  const moved = expectStatus(await api('POST', `/api/v1/appointments/${appt.id}/reschedule`, { start: to.start }, coord), 200, 'reschedule');
  assert.equal(moved.id, appt.id);
  assert.equal(Date.parse(moved.start), Date.parse(to.start));
  assert.equal(moved.status, 'booked');
  const got = await getAppointment(appt.id);
  assert.deepEqual(got.history.map((h) => h.status), ['booked', 'rescheduled']);
  const open = (await slotsOnLocalDay(clinic, 1)).map((s) => s.start);
  assert.ok(open.includes(from.start), 'the old slot is free again');
  assert.ok(!open.includes(to.start), 'the new slot is taken');

  // Onto a taken slot: 409, and the appointment stays where it is.
  const other = await book(clinic, (await createPatient()).id, slots[6]);
  expectError(await api('POST', `/api/v1/appointments/${appt.id}/reschedule`, { start: slots[6].start }, coord), 409, { code: 'slot_taken' });
  assert.equal(Date.parse((await getAppointment(appt.id)).start), Date.parse(to.start));
  assert.equal((await getAppointment(other.id)).status, 'booked');
});

test('marking a no-show before the appointment starts is 409', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const [slot] = await slotsOnLocalDay(clinic, 1);
  const appt = await book(clinic, patient.id, slot);
  expectError(await api('POST', `/api/v1/appointments/${appt.id}/no-show`, {}, await login('coordinator')), 409);
  const got = await getAppointment(appt.id);
  assert.equal(got.status, 'booked');
  assert.deepEqual(got.history.map((h) => h.status), ['booked']);
});

test('a start inside a DST gap (America/New_York, 02:30 on the spring-forward day) is 422 naming start', async () => {
  const clinic = await createClinic({ timeZone: 'America/New_York' });
  const patient = await createPatient();
  const day = nextUsSpringForward();
  const body = {
    patient_id: patient.id,
    appointment_type_id: clinic.type.id,
    provider_id: clinic.providers[0].id,
    location_id: clinic.location.id,
    start: `${day}T02:30:00`,
  };
  expectError(await api('POST', '/api/v1/appointments', body, await login('coordinator')), 422, { field: 'start' });
  // The gap offers no slots either, and nothing was booked that day.
  const slots = await clinicSlots(clinic, { from: `${day}T00:00:00-05:00`, to: `${day}T05:00:00-04:00`, limit: 20 });
  assert.ok(slots.length > 0);
  for (const s of slots) {
    assert.ok(!/T02:/.test(s.start), `a slot inside the gap is offered: ${s.start}`);
  }
  assert.ok(slots.some((s) => s.start === `${day}T01:00:00-05:00`), 'the slot before the gap is offered in EST');
  assert.ok(slots.some((s) => s.start === `${day}T03:00:00-04:00`), 'the slot after the gap is offered in EDT');
  assert.deepEqual(await listAppointments(clinic, `${day}T00:00:00-05:00`, `${day}T23:59:00-04:00`), []);
  // A local start without offset that exists is read in the location's zone.
  const ok = expectStatus(await api('POST', '/api/v1/appointments', { ...body, start: `${day}T03:00:00` }, await login('coordinator')), 201);
  assert.equal(ok.start, `${day}T03:00:00-04:00`);
});

test('a start that is not a slot is 422 naming start', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const [slot] = await slotsOnLocalDay(clinic, 1);
  const offSlot = new Date(Date.parse(slot.start) + 10 * 60_000).toISOString();
  const coord = await login('coordinator');
  expectError(await api('POST', '/api/v1/appointments', { ...bookingBody(clinic, patient.id, slot), start: offSlot }, coord), 422, {
    field: 'start',
  });
  expectError(
    await api('POST', '/api/v1/appointments', { ...bookingBody(clinic, patient.id, slot), start: '2020-01-01T10:00:00Z' }, coord),
    422,
    { field: 'start' },
  );
  expectError(await api('POST', '/api/v1/appointments', { ...bookingBody(clinic, patient.id, slot), start: 'soon' }, coord), 400, {
    field: 'start',
  });
  assert.deepEqual(await listAppointments(clinic, slot.start, new Date(Date.parse(slot.start) + 86_400_000).toISOString()), []);
  // The same instant as a slot start, written in UTC, is that slot.
  const utc = new Date(Date.parse(slot.start)).toISOString();
  const booked = expectStatus(await api('POST', '/api/v1/appointments', { ...bookingBody(clinic, patient.id, slot), start: utc }, coord), 201);
  assert.equal(booked.start, slot.start, 'the appointment is shown in the location zone');
});

test('an unknown patient is 422 naming patient_id; other unknown references are refused', async () => {
  const clinic = await createClinic();
  const [slot] = await slotsOnLocalDay(clinic, 1);
  const coord = await login('coordinator');
  expectError(await api('POST', '/api/v1/appointments', bookingBody(clinic, 987654321, slot), coord), 422, { field: 'patient_id' });
  const patient = await createPatient(coord);
  const body = bookingBody(clinic, patient.id, slot);
  const badType = await api('POST', '/api/v1/appointments', { ...body, appointment_type_id: 987654321 }, coord);
  expectError(badType, [404, 422]);
  const badProvider = await api('POST', '/api/v1/appointments', { ...body, provider_id: 987654321 }, coord);
  expectError(badProvider, [404, 422]);
  expectError(await api('POST', '/api/v1/appointments', { ...body, patient_id: 'one' }, coord), 400, { field: 'patient_id' });
  const open = await slotsOnLocalDay(clinic, 1);
  assert.equal(open[0].start, slot.start, 'nothing was booked by the refused requests');
});

test('a telehealth appointment carries a join URL; an in-person one does not', async () => {
  const tele = await createClinic({ modality: 'telehealth' });
  const patient = await createPatient();
  const [slot] = await slotsOnLocalDay(tele, 1);
  const appt = await book(tele, patient.id, slot);
  assert.equal(appt.modality, 'telehealth');
  assert.equal(typeof appt.join_url, 'string', `no join_url: ${JSON.stringify(appt)}`);
  assert.match(appt.join_url, /^https?:\/\/\S+$/);
  assert.equal((await getAppointment(appt.id)).join_url, appt.join_url);

  const inPerson = await createClinic();
  const [s2] = await slotsOnLocalDay(inPerson, 1);
  const a2 = await book(inPerson, patient.id, s2);
  assert.ok(a2.join_url === null || a2.join_url === undefined || a2.join_url === '', `in-person join_url: ${a2.join_url}`);
});
