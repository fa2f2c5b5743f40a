// FHIR transaction Bundles at POST /fhir/R4: every write or none, urn:uuid references between the entries
// resolved to the ids the server gives, FHIR's processing order, reads after the writes, roles and scopes, and
// entries a transaction cannot take refused before anything is written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { FHIR, assertValid, expectOutcome, fhirGet } from './fhir_lib.mjs';
import { api, auditEvents, createClinic, createPatient, expectStatus, login, randomSurname, requireEnv, uid, usernameOf } from './lib.mjs';

function newPatient(family) {
  return {
    resourceType: 'Patient',
    extension: [{ url: 'http://example.org/fhir/StructureDefinition/pronouns', valueString: 'she/her' }],
    name: [{ family, given: ['Tess'] }],
    gender: 'female',
    birthDate: '1984-07-09',
  };
}

test('a transaction writes every entry, resolving urn:uuid references to the ids the server gives', async () => {
  const token = await login('coordinator');
  const family = randomSurname(5);
  const patientUrl = `urn:uuid:${crypto.randomUUID()}`;
  const orgUrl = `urn:uuid:${crypto.randomUUID()}`;
  const conditionId = `cond-${uid()}`;
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { request: { method: 'GET', url: `Patient?family:exact=${family}` } },
      {
        fullUrl: `urn:uuid:${crypto.randomUUID()}`,
        request: { method: 'POST', url: 'Observation' },
        resource: {
          resourceType: 'Observation', status: 'final', code: { text: 'Heart rate' },
          subject: { reference: patientUrl }, performer: [{ reference: orgUrl }], valueQuantity: { value: 70, unit: '/min' },
        },
      },
      { fullUrl: orgUrl, request: { method: 'POST', url: 'Organization' }, resource: { resourceType: 'Organization', name: `Org ${family}` } },
      { fullUrl: patientUrl, request: { method: 'POST', url: 'Patient' }, resource: newPatient(family) },
      {
        request: { method: 'PUT', url: `Condition/${conditionId}` },
        resource: { resourceType: 'Condition', id: conditionId, code: { text: 'Asthma' }, subject: { reference: patientUrl } },
      },
    ],
  };
  const res = await api('POST', FHIR, bundle, token);
  assert.equal(res.status, 200, res.text);
  assertValid(res.body);
  assert.equal(res.body.type, 'transaction-response');
  const [search, observation, org, patient, condition] = res.body.entry;
  assert.deepEqual(res.body.entry.map((e) => e.response.status), ['200 OK', '201 Created', '201 Created', '201 Created', '201 Created']);

  const patientId = patient.resource.id;
  assert.match(patientId, /^\d+$/);
  assert.match(patient.response.location, new RegExp(`/fhir/R4/Patient/${patientId}/_history/1$`));
  assert.deepEqual(patient.resource.extension, bundle.entry[3].resource.extension, 'kept as sent');
  assert.equal(observation.resource.subject.reference, `Patient/${patientId}`, 'the urn:uuid became the patient');
  assert.equal(observation.resource.performer[0].reference, `Organization/${org.resource.id}`);
  assert.equal(condition.resource.subject.reference, `Patient/${patientId}`);
  assert.equal(condition.resource.id, conditionId);
  assert.equal(condition.response.etag, 'W/"1"');
  // Reads run after the writes, so the search finds the new patient.
  assert.equal(search.resource?.type, 'searchset', JSON.stringify(search));
  assert.deepEqual(search.resource.entry.map((e) => e.resource.id), [patientId]);

  const read = await fhirGet(`/Observation/${observation.resource.id}`);
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.body, observation.resource);
  const events = await auditEvents({ patient: patientId });
  assert.ok(events.some((e) => e.action === 'create' && e.category === 'demographics' && e.detail === 'registered' && e.user === usernameOf('coordinator')));
  assert.ok(events.some((e) => e.action === 'create' && e.category === 'clinical' && e.detail === `Observation/${observation.resource.id}`));
  // The new patient is found by name at once (the search index was told).
  const found = await api('GET', `/api/v1/patients?q=${encodeURIComponent(`Tess ${family}`)}`, undefined, token);
  assert.ok(found.body.items.some((p) => String(p.id) === patientId), 'in the typo-tolerant search');
});

