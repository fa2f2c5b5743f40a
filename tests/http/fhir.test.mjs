// FHIR R4 at /fhir/R4: the CapabilityStatement, Patient read, vread, history, search, create (also
// conditional) and update with what CareDesk does not model kept, OperationOutcome errors, every resource checked against
// the official R4 JSON schema, and two third-party clients (fhir-kit-client, fhirclient) creating,
// updating, reading, searching and paging.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client as FhirKitClient } from 'fhir-kit-client';
import smart from 'fhirclient';

import { FHIR, allPages, assertFhirJson, assertValid, expectOutcome, fhirGet } from './fhir_lib.mjs';
import { api, auditEvents, baseUrl, book, clinicSlots, createClinic, createPatient, expectStatus, login, randomPhone, randomSurname, usernameOf } from './lib.mjs';

/** Three patients sharing a fresh family name, with known birth dates, sexes and phones. */
async function family() {
  const surname = randomSurname(5);
  const token = await login('coordinator');
  const ann = await createPatient(token, { given_name: 'Annabel', middle_name: 'Rose', family_name: surname, birth_date: '1961-03-04', sex: 'female', phone: randomPhone(), email: `${surname.toLowerCase()}@example.org` });
  const bob = await createPatient(token, { given_name: 'Robert', family_name: surname, birth_date: '1975-11-30', sex: 'male', phone: randomPhone() });
  const cat = await createPatient(token, { given_name: 'Catalina', family_name: surname, birth_date: '1990-06-15', sex: 'female', phone: randomPhone() });
  return { surname, ann, bob, cat };
}

const ids = (resources) => resources.map((r) => Number(r.id));

test('the CapabilityStatement needs no login, is valid R4 and states the Patient interactions', async () => {
  const res = await api('GET', `${FHIR}/metadata`);
  assert.equal(res.status, 200, res.text);
  assertFhirJson(res);
  const cs = res.body;
  assert.equal(cs.resourceType, 'CapabilityStatement');
  assert.equal(cs.fhirVersion, '4.0.1');
  assertValid(cs);
  assert.equal(cs.implementation.url, `${baseUrl()}${FHIR}`);
  const patient = cs.rest[0].resource.find((r) => r.type === 'Patient');
  assert.deepEqual(patient.interaction.map((i) => i.code).sort(),
    ['create', 'history-instance', 'read', 'search-type', 'update', 'vread']);
  assert.equal(patient.conditionalCreate, true);
  assert.equal(patient.versioning, 'versioned-update');
  const params = patient.searchParam.map((p) => p.name);
  for (const p of ['_id', '_lastUpdated', 'identifier', 'name', 'family', 'given', 'birthdate', 'gender', 'phone', 'email']) {
    assert.ok(params.includes(p), `searchParam ${p} is listed`);
  }
});

test('a read of a Patient maps the record, validates, carries its version and is audited', async () => {
  const surname = randomSurname(5);
  const created = await createPatient(await login('coordinator'), {
    given_name: 'Maribel', middle_name: 'Ines', family_name: surname, birth_date: '1980-02-29', sex: 'female',
    phone: '+1 (555) 010-2233', email: 'Maribel@Example.org', preferred_contact_method: 'email',
    preferred_language: 'es', address: { line1: '12 Elm St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    emergency_contact: { name: 'Jorge Ruiz', relationship: 'husband', phone: '+15550102234' },
  });
  const res = await fhirGet(`/Patient/${created.id}`, 'clinician');
  assert.equal(res.status, 200, res.text);
  assertFhirJson(res);
  const p = res.body;
  assertValid(p);
  assert.equal(p.id, String(created.id));
  assert.equal(p.meta.versionId, String(created.version));
  assert.equal(res.headers.get('etag'), `W/"${created.version}"`);
  assert.deepEqual(p.name, [{ use: 'official', family: surname, given: ['Maribel', 'Ines'] }]);
  assert.equal(p.birthDate, '1980-02-29');
  assert.equal(p.gender, 'female');
  const mrn = p.identifier.find((i) => i.system === 'urn:caredesk:mrn');
  assert.equal(mrn.value, created.mrn);
  assert.equal(mrn.type.coding[0].code, 'MR');
  assert.deepEqual(p.telecom.find((t) => t.system === 'email'), { system: 'email', value: 'maribel@example.org', rank: 1 });
  assert.equal(p.telecom.find((t) => t.system === 'phone').value, created.phone);
  assert.equal(p.address[0].city, 'Springfield');
  assert.equal(p.contact[0].name.text, 'Jorge Ruiz');
  assert.equal(p.communication[0].language.coding[0].code, 'es');

  const events = await auditEvents({ patient_id: created.id, username: usernameOf('clinician') });
  assert.ok(events.some((e) => e.action === 'read' && e.category === 'demographics'), 'the FHIR read is in the audit trail');
});

test('unknown and malformed Patient ids are 404 OperationOutcomes; no token is 401', async () => {
  expectOutcome(await fhirGet('/Patient/999999999999'), 404, 'not-found');
  expectOutcome(await fhirGet('/Patient/abc'), 404, 'not-found');
  expectOutcome(await fhirGet('/Patient/007'), 404, 'not-found');
  const anonymous = await fhirGet('/Patient', null);
  expectOutcome(anonymous, 401, 'login');
  assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
  expectOutcome(await api('GET', `${FHIR}/Patient/1`, undefined, 'not-a-token'), 401, 'login');
});

test('types and interactions this server does not serve, and formats other than JSON, are refused clearly', async () => {
  expectOutcome(await fhirGet('/Observations'), 404, 'not-supported');
  expectOutcome(await api('DELETE', `${FHIR}/Appointment/1`, undefined, await login('coordinator')), 405, 'not-supported');
  expectOutcome(await fhirGet('/Observations/1'), 404, 'not-supported');
  expectOutcome(await fhirGet('/observation/1'), 404, 'not-supported');
  expectOutcome(await fhirGet('/Patient?_format=xml'), 406, 'not-supported', '_format');
  // Interactions not offered yet answer in FHIR's terms too.
  const token = await login('coordinator');
  expectOutcome(await api('DELETE', `${FHIR}/Patient/1`, undefined, token), 405, 'not-supported');
  expectOutcome(await api('PATCH', `${FHIR}/Patient/1`, [], token), 405, 'not-supported');
  expectOutcome(await api('POST', FHIR, { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'PUT', url: 'Appointment/1' }, resource: { resourceType: 'Appointment', id: '1' } }] }, token),
    422, 'not-supported', 'Bundle.entry[0].request');
  expectOutcome(await fhirGet('/Practitioner/1/_history'), 404, 'not-supported');
  expectOutcome(await api('POST', `${FHIR}/Foo`, { resourceType: 'Foo' }, token), 404, 'not-supported');
  expectOutcome(await api('PATCH', `${FHIR}/Observation/1`, [], token), 405, 'not-supported');
  expectOutcome(await api('GET', `${FHIR}/metadata`, undefined, null, { headers: { accept: 'application/fhir+xml' } }), 406, 'not-supported');
});

