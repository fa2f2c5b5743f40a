// FHIR R4 Coverage: a patient's insurance as registered, read and searched through /fhir/R4, checked against
// the official R4 JSON schema; ids that outlive updates of the patient; _include, Patient's _revinclude,
// paging by key, SMART scopes and the audit trail; create, update and delete through FHIR.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FHIR, allPages, assertValid, expectOutcome, fhirGet } from './fhir_lib.mjs';
import { api, auditEvents, createPatient, expectStatus, login, randomSurname, usernameOf } from './lib.mjs';

/** A patient with an Aetna coverage (self, group G-<tag>) and a Medicaid one (child). */
async function insured() {
  const tag = randomSurname(6);
  const patient = await createPatient(await login('coordinator'), {
    coverages: [
      { payer: 'Aetna', member_id: `AET-${tag}`, group_number: `G-${tag}`, relationship: 'self', start_date: '2025-01-01' },
      { payer: 'Medicaid', member_id: `MCD-${tag}`, relationship: 'child', start_date: '2024-06-01', end_date: '2026-12-31' },
    ],
  });
  return { patient, tag };
}

test('a registered coverage is a Coverage: read, valid, and audited as the patient\'s coverage data', async () => {
  const { patient, tag } = await insured();
  const [aetna, medicaid] = patient.coverages;
  const res = await fhirGet(`/Coverage/${aetna.id}`);
  assert.equal(res.status, 200, res.text);
  const c = res.body;
  assertValid(c);
  assert.equal(c.resourceType, 'Coverage');
  assert.equal(c.id, String(aetna.id));
  assert.equal(c.status, 'active');
  assert.equal(c.beneficiary.reference, `Patient/${patient.id}`);
  assert.equal(c.subscriber.reference, `Patient/${patient.id}`);
  assert.equal(c.subscriberId, `AET-${tag}`);
  assert.deepEqual(c.identifier[0], { use: 'official', system: 'urn:caredesk:coverage-member-id', value: `AET-${tag}` });
  assert.equal(c.payor[0].display, 'Aetna');
  assert.equal(c.class[0].value, `G-${tag}`);
  assert.deepEqual(c.period, { start: '2025-01-01' });
  const child = (await fhirGet(`/Coverage/${medicaid.id}`)).body;
  assertValid(child);
  assert.equal(child.relationship.coding[0].code, 'child');
  assert.equal(child.subscriber, undefined);
  assert.deepEqual(child.period, { start: '2024-06-01', end: '2026-12-31' });

  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.some((e) => e.action === 'read' && e.category === 'coverage' && e.user === usernameOf('coordinator')),
    'the read is audited');
  expectOutcome(await fhirGet('/Coverage/999999999'), 404, 'not-found');
  expectOutcome(await fhirGet('/Coverage/abc'), 404, 'not-found');
  expectOutcome(await fhirGet(`/Coverage/${aetna.id}`, null), 401, 'login');
  expectOutcome(await api('PATCH', `${FHIR}/Coverage/${aetna.id}`, '[]', await login('coordinator')), 405, 'not-supported');
});

test('a coverage keeps its id when its patient is updated, and one removed is gone', async () => {
  const { patient, tag } = await insured();
  const token = await login('coordinator');
  const [aetna, medicaid] = patient.coverages;
  const changed = expectStatus(await api('PUT', `/api/v1/patients/${patient.id}`, {
    given_name: patient.given_name,
    family_name: patient.family_name,
    birth_date: patient.birth_date,
    sex: patient.sex,
    phone: patient.phone,
    coverages: [{ ...aetna, group_number: 'G-NEW' }],
  }, token), 200);
  assert.equal(changed.coverages.length, 1);
  assert.equal(changed.coverages[0].id, aetna.id);
  const read = await fhirGet(`/Coverage/${aetna.id}`);
  assert.equal(read.body.class[0].value, 'G-NEW');
  expectOutcome(await fhirGet(`/Coverage/${medicaid.id}`), 404, 'not-found');
  const left = await fhirGet(`/Coverage?identifier=MCD-${tag}`);
  assert.equal(left.body.total, 0);
});

