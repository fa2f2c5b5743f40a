// FHIR R4 scheduling and visits: Schedule and its free Slots, Appointment and Encounter, read and searched
// through /fhir/R4, every resource checked against the official R4 JSON schema, _include and _revinclude,
// paging by key, the roles and the audit trail; and fhir-kit-client paging through appointments.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client as FhirKitClient } from 'fhir-kit-client';

import { FHIR, allPages, assertValid, expectOutcome, fhirGet } from './fhir_lib.mjs';
import {
  api,
  auditEvents,
  baseUrl,
  book,
  clinicSlots,
  createClinic,
  createPatient,
  expectStatus,
  login,
  slotsOnLocalDay,
} from './lib.mjs';

const q = encodeURIComponent;

/** A clinic and a patient with three bookings over the next days, the middle one cancelled. */
async function bookings() {
  const clinic = await createClinic();
  const patient = await createPatient();
  const slots = await clinicSlots(clinic, { days: 3, limit: 30 });
  assert.ok(slots.length >= 21, 'the clinic has slots');
  const booked = [];
  for (const slot of [slots[0], slots[10], slots[20]]) booked.push(await book(clinic, patient.id, slot));
  const token = await login('coordinator');
  expectStatus(await api('POST', `/api/v1/appointments/${booked[1].id}/cancel`, { reason: 'Patient asked' }, token), 200);
  return { clinic, patient, slots: [slots[0], slots[10], slots[20]], booked };
}

test('a booking is an Appointment: read with its participants, times in the location\'s offset, and audited', async () => {
  const { clinic, patient, slots, booked } = await bookings();
  const res = await fhirGet(`/Appointment/${booked[0].id}`);
  assert.equal(res.status, 200, res.text);
  const a = res.body;
  assertValid(a);
  assert.equal(a.resourceType, 'Appointment');
  assert.equal(a.id, String(booked[0].id));
  assert.equal(a.status, 'booked');
  assert.equal(a.start, slots[0].start);
  assert.equal(a.minutesDuration, clinic.type.duration_minutes);
  assert.deepEqual(a.participant.map((p) => p.actor.reference),
    [`Patient/${patient.id}`, `Practitioner/${clinic.providers[0].id}`, `Location/${clinic.location.id}`]);
  assert.deepEqual(a.serviceType[0].coding[0], { system: 'urn:caredesk:appointment-type', code: String(clinic.type.id), display: clinic.type.name });
  const cancelled = await fhirGet(`/Appointment/${booked[1].id}`);
  assert.equal(cancelled.body.status, 'cancelled');
  assert.equal(cancelled.body.cancelationReason.text, 'Patient asked');

  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.some((e) => e.action === 'read' && e.category === 'appointment'), 'the read is audited');
  expectOutcome(await fhirGet('/Appointment/999999999'), 404, 'not-found');
  expectOutcome(await fhirGet('/Appointment/abc'), 404, 'not-found');
  expectOutcome(await fhirGet(`/Appointment/${booked[0].id}`, 'auditor'), 403, 'forbidden');
  expectOutcome(await fhirGet(`/Appointment/${booked[0].id}`, null), 401, 'login');
});