test('Patient search by the specification\'s parameters, with prefixes and modifiers', async () => {
  const { surname, ann, bob, cat } = await family();
  const find = async (query) => {
    const res = await fhirGet(`/Patient?${query}`);
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    assertFhirJson(res);
    assertValid(res.body);
    assert.equal(res.body.type, 'searchset');
    return ids(res.body.entry?.filter((e) => e.search.mode === 'match').map((e) => e.resource) ?? []).sort((a, b) => a - b);
  };
  const all = [ann.id, bob.id, cat.id];
  assert.deepEqual(await find(`family=${surname}`), all);
  assert.deepEqual(await find(`family=${surname.slice(0, 6).toLowerCase()}&given=rob`), [bob.id]);
  assert.deepEqual(await find(`name=${surname}&name=rose`), [ann.id], 'name matches the middle name too; repeats are ANDed');
  assert.deepEqual(await find(`family=${surname}&given=annabel,catalina`), [ann.id, cat.id], 'commas are ORed');
  assert.deepEqual(await find(`family:exact=${surname.toLowerCase()}`), [], ':exact is case-sensitive');
  assert.deepEqual(await find(`family:exact=${surname}&given:exact=Robert`), [bob.id]);
  assert.deepEqual(await find(`family:contains=${surname.slice(2, 7)}&given:contains=TALI`), [cat.id]);
  assert.deepEqual(await find(`family=${surname}&birthdate=1975-11-30`), [bob.id]);
  assert.deepEqual(await find(`family=${surname}&birthdate=1975`), [bob.id]);
  assert.deepEqual(await find(`family=${surname}&birthdate=ge1975-11-30`), [bob.id, cat.id]);
  assert.deepEqual(await find(`family=${surname}&birthdate=gt1975-11`), [cat.id]);
  assert.deepEqual(await find(`family=${surname}&birthdate=lt1975-11-30`), [ann.id]);
  assert.deepEqual(await find(`family=${surname}&birthdate=le1975-11`), [ann.id, bob.id]);
  assert.deepEqual(await find(`family=${surname}&birthdate=ne1975-11-30`), [ann.id, cat.id]);
  assert.deepEqual(await find(`family=${surname}&birthdate=ge1970&birthdate=lt1980`), [bob.id]);
  assert.deepEqual(await find(`family=${surname}&gender=female`), [ann.id, cat.id]);
  assert.deepEqual(await find(`family=${surname}&gender=http://hl7.org/fhir/administrative-gender|male`), [bob.id]);
  const digits = bob.phone.replace(/\D/g, '');
  const formatted = `(${digits.slice(-10, -7)}) ${digits.slice(-7, -4)}-${digits.slice(-4)}`;
  assert.deepEqual(await find(`phone=${encodeURIComponent(formatted)}`), [bob.id], 'any formatting of the number');
  assert.deepEqual(await find(`email=${surname.toUpperCase()}@EXAMPLE.ORG`), [ann.id]);
  assert.deepEqual(await find(`family=${surname}&email:missing=true`), [bob.id, cat.id]);
  assert.deepEqual(await find(`identifier=urn:caredesk:mrn|${cat.mrn}`), [cat.id]);
  assert.deepEqual(await find(`identifier=${cat.mrn}`), [cat.id]);
  assert.deepEqual(await find(`identifier=urn:other|${cat.mrn}`), []);
  assert.deepEqual(await find(`_id=${ann.id},${cat.id}`), [ann.id, cat.id]);
  assert.deepEqual(await find(`_id=${bob.id}&_lastUpdated=ge2020-01-01`), [bob.id]);
  assert.deepEqual(await find(`_id=${bob.id}&_lastUpdated=lt2020-01-01`), []);

  const count = await fhirGet(`/Patient?family=${surname}&_summary=count`);
  assert.equal(count.status, 200, count.text);
  assert.equal(count.body.total, 3);
  assert.equal(count.body.entry, undefined);

  const searchedAs = usernameOf('coordinator');
  const reads = await auditEvents({ patient_id: cat.id, username: searchedAs });
  assert.ok(reads.some((e) => e.action === 'read' && e.category === 'demographics'), 'each patient a search returns is audited as read');

  const sorted = await fhirGet(`/Patient?family=${surname}&_sort=-birthdate`);
  assert.deepEqual(ids(sorted.body.entry.map((e) => e.resource)), [cat.id, bob.id, ann.id]);
  assert.equal(sorted.body.total, 3);
});

