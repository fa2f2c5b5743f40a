// Conformance with the official R4 examples (../shared/data/fhir_r4_examples/examples): every example of a type
// CareDesk keeps as sent, and every Patient example CareDesk can register, is created, read back and equal to what
// was sent apart from id, meta and narrative; what comes back validates against the R4 schema. A Patient example
// CareDesk cannot register (it needs a family and a given name and a full birth date) is refused with a 422
// naming the element.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { FHIR, assertValid } from './fhir_lib.mjs';
import { api, freshDatabase, login, loginAt, requireEnv, startServer } from './lib.mjs';

const STORED = new Set(['Account', 'AppointmentResponse', 'Claim', 'ClaimResponse', 'Communication', 'Consent',
  'CoverageEligibilityRequest', 'CoverageEligibilityResponse', 'EpisodeOfCare', 'ExplanationOfBenefit', 'Invoice',
  'Organization', 'PaymentReconciliation', 'Provenance', 'Questionnaire', 'QuestionnaireResponse', 'ServiceRequest',
  'Task']);

function examples() {
  const dir = path.join(requireEnv('CAREDESK_DATA_DIR', 'the shared test data, with fhir_r4_examples'), 'fhir_r4_examples', 'examples');
  assert.ok(fs.existsSync(dir), `the official examples are missing: ${dir}`);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'package.json').sort()
    .map((f) => ({ file: f, resource: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/** A resource without id, meta and narrative: what a round trip must keep. */
function content(resource) {
  const { id, meta, text, ...rest } = resource;
  return rest;
}

test('every example of a type kept as sent round-trips: created, read back, equal apart from id, meta and narrative', async () => {
  const token = await login('coordinator');
  const all = examples().filter((e) => STORED.has(e.resource.resourceType));
  assert.ok(all.length >= 100, `examples of the kept types: ${all.length}`);
  for (const { file, resource } of all) {
    const created = await api('POST', `${FHIR}/${resource.resourceType}`, resource, token);
    assert.equal(created.status, 201, `${file}: ${created.text.slice(0, 300)}`);
    const read = await api('GET', `${FHIR}/${resource.resourceType}/${created.body.id}`, undefined, token);
    assert.equal(read.status, 200, `${file}: ${read.text.slice(0, 300)}`);
    assertValid(read.body);
    assert.deepEqual(content(read.body), content(resource), `${file} round-trips`);
    assert.deepEqual(read.body.text, resource.text, `${file}: the narrative too`);
  }
});

// What CareDesk refuses, and why: it registers people with a family and a given name and a full birth date, and
// two examples share one social security number.
const REFUSED_PATIENTS = {
  'Patient-animal.json': [422, 'Patient.name[0].family'],
  'Patient-ch-example.json': [422, 'Patient.name[0].family'],
  'Patient-dicom.json': [422, 'Patient.name[0].given'],
  'Patient-ihe-pcd.json': [422, 'Patient.birthDate'],
  'Patient-infant-fetal.json': [422, 'Patient.name'],
  'Patient-mom.json': [409, 'http://hl7.org/fhir/sid/us-ssn|444222222'],
  'Patient-newborn.json': [422, 'Patient.name'],
  'Patient-pat1.json': [422, 'Patient.birthDate'],
  'Patient-pat2.json': [422, 'Patient.birthDate'],
  'Patient-proband.json': [422, 'Patient.name'],
};

test('every Patient example CareDesk can register round-trips; the others are refused naming the element', async () => {
  // A database of its own, so that the examples' identifiers meet only each other.
  const bin = requireEnv('CAREDESK_BIN', 'the caredesk binary under test');
  const cleanups = [];
  const { db, users } = await freshDatabase(bin, cleanups);
  const server = await startServer(bin, db);
  try {
    const token = await loginAt(server.base, users.coordinator.username, users.coordinator.password);
    const patients = examples().filter((e) => e.resource.resourceType === 'Patient');
    assert.equal(patients.length, 22);
    const refused = {};
    for (const { file, resource } of patients) {
      const created = await api('POST', `${FHIR}/Patient`, resource, token, { base: server.base });
      if (created.status !== 201) {
        assert.equal(created.body?.resourceType, 'OperationOutcome', `${file}: ${created.text}`);
        assert.ok(created.body.issue[0].diagnostics, `${file}: says what was wrong`);
        refused[file] = [created.status, created.body.issue[0].expression?.[0]];
        continue;
      }
      const read = await api('GET', `${FHIR}/Patient/${created.body.id}`, undefined, token, { base: server.base });
      assert.equal(read.status, 200, read.text);
      assertValid(read.body);
      const served = content(read.body);
      // CareDesk adds the MRN it issues; everything else is as sent.
      served.identifier = (served.identifier ?? []).filter((i) => i.system !== 'urn:caredesk:mrn');
      if (served.identifier.length === 0 && resource.identifier === undefined) delete served.identifier;
      assert.deepEqual(served, content(resource), `${file} round-trips`);
    }
    assert.deepEqual(refused, REFUSED_PATIENTS);
  } finally {
    await server.stop();
    for (const c of cleanups.reverse()) await c();
  }
});

// What CareDesk refuses of the Encounter examples, and why: it records visits that are over (finished, or
// cancelled), from the time they began, at a place it knows (a CareDesk Location or the serviceProvider).
const REFUSED_ENCOUNTERS = {
  'Encounter-emerg.json': [422, 'Encounter.status'],
  'Encounter-example.json': [422, 'Encounter.status'],
  'Encounter-f001.json': [422, 'Encounter.period.start'],
  'Encounter-f002.json': [422, 'Encounter.period.start'],
  'Encounter-f003.json': [422, 'Encounter.period.start'],
  'Encounter-f201.json': [422, 'Encounter.period.start'],
  'Encounter-f202.json': [422, 'Encounter.period.start'],
  'Encounter-home.json': [422, 'Encounter.location'],
  'Encounter-xcda.json': [422, 'Encounter.period.start'],
};

test('every Practitioner example round-trips, and every Encounter and Coverage example CareDesk can record; the others are refused naming the element', async () => {
  const bin = requireEnv('CAREDESK_BIN', 'the caredesk binary under test');
  const cleanups = [];
  const { db, users } = await freshDatabase(bin, cleanups);
  const server = await startServer(bin, db);
  const at = { base: server.base };
  try {
    const token = await loginAt(server.base, users.admin.username, users.admin.password);
    const all = examples();
    const practitioners = all.filter((e) => e.resource.resourceType === 'Practitioner');
    assert.equal(practitioners.length, 14);
    for (const { file, resource } of practitioners) {
      const created = await api('POST', `${FHIR}/Practitioner`, resource, token, at);
      assert.equal(created.status, 201, `${file}: ${created.text.slice(0, 300)}`);
      const read = await api('GET', `${FHIR}/Practitioner/${created.body.id}`, undefined, token, at);
      assert.equal(read.status, 200, read.text);
      assertValid(read.body);
      // CareDesk says whether a provider is active; everything else is as sent.
      assert.deepEqual(content(read.body), { ...content(resource), active: resource.active ?? true }, `${file} round-trips`);
      assert.deepEqual(read.body.text, resource.text, `${file}: the narrative too`);
    }

    // The organizations the encounters name, kept under their ids, and a patient for each subject.
    for (const { resource } of all.filter((e) => e.resource.resourceType === 'Organization')) {
      const put = await api('PUT', `${FHIR}/Organization/${resource.id}`, resource, token, at);
      assert.ok([200, 201].includes(put.status), put.text);
    }
    const patients = new Map();
    const patientFor = async (reference) => {
      if (!patients.has(reference)) {
        const p = await api('POST', `${FHIR}/Patient`, { resourceType: 'Patient', name: [{ family: 'Example', given: [reference.replace(/\W/g, '')] }],
          gender: 'unknown', birthDate: '1970-01-01' }, token, at);
        assert.equal(p.status, 201, p.text);
        patients.set(reference, `Patient/${p.body.id}`);
      }
      return patients.get(reference);
    };
    const encounters = all.filter((e) => e.resource.resourceType === 'Encounter');
    assert.equal(encounters.length, 10);
    const refused = {};
    let recorded = 0;
    for (const { file, resource } of encounters) {
      const sent = structuredClone(resource);
      sent.subject.reference = await patientFor(resource.subject.reference);
      const created = await api('POST', `${FHIR}/Encounter`, sent, token, at);
      if (created.status !== 201) {
        assert.equal(created.body?.resourceType, 'OperationOutcome', `${file}: ${created.text}`);
        refused[file] = [created.status, created.body.issue[0].expression?.[0]];
        continue;
      }
      const read = await api('GET', `${FHIR}/Encounter/${created.body.id}`, undefined, token, at);
      assert.equal(read.status, 200, read.text);
      assertValid(read.body);
      const served = content(read.body);
      // CareDesk says where it placed a visit whose writer named no location.
      if (sent.location === undefined) {
        assert.match(served.location[0].location.reference, /^Location\/\d+$/, file);
        delete served.location;
      }
      assert.deepEqual(served, content(sent), `${file} round-trips`);
      assert.deepEqual(read.body.text, resource.text, `${file}: the narrative too`);
      ++recorded;
    }
    assert.deepEqual(refused, REFUSED_ENCOUNTERS);
    assert.equal(recorded, 1);

    // Coverages, each of a patient made for its beneficiary; the payer an Organization kept above names.
    const coverages = all.filter((e) => e.resource.resourceType === 'Coverage');
    assert.equal(coverages.length, 4);
    const refusedCoverages = {};
    for (const { file, resource } of coverages) {
      const sent = structuredClone(resource);
      sent.beneficiary.reference = await patientFor(resource.beneficiary.reference);
      const created = await api('POST', `${FHIR}/Coverage`, sent, token, at);
      if (created.status !== 201) {
        assert.equal(created.body?.resourceType, 'OperationOutcome', `${file}: ${created.text}`);
        refusedCoverages[file] = [created.status, created.body.issue[0].expression?.[0]];
        continue;
      }
      const read = await api('GET', `${FHIR}/Coverage/${created.body.id}`, undefined, token, at);
      assert.equal(read.status, 200, read.text);
      assertValid(read.body);
      // What was sent comes back as sent; CareDesk adds only its own member id, subscriber and relationship.
      const served = content(read.body);
      for (const key of Object.keys(served)) {
        if (!(key in content(sent))) assert.ok(['identifier', 'subscriber', 'subscriberId', 'relationship'].includes(key), `${file}: ${key}`);
      }
      for (const key of Object.keys(content(sent))) assert.deepEqual(served[key], content(sent)[key], `${file}: ${key} round-trips`);
      assert.deepEqual(read.body.text, resource.text, `${file}: the narrative too`);
    }
    // 7547E names its insurer by an identifier only: CareDesk keeps payers by name.
    assert.deepEqual(refusedCoverages, { 'Coverage-7547E.json': [422, 'Coverage.payor'] });
  } finally {
    await server.stop();
    for (const c of cleanups.reverse()) await c();
  }
});
