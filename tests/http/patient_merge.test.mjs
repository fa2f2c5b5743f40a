// Merging a duplicate patient record into the record that stays, and undoing it: what moves, what the
// duplicate becomes, who may do it, what is refused, and the audit trail.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FHIR, assertValid, fhirGet } from './fhir_lib.mjs';
import {
  api,
  auditEvents,
  book,
  clinicSlots,
  createClinic,
  createPatient,
  expectError,
  expectStatus,
  login,
  randomSurname,
  usernameOf,
} from './lib.mjs';

async function twoRecordsOfOnePerson() {
  const family = randomSurname();
  const coord = await login('coordinator');
  const keep = await createPatient(coord, { given_name: 'Margaret', family_name: family, birth_date: '1961-05-04' });
  const dup = await createPatient(coord, {
    given_name: 'Margret',
    family_name: family,
    birth_date: '1961-05-04',
    coverages: [{ payer: 'Acme Health', member_id: `M-${family}`, relationship: 'self' }],
  });
  return { keep, dup, family };
}

const merge = async (body, role = 'manager') => api('POST', '/api/v1/patient-merges', body, await login(role));

test('a merge moves the duplicate’s appointments and coverage to the record that stays, and closes the duplicate', async () => {
  const { keep, dup, family } = await twoRecordsOfOnePerson();
  const clinic = await createClinic();
  const slots = await clinicSlots(clinic);
  const appt = await book(clinic, dup.id, slots[0]);

  const res = await merge({ survivor_id: keep.id, merged_id: dup.id, reason: 'same person, registered twice' });
  const m = expectStatus(res, 201, 'merge');
  assert.equal(m.survivor.id, keep.id);
  assert.equal(m.merged.id, dup.id);
  assert.equal(m.merged.mrn, dup.mrn);
  assert.equal(m.by, usernameOf('manager'));
  assert.equal(m.reason, 'same person, registered twice');
  assert.equal(m.undone_at, null);
  assert.equal(m.moved.appointments, 1);
  assert.equal(m.moved.coverages, 1);

  const coord = await login('coordinator');
  const moved = expectStatus(await api('GET', `/api/v1/appointments/${appt.id}`, undefined, coord), 200);
  assert.equal(moved.patient_id, keep.id);
  const survivor = expectStatus(await api('GET', `/api/v1/patients/${keep.id}`, undefined, coord), 200);
  assert.equal(survivor.merged_into, null);
  assert.deepEqual(survivor.coverages.map((c) => c.payer), ['Acme Health']);
  const closed = expectStatus(await api('GET', `/api/v1/patients/${dup.id}`, undefined, coord), 200);
  assert.equal(closed.merged_into, keep.id);

  // FHIR: the merged Patient is inactive and points to the one that replaces it.
  const fhir = await api('GET', `/fhir/R4/Patient/${dup.id}`, undefined, coord);
  const resource = expectStatus(fhir, 200, 'FHIR read');
  assert.equal(resource.active, false);
  assert.deepEqual(resource.link, [{ other: { reference: `Patient/${keep.id}` }, type: 'replaced-by' }]);
  assert.equal(expectStatus(await api('GET', `/fhir/R4/Patient/${keep.id}`, undefined, coord), 200).active, true);

  // Out of search; no new bookings, visits or edits.
  const hits = expectStatus(await api('GET', `/api/v1/patients?q=${encodeURIComponent(`Margret ${family}`)}`, undefined, coord), 200);
  assert.ok(!hits.items.some((p) => p.id === dup.id), 'the merged record is out of search');
  assert.ok(hits.items.some((p) => p.id === keep.id));
  expectError(
    await api('POST', '/api/v1/appointments', { patient_id: dup.id, appointment_type_id: clinic.type.id, provider_id: slots[1].provider_id, location_id: slots[1].location_id, start: slots[1].start }, coord),
    409,
    { code: 'patient_merged', field: 'patient_id' },
  );
  expectError(await api('POST', '/api/v1/encounters', { patient_id: dup.id, location_id: clinic.location.id }, coord), 409, {
    code: 'patient_merged',
    field: 'patient_id',
  });
  expectError(
    await api('PUT', `/api/v1/patients/${dup.id}`, { given_name: 'M', family_name: family, birth_date: '1961-05-04' }, coord),
    409,
    { code: 'patient_merged' },
  );

  // Both records list the merge; both audit trails name it.
  for (const id of [keep.id, dup.id]) {
    const list = expectStatus(await api('GET', `/api/v1/patients/${id}/merges`, undefined, coord), 200);
    assert.deepEqual(list.items.map((x) => x.id), [m.id]);
  }
  const events = await auditEvents({ patient: dup.id });
  assert.ok(events.some((e) => e.action === 'merge' && /same person/.test(e.detail)), 'the merge is audited on the duplicate');
  const onSurvivor = await auditEvents({ patient: keep.id });
  assert.ok(onSurvivor.some((e) => e.action === 'merge'), 'and on the record that stays');
});