test('Patient name search ignores case and accents, as FHIR string search does; :exact does not', async () => {
  const coord = await login('coordinator');
  const base = randomSurname();
  const accented = await createPatient(coord, { given_name: 'José', family_name: `Núñez${base}`, birth_date: '1961-02-03' });
  const plain = await createPatient(coord, { given_name: 'Jose', family_name: `Nunez${base}`, birth_date: '1961-02-03' });
  const find = async (query) => {
    const res = await fhirGet(`/Patient?${query}`);
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    return ids(res.body.entry?.map((e) => e.resource) ?? []).sort((a, b) => a - b);
  };
  const both = [accented.id, plain.id].sort((a, b) => a - b);
  const tail = base.toLowerCase();
  assert.deepEqual(await find(`family=${encodeURIComponent(`nunez${tail}`)}`), both);
  assert.deepEqual(await find(`family=${encodeURIComponent(`NÚÑEZ${base}`)}`), both);
  assert.deepEqual(await find(`family=${encodeURIComponent(`Nunez${base}`)}&given=${encodeURIComponent('JOSÉ')}`), both);
  assert.deepEqual(await find(`family:exact=${encodeURIComponent(`Núñez${base}`)}`), [accented.id]);
  assert.deepEqual(await find(`family:exact=${encodeURIComponent(`Nunez${base}`)}`), [plain.id]);
  assert.deepEqual(await find(`family:contains=${encodeURIComponent(`ÑEZ${tail}`)}`), both);
});

test('bad search parameters are 400 OperationOutcomes naming the parameter; unknown ones are reported', async () => {
  expectOutcome(await fhirGet('/Patient?birthdate=1980-02-30'), 400, 'invalid', 'birthdate');
  expectOutcome(await fhirGet('/Patient?name:fuzzy=x'), 400, 'invalid', 'name:fuzzy');
  expectOutcome(await fhirGet('/Patient?gender=mail'), 400, 'invalid', 'gender');
  expectOutcome(await fhirGet('/Patient?_count=5000'), 400, 'invalid', '_count');
  expectOutcome(await fhirGet('/Patient?_sort=address'), 400, 'invalid', '_sort');
  expectOutcome(await fhirGet('/Patient?_cursor=zz'), 400, 'invalid', '_cursor');

  const { surname } = await family();
  const res = await fhirGet(`/Patient?family=${surname}&address-city=Springfield`);
  assert.equal(res.status, 200, res.text);
  const outcome = res.body.entry.find((e) => e.search.mode === 'outcome');
  assert.ok(outcome, 'an outcome entry reports the ignored parameter');
  assert.match(outcome.resource.issue[0].diagnostics, /address-city/);
  assert.equal(res.body.total, 3, 'the unknown parameter was not applied');
  assert.ok(!res.body.link[0].url.includes('address-city'), 'the self link lists only the parameters applied');
});

test('next links stay correct while patients are added between pages', async () => {
  const { surname, ann, bob, cat } = await family();
  const token = await login('coordinator');
  let res = await fhirGet(`/Patient?family=${surname}&_count=1`);
  const seen = [];
  let added;
  for (let page = 0; page < 10; page++) {
    assert.equal(res.status, 200, res.text);
    seen.push(...res.body.entry.filter((e) => e.search.mode === 'match').map((e) => Number(e.resource.id)));
    if (page === 0) added = await createPatient(token, { given_name: 'Zed', family_name: surname });
    const next = res.body.link.find((l) => l.relation === 'next');
    if (!next) break;
    const url = new URL(next.url);
    assert.equal(url.origin, baseUrl(), 'next links are absolute URLs of this server');
    res = await api('GET', url.pathname + url.search, undefined, token);
  }
  assert.deepEqual(seen, [ann.id, bob.id, cat.id, added.id], 'each patient once, in order, the new one included');

  const sortedPages = await allPages('Patient', `family=${surname}&_count=2&_sort=given`);
  assert.deepEqual(sortedPages.seen.map((r) => r.name[0].given[0]), ['Annabel', 'Catalina', 'Robert', 'Zed']);
});

test('providers and locations are Practitioner, PractitionerRole and Location: read and searched', async () => {
  const clinic = await createClinic({ providers: 2 });
  const [first, second] = clinic.providers;
  const role = 'clinician';
  const practitioner = await fhirGet(`/Practitioner/${first.id}`, role);
  assert.equal(practitioner.status, 200, practitioner.text);
  assertValid(practitioner.body);
  assert.equal(practitioner.body.name[0].text, first.name);
  const location = await fhirGet(`/Location/${clinic.location.id}`, role);
  assert.equal(location.status, 200, location.text);
  assertValid(location.body);
  assert.equal(location.body.name, clinic.location.name);
  assert.equal(location.body.extension[0].valueCode, clinic.location.time_zone);
  const roles = await fhirGet(`/PractitionerRole?location=Location/${clinic.location.id}`, role);
  assert.equal(roles.status, 200, roles.text);
  assertValid(roles.body);
  assert.deepEqual(roles.body.entry.map((e) => e.resource.practitioner.reference), [`Practitioner/${first.id}`, `Practitioner/${second.id}`]);
  assert.equal(roles.body.entry[0].resource.specialty[0].text, 'Family medicine');
  const byName = await fhirGet(`/Location?name=${encodeURIComponent(clinic.location.name.split(' ').at(-1))}`, role);
  assert.deepEqual(byName.body.entry.map((e) => e.resource.id), [String(clinic.location.id)]);
  const paged = await fhirGet(`/PractitionerRole?location=${clinic.location.id}&_count=1`, role);
  assert.equal(paged.body.total, 2);
  const next = new URL(paged.body.link.find((l) => l.relation === 'next').url);
  const page2 = await api('GET', next.pathname + next.search, undefined, await login(role));
  assert.deepEqual(page2.body.entry.map((e) => e.resource.id), [String(second.id)]);
  expectOutcome(await fhirGet('/Practitioner/999999999', role), 404, 'not-found');
  expectOutcome(await fhirGet('/Location?name:exact=x', role), 400, 'invalid', 'name:exact');
});

