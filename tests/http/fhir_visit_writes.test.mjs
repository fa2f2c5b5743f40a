// FHIR R4 writes of Practitioner and Encounter: a Practitioner becomes a CareDesk provider, an Encounter that is
// over a visit at a CareDesk location (or at one made for its organization); both read back with what CareDesk
// does not model as sent, updated with If-Match, refused naming the element, held to the roles and audited.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FHIR, assertValid, expectOutcome, fhirGet } from './fhir_lib.mjs';
import { api, auditEvents, createClinic, createPatient, expectStatus, login, randomSurname, uid } from './lib.mjs';

const ifMatch = (version) => ({ headers: { 'if-match': `W/"${version}"` } });

function practitioner(family) {
  return {
    resourceType: 'Practitioner',
    identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: `9${uid().slice(0, 9)}` }],
    name: [{ use: 'official', family, given: ['Maren'], prefix: ['Dr.'] }],
    telecom: [{ system: 'phone', value: '555-0142', use: 'work' }],
    gender: 'female',
    qualification: [{ code: { text: 'MD' } }],
  };
}

function finishedEncounter(patientId, more = {}) {
  return {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003' }], text: 'Check up' }],
    subject: { reference: `Patient/${patientId}` },
    period: { start: '2026-03-02T14:00:00+00:00', end: '2026-03-02T14:40:00+00:00' },
    reasonCode: [{ text: 'cough' }],
    ...more,
  };
}

/** `resource` without id, meta and narrative. */
function content(resource) {
  const { id, meta, text, ...rest } = resource;
  return rest;
}

test('the CapabilityStatement states create and update of Practitioner and Encounter', async () => {
  const cs = (await fhirGet('/metadata', null)).body;
  for (const type of ['Practitioner', 'Encounter']) {
    const r = cs.rest[0].resource.find((x) => x.type === type);
    assert.deepEqual(r.interaction.map((i) => i.code).sort(), ['create', 'read', 'search-type', 'update'], type);
    assert.equal(r.versioning, 'versioned-update');
    assert.match(r.documentation, type === 'Practitioner' ? /setup\.write/ : /flow\.write/);
  }
});

test('a Practitioner is created as a provider, read back as sent, and updated with If-Match', async () => {
  const admin = await login('admin');
  const family = randomSurname(4);
  const sent = practitioner(family);
  const created = await api('POST', `${FHIR}/Practitioner`, sent, admin);
  assert.equal(created.status, 201, created.text);
  assertValid(created.body);
  const id = created.body.id;
  assert.match(id, /^\d+$/);
  assert.equal(created.headers.get('etag'), 'W/"1"');
  assert.match(created.headers.get('location'), new RegExp(`/fhir/R4/Practitioner/${id}/_history/1$`));
  assert.deepEqual(content(created.body), { ...sent, active: true }, 'as sent; CareDesk says it is active');

  const read = await fhirGet(`/Practitioner/${id}`);
  assert.equal(read.status, 200, read.text);
  assert.equal(read.headers.get('etag'), 'W/"1"');
  assert.deepEqual(read.body, created.body);
  const provider = expectStatus(await api('GET', `/api/v1/providers/${id}`, undefined, admin), 200);
  assert.equal(provider.name, `Dr. Maren ${family}`, 'a CareDesk provider with the official name');
  const found = await fhirGet(`/Practitioner?name=${family}`);
  assert.deepEqual(found.body.entry.map((e) => e.resource.id), [id]);
  assert.deepEqual(found.body.entry[0].resource.identifier, sent.identifier, 'searched, served as sent too');

  // An update: the name and whether the provider is active; a stale If-Match changes nothing.
  const renamed = { ...sent, id, active: false, name: [{ use: 'official', family: `${family}-Holm`, given: ['Maren'] }] };
  const updated = await api('PUT', `${FHIR}/Practitioner/${id}`, renamed, admin, ifMatch(1));
  assert.equal(updated.status, 200, updated.text);
  assert.equal(updated.headers.get('etag'), 'W/"2"');
  assert.deepEqual(content(updated.body), content(renamed));
  expectOutcome(await api('PUT', `${FHIR}/Practitioner/${id}`, { ...renamed, gender: 'male' }, admin, ifMatch(1)),
    412, 'conflict', 'If-Match');
  const after = expectStatus(await api('GET', `/api/v1/providers/${id}`, undefined, admin), 200);
  assert.equal(after.name, `Maren ${family}-Holm`);
  assert.equal(after.active, false);
  assert.equal((await fhirGet(`/Practitioner/${id}`)).body.gender, 'female', 'the stale update wrote nothing');
});