test('undo moves back what the merge moved and reopens the duplicate', async () => {
  const { keep, dup } = await twoRecordsOfOnePerson();
  const clinic = await createClinic();
  const slots = await clinicSlots(clinic);
  const dupAppt = await book(clinic, dup.id, slots[0]);
  const m = expectStatus(await merge({ survivor_id: keep.id, merged_id: dup.id, reason: 'looked alike' }), 201);
  const later = await book(clinic, keep.id, slots[1]); // booked for the survivor after the merge

  expectError(await api('POST', `/api/v1/patient-merges/${m.id}/undo`, {}, await login('manager')), 400, { field: 'reason' });
  const res = await api('POST', `/api/v1/patient-merges/${m.id}/undo`, { reason: 'twins' }, await login('manager'));
  const undone = expectStatus(res, 200, 'undo');
  assert.ok(undone.undone_at);
  assert.equal(undone.undo_reason, 'twins');
  assert.equal(undone.moved.appointments, 1);

  const coord = await login('coordinator');
  assert.equal(expectStatus(await api('GET', `/api/v1/appointments/${dupAppt.id}`, undefined, coord), 200).patient_id, dup.id);
  assert.equal(expectStatus(await api('GET', `/api/v1/appointments/${later.id}`, undefined, coord), 200).patient_id, keep.id);
  const reopened = expectStatus(await api('GET', `/api/v1/patients/${dup.id}`, undefined, coord), 200);
  assert.equal(reopened.merged_into, null);
  assert.equal(reopened.coverages.length, 1);
  expectError(await api('POST', `/api/v1/patient-merges/${m.id}/undo`, { reason: 'again' }, await login('manager')), 409, {
    code: 'already_undone',
  });
  const read = expectStatus(await api('GET', `/api/v1/patient-merges/${m.id}`, undefined, coord), 200);
  assert.equal(read.undone_by, usernameOf('manager'));
  const events = await auditEvents({ patient: dup.id });
  assert.ok(events.some((e) => e.action === 'unmerge' && /twins/.test(e.detail)));
});

test('the duplicate’s FHIR resources move with the merge as new versions, and back with its undo', async () => {
  const { keep, dup } = await twoRecordsOfOnePerson();
  const coord = await login('coordinator');
  const allergy = {
    resourceType: 'AllergyIntolerance',
    extension: [{ url: 'urn:example:source', valueString: 'lab system' }],
    code: { text: 'Penicillin' },
    patient: { reference: `Patient/${dup.id}` },
  };
  const created = expectStatus(await api('POST', `${FHIR}/AllergyIntolerance`, allergy, coord), 201, 'allergy');

  const m = expectStatus(await merge({ survivor_id: keep.id, merged_id: dup.id, reason: 'same person' }), 201);
  assert.equal(m.moved.fhir_resources, 1);
  const found = await fhirGet(`/AllergyIntolerance?patient=${keep.id}`, 'clinician');
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(found.body.entry.map((e) => e.resource.id), [created.id], 'found under the record that stays');
  const moved = found.body.entry[0].resource;
  assertValid(moved);
  assert.equal(moved.meta.versionId, '2');
  assert.equal(moved.patient.reference, `Patient/${keep.id}`);
  assert.deepEqual(moved.extension, allergy.extension, 'the rest as sent');
  const v1 = await fhirGet(`/AllergyIntolerance/${created.id}/_history/1`, 'clinician');
  assert.equal(v1.body.patient.reference, `Patient/${dup.id}`, 'the history keeps what it said');
  const none = await fhirGet(`/AllergyIntolerance?patient=${dup.id}&_summary=count`, 'clinician');
  assert.equal(none.body.total, 0);
  const events = await auditEvents({ patient: keep.id });
  assert.ok(events.some((e) => e.category === 'clinical' && e.action === 'merge' && /1 FHIR resource moved from/.test(e.detail)));

  const undone = expectStatus(await api('POST', `/api/v1/patient-merges/${m.id}/undo`, { reason: 'twins' }, await login('manager')), 200);
  assert.equal(undone.moved.fhir_resources, 1);
  const back = await fhirGet(`/AllergyIntolerance/${created.id}`, 'clinician');
  assert.equal(back.body.meta.versionId, '3');
  assert.equal(back.body.patient.reference, `Patient/${dup.id}`);
  const read = expectStatus(await api('GET', `/api/v1/patient-merges/${m.id}`, undefined, coord), 200);
  assert.equal(read.moved.fhir_resources, 1, 'the merge, read back, still says what it moved');
});