test('an appointment type is a HealthcareService offered where its providers work: read and searched', async () => {
  const clinic = await createClinic({ providers: 2, modality: 'telehealth', duration: 20 });
  const role = 'clinician';
  const res = await fhirGet(`/HealthcareService/${clinic.type.id}`, role);
  assert.equal(res.status, 200, res.text);
  const service = res.body;
  assertValid(service);
  assert.equal(service.name, clinic.type.name);
  assert.equal(service.active, true);
  assert.deepEqual(service.type[0].coding[0], { system: 'urn:caredesk:appointment-type', code: String(clinic.type.id), display: clinic.type.name });
  assert.deepEqual(service.location, [{ reference: `Location/${clinic.location.id}` }]);
  assert.equal(service.characteristic[0].text, 'Telehealth');
  assert.match(service.comment, /^20-minute appointments/);

  const here = await fhirGet(`/HealthcareService?location=Location/${clinic.location.id}`, role);
  assert.equal(here.status, 200, here.text);
  assertValid(here.body);
  assert.deepEqual(here.body.entry.map((e) => e.resource.id), [String(clinic.type.id)]);
  const byName = await fhirGet(`/HealthcareService?name=${encodeURIComponent(clinic.tag)}&active=true`, role);
  assert.deepEqual(byName.body.entry.map((e) => e.resource.id), [String(clinic.type.id)]);
  // What the service names can be booked: its free Slots by service-type.
  const slots = await fhirGet(`/Slot?service-type=urn:caredesk:appointment-type|${service.id}&_count=1`, role);
  assert.equal(slots.status, 200, slots.text);
  assert.equal(slots.body.entry[0].resource.serviceType[0].coding[0].code, service.id);
  expectOutcome(await fhirGet('/HealthcareService/999999999', role), 404, 'not-found');
  expectOutcome(await fhirGet('/HealthcareService?location:exact=1', role), 400, 'invalid', 'location:exact');
  expectOutcome(await fhirGet(`/HealthcareService/${clinic.type.id}`, null), 401, 'login');
});

/** A Patient as another system would send it: elements CareDesk models and several it does not. */
function sentPatient(surname, extra = {}) {
  return {
    resourceType: 'Patient',
    text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">Ana ${surname}</div>` },
    extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'F' }],
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: `EXT-${surname}`, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] } }],
    name: [{ use: 'official', family: surname, given: ['Ana', 'Lucia'] }, { use: 'nickname', given: ['Lu'] }],
    telecom: [{ system: 'phone', value: randomPhone(), use: 'mobile', rank: 1 }],
    gender: 'female',
    birthDate: '1984-03-07',
    _birthDate: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1984-03-07T14:35:45-05:00' }] },
    address: [{ use: 'home', line: ['12 Elm St'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'USA' }],
    maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] },
    ...extra,
  };
}

/** `served` is `sent` apart from id, meta and CareDesk's MRN. */
function assertKeptAsSent(served, sent) {
  const strip = (r) => {
    const { id, meta, ...rest } = r;
    return { ...rest, identifier: (rest.identifier ?? []).filter((i) => i.system !== 'urn:caredesk:mrn') };
  };
  assert.deepEqual(strip(served), strip(sent));
}

