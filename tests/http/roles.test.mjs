// Roles and permissions: what each role may and may not do.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  api,
  bookingBody,
  createClinic,
  createPatient,
  expectError,
  expectStatus,
  login,
  randomBirthDate,
  randomPhone,
  randomSurname,
  slotsOnLocalDay,
  uid,
  usernameOf,
} from './lib.mjs';

test('a coordinator registers, searches, books and checks in a patient', async () => {
  const clinic = await createClinic();
  const coord = await login('coordinator');
  const family = randomSurname();
  const registered = expectStatus(
    await api(
      'POST',
      '/api/v1/patients',
      { given_name: 'Marta', family_name: family, birth_date: randomBirthDate(), sex: 'female', phone: randomPhone() },
      coord,
    ),
    201,
    'coordinator registers',
  );
  const found = expectStatus(await api('GET', `/api/v1/patients?q=${encodeURIComponent(`Marta ${family}`)}`, undefined, coord), 200);
  assert.equal(found.items[0]?.id, registered.id, 'the coordinator finds the patient first');

  const [slot] = await slotsOnLocalDay(clinic, 0);
  assert.ok(slot, 'the clinic has a slot left today');
  const appt = expectStatus(await api('POST', '/api/v1/appointments', bookingBody(clinic, registered.id, slot), coord), 201, 'coordinator books');
  assert.equal(appt.status, 'booked');
  const enc = expectStatus(await api('POST', `/api/v1/appointments/${appt.id}/check-in`, {}, coord), 201, 'coordinator checks in');
  assert.equal(enc.state, 'arrived');
});

test('a coordinator gets 403 on the audit trail', async () => {
  const coord = await login('coordinator');
  expectError(await api('GET', '/api/v1/audit-events', undefined, coord), 403);
  const patient = await createPatient(coord);
  expectError(await api('GET', `/api/v1/audit-events?patient=${patient.id}`, undefined, coord), 403);
  expectError(await api('GET', `/api/v1/patients/${patient.id}/access-log`, undefined, coord), 403);
});

test('a clinician gets 403 when registering a patient, and nothing is written', async () => {
  const clinician = await login('clinician');
  const family = randomSurname();
  const res = await api(
    'POST',
    '/api/v1/patients',
    { given_name: 'Ines', family_name: family, birth_date: randomBirthDate(), sex: 'female', confirm_new: true },
    clinician,
  );
  expectError(res, 403);
  const found = expectStatus(await api('GET', `/api/v1/patients?q=${family}`, undefined, clinician), 200, 'clinicians may search');
  assert.ok(!found.items.some((p) => p.family_name.toLowerCase() === family.toLowerCase()), 'the refused patient was written');
});

test('billing cannot book an appointment', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const [slot] = await slotsOnLocalDay(clinic, 1);
  const billing = await login('billing');
  expectError(await api('POST', '/api/v1/appointments', bookingBody(clinic, patient.id, slot), billing), 403);
  // The slot is still open.
  const after = await slotsOnLocalDay(clinic, 1);
  assert.equal(after[0]?.start, slot.start, 'the slot refused to billing must stay open');
});

test('only an admin can create users and locations', async () => {
  for (const role of ['manager', 'coordinator', 'clinician', 'billing', 'auditor']) {
    const token = await login(role);
    const username = `t-denied-${uid()}`;
    expectError(
      await api('POST', '/api/v1/users', { username, role: 'admin', password: `Denied-password-${uid()}` }, token),
      403,
      {},
    );
    expectError(await api('POST', '/api/v1/locations', { name: `Denied ${uid()}`, time_zone: 'America/Chicago' }, token), 403);
  }
  const admin = await login('admin');
  const user = expectStatus(
    await api('POST', '/api/v1/users', { username: `t-new-${uid()}`, role: 'clinician', password: `New-password-${uid()}` }, admin),
    201,
    'admin creates a user',
  );
  assert.equal(user.role, 'clinician');
  const loc = expectStatus(
    await api('POST', '/api/v1/locations', { name: `Allowed ${uid()}`, time_zone: 'America/Chicago' }, admin),
    201,
    'admin creates a location',
  );
  assert.equal(loc.time_zone, 'America/Chicago');
  // Users are listed for admins only.
  const list = expectStatus(await api('GET', '/api/v1/users', undefined, admin), 200);
  assert.ok(list.items.some((u) => u.username === usernameOf('coordinator')));
  expectError(await api('GET', '/api/v1/users', undefined, await login('manager')), 403);
});