test('Appointment search by patient, status, date, actor and service type, paged in start order', async () => {
  const { clinic, patient, slots, booked } = await bookings();
  const mine = `patient=Patient/${patient.id}`;
  const all = await allPages('Appointment', `${mine}&_count=2`);
  assert.equal(all.pages, 2);
  assert.deepEqual(all.seen.map((a) => a.id), booked.map((b) => String(b.id)), 'start order');
  const first = await fhirGet(`/Appointment?${mine}&_count=2`);
  assert.equal(first.body.total, 3);

  const find = async (query) => {
    const res = await fhirGet(`/Appointment?${mine}&${query}`);
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    assertValid(res.body);
    return res.body.entry?.filter((e) => e.search.mode === 'match').map((e) => Number(e.resource.id)) ?? [];
  };
  assert.deepEqual(await find('status=cancelled'), [booked[1].id]);
  assert.deepEqual(await find('status=booked,noshow'), [booked[0].id, booked[2].id]);
  assert.deepEqual(await find('status=proposed'), [], 'a code CareDesk never uses matches nothing');
  assert.deepEqual(await find(`date=ge${q(slots[1].start)}`), [booked[1].id, booked[2].id]);
  assert.deepEqual(await find(`date=lt${q(slots[1].start)}`), [booked[0].id]);
  assert.deepEqual(await find(`actor=Practitioner/${clinic.providers[0].id}&location=${clinic.location.id}`), booked.map((b) => b.id));
  assert.deepEqual(await find(`actor:Location=${clinic.location.id + 100000}`), []);
  assert.deepEqual(await find(`service-type=urn:caredesk:appointment-type|${clinic.type.id}`), booked.map((b) => b.id));
  assert.deepEqual(await find('service-type=http://snomed.info/sct|394814009'), []);
  assert.deepEqual(await find('_sort=-date'), booked.map((b) => b.id).reverse());
  const count = await fhirGet(`/Appointment?${mine}&status=booked&_summary=count`);
  assert.equal(count.body.total, 2);
  assert.equal(count.body.entry, undefined);

  expectOutcome(await fhirGet(`/Appointment?${mine}&status=done`), 400, 'invalid', 'status');
  expectOutcome(await fhirGet(`/Appointment?actor=${patient.id}`), 400, 'invalid', 'actor');
  expectOutcome(await fhirGet(`/Appointment?${mine}&date=2026-02-30`), 400, 'invalid', 'date');
  expectOutcome(await fhirGet(`/Appointment?${mine}&_sort=status`), 400, 'invalid', '_sort');
  const ignored = await fhirGet(`/Appointment?${mine}&specialty=x`);
  const outcome = ignored.body.entry.find((e) => e.search.mode === 'outcome');
  assert.match(outcome.resource.issue[0].diagnostics, /specialty/);

  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.some((e) => e.action === 'search' && e.category === 'appointment'), 'the search is audited per patient');
});

test('_include brings the patient, practitioner and location of each appointment once; _revinclude the other way', async () => {
  const { clinic, patient, booked } = await bookings();
  const res = await fhirGet(`/Appointment?patient=${patient.id}&_include=Appointment:actor`);
  assert.equal(res.status, 200, res.text);
  assertValid(res.body);
  const included = res.body.entry.filter((e) => e.search.mode === 'include').map((e) => e.resource);
  assert.deepEqual(included.map((r) => `${r.resourceType}/${r.id}`).sort(),
    [`Location/${clinic.location.id}`, `Patient/${patient.id}`, `Practitioner/${clinic.providers[0].id}`].sort());
  for (const r of included) assertValid(r);
  const patientEntry = res.body.entry.find((e) => e.resource.resourceType === 'Patient');
  assert.equal(patientEntry.fullUrl, `${baseUrl()}${FHIR}/Patient/${patient.id}`);

  const rev = await fhirGet(`/Patient?_id=${patient.id}&_revinclude=Appointment:patient`);
  assert.equal(rev.status, 200, rev.text);
  assertValid(rev.body);
  assert.deepEqual(rev.body.entry.filter((e) => e.search.mode === 'include').map((e) => Number(e.resource.id)), booked.map((b) => b.id));

  // billing may read appointments and patients but not the flow: encounters are left out, and it says so.
  const billing = await fhirGet(`/Patient?_id=${patient.id}&_revinclude=Encounter:subject&_revinclude=Appointment:patient`, 'billing');
  assert.equal(billing.status, 200, billing.text);
  const note = billing.body.entry.find((e) => e.search.mode === 'outcome');
  assert.match(note.resource.issue.map((i) => i.diagnostics).join(' '), /Encounter resources are not included/);
  assert.equal(billing.body.entry.filter((e) => e.resource.resourceType === 'Appointment').length, 3);
});