test('a Patient created through FHIR becomes a CareDesk patient and is served back as sent', async () => {
  const token = await login('coordinator');
  const surname = randomSurname(6);
  const sent = sentPatient(surname);
  const res = await api('POST', `${FHIR}/Patient`, sent, token, { headers: { 'content-type': 'application/fhir+json' } });
  assert.equal(res.status, 201, res.text);
  assertFhirJson(res);
  assertValid(res.body);
  const id = res.body.id;
  assert.match(id, /^[1-9][0-9]*$/);
  assert.equal(res.headers.get('etag'), 'W/"1"');
  assert.equal(res.headers.get('location'), `${baseUrl()}${FHIR}/Patient/${id}/_history/1`);
  assert.match(res.headers.get('last-modified') ?? '', /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
  assertKeptAsSent(res.body, sent);
  const mrn = res.body.identifier.find((i) => i.system === 'urn:caredesk:mrn');
  assert.ok(mrn?.value, 'CareDesk issued an MRN');

  // Read back: the same, extensions, narrative and primitive extensions included.
  const read = await fhirGet(`/Patient/${id}`);
  assert.equal(read.status, 200, read.text);
  assertValid(read.body);
  assertKeptAsSent(read.body, sent);

  // CareDesk's own record: what it models, normalized.
  const record = await api('GET', `/api/v1/patients/${id}`, undefined, token);
  assert.equal(record.status, 200, record.text);
  assert.equal(record.body.family_name, surname);
  assert.equal(record.body.middle_name, 'Lucia');
  assert.equal(record.body.birth_date, '1984-03-07');
  assert.equal(record.body.mrn, mrn.value);
  assert.equal(record.body.address.city, 'Springfield');
  // Found by the identifier the other system gave it.
  const found = await fhirGet(`/Patient?identifier=${encodeURIComponent(`urn:oid:2.16.840.1.113883.19.5|EXT-${surname}`)}`);
  assert.deepEqual(found.body.entry.map((e) => e.resource.id), [id]);
  assertKeptAsSent(found.body.entry[0].resource, sent);  // a search page serves what was sent too

  const events = await auditEvents({ patient: id, user: usernameOf('coordinator') });
  assert.ok(events.some((e) => e.action === 'create' && e.category === 'demographics' && e.detail === 'registered'),
    'the create is audited, as a registration with no duplicate warning shown');
});

test('an element changed in CareDesk is served from the record; what it does not model stays as sent', async () => {
  const token = await login('coordinator');
  const sent = sentPatient(randomSurname(6));
  const created = (await api('POST', `${FHIR}/Patient`, sent, token)).body;
  const record = (await api('GET', `/api/v1/patients/${created.id}`, undefined, token)).body;
  const phone = randomPhone();
  const { id, mrn, created_at, updated_at, ...editable } = record;
  const edited = await api('PUT', `/api/v1/patients/${created.id}`, { ...editable, phone }, token);
  assert.equal(edited.status, 200, edited.text);
  const read = await fhirGet(`/Patient/${created.id}`);
  assertValid(read.body);
  assert.equal(read.body.meta.versionId, '2');
  assert.equal(read.body.telecom.find((t) => t.system === 'phone').value, edited.body.phone, 'the phone is CareDesk\'s now');
  assert.deepEqual(read.body.name, sent.name);
  assert.deepEqual(read.body._birthDate, sent._birthDate);
  assert.deepEqual(read.body.maritalStatus, sent.maritalStatus);
  assert.deepEqual(read.body.extension, sent.extension);
});

test('update with If-Match: the version moves on, a stale version is 412, bad input names the element', async () => {
  const token = await login('coordinator');
  const surname = randomSurname(6);
  const created = (await api('POST', `${FHIR}/Patient`, sentPatient(surname), token)).body;
  const changed = { ...sentPatient(surname), id: created.id, name: [{ use: 'official', family: `${surname}-Ruiz`, given: ['Ana'] }] };
  const ok = await api('PUT', `${FHIR}/Patient/${created.id}`, changed, token, { headers: { 'if-match': 'W/"1"' } });
  assert.equal(ok.status, 200, ok.text);
  assertValid(ok.body);
  assert.equal(ok.headers.get('etag'), 'W/"2"');
  assertKeptAsSent(ok.body, changed);
  const record = (await api('GET', `/api/v1/patients/${created.id}`, undefined, token)).body;
  assert.equal(record.family_name, `${surname}-Ruiz`);
  assert.equal(record.middle_name, '');

  expectOutcome(await api('PUT', `${FHIR}/Patient/${created.id}`, changed, token, { headers: { 'if-match': 'W/"1"' } }),
    412, 'conflict', 'If-Match');
  expectOutcome(await api('PUT', `${FHIR}/Patient/${created.id}`, changed, token, { headers: { 'if-match': 'yesterday' } }),
    400, 'invalid', 'If-Match');
  // Without If-Match the update applies to whatever version is current.
  const unconditional = await api('PUT', `${FHIR}/Patient/${created.id}`, changed, token);
  assert.equal(unconditional.status, 200, unconditional.text);
  assert.equal(unconditional.body.meta.versionId, '3');

  // Bad input: nothing written, the answer names the FHIR element.
  const { birthDate, ...noBirthDate } = changed;
  expectOutcome(await api('PUT', `${FHIR}/Patient/${created.id}`, noBirthDate, token), 422, 'processing', 'Patient.birthDate');
  expectOutcome(await api('PUT', `${FHIR}/Patient/${created.id}`, { ...changed, birthDate: '1984-02-30' }, token),
    422, 'processing', 'Patient.birthDate');
  expectOutcome(await api('PUT', `${FHIR}/Patient/${created.id}`, { ...changed, id: '1' }, token), 400, 'invalid', 'Patient.id');
  expectOutcome(await api('PUT', `${FHIR}/Patient/${created.id}`, { ...changed, resourceType: 'Practitioner' }, token),
    400, 'invalid', 'resourceType');
  expectOutcome(await api('PUT', `${FHIR}/Patient/${created.id}`, '{"resourceType": "Pat', token), 400, 'invalid', 'body');
  expectOutcome(await api('PUT', `${FHIR}/Patient/${created.id}`, '<Patient xmlns="http://hl7.org/fhir"/>', token,
    { headers: { 'content-type': 'application/fhir+xml' } }), 400, 'invalid', 'Content-Type');
  expectOutcome(await api('POST', `${FHIR}/Patient`, { ...sentPatient(surname), gender: 'F' }, token), 422, 'processing', 'Patient.gender');
  expectOutcome(await api('PUT', `${FHIR}/Patient/999999999999`, { ...changed, id: '999999999999' }, token), 404, 'not-found');
  const after = (await api('GET', `/api/v1/patients/${created.id}`, undefined, token)).body;
  assert.equal(after.version, 3, 'the refused updates wrote nothing');
  // Writing takes patient.write: an auditor may not.
  expectOutcome(await api('POST', `${FHIR}/Patient`, sentPatient(surname), await login('auditor')), 403, 'forbidden');
});

test('conditional create: If-None-Exist finds the patient instead of creating a second one', async () => {
  const token = await login('coordinator');
  const surname = randomSurname(6);
  const sent = sentPatient(surname);
  const condition = { 'if-none-exist': `identifier=urn:oid:2.16.840.1.113883.19.5|EXT-${surname}` };
  const first = await api('POST', `${FHIR}/Patient`, sent, token, { headers: condition });
  assert.equal(first.status, 201, first.text);
  const again = await api('POST', `${FHIR}/Patient`, sent, token, { headers: condition });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.id, first.body.id);
  const all = await fhirGet(`/Patient?family:exact=${surname}`);
  assert.equal(all.body.total, 1, 'one patient, not two');
  // Two matches: 412, nothing created.
  await api('POST', `${FHIR}/Patient`, { ...sent, identifier: [] }, token);
  expectOutcome(await api('POST', `${FHIR}/Patient`, sent, token, { headers: { 'if-none-exist': `family:exact=${surname}` } }),
    412, 'duplicate', 'If-None-Exist');
  expectOutcome(await api('POST', `${FHIR}/Patient`, sent, token, { headers: { 'if-none-exist': 'colour=blue' } }),
    400, 'invalid', 'If-None-Exist');
  assert.equal((await fhirGet(`/Patient?family:exact=${surname}`)).body.total, 2);
});

