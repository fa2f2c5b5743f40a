// FHIR R4 resources of the types CareDesk has no model of (Observation, Condition, Organization, ...): kept as
// sent and served back unchanged, with versions, history, delete, search, conditional create, the roles, SMART
// scopes and the audit trail of the patient each one is about. Every answer is checked against the R4 schema.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { FHIR, allPages, assertValid, expectOutcome, fhirGet } from './fhir_lib.mjs';
import { api, auditEvents, createPatient, login, requireEnv, run, uid, usernameOf } from './lib.mjs';

/** An Observation of `patientId`'s heart rate, with elements CareDesk does not model. */
function heartRate(patientId, value = 72, extra = {}) {
  return {
    resourceType: 'Observation',
    meta: { tag: [{ system: 'https://smarthealthit.org/tags', code: 'synthea-5-2019' }] },
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Heart rate</div>' },
    status: 'final',
    _status: { extension: [{ url: 'http://example.org/fhir/StructureDefinition/source', valueString: 'device' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${patientId}` },
    performer: [{ reference: 'Practitioner/does-not-exist' }],
    effectiveDateTime: '2026-11-20T09:30:00+01:00',
    valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    ...extra,
  };
}

/** `res.body` without id and meta, for comparing what was sent with what is served. */
function content(resource) {
  const { id, meta, ...rest } = resource;
  const { versionId, lastUpdated, ...writerMeta } = meta ?? {};
  return { ...rest, meta: writerMeta };
}

test('a resource CareDesk has no model of is kept as sent: create, read, the audit trail and its errors', async () => {
  const token = await login('coordinator');
  const patient = await createPatient(token);
  const sent = heartRate(patient.id);
  const res = await api('POST', `${FHIR}/Observation`, { ...sent, id: 'ignored-on-create', meta: { ...sent.meta, versionId: '9' } }, token);
  assert.equal(res.status, 201, res.text);
  assert.match(res.headers.get('content-type'), /^application\/fhir\+json/);
  const created = res.body;
  assertValid(created);
  assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(created.meta.versionId, '1');
  assert.equal(res.headers.get('etag'), 'W/"1"');
  assert.match(res.headers.get('location'), new RegExp(`/fhir/R4/Observation/${created.id}/_history/1$`));
  assert.deepEqual(content(created), sent, 'served back as sent: extensions, narrative, references to what is not there');

  const read = await fhirGet(`/Observation/${created.id}`, 'clinician');
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.body, created);
  assert.equal(read.headers.get('etag'), 'W/"1"');
  assert.ok(read.headers.get('last-modified'));

  const events = await auditEvents({ patient: patient.id });
  const mine = events.filter((e) => e.category === 'clinical' && e.detail === `Observation/${created.id}`);
  assert.ok(mine.some((e) => e.action === 'create' && e.user === usernameOf('coordinator')), 'the create is audited');
  assert.ok(mine.some((e) => e.action === 'read' && e.user === usernameOf('clinician')), 'the read is audited');

  expectOutcome(await api('POST', `${FHIR}/Observation`, { resourceType: 'Condition' }, token), 400, 'invalid', 'resourceType');
  expectOutcome(await api('POST', `${FHIR}/Observation`, [1, 2], token), 400, 'invalid', 'resourceType');
  expectOutcome(await api('POST', `${FHIR}/Observation`, '{"resourceType":', token), 400, 'invalid', 'body');
  expectOutcome(await api('POST', `${FHIR}/Observation`, { resourceType: 'Observation', meta: 'x' }, token), 400, 'invalid', 'meta');
  expectOutcome(await api('POST', `${FHIR}/Observation`, sent, await login('clinician')), 403, 'forbidden');
  expectOutcome(await api('POST', `${FHIR}/Observation`, sent, null), 401, 'login');
  expectOutcome(await fhirGet(`/Observation/${uid()}-none`), 404, 'not-found');
  expectOutcome(await fhirGet('/Observation/not_an_id'), 404, 'not-found');
  expectOutcome(await fhirGet(`/Condition/${created.id}`), 404, 'not-found');
});

test('update creates with the client\'s id, then versions; If-Match, vread, history, delete and 410', async () => {
  const token = await login('coordinator');
  const patient = await createPatient(token);
  const id = `hr-${uid()}`;
  const url = `${FHIR}/Observation/${id}`;
  const first = await api('PUT', url, { ...heartRate(patient.id), id }, token);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.id, id);
  assertValid(first.body);
  const second = await api('PUT', url, { ...heartRate(patient.id, 80), id }, token, { headers: { 'if-match': 'W/"1"' } });
  assert.equal(second.status, 200, second.text);
  assert.equal(second.body.meta.versionId, '2');
  assert.equal(second.body.valueQuantity.value, 80);
  expectOutcome(await api('PUT', url, { ...heartRate(patient.id, 90), id }, token, { headers: { 'if-match': 'W/"1"' } }), 412, 'conflict', 'If-Match');
  expectOutcome(await api('PUT', url, { ...heartRate(patient.id, 90), id }, token, { headers: { 'if-match': 'soon' } }), 400, 'invalid', 'If-Match');
  expectOutcome(await api('PUT', url, { ...heartRate(patient.id), id: 'other' }, token), 400, 'invalid', 'id');
  expectOutcome(await api('PUT', url, heartRate(patient.id), token), 400, 'invalid', 'id');
  expectOutcome(await api('PUT', `${FHIR}/Observation/bad_id`, { ...heartRate(patient.id), id: 'bad_id' }, token), 400, 'invalid', 'id');

  const v1 = await fhirGet(`/Observation/${id}/_history/1`);
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v1.body.valueQuantity.value, 72);
  expectOutcome(await fhirGet(`/Observation/${id}/_history/7`), 404, 'not-found');

  const deleted = await api('DELETE', url, undefined, token);
  assert.equal(deleted.status, 204, deleted.text);
  expectOutcome(await fhirGet(`/Observation/${id}`), 410, 'deleted');
  expectOutcome(await fhirGet(`/Observation/${id}/_history/3`), 410, 'deleted');
  assert.equal((await fhirGet(`/Observation/${id}/_history/2`)).status, 200, 'earlier versions stay readable');
  assert.equal((await api('DELETE', url, undefined, token)).status, 204, 'deleting again changes nothing');
  expectOutcome(await api('DELETE', `${FHIR}/Observation/never-${uid()}`, undefined, token), 404, 'not-found');

  const history = await fhirGet(`/Observation/${id}/_history`);
  assert.equal(history.status, 200, history.text);
  assertValid(history.body);
  assert.equal(history.body.type, 'history');
  assert.deepEqual(history.body.entry.map((e) => [e.request.method, e.response.status, e.response.etag]),
    [['DELETE', '204 No Content', 'W/"3"'], ['PUT', '200 OK', 'W/"2"'], ['POST', '201 Created', 'W/"1"']]);
  assert.equal(history.body.entry[0].resource, undefined);

  // Written again, it is back as the next version.
  const revived = await api('PUT', url, { ...heartRate(patient.id, 60), id }, token);
  assert.equal(revived.status, 200, revived.text);
  assert.equal(revived.body.meta.versionId, '4');
  assert.ok((await auditEvents({ patient: patient.id })).some((e) => e.action === 'delete' && e.detail === `Observation/${id}`),
    'the delete is audited');
});

test('search by patient, subject, _id and _lastUpdated pages by key, includes the Patient and counts', async () => {
  const token = await login('coordinator');
  const patient = await createPatient(token);
  const other = await createPatient(token);
  const ids = [];
  for (let i = 0; i < 5; i++) {
    const res = await api('POST', `${FHIR}/Observation`, heartRate(i < 4 ? patient.id : other.id, 60 + i), token);
    assert.equal(res.status, 201, res.text);
    ids.push(res.body.id);
  }
  const condition = await api('POST', `${FHIR}/Condition`, {
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { text: 'Hypertension' },
    subject: { reference: `Patient/${patient.id}` },
  }, token);
  assert.equal(condition.status, 201, condition.text);

  const { seen, first, pages } = await allPages('Observation', `patient=${patient.id}&_count=3`);
  assert.deepEqual(seen.map((r) => r.id), ids.slice(0, 4), 'in the order stored');
  assert.equal(pages, 2);
  assert.equal(first.total, 4);
  seen.forEach(assertValid);

  const bySubject = await fhirGet(`/Observation?subject=Patient/${other.id}&_include=Observation:subject`);
  assert.equal(bySubject.status, 200, bySubject.text);
  assertValid(bySubject.body);
  assert.deepEqual(bySubject.body.entry.map((e) => [e.search.mode, e.resource.resourceType, e.resource.id]),
    [['match', 'Observation', ids[4]], ['include', 'Patient', String(other.id)]]);

  const byId = await fhirGet(`/Observation?_id=${ids[1]},${ids[3]}&_summary=count`);
  assert.equal(byId.status, 200, byId.text);
  assert.equal(byId.body.total, 2);
  assert.equal(byId.body.entry, undefined);

  const later = await fhirGet(`/Condition?patient=${patient.id}&_lastUpdated=ge${new Date(Date.now() - 3_600_000).toISOString()}`);
  assert.equal(later.status, 200, later.text);
  assert.deepEqual(later.body.entry.map((e) => e.resource.id), [condition.body.id]);
  const none = await fhirGet(`/Condition?patient=${patient.id}&_lastUpdated=lt2000-01-01`);
  assert.equal(none.body.total, 0);

  const ignored = await fhirGet(`/Observation?patient=${patient.id}&code=8867-4`);
  assert.equal(ignored.status, 200, ignored.text);
  const outcome = ignored.body.entry.find((e) => e.search.mode === 'outcome');
  assert.match(outcome.resource.issue[0].diagnostics, /code/);
  expectOutcome(await fhirGet('/Observation?_lastUpdated=yesterday'), 400, 'invalid', '_lastUpdated');
  expectOutcome(await fhirGet('/Observation?_count=-1'), 400, 'invalid', '_count');

  const events = await auditEvents({ patient: other.id });
  assert.ok(events.some((e) => e.action === 'search' && e.category === 'clinical'), 'a search showing the patient\'s data is audited');
});

test('conditional create, resources about no patient, scopes and the CapabilityStatement', async () => {
  const token = await login('coordinator');
  const patient = await createPatient(token);
  const id = `bp-${uid()}`;
  await api('PUT', `${FHIR}/Observation/${id}`, { ...heartRate(patient.id), id }, token);
  const existing = await api('POST', `${FHIR}/Observation`, heartRate(patient.id), token, { headers: { 'if-none-exist': `_id=${id}` } });
  assert.equal(existing.status, 200, existing.text);
  assert.equal(existing.body.id, id);
  const fresh = await api('POST', `${FHIR}/Observation`, heartRate(patient.id), token, { headers: { 'if-none-exist': `_id=none-${uid()}` } });
  assert.equal(fresh.status, 201, fresh.text);
  expectOutcome(await api('POST', `${FHIR}/Observation`, heartRate(patient.id), token, { headers: { 'if-none-exist': `patient=${patient.id}` } }),
    412, 'duplicate', 'If-None-Exist');
  expectOutcome(await api('POST', `${FHIR}/Observation`, heartRate(patient.id), token, { headers: { 'if-none-exist': 'code=1' } }),
    400, 'invalid', 'If-None-Exist');

  const org = await api('POST', `${FHIR}/Organization`, {
    resourceType: 'Organization', name: `Clinic ${uid()}`,
    identifier: [{ system: 'https://github.com/synthetichealth/synthea', value: uid() }],
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] }],
  }, token);
  assert.equal(org.status, 201, org.text);
  assertValid(org.body);
  assert.deepEqual((await fhirGet(`/Organization/${org.body.id}`, 'billing')).body, org.body);

  const admin = await login('admin');
  const issue = async (scope) => {
    const res = await api('POST', '/api/v1/system-tokens', { username: usernameOf('coordinator'), scope }, admin);
    assert.equal(res.status, 201, res.text);
    return res.body.token;
  };
  const patientsOnly = await issue('system/Patient.read');
  expectOutcome(await api('GET', `${FHIR}/Observation/${id}`, undefined, patientsOnly), 403, 'forbidden');
  const observations = await issue('system/Observation.read');
  assert.equal((await api('GET', `${FHIR}/Observation/${id}`, undefined, observations)).status, 200);
  expectOutcome(await api('DELETE', `${FHIR}/Observation/${id}`, undefined, observations), 403, 'forbidden');

  const metadata = await api('GET', `${FHIR}/metadata`);
  assertValid(metadata.body);
  const resources = metadata.body.rest[0].resource;
  const observation = resources.find((r) => r.type === 'Observation');
  assert.ok(observation, 'Observation is declared');
  assert.deepEqual(observation.interaction.map((i) => i.code).sort(),
    ['create', 'delete', 'history-instance', 'read', 'search-type', 'update', 'vread']);
  assert.ok(resources.some((r) => r.type === 'Organization'));
  assert.equal(resources.filter((r) => r.type === 'Patient').length, 1, 'each type once');
});

test('caredesk import fhir loads Synthea bundles into the running server\'s database, served back by FHIR', async () => {
  const bin = requireEnv('CAREDESK_BIN', 'the caredesk binary under test');
  const db = requireEnv('CAREDESK_DB', 'the database the server uses');
  const data = requireEnv('CAREDESK_DATA_DIR', 'the shared test data, with synthea_fhir_r4');
  const bundles = path.join(data, 'synthea_fhir_r4', 'bundles');
  assert.ok(fs.existsSync(bundles), `the Synthea bundles are missing: ${bundles}`);
  const file = fs.readdirSync(bundles).filter((f) => f.endsWith('.json')).sort()[0];
  const bundle = JSON.parse(fs.readFileSync(path.join(bundles, file), 'utf8'));
  const sentPatient = bundle.entry.find((e) => e.resource.resourceType === 'Patient').resource;
  const sentObservation = bundle.entry.find((e) => e.resource.resourceType === 'Observation').resource;
  const sentEncounters = bundle.entry.filter((e) => e.resource.resourceType === 'Encounter').map((e) => e.resource);
  const sentOf = (type, urn) => bundle.entry.find((e) => e.fullUrl === urn && e.resource.resourceType === type).resource;

  const r = await run(bin, ['import', 'fhir', '--db', db, path.join(bundles, file)], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, `import exits 0:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /read \d+ resources; wrote \d+ in [\d.]+ s \(\d+ resources\/s\)/);
  assert.match(r.stdout, /patients: [01] created/);
  assert.match(r.stdout, new RegExp(`  Encounter: ${sentEncounters.length}\\n`), r.stdout);
  assert.match(r.stdout, /  Practitioner: \d+\n/, r.stdout);

  // The patient is a CareDesk patient, found by the identifier Synthea gave it.
  const synthea = sentPatient.identifier.find((i) => i.system === 'https://github.com/synthetichealth/synthea');
  const found = await fhirGet(`/Patient?identifier=${encodeURIComponent(`${synthea.system}|${synthea.value}`)}`);
  assert.equal(found.status, 200, found.text);
  assert.equal(found.body.total, 1, found.text.slice(0, 500));
  const patient = found.body.entry[0].resource;
  assertValid(patient);
  assert.equal(patient.name[0].family, sentPatient.name[0].family);
  assert.deepEqual(patient.extension, sentPatient.extension, 'what CareDesk does not model is kept as sent');

  // The Observation is served back as sent, its subject now the CareDesk patient.
  const observation = await fhirGet(`/Observation/${sentObservation.id}`);
  assert.equal(observation.status, 200, observation.text);
  assertValid(observation.body);
  assert.equal(observation.body.subject.reference, `Patient/${patient.id}`);
  assert.deepEqual(observation.body.code, sentObservation.code);
  const theirs = await fhirGet(`/Observation?patient=${patient.id}&_summary=count`);
  assert.equal(theirs.body.total, bundle.entry.filter((e) => e.resource.resourceType === 'Observation').length);

  // The encounters are CareDesk's visits of the patient: finished, at the location made for the organization
  // that provided them, with the practitioner, a CareDesk provider; what CareDesk does not model as sent.
  const page = await fhirGet(`/Encounter?patient=${patient.id}&_count=100&_include=Encounter:practitioner&_include=Encounter:location`);
  assert.equal(page.status, 200, page.text);
  assertValid(page.body);
  assert.ok(!page.body.link.some((l) => l.relation === 'next'), 'one page holds them');
  const encounters = page.body.entry.filter((e) => e.search.mode === 'match').map((e) => e.resource);
  const visits = page.body.entry.filter((e) => e.search.mode === 'include').map((e) => e.resource);
  assert.equal(encounters.length, sentEncounters.length);
  const sent = sentEncounters.find((e) => e.reasonCode) ?? sentEncounters[0];
  const visit = encounters.find((e) => e.period.start === sent.period.start && e.period.end === sent.period.end);
  assert.ok(visit, `the encounter of ${sent.period.start} is served`);
  assertValid(visit);
  assert.equal(visit.status, 'finished');
  assert.deepEqual(visit.class, sent.class);
  assert.deepEqual(visit.type, sent.type);
  assert.deepEqual(visit.reasonCode, sent.reasonCode);
  assert.equal(visit.subject.reference, `Patient/${patient.id}`);
  assert.match(visit.location[0].location.reference, /^Location\/\d+$/);
  assert.equal(visit.serviceProvider.reference, `Organization/${sentOf('Organization', sent.serviceProvider.reference).id}`);
  const location = visits.find((r) => r.resourceType === 'Location' && `Location/${r.id}` === visit.location[0].location.reference);
  assert.ok(location, 'the location is included');
  assert.equal(location.name, sentOf('Organization', sent.serviceProvider.reference).name);
  // The patient page lists the same visits, the latest first, with when each ended.
  const listed = await api('GET', `/api/v1/patients/${patient.id}/encounters`, undefined, await login('coordinator'));
  assert.equal(listed.status, 200, listed.text);
  assert.equal(listed.body.items.length, sentEncounters.length);
  const starts = listed.body.items.map((v) => Date.parse(v.arrived_at));
  assert.deepEqual(starts, [...starts].sort((a, b) => b - a), 'the latest first');
  const row = listed.body.items.find((v) => String(v.id) === visit.id);
  assert.equal(row.state, 'completed');
  assert.equal(Date.parse(row.ended_at), Date.parse(sent.period.end));
  const sentPractitioner = sentOf('Practitioner', sent.participant[0].individual.reference);
  assert.match(visit.participant[0].individual.reference, /^Practitioner\/\d+$/);
  const practitioner = await fhirGet(`/${visit.participant[0].individual.reference}`);
  assert.equal(practitioner.status, 200, practitioner.text);
  assertValid(practitioner.body);
  assert.deepEqual(practitioner.body.identifier, sentPractitioner.identifier, 'the NPI as sent');
  assert.deepEqual(practitioner.body.name, sentPractitioner.name);
  assert.deepEqual(visits.find((r) => r.resourceType === 'Practitioner' && r.id === practitioner.body.id)?.identifier,
    sentPractitioner.identifier, 'an included practitioner is served as a read serves it');
  // The observations of the visit refer to CareDesk's encounter.
  const sentObservationOfVisit = bundle.entry.find((e) => e.resource.resourceType === 'Observation' &&
    e.resource.encounter?.reference === bundle.entry.find((x) => x.resource.id === sent.id).fullUrl);
  if (sentObservationOfVisit) {
    const o = await fhirGet(`/Observation/${sentObservationOfVisit.resource.id}`);
    assert.equal(o.body.encounter.reference, `Encounter/${visit.id}`);
  }

  // Importing it again creates nobody twice.
  const again = await run(bin, ['import', 'fhir', '--db', db, path.join(bundles, file)], { timeoutMs: 120_000 });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /patients: 0 created, 1 matched by identifier and updated/);
  assert.doesNotMatch(again.stdout, /  Location: /, 'no location made twice');
  assert.equal((await fhirGet(`/Patient?identifier=${encodeURIComponent(`${synthea.system}|${synthea.value}`)}`)).body.total, 1);
  assert.equal((await fhirGet(`/Encounter?patient=${patient.id}&_summary=count`)).body.total, sentEncounters.length,
    'no encounter twice');

  const missing = await run(bin, ['import', 'fhir', '--db', db, path.join(bundles, 'no-such-file.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such-file\.json is neither a file nor a directory/);
});

test('$import takes ndjson larger than the usual body limit, imports it as a job and reports what it wrote', async () => {
  const data = requireEnv('CAREDESK_DATA_DIR', 'the shared test data, with synthea_fhir_r4');
  const ndjson = path.join(data, 'synthea_fhir_r4', 'ndjson');
  const admin = await login('admin');
  const importFile = async (file) => {
    const body = fs.readFileSync(path.join(ndjson, file));
    const kick = await api('POST', `${FHIR}/$import`, body, admin, { headers: { 'content-type': 'application/fhir+ndjson' } });
    assert.equal(kick.status, 202, kick.text);
    const status = new URL(kick.headers.get('content-location'));
    assert.match(status.pathname, /\/fhir\/R4\/\$import-status\/[A-Za-z0-9_-]+$/);
    for (let i = 0; i < 600; i++) {
      const res = await api('GET', status.pathname, undefined, admin);
      if (res.status === 202) {
        assert.match(res.headers.get('x-progress') ?? '', /^(reading|patients|practitioners|encounters|resources|coverages): \d+ of \d+$/);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      assert.equal(res.status, 200, res.text);
      return { report: res.body, status: status.pathname };
    }
    assert.fail(`the import of ${file} did not finish within a minute`);
  };
  const size = fs.statSync(path.join(ndjson, 'Patient.ndjson')).size;
  assert.ok(size > 1 << 20, 'the file is larger than the default body limit');
  const patients = await importFile('Patient.ndjson');
  assert.equal(patients.report.read, 615);
  assert.equal(patients.report.patientsCreated + patients.report.patientsUpdated, 615);
  assert.deepEqual(patients.report.output, [{ type: 'Patient', count: 615 }]);
  assert.equal(patients.report.refused, 0, JSON.stringify(patients.report.error));

  // Another file, another import: its references find the patients through the names kept by the first.
  const conditions = await importFile('Condition.ndjson');
  assert.deepEqual(conditions.report.output, [{ type: 'Condition', count: 1472 }]);
  const first = JSON.parse(fs.readFileSync(path.join(ndjson, 'Condition.ndjson'), 'utf8').split('\n')[0]);
  const read = await fhirGet(`/Condition/${first.id}`);
  assert.equal(read.status, 200, read.text);
  assertValid(read.body);
  assert.match(read.body.subject.reference, /^Patient\/\d+$/, 'the urn:uuid became the CareDesk patient');
  const patientId = read.body.subject.reference.split('/')[1];
  const theirs = await fhirGet(`/Condition?patient=${patientId}&_summary=count`);
  assert.ok(theirs.body.total >= 1);

  expectOutcome(await api('GET', patients.status, undefined, await login('manager')), 404, 'not-found');
  assert.equal((await api('DELETE', patients.status, undefined, admin)).status, 204);
  expectOutcome(await api('GET', patients.status, undefined, admin), 404, 'not-found');
  expectOutcome(await api('POST', `${FHIR}/$import`, '', admin, { headers: { 'content-type': 'application/fhir+ndjson' } }), 400, 'invalid', 'body');
  // A body with nothing readable in it is the client's error when the job answers, not the server's.
  const garbage = await api('POST', `${FHIR}/$import`, 'not json\n{"resourceType":\n', admin, { headers: { 'content-type': 'application/fhir+ndjson' } });
  assert.equal(garbage.status, 202, garbage.text);
  const garbageStatus = new URL(garbage.headers.get('content-location')).pathname;
  let answer;
  for (let i = 0; i < 100; i++) {
    answer = await api('GET', garbageStatus, undefined, admin);
    if (answer.status !== 202) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const issue = expectOutcome(answer, 400, 'invalid', 'body');
  assert.match(issue.diagnostics, /the import failed: no resource could be read: input\.ndjson:1: not JSON/);
  assert.equal((await api('DELETE', garbageStatus, undefined, admin)).status, 204);
  expectOutcome(await api('POST', `${FHIR}/$import`, 'a,b', admin, { headers: { 'content-type': 'text/csv' } }), 400, 'invalid', 'Content-Type');
  expectOutcome(await api('POST', `${FHIR}/$import`, '{}', await login('coordinator'), { headers: { 'content-type': 'application/fhir+ndjson' } }), 403, 'forbidden');
  const tooLarge = await api('POST', `${FHIR}/Observation`, fs.readFileSync(path.join(ndjson, 'Patient.ndjson')), admin,
    { headers: { 'content-type': 'application/fhir+json' } });
  assert.equal(tooLarge.status, 413, 'other paths keep the usual limit');
});