test('updating a Practitioner keeps where the provider works; what CareDesk cannot take is refused', async () => {
  const admin = await login('admin');
  const clinic = await createClinic();
  const provider = clinic.providers[0];
  const res = await api('PUT', `${FHIR}/Practitioner/${provider.id}`,
    { resourceType: 'Practitioner', id: String(provider.id), name: [{ text: `Dr Renamed ${clinic.tag}` }] }, admin);
  assert.equal(res.status, 200, res.text);
  const after = expectStatus(await api('GET', `/api/v1/providers/${provider.id}`, undefined, admin), 200);
  assert.equal(after.name, `Dr Renamed ${clinic.tag}`);
  assert.deepEqual(after.location_ids, [clinic.location.id], 'where the provider works is CareDesk\'s');
  assert.equal(after.specialty, provider.specialty);
  const role = await fhirGet(`/PractitionerRole/${provider.id}`);
  assert.deepEqual(role.body.location.map((l) => l.reference), [`Location/${clinic.location.id}`]);

  expectOutcome(await api('POST', `${FHIR}/Practitioner`, { resourceType: 'Practitioner', gender: 'male' }, admin),
    422, 'processing', 'Practitioner.name');
  expectOutcome(await api('PUT', `${FHIR}/Practitioner/999999999`,
    { resourceType: 'Practitioner', id: '999999999', name: [{ text: 'Nobody' }] }, admin), 404, 'not-found');
  expectOutcome(await api('PUT', `${FHIR}/Practitioner/${provider.id}`,
    { resourceType: 'Practitioner', id: '1', name: [{ text: 'Nobody' }] }, admin), 400, 'invalid', 'id');
  // Providers are set-up: coordinators read them, admins write them.
  expectOutcome(await api('POST', `${FHIR}/Practitioner`, practitioner('Nobody'), await login('coordinator')),
    403, 'forbidden');
});

test('an Encounter that is over becomes a visit at the location it names, read, searched, updated and audited', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const token = await login('coordinator');
  const sent = finishedEncounter(patient.id, {
    participant: [{ individual: { reference: `Practitioner/${clinic.providers[0].id}`, display: 'the doctor' } }],
    location: [{ location: { reference: `Location/${clinic.location.id}` } }],
  });
  const created = await api('POST', `${FHIR}/Encounter`, sent, token);
  assert.equal(created.status, 201, created.text);
  assertValid(created.body);
  const id = created.body.id;
  assert.equal(created.headers.get('etag'), 'W/"1"');
  assert.deepEqual(content(created.body), content(sent), 'as sent');
  const read = await fhirGet(`/Encounter/${id}`);
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.body, created.body);
  assert.equal(read.headers.get('etag'), 'W/"1"');

  // CareDesk's own record of it: a completed visit of the patient with the provider.
  const visits = expectStatus(await api('GET', `/api/v1/patients/${patient.id}/encounters`, undefined, token), 200);
  const visit = visits.items.find((v) => String(v.id) === id);
  assert.ok(visit, JSON.stringify(visits));
  assert.equal(visit.state, 'completed');
  assert.equal(visit.provider_id, clinic.providers[0].id);
  assert.equal(visit.location_id, clinic.location.id);
  const search = await fhirGet(`/Encounter?patient=${patient.id}&date=2026-03-02`);
  assert.deepEqual(search.body.entry.map((e) => e.resource.id), [id]);
  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.some((e) => e.action === 'create' && e.category === 'encounter' && e.detail === `Encounter/${id} through FHIR`));

  // Replaced with If-Match: cancelled (left without being seen) the next day.
  const cancelled = { resourceType: 'Encounter', id, status: 'cancelled', class: sent.class, subject: { reference: `Patient/${patient.id}` },
    period: { start: '2026-03-03T09:00:00Z' }, location: [{ location: { reference: `Location/${clinic.location.id}` } }] };
  const updated = await api('PUT', `${FHIR}/Encounter/${id}`, cancelled, token, ifMatch(1));
  assert.equal(updated.status, 200, updated.text);
  assert.equal(updated.headers.get('etag'), 'W/"2"');
  assert.deepEqual(content(updated.body), content(cancelled));
  expectOutcome(await api('PUT', `${FHIR}/Encounter/${id}`, { ...sent, id }, token, ifMatch(1)), 412, 'conflict', 'If-Match');
  const again = expectStatus(await api('GET', `/api/v1/encounters/${id}`, undefined, token), 200);
  assert.equal(again.state, 'left_without_being_seen');
  assert.ok(events.length < (await auditEvents({ patient: patient.id })).length, 'the update is audited too');
});