test('vread and history: every version, whichever path made it, with what the writer sent kept', async () => {
  const token = await login('coordinator');
  const surname = randomSurname(6);
  const sent = sentPatient(surname);
  const created = (await api('POST', `${FHIR}/Patient`, sent, token)).body;
  // Version 2 from the REST API (the UI's), version 3 from FHIR.
  const record = (await api('GET', `/api/v1/patients/${created.id}`, undefined, token)).body;
  const { id, mrn, created_at, updated_at, ...editable } = record;
  const phone = randomPhone();
  const edited = await api('PUT', `/api/v1/patients/${created.id}`, { ...editable, phone }, token);
  assert.equal(edited.status, 200, edited.text);
  const third = { ...sentPatient(surname), id: created.id, gender: 'other' };
  assert.equal((await api('PUT', `${FHIR}/Patient/${created.id}`, third, token)).status, 200);

  const history = await fhirGet(`/Patient/${created.id}/_history`);
  assert.equal(history.status, 200, history.text);
  assertFhirJson(history);
  assertValid(history.body);
  assert.equal(history.body.type, 'history');
  assert.equal(history.body.total, 3);
  assert.deepEqual(history.body.entry.map((e) => e.resource.meta.versionId), ['3', '2', '1']);
  assert.deepEqual(history.body.entry.map((e) => e.request.method), ['PUT', 'PUT', 'POST']);
  assert.deepEqual(history.body.entry.map((e) => e.response.etag), ['W/"3"', 'W/"2"', 'W/"1"']);
  const [v3, v2, v1] = history.body.entry.map((e) => e.resource);
  assertKeptAsSent(v1, sent);
  assert.equal(v2.telecom.find((t) => t.system === 'phone').value, edited.body.phone, 'version 2 has the phone CareDesk recorded');
  assert.deepEqual(v2.maritalStatus, sent.maritalStatus, 'and still what CareDesk does not model');
  assert.equal(v3.gender, 'other');
  assertKeptAsSent(v3, third);

  const read1 = await fhirGet(`/Patient/${created.id}/_history/1`);
  assert.equal(read1.status, 200, read1.text);
  assertValid(read1.body);
  assert.equal(read1.headers.get('etag'), 'W/"1"');
  assert.deepEqual(read1.body, v1);
  const read3 = await fhirGet(`/Patient/${created.id}/_history/3`);
  assert.deepEqual(read3.body, (await fhirGet(`/Patient/${created.id}`)).body, 'the latest version is the current read');
  expectOutcome(await fhirGet(`/Patient/${created.id}/_history/4`), 404, 'not-found');
  expectOutcome(await fhirGet(`/Patient/${created.id}/_history/abc`), 404, 'not-found');
  expectOutcome(await fhirGet('/Patient/999999999999/_history'), 404, 'not-found');
  expectOutcome(await fhirGet(`/Patient/${created.id}/_history`, null), 401, 'login');

  const events = await auditEvents({ patient_id: created.id, username: usernameOf('coordinator') });
  assert.ok(events.some((e) => e.action === 'read' && e.detail === 'history'), 'the history read is audited');
  assert.ok(events.some((e) => e.action === 'read' && e.detail === 'version 1'), 'the vread is audited');

  // fhir-kit-client's vread and history.
  const client = new FhirKitClient({ baseUrl: `${baseUrl()}${FHIR}`, bearerToken: token });
  const kit1 = await client.vread({ resourceType: 'Patient', id: created.id, version: '1' });
  assert.deepEqual(kit1, v1);
  const kitHistory = await client.history({ resourceType: 'Patient', id: created.id });
  assert.equal(kitHistory.total, 3);
});

test('fhir-kit-client creates and updates a Patient', async () => {
  const client = new FhirKitClient({ baseUrl: `${baseUrl()}${FHIR}`, bearerToken: await login('coordinator') });
  const surname = randomSurname(6);
  const created = await client.create({ resourceType: 'Patient', body: sentPatient(surname) });
  assert.equal(created.resourceType, 'Patient');
  assert.equal(created.name[0].family, surname);
  const updated = await client.update({
    resourceType: 'Patient', id: created.id,
    body: { ...created, gender: 'other' },
    options: { headers: { 'If-Match': `W/"${created.meta.versionId}"` } },
  });
  assert.equal(updated.gender, 'other');
  assert.equal(updated.meta.versionId, '2');
  const read = await client.read({ resourceType: 'Patient', id: created.id });
  assert.equal(read.gender, 'other');
  assert.deepEqual(read._birthDate, created._birthDate);
});

test('fhir-kit-client reads, searches and pages', async () => {
  const { surname, ann } = await family();
  const client = new FhirKitClient({ baseUrl: `${baseUrl()}${FHIR}`, bearerToken: await login('coordinator') });
  const meta = await client.capabilityStatement();
  assert.equal(meta.resourceType, 'CapabilityStatement');
  const read = await client.read({ resourceType: 'Patient', id: String(ann.id) });
  assert.equal(read.name[0].family, surname);
  const page1 = await client.search({ resourceType: 'Patient', searchParams: { family: surname, _count: 2 } });
  assert.equal(page1.total, 3);
  assert.equal(page1.entry.length, 2);
  const page2 = await client.nextPage({ bundle: page1 });
  assert.equal(page2.entry.filter((e) => e.search.mode === 'match').length, 1);
  const all = [...page1.entry, ...page2.entry].map((e) => e.resource.name[0].given[0]);
  assert.deepEqual(all, ['Annabel', 'Robert', 'Catalina']);
  await assert.rejects(client.read({ resourceType: 'Patient', id: '999999999999' }), (e) => {
    assert.equal(e.response?.status, 404);
    assert.equal(e.response?.data?.resourceType, 'OperationOutcome');
    return true;
  });
});

test('fhirclient (SMART on FHIR) requests a Patient and follows every page', async () => {
  const { surname, bob } = await family();
  const token = await login('coordinator');
  // The server-side entry point; a stand-in request, as no SMART launch takes place.
  const client = smart({ headers: {}, url: '/', method: 'GET' }, {}).client({
    serverUrl: `${baseUrl()}${FHIR}`,
    tokenResponse: { access_token: token },
  });
  const patient = await client.request(`Patient/${bob.id}`);
  assert.equal(patient.name[0].given[0], 'Robert');
  const resources = await client.request(`Patient?family=${surname}&_count=1`, { pageLimit: 0, flat: true });
  assert.deepEqual(resources.map((r) => r.name[0].given[0]), ['Annabel', 'Robert', 'Catalina']);
});