test('Coverage search: by patient, identifier, class-value and payor, with _include, _summary and paging', async () => {
  const { patient, tag } = await insured();
  const other = await insured();
  const byPatient = await fhirGet(`/Coverage?patient=Patient/${patient.id}&_include=Coverage:beneficiary`);
  assert.equal(byPatient.status, 200, byPatient.text);
  assertValid(byPatient.body);
  const matches = byPatient.body.entry.filter((e) => e.search.mode === 'match').map((e) => e.resource);
  assert.deepEqual(matches.map((r) => r.payor[0].display), ['Aetna', 'Medicaid']);
  assert.equal(byPatient.body.total, 2);
  const included = byPatient.body.entry.filter((e) => e.search.mode === 'include').map((e) => e.resource);
  assert.deepEqual(included.map((r) => `${r.resourceType}/${r.id}`), [`Patient/${patient.id}`]);

  const byId = await fhirGet(`/Coverage?identifier=urn:caredesk:coverage-member-id|MCD-${tag}`);
  assert.deepEqual(byId.body.entry.map((e) => e.resource.beneficiary.reference), [`Patient/${patient.id}`]);
  const elsewhere = await fhirGet(`/Coverage?identifier=http://payer.example|MCD-${tag}`);
  assert.equal(elsewhere.body.total, 0);
  const byGroup = await fhirGet(`/Coverage?class-value=G-${other.tag}&payor=Aetna`);
  assert.deepEqual(byGroup.body.entry.map((e) => e.resource.beneficiary.reference), [`Patient/${other.patient.id}`]);
  const counted = await fhirGet(`/Coverage?beneficiary=${patient.id},${other.patient.id}&_summary=count`);
  assert.equal(counted.body.total, 4);
  assert.equal(counted.body.entry, undefined);

  const { seen, pages } = await allPages('Coverage', `patient=${patient.id},${other.patient.id}&_count=1`);
  assert.equal(pages, 4);
  assert.deepEqual(seen.map((r) => Number(r.id)), [...seen.map((r) => Number(r.id))].sort((a, b) => a - b));
  const descending = await fhirGet(`/Coverage?patient=${patient.id}&_sort=-_id`);
  assert.deepEqual(descending.body.entry.map((e) => e.resource.payor[0].display), ['Medicaid', 'Aetna']);

  expectOutcome(await fhirGet('/Coverage?status=lapsed'), 400, 'invalid', 'status');
  expectOutcome(await fhirGet('/Coverage?_sort=date'), 400, 'invalid', '_sort');
  assert.equal((await fhirGet(`/Coverage?patient=${patient.id}&status=draft`)).body.total, 0);
});

test('Patient search brings in the patients\' coverages with _revinclude, each audited', async () => {
  const { patient } = await insured();
  const res = await fhirGet(`/Patient?_id=${patient.id}&_revinclude=Coverage:patient`);
  assert.equal(res.status, 200, res.text);
  assertValid(res.body);
  const coverages = res.body.entry.filter((e) => e.search.mode === 'include').map((e) => e.resource);
  assert.deepEqual(coverages.map((r) => r.resourceType), ['Coverage', 'Coverage']);
  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.some((e) => e.action === 'search' && e.category === 'coverage'), 'the coverages shown are audited');
});

test('a system token needs a Coverage scope to read coverages', async () => {
  const { patient } = await insured();
  const admin = await login('admin');
  const issued = expectStatus(await api('POST', '/api/v1/system-tokens',
    { username: usernameOf('coordinator'), scope: 'system/Patient.read' }, admin), 201);
  const get = (path) => api('GET', `${FHIR}${path}`, undefined, issued.token);
  const refused = expectOutcome(await get(`/Coverage/${patient.coverages[0].id}`), 403, 'forbidden');
  assert.match(refused.diagnostics, /Coverage\.read/);
  const rev = await get(`/Patient?_id=${patient.id}&_revinclude=Coverage:patient`);
  assert.equal(rev.status, 200, rev.text);
  assert.equal(rev.body.entry.filter((e) => e.search.mode === 'include').length, 0);
  const wide = expectStatus(await api('POST', '/api/v1/system-tokens',
    { username: usernameOf('coordinator'), scope: 'system/Coverage.read' }, admin), 201);
  assert.equal((await api('GET', `${FHIR}/Coverage?patient=${patient.id}`, undefined, wide.token)).status, 200);
});

