// FHIR Bulk Data export: the asynchronous kick-off, status polling and ndjson files, at system and Patient
// level, with _type and _since; every exported resource checked against the R4 JSON schema; who may export;
// the export's reads audited.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FHIR, assertValid, expectOutcome, fhirGet } from './fhir_lib.mjs';
import { api, auditEvents, baseUrl, book, clinicSlots, createClinic, createPatient, login, sleep } from './lib.mjs';

/** Kicks off an export as `role` and polls it to its manifest; returns { manifest, status, progress }. */
async function exportAll(path, role = 'admin') {
  const token = await login(role);
  const kick = await api('GET', `${FHIR}${path}`, undefined, token, { headers: { prefer: 'respond-async' } });
  assert.equal(kick.status, 202, kick.text);
  const status = new URL(kick.headers.get('content-location'));
  assert.match(status.pathname, /\/fhir\/R4\/\$export-status\/[A-Za-z0-9_-]+$/);
  for (let i = 0; i < 600; i++) {
    const res = await api('GET', status.pathname, undefined, token);
    if (res.status === 202) {
      assert.match(res.headers.get('x-progress') ?? '', /resources written/);
      await sleep(100);
      continue;
    }
    assert.equal(res.status, 200, res.text);
    return { manifest: res.body, status: status.pathname, token };
  }
  assert.fail('the export did not finish within a minute');
}

async function lines(url, token) {
  const u = new URL(url);
  const res = await api('GET', u.pathname, undefined, token);
  assert.equal(res.status, 200, res.text.slice(0, 300));
  assert.match(res.headers.get('content-type') ?? '', /^application\/fhir\+ndjson/);
  return res.text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
}

test('a system export writes one ndjson file per type with every resource, valid R4, and the manifest says so', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const [slot] = await clinicSlots(clinic, { days: 2, limit: 1 });
  const appt = await book(clinic, patient.id, slot);
  const { manifest, token } = await exportAll('/$export?_type=Patient,Practitioner,Location,Schedule,Appointment');
  assert.equal(manifest.requiresAccessToken, true);
  assert.ok(manifest.transactionTime);
  assert.match(manifest.request, /\/fhir\/R4\/\$export\?_type=/);
  assert.deepEqual(manifest.output.map((o) => o.type), ['Patient', 'Practitioner', 'Location', 'Schedule', 'Appointment']);
  for (const out of manifest.output) {
    assert.ok(out.url.startsWith(`${baseUrl()}${FHIR}/$export-file/`), out.url);
    const resources = await lines(out.url, token);
    assert.equal(resources.length, out.count, `${out.type}: the manifest's count`);
    for (const r of resources.slice(0, 200)) {
      assert.equal(r.resourceType, out.type);
      assertValid(r);
    }
    const ids = resources.map((r) => r.id);
    if (out.type === 'Patient') assert.ok(ids.includes(String(patient.id)), 'the new patient is exported');
    if (out.type === 'Appointment') assert.ok(ids.includes(String(appt.id)), 'the new booking is exported');
    if (out.type === 'Location') assert.ok(ids.includes(String(clinic.location.id)));
  }
  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.some((e) => e.user === 'admin' || e.role === 'admin'), 'the export read of the patient is audited');
});