test('a visit is an Encounter: its flow states as status and statusHistory, searched and included', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const [slot] = await slotsOnLocalDay(clinic, 0);
  assert.ok(slot, 'the clinic has a slot today');
  const appt = await book(clinic, patient.id, slot);
  const token = await login('coordinator');
  const enc = expectStatus(await api('POST', `/api/v1/appointments/${appt.id}/check-in`, {}, token), 201);
  expectStatus(await api('POST', `/api/v1/encounters/${enc.id}/transition`, { to: 'roomed' }, await login('clinician')), 200);

  const res = await fhirGet(`/Encounter/${enc.id}`, 'clinician');
  assert.equal(res.status, 200, res.text);
  const e = res.body;
  assertValid(e);
  assert.equal(e.status, 'triaged');
  assert.deepEqual(e.statusHistory.map((h) => h.status), ['arrived', 'triaged']);
  assert.equal(e.class.code, 'AMB');
  assert.equal(e.subject.reference, `Patient/${patient.id}`);
  assert.deepEqual(e.appointment, [{ reference: `Appointment/${appt.id}` }]);
  assert.equal(e.location[0].location.reference, `Location/${clinic.location.id}`);
  assert.equal(e.location[0].status, 'active');
  assert.equal(e.period.end, undefined);
  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.some((ev) => ev.action === 'read' && ev.category === 'encounter'), 'the read is audited');

  const find = async (query, role = 'coordinator') => {
    const r = await fhirGet(`/Encounter?${query}`, role);
    assert.equal(r.status, 200, `${query}: ${r.text}`);
    assertValid(r.body);
    return r.body;
  };
  const byPatient = await find(`subject=Patient/${patient.id}&status=triaged&_include=Encounter:appointment&_include=Encounter:patient`);
  assert.equal(byPatient.total, 1);
  assert.deepEqual(byPatient.entry.map((x) => `${x.search.mode} ${x.resource.resourceType}`),
    ['match Encounter', 'include Patient', 'include Appointment']);
  assert.equal(byPatient.entry[2].resource.status, 'checked-in');
  assert.equal((await find(`patient=${patient.id}&status=finished`)).total, 0);
  assert.equal((await find(`appointment=Appointment/${appt.id}`)).entry[0].resource.id, String(enc.id));
  const today = new Date(enc.arrived_at).toISOString().slice(0, 10);
  assert.equal((await find(`location=${clinic.location.id}&date=ge${today}&_summary=count`)).total, 1);

  const withVisits = await fhirGet(`/Patient?_id=${patient.id}&_revinclude=Encounter:subject`);
  assert.deepEqual(withVisits.body.entry.filter((x) => x.search.mode === 'include').map((x) => x.resource.id), [String(enc.id)]);

  expectOutcome(await fhirGet(`/Encounter/${enc.id}`, 'billing'), 403, 'forbidden');
  expectOutcome(await fhirGet('/Encounter?status=booked'), 400, 'invalid', 'status');
});

test('fhir-kit-client searches appointments and pages through them', async () => {
  const { patient, booked } = await bookings();
  const client = new FhirKitClient({ baseUrl: `${baseUrl()}${FHIR}`, bearerToken: await login('coordinator') });
  const page1 = await client.search({ resourceType: 'Appointment', searchParams: { patient: `Patient/${patient.id}`, _count: 2 } });
  assert.equal(page1.total, 3);
  const page2 = await client.nextPage({ bundle: page1 });
  const ids = [...page1.entry, ...page2.entry].map((e) => Number(e.resource.id));
  assert.deepEqual(ids, booked.map((b) => b.id));
  const read = await client.read({ resourceType: 'Appointment', id: String(booked[2].id) });
  assert.equal(read.status, 'booked');
});