test('a transaction is all or nothing: one failing entry leaves nothing written and names the entry', async () => {
  const token = await login('coordinator');
  const patient = await createPatient(token);
  const conditionId = `cond-${uid()}`;
  const first = await api('PUT', `${FHIR}/Condition/${conditionId}`, {
    resourceType: 'Condition', id: conditionId, code: { text: 'v1' }, subject: { reference: `Patient/${patient.id}` },
  }, token);
  assert.equal(first.status, 201, first.text);

  const family = randomSurname(5);
  const orgId = `org-${uid()}`;
  const stale = await api('POST', FHIR, {
    resourceType: 'Bundle', type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:a', request: { method: 'POST', url: 'Patient' }, resource: newPatient(family) },
      { request: { method: 'PUT', url: `Organization/${orgId}` }, resource: { resourceType: 'Organization', id: orgId, name: 'x' } },
      {
        request: { method: 'PUT', url: `Condition/${conditionId}`, ifMatch: 'W/"7"' },
        resource: { resourceType: 'Condition', id: conditionId, code: { text: 'v2' }, subject: { reference: 'urn:uuid:a' } },
      },
    ],
  }, token);
  const issue = expectOutcome(stale, 412, 'conflict', 'If-Match');
  assert.match(issue.diagnostics, /Bundle\.entry\[2\]/);
  assert.equal((await fhirGet(`/Patient?family:exact=${family}`)).body.total, 0, 'the patient was not created');
  expectOutcome(await fhirGet(`/Organization/${orgId}`), 404, 'not-found');
  assert.equal((await fhirGet(`/Condition/${conditionId}`)).body.code.text, 'v1');

  const invalid = await api('POST', FHIR, {
    resourceType: 'Bundle', type: 'transaction',
    entry: [
      { request: { method: 'PUT', url: `Organization/${orgId}` }, resource: { resourceType: 'Organization', id: orgId, name: 'x' } },
      { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', name: [{ family, given: ['No'] }] } },
    ],
  }, token);
  assert.equal(invalid.status, 422, invalid.text);
  assert.deepEqual(invalid.body.issue[0].expression, ['Bundle.entry[1]']);
  assert.match(invalid.body.issue[0].diagnostics, /birthDate/);
  expectOutcome(await fhirGet(`/Organization/${orgId}`), 404, 'not-found');

  // What a transaction cannot take is refused before anything is written.
  expectOutcome(await api('POST', FHIR, {
    resourceType: 'Bundle', type: 'transaction',
    entry: [
      { request: { method: 'PUT', url: `Organization/${orgId}` }, resource: { resourceType: 'Organization', id: orgId, name: 'x' } },
      { request: { method: 'POST', url: 'Observation', ifNoneExist: 'patient=1' }, resource: { resourceType: 'Observation' } },
    ],
  }, token), 422, 'not-supported', 'Bundle.entry[1].request');
  expectOutcome(await api('POST', FHIR, {
    resourceType: 'Bundle', type: 'transaction',
    entry: [{ request: { method: 'DELETE', url: `Patient/${patient.id}` } }],
  }, token), 422, 'not-supported', 'Bundle.entry[0].request');
  expectOutcome(await api('POST', FHIR, {
    resourceType: 'Bundle', type: 'transaction',
    entry: [{ request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Condition' } }],
  }, token), 400, 'invalid', 'Bundle.entry[0].resource');
  const badMeta = expectOutcome(await api('POST', FHIR, {
    resourceType: 'Bundle', type: 'transaction',
    entry: [
      { request: { method: 'PUT', url: `Organization/${orgId}` }, resource: { resourceType: 'Organization', id: orgId, name: 'x' } },
      { request: { method: 'PUT', url: 'Observation/x1' }, resource: { resourceType: 'Observation', id: 'x1', meta: 'old' } },
    ],
  }, token), 400, 'invalid', 'Bundle.entry[1]');
  assert.match(badMeta.diagnostics, /meta must be an object/);
  expectOutcome(await fhirGet(`/Organization/${orgId}`), 404, 'not-found');
});

test('a transaction deletes first, and holds each entry to the caller\'s role and scopes', async () => {
  const token = await login('coordinator');
  const patient = await createPatient(token);
  const id = `obs-${uid()}`;
  await api('PUT', `${FHIR}/Observation/${id}`, { resourceType: 'Observation', id, status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patient.id}` } }, token);
  const res = await api('POST', FHIR, {
    resourceType: 'Bundle', type: 'transaction',
    entry: [
      { request: { method: 'PUT', url: `Observation/${id}` }, resource: { resourceType: 'Observation', id, status: 'amended', code: { text: 'x' } } },
      { request: { method: 'DELETE', url: `Observation/${id}` } },
    ],
  }, token);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.entry.map((e) => e.response.status), ['200 OK', '204 No Content']);
  assert.equal(res.body.entry[0].response.etag, 'W/"3"', 'the delete (version 2) ran before the put');
  assert.equal((await fhirGet(`/Observation/${id}`)).body.status, 'amended');

  const clinician = await api('POST', FHIR, {
    resourceType: 'Bundle', type: 'transaction',
    entry: [{ request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' } } }],
  }, await login('clinician'));
  expectOutcome(clinician, 403, 'forbidden');
  const admin = await login('admin');
  const scoped = await api('POST', '/api/v1/system-tokens', { username: usernameOf('coordinator'), scope: 'system/Observation.write system/Patient.read' }, admin);
  assert.equal(scoped.status, 201, scoped.text);
  const refused = await api('POST', FHIR, {
    resourceType: 'Bundle', type: 'transaction',
    entry: [
      { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' } } },
      { request: { method: 'POST', url: 'Condition' }, resource: { resourceType: 'Condition', code: { text: 'x' } } },
    ],
  }, scoped.body.token);
  const issue = expectOutcome(refused, 403, 'forbidden');
  assert.match(issue.diagnostics, /Bundle\.entry\[1\].*Condition\.write/);
});

/** A Synthea patient bundle (a transaction), its patient's identifiers made unique so that it can be sent again. */
function syntheaBundle(index) {
  const data = requireEnv('CAREDESK_DATA_DIR', 'the shared test data, with synthea_fhir_r4');
  const dir = path.join(data, 'synthea_fhir_r4', 'bundles');
  const file = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()[index];
  const bundle = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const tag = uid();
  for (const id of bundle.entry[0].resource.identifier ?? []) id.value = `${id.value}-${tag}`;
  return bundle;
}

test('a Synthea transaction bundle is written whole: practitioners, visits at its organizations, the rest kept', async () => {
  const bundle = syntheaBundle(1);
  const types = bundle.entry.map((e) => e.resource.resourceType);
  const res = await api('POST', FHIR, bundle, await login('admin'));
  assert.equal(res.status, 200, res.text.slice(0, 500));
  assert.equal(res.body.type, 'transaction-response');
  assert.ok(res.body.entry.every((e) => e.response.status === '201 Created'), JSON.stringify(res.body.entry.map((e) => e.response.status)));
  const written = (type) => res.body.entry.filter((_, i) => types[i] === type).map((e) => e.resource);
  const [patient] = written('Patient');
  const practitioners = written('Practitioner');
  const encounters = written('Encounter');
  assert.ok(practitioners.length > 0 && encounters.length > 0);
  for (const p of practitioners) assert.match(p.id, /^\d+$/, 'a CareDesk provider');
  const providerIds = new Set(practitioners.map((p) => `Practitioner/${p.id}`));
  const organizations = new Map(written('Organization').map((o) => [`Organization/${o.id}`, o.name]));
  const admin = await login('admin');
  const locations = expectStatus(await api('GET', '/api/v1/locations', undefined, admin), 200).items;
  for (const e of encounters) {
    assertValid(e);
    assert.equal(e.subject.reference, `Patient/${patient.id}`);
    assert.ok(providerIds.has(e.participant[0].individual.reference), 'the urn:uuid became the new provider');
    const site = locations.find((l) => `Location/${l.id}` === e.location[0].location.reference);
    assert.equal(site?.name, organizations.get(e.serviceProvider.reference), 'placed at its organization\'s location');
  }
  // What refers to an encounter refers to CareDesk's, written after it.
  const observation = written('Observation').find((o) => o.encounter);
  assert.match(observation.encounter.reference, /^Encounter\/\d+$/);
  assert.ok(encounters.some((e) => `Encounter/${e.id}` === observation.encounter.reference));
  const visits = expectStatus(await api('GET', `/api/v1/patients/${patient.id}/encounters`, undefined, admin), 200);
  assert.deepEqual(visits.items.map((v) => String(v.id)).sort(), encounters.map((e) => e.id).sort());
  assert.ok(visits.items.every((v) => ['completed', 'left_without_being_seen'].includes(v.state)));
});

test('a transaction with practitioners needs set-up rights: refused whole for a coordinator', async () => {
  const bundle = syntheaBundle(2);
  const first = bundle.entry.findIndex((e) => e.resource.resourceType === 'Practitioner');
  assert.ok(first >= 0);
  const synthea = bundle.entry[0].resource.identifier.find((i) => i.system === 'https://github.com/synthetichealth/synthea');
  const count = async () => (await fhirGet(`/Patient?identifier=${encodeURIComponent(`${synthea.system}|${synthea.value}`)}&_summary=count`)).body.total;
  const observation = bundle.entry.find((e) => e.resource.resourceType === 'Observation').resource;
  const observationBefore = (await fhirGet(`/Observation?_id=${observation.id}&_summary=count`)).body.total;
  const res = await api('POST', FHIR, bundle, await login('coordinator'));
  const issue = expectOutcome(res, 403, 'forbidden');
  assert.match(issue.diagnostics, new RegExp(`Bundle\\.entry\\[${first}\\].*setup\\.write`));
  assert.equal(await count(), 0, 'no patient was written');
  assert.equal((await fhirGet(`/Observation?_id=${observation.id}&_summary=count`)).body.total, observationBefore,
    'nor anything else');
});

test('a transaction whose encounter CareDesk cannot take writes neither its patient nor its practitioner', async () => {
  const family = randomSurname(5);
  const patientUrl = `urn:uuid:${crypto.randomUUID()}`;
  const doctorUrl = `urn:uuid:${crypto.randomUUID()}`;
  const orgUrl = `urn:uuid:${crypto.randomUUID()}`;
  const encounter = {
    resourceType: 'Encounter', status: 'in-progress', subject: { reference: patientUrl },
    participant: [{ individual: { reference: doctorUrl } }], period: { start: '2026-03-02T14:00:00Z' },
    serviceProvider: { reference: orgUrl },
  };
  const entries = [
    { fullUrl: patientUrl, request: { method: 'POST', url: 'Patient' }, resource: newPatient(family) },
    { fullUrl: doctorUrl, request: { method: 'POST', url: 'Practitioner' }, resource: { resourceType: 'Practitioner', name: [{ text: `Dr ${family}` }] } },
    { fullUrl: orgUrl, request: { method: 'POST', url: 'Organization' }, resource: { resourceType: 'Organization', name: `Org ${family}` } },
    { request: { method: 'POST', url: 'Encounter' }, resource: encounter },
  ];
  const admin = await login('admin');
  const refused = await api('POST', FHIR, { resourceType: 'Bundle', type: 'transaction', entry: entries }, admin);
  expectOutcome(refused, 422, 'processing', 'Bundle.entry[3]');
  assert.match(refused.body.issue[0].diagnostics, /Encounter\.status/);
  assert.equal((await fhirGet(`/Patient?family:exact=${family}&_summary=count`)).body.total, 0);
  assert.equal((await fhirGet(`/Practitioner?name=${family}&_summary=count`)).body.total, 0);
  const locations = expectStatus(await api('GET', '/api/v1/locations', undefined, admin), 200).items;
  assert.ok(!locations.some((l) => l.name === `Org ${family}`), 'no location made');

  encounter.status = 'finished';
  const res = await api('POST', FHIR, { resourceType: 'Bundle', type: 'transaction', entry: entries }, admin);
  assert.equal(res.status, 200, res.text);
  const [patient, doctor, org, visit] = res.body.entry.map((e) => e.resource);
  assert.equal(visit.subject.reference, `Patient/${patient.id}`);
  assert.equal(visit.participant[0].individual.reference, `Practitioner/${doctor.id}`);
  assert.equal(visit.serviceProvider.reference, `Organization/${org.id}`);
  assert.equal(res.body.entry[3].response.etag, 'W/"1"');
  assert.deepEqual((await fhirGet(`/Encounter/${visit.id}`)).body, visit);
});

test('a transaction writes a coverage of a new patient, paid by an organization of the same bundle, and rolls it back with the rest', async () => {
  const token = await login('coordinator');
  const family = randomSurname(5);
  const patientUrl = `urn:uuid:${crypto.randomUUID()}`;
  const orgUrl = `urn:uuid:${crypto.randomUUID()}`;
  const coverageUrl = `urn:uuid:${crypto.randomUUID()}`;
  const coverage = (memberId) => ({
    resourceType: 'Coverage', status: 'active', subscriberId: memberId,
    beneficiary: { reference: patientUrl }, payor: [{ reference: orgUrl }],
    extension: [{ url: 'urn:e2e:plan', valueString: 'silver' }],
  });
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: coverageUrl, request: { method: 'POST', url: 'Coverage' }, resource: coverage(`TX-${family}`) },
      { fullUrl: orgUrl, request: { method: 'POST', url: 'Organization' }, resource: { resourceType: 'Organization', name: `Plan ${family}` } },
      { fullUrl: patientUrl, request: { method: 'POST', url: 'Patient' }, resource: newPatient(family) },
      {
        request: { method: 'POST', url: 'Observation' },
        resource: { resourceType: 'Observation', status: 'final', code: { text: 'Insurance card seen' }, focus: [{ reference: coverageUrl }] },
      },
    ],
  };
  const res = await api('POST', FHIR, bundle, token);
  assert.equal(res.status, 200, res.text);
  assertValid(res.body);
  const [written, , patient, observation] = res.body.entry;
  assert.deepEqual(res.body.entry.map((e) => e.response.status), ['201 Created', '201 Created', '201 Created', '201 Created']);
  const id = written.resource.id;
  assert.match(written.response.location, new RegExp(`/fhir/R4/Coverage/${id}$`));
  assert.equal(written.resource.beneficiary.reference, `Patient/${patient.resource.id}`);
  assert.deepEqual(written.resource.extension, bundle.entry[0].resource.extension);
  const record = expectStatus(await api('GET', `/api/v1/patients/${patient.resource.id}`, undefined, token), 200);
  assert.deepEqual(record.coverages.map((c) => [String(c.id), c.payer, c.member_id]), [[id, `Plan ${family}`, `TX-${family}`]],
    'the payer is the organization the bundle wrote first');
  // A kept resource written before the coverage cannot name it by its fullUrl: it stays as given.
  assert.equal(observation.resource.focus[0].reference, coverageUrl);

  // A transaction whose second coverage CareDesk cannot take leaves the first patient's update out too.
  const again = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { request: { method: 'PUT', url: `Coverage/${id}` }, resource: { ...coverage(`TX2-${family}`), id, beneficiary: { reference: `Patient/${patient.resource.id}` }, payor: [{ display: 'Other plan' }] } },
      { request: { method: 'POST', url: 'Coverage' }, resource: { ...coverage('X'), status: 'cancelled', beneficiary: { reference: `Patient/${patient.resource.id}` }, payor: [{ display: 'Other plan' }] } },
    ],
  };
  const refused = await api('POST', FHIR, again, token);
  const issue = expectOutcome(refused, 422, 'processing');
  assert.match(issue.diagnostics, /Bundle\.entry\[1\]/);
  const unchanged = expectStatus(await api('GET', `/api/v1/patients/${patient.resource.id}`, undefined, token), 200);
  assert.deepEqual(unchanged.coverages.map((c) => c.member_id), [`TX-${family}`], 'nothing of it was written');

  const removed = await api('POST', FHIR, { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: `Coverage/${id}` } }] }, token);
  assert.equal(removed.status, 200, removed.text);
  assert.equal(removed.body.entry[0].response.status, '204 No Content');
  expectOutcome(await fhirGet(`/Coverage/${id}`), 404, 'not-found');
});

test('a transaction registers a new patient and books them; a slot taken meanwhile writes neither', async () => {
  const token = await login('coordinator');
  const clinic = await createClinic();
  const provider = clinic.providers[0].id;
  const free = (await fhirGet(`/Slot?schedule=Schedule/${provider}&_count=2`)).body.entry.map((e) => e.resource);
  assert.equal(free.length, 2, 'the clinic has free slots');
  const family = randomSurname(5);
  const patientUrl = `urn:uuid:${crypto.randomUUID()}`;
  const bookingUrl = `urn:uuid:${crypto.randomUUID()}`;
  const booking = (slot) => ({
    resourceType: 'Appointment', status: 'booked', comment: 'booked from the portal',
    slot: [{ reference: `Slot/${slot.id}` }], participant: [{ actor: { reference: patientUrl }, status: 'accepted' }],
  });
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      // Listed before the patient it names: FHIR's order writes the patient first.
      { fullUrl: bookingUrl, request: { method: 'POST', url: 'Appointment' }, resource: booking(free[0]) },
      {
        fullUrl: patientUrl,
        request: { method: 'POST', url: 'Patient' },
        // Written before the booking, so its reference to it stays as given.
        resource: { ...newPatient(family), extension: [{ url: 'urn:example:first-booking', valueReference: { reference: bookingUrl } }] },
      },
      {
        request: { method: 'POST', url: 'Communication' },
        resource: { resourceType: 'Communication', status: 'completed', subject: { reference: patientUrl }, about: [{ reference: bookingUrl }],
          payload: [{ contentString: 'Your appointment is booked.' }] },
      },
    ],
  };
  const res = await api('POST', FHIR, bundle, token);
  assert.equal(res.status, 200, res.text);
  assertValid(res.body);
  const [booked, patient, note] = res.body.entry;
  assert.deepEqual(res.body.entry.map((e) => e.response.status), ['201 Created', '201 Created', '201 Created']);
  const id = booked.resource.id;
  assert.match(booked.response.location, new RegExp(`/fhir/R4/Appointment/${id}$`));
  assert.equal(booked.resource.status, 'booked');
  assert.equal(booked.resource.start, free[0].start);
  assert.equal(booked.resource.comment, 'booked from the portal');
  assert.ok(booked.resource.participant.some((p) => p.actor.reference === `Patient/${patient.resource.id}`));
  assert.deepEqual(note.resource.about, [{ reference: `Appointment/${id}` }], 'a kept resource names the new booking');
  assert.equal(patient.resource.extension[0].valueReference.reference, bookingUrl, 'written before it: as given');
  const rest = expectStatus(await api('GET', `/api/v1/appointments/${id}`, undefined, token), 200);
  assert.equal(rest.patient_id, Number(patient.resource.id));
  assert.equal(rest.status, 'booked');
  assert.equal(rest.history[0].by, usernameOf('coordinator'));
  expectOutcome(await fhirGet(`/Slot/${free[0].id}`), 404, 'not-found');
  const events = await auditEvents({ patient: patient.resource.id });
  assert.ok(events.some((e) => e.action === 'create' && e.category === 'appointment' && e.detail === `appointment ${id}`),
    'the booking is audited as it would be alone');

  // Another new patient for the slot just taken: the database refuses the slot, and the patient is not written.
  const other = randomSurname(5);
  const taken = await api('POST', FHIR, { ...bundle, entry: [
    { fullUrl: bookingUrl, request: { method: 'POST', url: 'Appointment' }, resource: booking(free[0]) },
    { fullUrl: patientUrl, request: { method: 'POST', url: 'Patient' }, resource: newPatient(other) },
  ] }, token);
  const issue = expectOutcome(taken, 409, 'conflict');
  assert.match(issue.diagnostics, /Bundle\.entry\[0\]/);
  assert.deepEqual(issue.expression, ['Bundle.entry[0]']);
  const nobody = await fhirGet(`/Patient?family:exact=${other}&_summary=count`);
  assert.equal(nobody.body.total, 0, 'nothing of it was written');

  // A booking CareDesk cannot take is a 422 naming the entry; changes of bookings go in a batch.
  const unknownPatient = await api('POST', FHIR, { resourceType: 'Bundle', type: 'transaction', entry: [
    { request: { method: 'POST', url: 'Appointment' }, resource: { ...booking(free[1]), participant: [{ actor: { reference: 'Patient/999999999' } }] } },
  ] }, token);
  assert.match(expectOutcome(unknownPatient, 422, 'processing').diagnostics, /Bundle\.entry\[0\].*Appointment\.participant/);
  expectOutcome(await api('POST', FHIR, { resourceType: 'Bundle', type: 'transaction', entry: [
    { request: { method: 'PUT', url: `Appointment/${id}` }, resource: { ...booked.resource } },
  ] }, token), 422, 'not-supported', 'Bundle.entry[0].request');
  // Booking needs appointment.write, as alone: a clinician's transaction is refused before anything is written.
  expectOutcome(await api('POST', FHIR, { resourceType: 'Bundle', type: 'transaction', entry: [
    { request: { method: 'POST', url: 'Appointment' }, resource: booking(free[1]) },
  ] }, await login('clinician')), 403, 'forbidden');
  assert.equal((await fhirGet(`/Slot/${free[1].id}`)).status, 200, 'the slot is still free');
});