test('_since exports what changed after it; Patient level exports the compartment', async () => {
  const coverage = (tag) => ({ coverages: [{ payer: 'Aetna', member_id: `EXP-${tag}`, relationship: 'self' }] });
  const before = await createPatient(undefined, coverage('before'));
  await sleep(20);
  const since = new Date().toISOString();
  await sleep(20);
  const after = await createPatient(undefined, coverage('after'));
  const { manifest, token } = await exportAll(`/Patient/$export?_type=Patient,Coverage&_since=${encodeURIComponent(since)}`);
  const patients = await lines(manifest.output[0].url, token);
  const ids = patients.map((p) => p.id);
  assert.ok(ids.includes(String(after.id)), 'the patient registered after _since');
  assert.ok(!ids.includes(String(before.id)), 'not the one registered before');
  assert.equal(manifest.output[1].type, 'Coverage');
  const coverages = await lines(manifest.output[1].url, token);
  for (const c of coverages) assertValid(c);
  const holders = coverages.map((c) => c.beneficiary.reference);
  assert.ok(holders.includes(`Patient/${after.id}`), 'the coverage of the patient changed after _since');
  assert.ok(!holders.includes(`Patient/${before.id}`), 'not that of the one before');
  // The compartment: patients, their visits and coverages, and the resources kept as sent that are about a
  // patient; never the set-up, nor what is about no patient.
  const all = await exportAll('/Patient/$export');
  const types = all.manifest.output.map((o) => o.type);
  assert.ok(types.includes('Patient'), `types: ${types}`);
  assert.deepEqual(types.filter((t) => ['Practitioner', 'PractitionerRole', 'Location', 'Schedule', 'HealthcareService', 'Organization'].includes(t)), []);
});

test('export refusals: who may not, bad parameters, other users\' jobs, deleted jobs', async () => {
  expectOutcome(await fhirGet('/$export', 'coordinator'), 403, 'forbidden');
  expectOutcome(await fhirGet('/$export?_type=Observations', 'admin'), 400, 'invalid', '_type');
  expectOutcome(await fhirGet('/Patient/$export?_type=Practitioner', 'admin'), 400, 'invalid', '_type');
  expectOutcome(await fhirGet('/$export?_since=yesterday', 'admin'), 400, 'invalid', '_since');
  expectOutcome(await fhirGet('/$export?_outputFormat=text/csv', 'admin'), 400, 'invalid', '_outputFormat');
  const { status, manifest } = await exportAll('/$export?_type=Location');
  expectOutcome(await fhirGet(status.replace('/fhir/R4', ''), 'manager'), 404, 'not-found');
  const fileUrl = new URL(manifest.output[0].url);
  expectOutcome(await api('GET', fileUrl.pathname, undefined, await login('manager')), 404, 'not-found');
  const admin = await login('admin');
  const deleted = await api('DELETE', status, undefined, admin);
  assert.equal(deleted.status, 202, deleted.text);
  expectOutcome(await api('GET', status, undefined, admin), 404, 'not-found');
  expectOutcome(await api('GET', fileUrl.pathname, undefined, admin), 404, 'not-found');
});

test('the types kept as sent are exported too: at system level all of them, at Patient level those about a patient', async () => {
  const coordinator = await login('coordinator');
  const patient = await createPatient(coordinator);
  const since = new Date(Date.now() - 1000).toISOString();
  const observation = await api('POST', `${FHIR}/Observation`, {
    resourceType: 'Observation', status: 'final', code: { text: 'Heart rate' },
    subject: { reference: `Patient/${patient.id}` }, valueQuantity: { value: 64, unit: '/min' },
  }, coordinator);
  assert.equal(observation.status, 201, observation.text);
  const org = await api('POST', `${FHIR}/Organization`, { resourceType: 'Organization', name: 'Export Org' }, coordinator);
  assert.equal(org.status, 201, org.text);

  const system = await exportAll('/$export');
  const types = system.manifest.output.map((o) => o.type);
  assert.ok(types.includes('Observation') && types.includes('Organization'), `types exported: ${types}`);
  const exported = await lines(system.manifest.output.find((o) => o.type === 'Observation').url, system.token);
  const mine = exported.find((r) => r.id === observation.body.id);
  assert.deepEqual(mine, observation.body, 'exported as read');
  exported.slice(0, 50).forEach(assertValid);

  const compartment = await exportAll(`/Patient/$export?_since=${encodeURIComponent(since)}`);
  const compartmentTypes = compartment.manifest.output.map((o) => o.type);
  assert.ok(compartmentTypes.includes('Observation'), `types exported: ${compartmentTypes}`);
  assert.ok(!compartmentTypes.includes('Organization'), 'an Organization is about no patient');

  const only = await exportAll('/$export?_type=Organization');
  assert.deepEqual(only.manifest.output.map((o) => o.type), ['Organization']);
  assert.ok((await lines(only.manifest.output[0].url, only.token)).some((r) => r.id === org.body.id));
});