test('a provider\'s time is a Schedule and its free time Slots: searched, paged, read, and gone once booked', async () => {
  const clinic = await createClinic();
  const provider = clinic.providers[0].id;
  const schedule = await fhirGet(`/Schedule/${provider}`, 'clinician');
  assert.equal(schedule.status, 200, schedule.text);
  assertValid(schedule.body);
  assert.deepEqual(schedule.body.actor.map((a) => a.reference), [`Practitioner/${provider}`, `Location/${clinic.location.id}`]);
  assert.deepEqual(schedule.body.serviceType.map((t) => t.coding[0].code), [String(clinic.type.id)]);
  const schedules = await fhirGet(`/Schedule?actor=Location/${clinic.location.id}`, 'clinician');
  assert.deepEqual(schedules.body.entry.map((e) => e.resource.id), [String(provider)]);
  expectOutcome(await fhirGet('/Schedule/999999999', 'clinician'), 404, 'not-found');

  // The same ten slots as the REST slot search, through pages of four.
  const rest = await clinicSlots(clinic, { days: 2, limit: 10 });
  assert.equal(rest.length, 10);
  const window = `start=ge${q(rest[0].start)}&start=le${q(rest[9].start)}`;
  const { seen, pages } = await allPages('Slot', `schedule=Schedule/${provider}&service-type=${clinic.type.id}&${window}&_count=4`);
  assert.equal(pages, 3);
  assert.deepEqual(seen.map((x) => x.start), rest.map((x) => x.start));
  assert.deepEqual(seen.map((x) => x.end), rest.map((x) => x.end));
  assert.ok(seen.every((x) => x.status === 'free' && x.schedule.reference === `Schedule/${provider}`));
  const byType = await allPages('Slot', `service-type=urn:caredesk:appointment-type|${clinic.type.id}&${window}`);
  assert.deepEqual(byType.seen.map((x) => x.id), seen.map((x) => x.id));

  const read = await fhirGet(`/Slot/${seen[0].id}`);
  assert.equal(read.status, 200, read.text);
  assertValid(read.body);
  assert.deepEqual(read.body, seen[0]);
  const patient = await createPatient();
  await book(clinic, patient.id, rest[0]);
  expectOutcome(await fhirGet(`/Slot/${seen[0].id}`), 404, 'not-found');
  const after = await allPages('Slot', `schedule=Schedule/${provider}&${window}`);
  assert.deepEqual(after.seen.map((x) => x.start), rest.slice(1).map((x) => x.start), 'the booked slot is gone');

  const busy = await fhirGet(`/Slot?schedule=Schedule/${provider}&status=busy`);
  assert.equal(busy.body.entry.filter((e) => e.search.mode === 'match').length, 0);
  assert.match(busy.body.entry.find((e) => e.search.mode === 'outcome').resource.issue[0].diagnostics, /Appointment/);
  for (const query of [`schedule=999999999&service-type=${clinic.type.id}`, `schedule=${provider}&service-type=999999999`]) {
    const none = await fhirGet(`/Slot?${query}`);
    assert.equal(none.status, 200, `${query}: ${none.text}`);
    assert.equal(none.body.entry, undefined, `${query}: no slots`);
  }
  expectOutcome(await fhirGet('/Slot?start=ge2026-01-01'), 400, 'invalid', 'service-type');
  expectOutcome(await fhirGet(`/Slot?schedule=${provider}&start=lt2099-01-01`), 400, 'invalid', 'start');
  expectOutcome(await fhirGet(`/Slot?schedule=${provider}&status=open`), 400, 'invalid', 'status');
  expectOutcome(await fhirGet('/Slot/1-2-3'), 404, 'not-found');
  expectOutcome(await fhirGet(`/Slot/${seen[1].id}`, 'auditor'), 403, 'forbidden');
});

test('booking through FHIR: an Appointment naming a free Slot, or the practitioner, location, type and start', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const provider = clinic.providers[0].id;
  const token = await login('coordinator');
  const page = await fhirGet(`/Slot?schedule=Schedule/${provider}&_count=3`);
  const slots = { seen: page.body.entry.map((e) => e.resource) };
  assert.equal(slots.seen.length, 3, 'the clinic has free slots');
  const [first, second] = slots.seen;
  const post = (body, role = token) => api('POST', `${FHIR}/Appointment`, body, role);
  const patientRef = { actor: { reference: `Patient/${patient.id}` }, status: 'accepted' };

  const bySlot = await post({ resourceType: 'Appointment', status: 'booked', comment: 'first visit',
    slot: [{ reference: `Slot/${first.id}` }], participant: [patientRef] });
  assert.equal(bySlot.status, 201, bySlot.text);
  assertValid(bySlot.body);
  assert.equal(bySlot.body.status, 'booked');
  assert.equal(bySlot.body.start, first.start);
  assert.equal(bySlot.body.comment, 'first visit');
  assert.equal(bySlot.headers.get('location'), `${baseUrl()}${FHIR}/Appointment/${bySlot.body.id}`);
  const rest = expectStatus(await api('GET', `/api/v1/appointments/${bySlot.body.id}`, undefined, token), 200);
  assert.equal(rest.patient_id, patient.id);
  assert.equal(rest.status, 'booked');
  expectOutcome(await fhirGet(`/Slot/${first.id}`), 404, 'not-found');
  // The same slot again: the database refuses it.
  expectOutcome(await post({ resourceType: 'Appointment', status: 'booked', slot: [{ reference: `Slot/${first.id}` }],
    participant: [patientRef] }), 409, 'conflict');

  const byFields = await post({ resourceType: 'Appointment', status: 'proposed', start: second.start,
    serviceType: [{ coding: [{ system: 'urn:caredesk:appointment-type', code: String(clinic.type.id) }] }],
    participant: [patientRef, { actor: { reference: `Practitioner/${provider}` }, status: 'accepted' },
      { actor: { reference: `Location/${clinic.location.id}` }, status: 'accepted' }] });
  assert.equal(byFields.status, 201, byFields.text);
  assert.equal(byFields.body.status, 'booked');
  assert.equal(byFields.body.start, second.start);

  expectOutcome(await post({ resourceType: 'Appointment', status: 'booked', slot: [{ reference: `Slot/${slots.seen[2].id}` }],
    participant: [{ actor: { reference: 'Patient/999999999' } }] }), 422, 'processing', 'Appointment.participant');
  expectOutcome(await post({ resourceType: 'Appointment', status: 'booked', slot: [{ reference: 'Slot/1-2-3' }],
    participant: [patientRef] }), 422, 'processing', 'Appointment.slot[0]');
  expectOutcome(await post({ resourceType: 'Appointment', status: 'cancelled', participant: [patientRef] }), 422, 'processing', 'Appointment.status');
  expectOutcome(await post({ resourceType: 'Patient' }), 400, 'invalid', 'resourceType');
  expectOutcome(await post({ resourceType: 'Appointment', status: 'booked', slot: [{ reference: `Slot/${slots.seen[2].id}` }],
    participant: [patientRef] }, await login('clinician')), 403, 'forbidden');
  // Nothing was written by the refusals: the patient has the two bookings.
  const mine = await fhirGet(`/Appointment?patient=${patient.id}&_summary=count`);
  assert.equal(mine.body.total, 2);
});

