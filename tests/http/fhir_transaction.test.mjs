// FHIR transaction Bundles at POST /fhir/R4: every write or none, urn:uuid references between the entries
// resolved to the ids the server gives, FHIR's processing order, reads after the writes, roles and scopes, and
// entries a transaction cannot take refused before anything is written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { FHIR, assertValid, expectOutcome, fhirGet } from './fhir_lib.mjs';
import { api, auditEvents, createPatient, login, randomSurname, requireEnv, uid, usernameOf } from './lib.mjs';

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

test('a Synthea transaction bundle is refused whole while CareDesk cannot write its Practitioners in one', async () => {
  const data = requireEnv('CAREDESK_DATA_DIR', 'the shared test data, with synthea_fhir_r4');
  const dir = path.join(data, 'synthea_fhir_r4', 'bundles');
  const file = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()[1];
  const bundle = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const first = bundle.entry.findIndex((e) => ['Practitioner', 'Encounter'].includes(e.resource.resourceType));
  assert.ok(first >= 0);
  const type = bundle.entry[first].resource.resourceType;
  // (Other tests may have imported the same patient: what counts is that this transaction adds nothing.)
  const synthea = bundle.entry[0].resource.identifier.find((i) => i.system === 'https://github.com/synthetichealth/synthea');
  const count = async () => (await fhirGet(`/Patient?identifier=${encodeURIComponent(`${synthea.system}|${synthea.value}`)}`)).body.total;
  const before = await count();
  const observation = bundle.entry.find((e) => e.resource.resourceType === 'Observation').resource;
  const observationBefore = (await fhirGet(`/Observation?_id=${observation.id}&_summary=count`)).body.total;
  const res = await api('POST', FHIR, bundle, await login('coordinator'));
  const issue = expectOutcome(res, 422, 'not-supported', `Bundle.entry[${first}].request`);
  assert.match(issue.diagnostics, new RegExp(`${type} is not written in a transaction here; send it in a batch`));
  assert.equal(await count(), before, 'no patient was written');
  assert.equal((await fhirGet(`/Observation?_id=${observation.id}&_summary=count`)).body.total, observationBefore,
    'nor anything else');
});