test('bad merges are refused naming the field, and nothing is written', async () => {
  const { keep, dup } = await twoRecordsOfOnePerson();
  expectError(await merge({ merged_id: dup.id, reason: 'x' }), 400, { field: 'survivor_id' });
  expectError(await merge({ survivor_id: keep.id, merged_id: 'seven', reason: 'x' }), 400, { field: 'merged_id' });
  expectError(await merge({ survivor_id: keep.id, merged_id: dup.id }), 400, { field: 'reason' });
  expectError(await merge({ survivor_id: keep.id, merged_id: dup.id, reason: 'x'.repeat(501) }), 400, { field: 'reason' });
  expectError(await merge({ survivor_id: keep.id, merged_id: keep.id, reason: 'x' }), 400, { field: 'merged_id' });
  expectError(await merge({ survivor_id: keep.id, merged_id: 987654321, reason: 'x' }), 422, { field: 'merged_id' });
  expectError(await merge({ survivor_id: 987654321, merged_id: dup.id, reason: 'x' }), 404);
  const res = await api('POST', '/api/v1/patient-merges', '{"survivor_id":', await login('manager'));
  assert.equal(res.status, 400);
  const coord = await login('coordinator');
  const list = expectStatus(await api('GET', `/api/v1/patients/${dup.id}/merges`, undefined, coord), 200);
  assert.deepEqual(list.items, [], 'no merge was written');

  expectStatus(await merge({ survivor_id: keep.id, merged_id: dup.id, reason: 'x' }), 201);
  expectError(await merge({ survivor_id: keep.id, merged_id: dup.id, reason: 'x' }), 409, { code: 'already_merged', field: 'merged_id' });
  expectError(await merge({ survivor_id: dup.id, merged_id: keep.id, reason: 'x' }), 409, { code: 'patient_merged', field: 'survivor_id' });
  expectError(await api('POST', '/api/v1/patient-merges/987654321/undo', { reason: 'x' }, await login('manager')), 404);
});

test('only managers and admins merge; everyone who reads patients sees the merge history', async () => {
  const { keep, dup } = await twoRecordsOfOnePerson();
  for (const role of ['coordinator', 'clinician', 'billing', 'auditor']) {
    expectError(await merge({ survivor_id: keep.id, merged_id: dup.id, reason: 'x' }, role), 403);
  }
  const m = expectStatus(await merge({ survivor_id: keep.id, merged_id: dup.id, reason: 'x' }, 'admin'), 201);
  expectError(await api('POST', `/api/v1/patient-merges/${m.id}/undo`, { reason: 'x' }, await login('coordinator')), 403);
  for (const role of ['coordinator', 'clinician', 'billing', 'auditor']) {
    expectStatus(await api('GET', `/api/v1/patients/${keep.id}/merges`, undefined, await login(role)), 200, role);
  }
  const anonymous = await api('GET', `/api/v1/patients/${keep.id}/merges`);
  assert.equal(anonymous.status, 401);
});