test('an Appointment update reschedules, replaces the comment and cancels; what cannot change is a 422 naming it', async () => {
  const { clinic, patient, booked } = await bookings();
  const token = await login('coordinator');
  const put = (id, body, role = token) => api('PUT', `${FHIR}/Appointment/${id}`, body, role);
  const id = booked[0].id;
  const read = async () => (await fhirGet(`/Appointment/${id}`)).body;

  const withComment = { ...(await read()), comment: 'needs an interpreter' };
  const commented = await put(id, withComment);
  assert.equal(commented.status, 200, commented.text);
  assertValid(commented.body);
  assert.equal(commented.body.comment, 'needs an interpreter');

  const free = await fhirGet(`/Slot?schedule=Schedule/${clinic.providers[0].id}&service-type=${clinic.type.id}&start=ge${q(booked[2].end ?? booked[2].start)}&_count=1`);
  const target = free.body.entry[0].resource;
  const moved = await put(id, { ...(await read()), start: target.start, end: target.end });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.start, target.start);
  const rest = expectStatus(await api('GET', `/api/v1/appointments/${id}`, undefined, token), 200);
  assert.deepEqual(rest.history.map((h) => h.status), ['booked', 'rescheduled'], 'as the REST API records it');
  expectOutcome(await fhirGet(`/Slot/${target.id}`), 404, 'not-found');

  const current = await read();
  expectOutcome(await put(id, { ...current, status: 'cancelled' }), 422, 'processing', 'Appointment.cancelationReason');
  expectOutcome(await put(id, { ...current, status: 'fulfilled' }), 422, 'processing', 'Appointment.status');
  const otherPatient = await createPatient();
  const swapped = { ...current, participant: current.participant.map((p) => p.actor.reference.startsWith('Patient/')
    ? { ...p, actor: { reference: `Patient/${otherPatient.id}` } } : p) };
  expectOutcome(await put(id, swapped), 422, 'processing', 'Appointment.participant');
  expectOutcome(await put(id, { ...current, id: String(booked[1].id) }), 400, 'invalid', 'Appointment.id');
  expectOutcome(await put(999999999, { ...current, id: '999999999' }), 404, 'not-found');
  expectOutcome(await put(id, { ...current, comment: 'x' }, await login('clinician')), 403, 'forbidden');
  assert.equal((await read()).comment, 'needs an interpreter', 'nothing written by the refusals');

  const cancelled = await put(id, { ...current, status: 'cancelled', cancelationReason: { text: 'Patient moved away' } });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.body.status, 'cancelled');
  assert.equal(cancelled.body.cancelationReason.text, 'Patient moved away');
  const events = await auditEvents({ patient: patient.id });
  for (const action of ['update_notes', 'reschedule', 'cancel']) {
    assert.ok(events.some((e) => e.action === action), `${action} is audited`);
  }
});