test('Coverage create, update and delete through FHIR change the patient\'s record, serve back what was sent, and refuse what CareDesk cannot take', async () => {
  const coord = await login('coordinator');
  const patient = await createPatient(coord);
  const tag = randomSurname(6);
  const sent = {
    resourceType: 'Coverage',
    extension: [{ url: 'urn:e2e:plan', valueString: 'gold' }],
    status: 'active',
    subscriberId: `BCX-${tag}`,
    beneficiary: { reference: `Patient/${patient.id}` },
    relationship: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: 'spouse' }] },
    period: { start: '2026-01-01', end: '2026-12-31' },
    payor: [{ display: 'Blue Cross' }],
    class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'group' }] }, value: `G-${tag}` }],
  };
  const fhirJson = { headers: { 'content-type': 'application/fhir+json' } };
  const created = await api('POST', `${FHIR}/Coverage`, sent, coord, fhirJson);
  assert.equal(created.status, 201, created.text);
  assertValid(created.body);
  const id = created.body.id;
  assert.match(created.headers.get('location') ?? '', new RegExp(`/fhir/R4/Coverage/${id}$`));
  assert.deepEqual(created.body.extension, sent.extension, 'what CareDesk does not model is kept');

  const record = expectStatus(await api('GET', `/api/v1/patients/${patient.id}`, undefined, coord), 200);
  const coverage = record.coverages.find((c) => String(c.id) === id);
  assert.ok(coverage, JSON.stringify(record.coverages));
  assert.equal(coverage.payer, 'Blue Cross');
  assert.equal(coverage.member_id, `BCX-${tag}`);
  assert.equal(coverage.group_number, `G-${tag}`);
  assert.equal(coverage.relationship, 'spouse');

  const read = await fhirGet(`/Coverage/${id}`);
  assert.equal(read.status, 200, read.text);
  assertValid(read.body);
  assert.deepEqual(read.body.extension, sent.extension);
  assert.deepEqual(read.body.period, sent.period);
  const found = await fhirGet(`/Coverage?patient=${patient.id}`);
  assert.deepEqual(found.body.entry.map((e) => e.resource.extension), [sent.extension], 'the search serves it as sent too');

  const changed = { ...sent, id, subscriberId: `BCY-${tag}` };
  const updated = await api('PUT', `${FHIR}/Coverage/${id}`, changed, coord, fhirJson);
  assert.equal(updated.status, 200, updated.text);
  assert.equal(updated.body.id, id, 'the coverage keeps its id');
  assert.equal(updated.body.subscriberId, `BCY-${tag}`);
  expectOutcome(await api('PUT', `${FHIR}/Coverage/${id}`, changed, coord, { headers: { ...fhirJson.headers, 'if-match': 'W/"1"' } }),
    400, 'invalid', 'If-Match');
  expectOutcome(await api('PUT', `${FHIR}/Coverage/${id}`, { ...changed, id: '1' }, coord, fhirJson), 400, 'invalid', 'id');
  expectOutcome(await api('PUT', `${FHIR}/Coverage/999999999`, { ...changed, id: '999999999' }, coord, fhirJson), 404, 'not-found');

  expectOutcome(await api('POST', `${FHIR}/Coverage`, { ...sent, status: 'cancelled' }, coord, fhirJson), 422, 'processing', 'Coverage.status');
  expectOutcome(await api('POST', `${FHIR}/Coverage`, { ...sent, beneficiary: { reference: 'Patient/999999999' } }, coord, fhirJson),
    422, 'processing', 'Coverage.beneficiary');
  expectOutcome(await api('POST', `${FHIR}/Coverage`, { ...sent, payor: [] }, coord, fhirJson), 422, 'processing', 'Coverage.payor');
  expectOutcome(await api('POST', `${FHIR}/Coverage`, { ...sent, subscriberId: `BCY-${tag}` }, coord, fhirJson),
    409, 'conflict', 'Coverage.subscriberId');
  expectOutcome(await api('POST', `${FHIR}/Coverage`, sent, await login('auditor'), fhirJson), 403, 'forbidden');

  const deleted = await api('DELETE', `${FHIR}/Coverage/${id}`, undefined, coord);
  assert.equal(deleted.status, 204, deleted.text);
  expectOutcome(await fhirGet(`/Coverage/${id}`), 404, 'not-found');
  const after = expectStatus(await api('GET', `/api/v1/patients/${patient.id}`, undefined, coord), 200);
  assert.equal(after.coverages.some((c) => String(c.id) === id), false);
  expectOutcome(await api('DELETE', `${FHIR}/Coverage/${id}`, undefined, coord), 404, 'not-found');
});