test('an Encounter at an Organization is placed at one location made for it; what CareDesk cannot take is refused', async () => {
  const token = await login('coordinator');
  const patient = await createPatient(token);
  const orgName = `Hill Clinic ${uid()}`;
  const org = await api('POST', `${FHIR}/Organization`, { resourceType: 'Organization', name: orgName,
    address: [{ line: ['1 Hill Road'], city: 'Medford', state: 'MA', postalCode: '02155' }] }, token);
  assert.equal(org.status, 201, org.text);
  const atOrg = finishedEncounter(patient.id, { serviceProvider: { reference: `Organization/${org.body.id}` } });
  const first = await api('POST', `${FHIR}/Encounter`, atOrg, token);
  assert.equal(first.status, 201, first.text);
  const second = await api('POST', `${FHIR}/Encounter`, atOrg, token);
  assert.equal(second.status, 201, second.text);
  const admin = await login('admin');
  const locations = expectStatus(await api('GET', '/api/v1/locations', undefined, admin), 200).items
    .filter((l) => l.name === orgName);
  assert.equal(locations.length, 1, 'one location made for the organization');
  assert.equal(locations[0].address, '1 Hill Road, Medford, MA 02155');
  for (const e of [first, second]) {
    assert.deepEqual(e.body.location.map((l) => l.location.reference), [`Location/${locations[0].id}`],
      'where CareDesk placed it');
    assert.deepEqual(e.body.serviceProvider, atOrg.serviceProvider);
  }

  const before = (await fhirGet(`/Encounter?patient=${patient.id}&_summary=count`)).body.total;
  expectOutcome(await api('POST', `${FHIR}/Encounter`, { ...atOrg, status: 'in-progress' }, token),
    422, 'processing', 'Encounter.status');
  expectOutcome(await api('POST', `${FHIR}/Encounter`, finishedEncounter(999999999, { serviceProvider: atOrg.serviceProvider }), token),
    422, 'processing', 'Encounter.subject');
  expectOutcome(await api('POST', `${FHIR}/Encounter`, { ...atOrg, period: undefined }, token),
    422, 'processing', 'Encounter.period.start');
  expectOutcome(await api('POST', `${FHIR}/Encounter`, finishedEncounter(patient.id), token),
    422, 'processing', 'Encounter.location');
  expectOutcome(await api('POST', `${FHIR}/Encounter`, atOrg, await login('billing')), 403, 'forbidden');
  assert.equal((await fhirGet(`/Encounter?patient=${patient.id}&_summary=count`)).body.total, before, 'nothing written');

  // A visit recorded at check-in changes on the flow board, not through FHIR.
  const clinic = await createClinic();
  const walkIn = expectStatus(await api('POST', '/api/v1/encounters',
    { patient_id: patient.id, location_id: clinic.location.id }, token), 201);
  const replaced = await api('PUT', `${FHIR}/Encounter/${walkIn.id}`, { ...atOrg, id: String(walkIn.id) }, token);
  expectOutcome(replaced, 409, 'conflict');
  assert.match(replaced.body.issue[0].diagnostics, /recorded at check-in/);
  expectOutcome(await api('PUT', `${FHIR}/Encounter/999999999`, { ...atOrg, id: '999999999' }, token), 404, 'not-found');
});