test('a location\'s and a provider\'s patients are Groups: read, listed, and exported at Group level', async () => {
  const clinic = await createClinic({ providers: 2 });
  const [booked, walkedIn, elsewhere] = [await createPatient(), await createPatient(), await createPatient()];
  const [slot] = await clinicSlots(clinic, { provider: clinic.providers[0].id, days: 2, limit: 1 });
  const appt = await book(clinic, booked.id, slot);
  const coord = await login('coordinator');
  const walkIn = await api('POST', '/api/v1/encounters', { patient_id: walkedIn.id, location_id: clinic.location.id }, coord);
  assert.equal(walkIn.status, 201, walkIn.text);

  // The groups: how many patients each has, and what they share.
  const location = await fhirGet(`/Group/location-${clinic.location.id}`);
  assert.equal(location.status, 200, location.text);
  assertValid(location.body);
  assert.equal(location.body.quantity, 2);
  assert.equal(location.body.type, 'person');
  assert.equal(location.body.characteristic[0].valueReference.reference, `Location/${clinic.location.id}`);
  assert.equal((await fhirGet(`/Group/provider-${clinic.providers[0].id}`)).body.quantity, 1);
  assert.equal((await fhirGet(`/Group/provider-${clinic.providers[1].id}`)).body.quantity, 0);
  const listed = await fhirGet(`/Group?_id=location-${clinic.location.id},provider-${clinic.providers[0].id}`);
  assert.equal(listed.status, 200, listed.text);
  assertValid(listed.body);
  assert.equal(listed.body.total, 2);
  assert.deepEqual(listed.body.entry.map((e) => e.resource.id), [`location-${clinic.location.id}`, `provider-${clinic.providers[0].id}`]);
  const all = await fhirGet('/Group?_summary=count');
  assert.ok(all.body.total >= 3, 'every location and provider is a group');
  expectOutcome(await fhirGet('/Group/location-999999999'), 404, 'not-found');
  expectOutcome(await fhirGet('/Group/ward-3'), 404, 'not-found');
  expectOutcome(await fhirGet('/Group?_summary=data'), 400, 'invalid', '_summary');

  // The location's export: its two patients and their data, nobody else's.
  const { manifest, token } = await exportAll(`/Group/location-${clinic.location.id}/$export?_type=Patient,Appointment,Encounter`);
  assert.match(manifest.request, new RegExp(`/fhir/R4/Group/location-${clinic.location.id}/\\$export\\?_type=`));
  const byType = {};
  for (const out of manifest.output) byType[out.type] = await lines(out.url, token);
  for (const resources of Object.values(byType)) resources.forEach(assertValid);
  assert.deepEqual(byType.Patient.map((p) => p.id).sort(), [String(booked.id), String(walkedIn.id)].sort());
  assert.ok(!byType.Patient.some((p) => p.id === String(elsewhere.id)));
  assert.deepEqual(byType.Appointment.map((a) => a.id), [String(appt.id)]);
  assert.deepEqual(byType.Encounter.map((e) => e.id), [String(walkIn.body.id)]);
  // The provider's: the booked patient only.
  const provider = await exportAll(`/Group/provider-${clinic.providers[0].id}/$export?_type=Patient`);
  const patients = await lines(provider.manifest.output[0].url, provider.token);
  assert.deepEqual(patients.map((p) => p.id), [String(booked.id)]);
  // An empty group exports no files; an unknown one is a 404; who may not export may not.
  const empty = await exportAll(`/Group/provider-${clinic.providers[1].id}/$export?_type=Patient`);
  assert.deepEqual(empty.manifest.output, []);
  expectOutcome(await api('GET', `${FHIR}/Group/location-999999999/$export`, undefined, await login('admin')), 404, 'not-found');
  expectOutcome(await api('GET', `${FHIR}/Group/location-${clinic.location.id}/$export`, undefined, coord), 403, 'forbidden');
});