test('the audit trail as AuditEvent resources: the auditor searches it by patient, user and period, newest first', async () => {
  const surname = randomSurname(5);
  const coord = await login('coordinator');
  const patient = await createPatient(coord, { family_name: surname });
  expectStatus(await fhirGet(`/Patient/${patient.id}`), 200);
  const res = await fhirGet(`/AuditEvent?patient=Patient/${patient.id}&_count=1`, 'auditor');
  assert.equal(res.status, 200, res.text);
  assertValid(res.body);
  const newest = res.body.entry[0].resource;
  assert.equal(newest.resourceType, 'AuditEvent');
  assert.equal(newest.subtype[0].code, 'read');
  assert.equal(newest.action, 'R');
  assert.equal(newest.outcome, '0');
  assert.equal(newest.agent[0].who.identifier.value, usernameOf('coordinator'));
  assert.equal(newest.entity[0].what.reference, `Patient/${patient.id}`);
  assert.match(newest.recorded, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  // Older entries on the next pages: the registration is the oldest.
  const { seen } = await allPages('AuditEvent', `patient=Patient/${patient.id}&_count=1`, 'auditor');
  assert.ok(seen.length >= 2, 'the read and the registration');
  const seqs = seen.map((e) => Number(e.id));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
  assert.equal(seen.at(-1).subtype[0].code, 'create');
  assert.equal(seen.at(-1).action, 'C');
  const one = await fhirGet(`/AuditEvent/${newest.id}`, 'auditor');
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.body, newest);
  const reads = await fhirGet(`/AuditEvent?agent-name=${usernameOf('coordinator')}&subtype=read&date=ge${newest.recorded.slice(0, 10)}&_count=1000`, 'auditor');
  assert.ok(reads.body.entry.some((e) => e.resource.id === newest.id));
  // Reading the trail is itself audited.
  const own = await fhirGet(`/AuditEvent?agent-name=${usernameOf('auditor')}&_count=5`, 'auditor');
  assert.ok(own.body.entry.some((e) => e.resource.entity?.[0]?.description === 'audit'), own.text);
  expectOutcome(await fhirGet('/AuditEvent?patient=1', 'coordinator'), 403, 'forbidden');
  expectOutcome(await fhirGet('/AuditEvent/999999999999', 'auditor'), 404, 'not-found');
  expectOutcome(await fhirGet('/AuditEvent?date=ne2026-01-01', 'auditor'), 400, 'invalid', 'date');
});

test('tokens for systems carry SMART scopes that narrow what the user\'s role allows, on /fhir/R4 only', async () => {
  const admin = await login('admin');
  const issue = (scope, extra = {}) => api('POST', '/api/v1/system-tokens',
    { username: usernameOf('coordinator'), scope, ...extra }, admin);
  const patient = await createPatient(await login('coordinator'));
  const readOnly = await issue('system/Patient.read system/Appointment.rs', { days: 7 });
  assert.equal(readOnly.status, 201, readOnly.text);
  assert.equal(readOnly.body.scope, 'system/Patient.read system/Appointment.rs');
  assert.equal(readOnly.body.user.role, 'coordinator');
  const days = (Date.parse(readOnly.body.expires_at) - Date.now()) / 86_400_000;
  assert.ok(days > 6.9 && days <= 7, `expires in 7 days, not ${days}`);
  const token = readOnly.body.token;
  const get = (path) => api('GET', `${FHIR}${path}`, undefined, token);

  assert.equal((await get(`/Patient/${patient.id}`)).status, 200);
  assert.equal((await get(`/Appointment?patient=${patient.id}`)).status, 200);
  const refused = expectOutcome(await get(`/Encounter?patient=${patient.id}`), 403, 'forbidden');
  assert.match(refused.diagnostics, /Encounter\.read/);
  expectOutcome(await api('POST', `${FHIR}/Patient`, sentPatient(randomSurname(5)), token), 403, 'forbidden');
  // _include of a type the scopes leave out: left out, with a note.
  const clinic = await createClinic();
  const [slot] = await clinicSlots(clinic, { days: 2, limit: 1 });
  await book(clinic, patient.id, slot);
  const included = await get(`/Appointment?patient=${patient.id}&_include=Appointment:location&_include=Appointment:patient`);
  assert.equal(included.status, 200, included.text);
  assert.deepEqual(included.body.entry.filter((e) => e.search.mode === 'include').map((e) => e.resource.resourceType), ['Patient']);
  const note = included.body.entry.find((e) => e.search.mode === 'outcome').resource.issue.map((i) => i.diagnostics).join(' ');
  assert.match(note, /Location resources are not included/);
  // Not the rest of the API, whatever the role.
  const rest = await api('GET', `/api/v1/patients/${patient.id}`, undefined, token);
  assert.equal(rest.status, 403, rest.text);
  assert.match(rest.body.error.message, /\/fhir\/R4 only/);
  // Scopes never widen the role: the coordinator may not read the audit trail, whatever the scope says.
  const wide = await issue('user/*.*');
  assert.equal(wide.status, 201, wide.text);
  expectOutcome(await api('GET', `${FHIR}/AuditEvent`, undefined, wide.body.token), 403, 'forbidden');
  const written = await api('POST', `${FHIR}/Patient`, sentPatient(randomSurname(5)), wide.body.token);
  assert.equal(written.status, 201, written.text);

  for (const [body, field] of [[{ username: usernameOf('coordinator'), scope: 'patient/*.read' }, 'scope'],
    [{ username: usernameOf('coordinator'), scope: 'system/Patient.write', days: 400 }, 'days'],
    [{ username: usernameOf('coordinator') }, 'scope']]) {
    const res = await api('POST', '/api/v1/system-tokens', body, admin);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.field, field);
  }
  assert.equal((await api('POST', '/api/v1/system-tokens', { username: 'nobody-here', scope: 'system/*.read' }, admin)).status, 404);
  assert.equal((await api('POST', '/api/v1/system-tokens', { username: usernameOf('coordinator'), scope: 'system/*.read' },
    await login('coordinator'))).status, 403);
  // The admin sees the tokens that work and revokes one: it stops at once.
  const listed = expectStatus(await api('GET', '/api/v1/system-tokens', undefined, admin), 200);
  const mine = listed.items.find((t) => t.id === readOnly.body.id);
  assert.ok(mine, 'the new token is listed');
  assert.equal(mine.scope, 'system/Patient.read system/Appointment.rs');
  assert.equal(mine.user.username, usernameOf('coordinator'));
  assert.ok(!JSON.stringify(listed).includes(token), 'the list never shows a token');
  assert.equal((await api('DELETE', `/api/v1/system-tokens/${readOnly.body.id}`, undefined, admin)).status, 204);
  expectOutcome(await get(`/Patient/${patient.id}`), 401, 'login');
  const after = expectStatus(await api('GET', '/api/v1/system-tokens', undefined, admin), 200);
  assert.ok(!after.items.some((t) => t.id === readOnly.body.id), 'a revoked token is not listed');
  assert.equal((await api('DELETE', `/api/v1/system-tokens/${readOnly.body.id}`, undefined, admin)).status, 404);
  assert.equal((await api('GET', '/api/v1/system-tokens', undefined, await login('manager'))).status, 403);

  const events = await auditEvents({ action: 'token_issue' });
  assert.ok(events.some((e) => e.detail.includes('system/Patient.read system/Appointment.rs')), 'issuing is audited');
  assert.ok(events.every((e) => !e.detail.includes(token)), 'never the token');
  assert.ok((await auditEvents({ action: 'token_revoke' })).some((e) => e.detail.includes(`token ${readOnly.body.id} `)), 'revoking is audited');
});

test('a batch Bundle runs each entry as its own request, with the caller\'s rights, and answers each in order', async () => {
  const token = await login('coordinator');
  const patient = await createPatient(token);
  const surname = randomSurname(5);
  const batch = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: [
      { request: { method: 'GET', url: `Patient/${patient.id}` } },
      { fullUrl: 'urn:uuid:5f0a4c3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b', resource: sentPatient(surname), request: { method: 'POST', url: 'Patient' } },
      { resource: { ...sentPatient(surname), id: String(patient.id) }, request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch: 'W/"99"' } },
      { request: { method: 'GET', url: 'Patient/999999999999' } },
      { request: { method: 'GET', url: `Patient?family=${surname}` } },
      { request: { method: 'DELETE', url: `Patient/${patient.id}` } },
    ],
  };
  const res = await api('POST', FHIR, batch, token);
  assert.equal(res.status, 200, res.text);
  assertValid(res.body);
  assert.equal(res.body.type, 'batch-response');
  const answers = res.body.entry.map((e) => e.response.status);
  assert.deepEqual(answers, ['200 OK', '201 Created', '412 Precondition Failed', '404 Not Found', '200 OK', '405 Method Not Allowed']);
  const [read, created, stale, missing, found, deleted] = res.body.entry;
  assert.equal(read.resource.id, String(patient.id));
  assert.equal(read.response.etag, 'W/"1"');
  assert.equal(created.resource.resourceType, 'Patient');
  assert.match(created.response.location, new RegExp(`/fhir/R4/Patient/${created.resource.id}/_history/1$`));
  assert.equal(created.response.lastModified, created.resource.meta.lastUpdated);
  assert.equal(stale.response.outcome.issue[0].code, 'conflict');
  assert.equal(missing.response.outcome.issue[0].code, 'not-found');
  assert.equal(found.resource.type, 'searchset');
  assert.deepEqual(found.resource.entry.filter((e) => e.search.mode === 'match').map((e) => e.resource.id), [created.resource.id]);
  assert.equal(deleted.response.outcome.issue[0].code, 'not-supported');
  // Each entry is audited as if sent alone.
  const events = await auditEvents({ patient: created.resource.id });
  assert.ok(events.some((e) => e.action === 'create'), 'the create in the batch is audited');

  // The caller's role holds for every entry: the auditor reads, but may not write.
  const audited = await api('POST', FHIR, { resourceType: 'Bundle', type: 'batch', entry: batch.entry.slice(0, 2) }, await login('auditor'));
  assert.equal(audited.status, 200, audited.text);
  assert.deepEqual(audited.body.entry.map((e) => e.response.status), ['200 OK', '403 Forbidden']);

  expectOutcome(await api('POST', FHIR, { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'https://elsewhere.example/Patient/1' } }] }, token),
    400, 'invalid', 'Bundle.entry[0].request.url');
  // Percent-encoded, a url may not name the base nor climb out of it: those entries fail, the batch answers.
  const escapes = await api('POST', FHIR, { resourceType: 'Bundle', type: 'batch', entry: [
    { request: { method: 'GET', url: '%2E%2E/%2E%2E/api/v1/patients' } },
    { request: { method: 'GET', url: '%2F' } },
    { request: { method: 'GET', url: `Patient/${patient.id}` } },
  ] }, token);
  assert.equal(escapes.status, 200, escapes.text);
  assertValid(escapes.body);
  assert.deepEqual(escapes.body.entry.map((e) => e.response.status), ['400 Bad Request', '400 Bad Request', '200 OK']);
  assert.equal(escapes.body.entry[0].response.outcome.issue[0].expression[0], 'Bundle.entry[0].request.url');
  expectOutcome(await api('POST', FHIR, sentPatient(surname), token), 400, 'invalid', 'resourceType');
  expectOutcome(await api('POST', FHIR, batch, null), 401, 'login');
  const metadata = (await fhirGet('/metadata', null)).body;
  assert.deepEqual(metadata.rest[0].interaction.map((i) => i.code), ['batch', 'transaction']);
});
