// Registration: patient records, duplicate warning, search, updates and input validation.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';

import {
  api,
  baseUrl,
  createPatient,
  expectError,
  expectStatus,
  login,
  randomBirthDate,
  randomPhone,
  randomSurname,
} from './lib.mjs';

const search = async (q, extra = '') => {
  const res = await api('GET', `/api/v1/patients?q=${encodeURIComponent(q)}${extra}`, undefined, await login('coordinator'));
  const body = expectStatus(res, 200, `search ${q}`);
  assert.ok(Array.isArray(body.items), `search answer lacks items: ${res.text}`);
  return body.items;
};

const sameName = (a, b) => String(a).toLowerCase() === String(b).toLowerCase();

/** Swaps two adjacent letters of a word (a typo): "Smith" -> "Smtih". */
function transpose(word, at) {
  const i = at ?? Math.floor(word.length / 2);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

function fullPatient(overrides = {}) {
  return {
    given_name: 'Eleanor',
    middle_name: 'Rose',
    family_name: randomSurname(),
    birth_date: randomBirthDate(),
    sex: 'female',
    phone: randomPhone(),
    email: `eleanor.${Math.random().toString(36).slice(2, 8)}@example.org`,
    address: {
      line1: '12 Harbour Road',
      line2: 'Flat 3',
      city: 'Portland',
      state: 'OR',
      postal_code: '97201',
      country: 'US',
    },
    preferred_language: 'pt-BR',
    preferred_contact_method: 'sms',
    emergency_contact: { name: 'Walter Example', relationship: 'spouse', phone: randomPhone() },
    coverages: [
      {
        payer: 'Acme Health',
        member_id: 'ACM123456',
        group_number: 'GRP-77',
        relationship: 'self',
        start_date: '2024-01-01',
        end_date: '2026-12-31',
      },
      { payer: 'Second Mutual', member_id: 'SM-42', group_number: '', relationship: 'spouse', start_date: '2023-06-01', end_date: null },
    ],
    consents: [
      { kind: 'treatment', granted: true, date: '2024-01-02' },
      { kind: 'sms', granted: false, date: '2024-01-03' },
    ],
    ...overrides,
  };
}

test('registering a patient answers 201 with an id and a system-issued MRN', async () => {
  const coord = await login('coordinator');
  const body = { given_name: 'Tomas', family_name: randomSurname(), birth_date: randomBirthDate(), sex: 'male', phone: randomPhone() };
  const res = await api('POST', '/api/v1/patients', body, coord);
  const p = expectStatus(res, 201, 'registration without confirm_new of a new person');
  assert.equal(typeof p.id, 'number');
  assert.equal(typeof p.mrn, 'string');
  assert.match(p.mrn, /^MRN\d{8}$/);
  assert.equal(p.given_name, 'Tomas');
  assert.equal(p.family_name, body.family_name);
  assert.equal(p.birth_date, body.birth_date);
  // The next patient gets another MRN.
  const other = await createPatient(coord);
  assert.notEqual(other.mrn, p.mrn);
  assert.notEqual(other.id, p.id);
});

test('every registered field round-trips: address, emergency contact, coverages, consents, language, contact method', async () => {
  const coord = await login('coordinator');
  const input = fullPatient();
  const created = expectStatus(await api('POST', '/api/v1/patients', { ...input, confirm_new: true }, coord), 201);
  const got = expectStatus(await api('GET', `/api/v1/patients/${created.id}`, undefined, coord), 200);
  for (const p of [created, got]) {
    assert.equal(p.id, created.id);
    assert.equal(p.mrn, created.mrn);
    for (const k of ['given_name', 'middle_name', 'family_name', 'birth_date', 'sex', 'phone', 'email', 'preferred_language', 'preferred_contact_method']) {
      assert.equal(p[k], input[k], `${k} round-trips`);
    }
    assert.deepEqual(p.address, input.address);
    assert.deepEqual(p.emergency_contact, input.emergency_contact);
    assert.equal(p.coverages.length, 2);
    for (let i = 0; i < 2; i++) {
      const { id, ...rest } = p.coverages[i];
      assert.equal(typeof id, 'number', 'a coverage has an id');
      assert.deepEqual(rest, input.coverages[i], `coverage ${i} round-trips`);
    }
    assert.deepEqual(p.consents, input.consents);
  }
});

test('a probable duplicate is answered 409 possible_duplicate with candidates; confirm_new registers anyway', async () => {
  const coord = await login('coordinator');
  const suffix = randomSurname(2).toLowerCase();
  const birth = randomBirthDate();
  const phone = randomPhone();
  const john = await createPatient(coord, { given_name: 'John', family_name: `Smith${suffix}`, birth_date: birth, phone, sex: 'male' });

  const jon = { given_name: 'Jon', family_name: `Smyth${suffix}`, birth_date: birth, phone, sex: 'male' };
  const res = await api('POST', '/api/v1/patients', jon, coord);
  expectError(res, 409, { code: 'possible_duplicate' });
  assert.ok(Array.isArray(res.body.candidates) && res.body.candidates.length > 0, `no candidates in ${res.text}`);
  for (const c of res.body.candidates) {
    for (const k of ['id', 'mrn', 'given_name', 'family_name', 'birth_date']) assert.ok(c[k] !== undefined, `candidate lacks ${k}: ${JSON.stringify(c)}`);
    assert.ok(c.match && Array.isArray(c.match.reasons) && c.match.reasons.length > 0, `candidate lacks match.reasons: ${JSON.stringify(c)}`);
  }
  const first = res.body.candidates[0];
  assert.equal(first.id, john.id, 'the John Smith registered before is the first candidate');
  assert.equal(first.mrn, john.mrn);
  assert.equal(first.birth_date, birth);

  // Nothing was written by the refused registration.
  assert.ok(!(await search(`Jon Smyth${suffix}`)).some((p) => p.id !== john.id && sameName(p.family_name, jon.family_name)));

  const confirmed = expectStatus(await api('POST', '/api/v1/patients', { ...jon, confirm_new: true }, coord), 201, 'confirm_new');
  assert.notEqual(confirmed.id, john.id);
  assert.equal(confirmed.family_name, jon.family_name);
});

test('a typo-tolerant search "Jonh Smtih" finds John Smith first', async () => {
  const family = `Smith${randomSurname(2).toLowerCase()}`;
  const john = await createPatient(undefined, { given_name: 'John', family_name: family, sex: 'male' });
  // A decoy sharing only the given name.
  await createPatient(undefined, { given_name: 'John', family_name: randomSurname(), sex: 'male' });
  const items = await search(`Jonh ${transpose(family, 2)}`);
  assert.ok(items.length > 0, 'the typo search found nothing');
  assert.equal(items[0].id, john.id, `John ${family} is not first: ${JSON.stringify(items.slice(0, 3))}`);
  for (const k of ['id', 'mrn', 'given_name', 'family_name', 'birth_date']) assert.ok(items[0][k] !== undefined, `search item lacks ${k}`);
  assert.ok(sameName(items[0].family_name, family));
  assert.equal(items[0].birth_date, john.birth_date);
});

test('search results show names as registered, not in a normalized form', async () => {
  const family = `McKay-${randomSurname()}`;
  const p = await createPatient(undefined, { given_name: 'Anne-Marie', family_name: family, middle_name: "O'Neil" });
  const items = await search(`Anne-Marie ${family}`);
  const hit = items.find((x) => x.id === p.id);
  assert.ok(hit, 'the patient is found');
  assert.deepEqual(
    { given_name: hit.given_name, middle_name: hit.middle_name, family_name: hit.family_name },
    { given_name: 'Anne-Marie', middle_name: "O'Neil", family_name: family },
    'a search result must show the names as on the record (the list is what the front desk picks from)',
  );
});

test('search by birth date, phone number and MRN', async () => {
  const p = await createPatient();
  const byDate = await search(p.birth_date, '&limit=100');
  assert.ok(byDate.some((x) => x.id === p.id), `birth date search misses ${p.id}`);
  const byPhone = await search(p.phone);
  assert.equal(byPhone[0]?.id, p.id, 'phone search puts the patient first');
  const byMrn = await search(p.mrn);
  assert.equal(byMrn[0]?.id, p.id, 'MRN search puts the patient first');
  const byMrnLower = await search(p.mrn.toLowerCase());
  assert.equal(byMrnLower[0]?.id, p.id, 'MRN search ignores case');
});

test('search results page with limit and offset', async () => {
  const family = randomSurname();
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await createPatient(undefined, { family_name: family })).id);
  const page1 = await search(family, '&limit=2');
  const page2 = await search(family, '&limit=2&offset=2');
  assert.equal(page1.length, 2);
  const mine = [...page1, ...page2].filter((p) => ids.includes(p.id)).map((p) => p.id);
  assert.deepEqual([...mine].sort(), [...ids].sort(), 'the three patients appear once across the two pages');
  assert.equal(new Set([...page1, ...page2].map((p) => p.id)).size, page1.length + page2.length, 'pages do not overlap');
  expectError(await api('GET', `/api/v1/patients?q=${family}&limit=0`, undefined, await login('coordinator')), 400, { field: 'limit' });
});

test('GET a patient by id; an unknown id is 404', async () => {
  const coord = await login('coordinator');
  const p = await createPatient(coord);
  const got = expectStatus(await api('GET', `/api/v1/patients/${p.id}`, undefined, coord), 200);
  assert.equal(got.id, p.id);
  assert.equal(got.mrn, p.mrn);
  expectError(await api('GET', '/api/v1/patients/987654321', undefined, coord), 404);
  expectError(await api('GET', '/api/v1/patients/not-a-number', undefined, coord), 404);
  expectError(await api('PUT', '/api/v1/patients/987654321', { given_name: 'A', family_name: 'B', birth_date: '1990-01-01' }, coord), 404);
});

test('PUT updates a patient and keeps the MRN', async () => {
  const coord = await login('coordinator');
  const p = await createPatient(coord, { address: { line1: '1 Old Road', city: 'Oldtown', country: 'US' } });
  const newPhone = randomPhone();
  const update = {
    given_name: p.given_name,
    family_name: p.family_name,
    birth_date: p.birth_date,
    sex: p.sex,
    phone: newPhone,
    address: { line1: '99 New Street', city: 'Newtown', country: 'US' },
    preferred_contact_method: 'email',
    email: 'moved@example.org',
  };
  const saved = expectStatus(await api('PUT', `/api/v1/patients/${p.id}`, update, coord), 200, 'update');
  assert.equal(saved.phone, newPhone);
  const got = expectStatus(await api('GET', `/api/v1/patients/${p.id}`, undefined, coord), 200);
  assert.equal(got.mrn, p.mrn);
  assert.equal(got.phone, newPhone);
  assert.equal(got.address.line1, '99 New Street');
  assert.equal(got.address.city, 'Newtown');
  assert.equal(got.preferred_contact_method, 'email');
  assert.equal((await search(newPhone))[0]?.id, p.id, 'search finds the new phone number');
  // An impossible date in an update is refused and changes nothing.
  expectError(await api('PUT', `/api/v1/patients/${p.id}`, { ...update, birth_date: '2025-02-30' }, coord), 400, { field: 'birth_date' });
  assert.equal(expectStatus(await api('GET', `/api/v1/patients/${p.id}`, undefined, coord), 200).birth_date, p.birth_date);
});

test('an impossible birth date (2025-02-30) is 400 on birth_date and nothing is written', async () => {
  const coord = await login('coordinator');
  const family = randomSurname();
  const res = await api(
    'POST',
    '/api/v1/patients',
    { given_name: 'Feb', family_name: family, birth_date: '2025-02-30', sex: 'female', confirm_new: true },
    coord,
  );
  expectError(res, 400, { field: 'birth_date' });
  assert.ok(!(await search(family)).some((p) => sameName(p.family_name, family)), 'the refused patient was written');
  // Other malformed dates too.
  for (const bad of ['2025-13-01', '1990-1-1', 'yesterday', '2025-02-29']) {
    expectError(
      await api('POST', '/api/v1/patients', { given_name: 'Feb', family_name: family, birth_date: bad, confirm_new: true }, coord),
      400,
      { field: 'birth_date' },
    );
  }
  assert.ok(!(await search(family)).some((p) => sameName(p.family_name, family)), 'a refused patient was written');
});

test('wrong JSON types are 400 naming the field', async () => {
  const coord = await login('coordinator');
  const family = randomSurname();
  const base = { given_name: 'Typed', family_name: family, birth_date: '1980-05-05', confirm_new: true };
  expectError(await api('POST', '/api/v1/patients', { ...base, given_name: 5 }, coord), 400, { field: 'given_name' });
  expectError(await api('POST', '/api/v1/patients', { ...base, birth_date: 19800505 }, coord), 400, { field: 'birth_date' });
  expectError(await api('POST', '/api/v1/patients', { ...base, confirm_new: 'yes' }, coord), 400, { field: 'confirm_new' });
  const err = expectError(await api('POST', '/api/v1/patients', { ...base, coverages: 'Acme' }, coord), 400);
  assert.match(String(err.field), /^coverages/);
  expectError(await api('POST', '/api/v1/patients', { ...base, given_name: undefined }, coord), 400, { field: 'given_name' });
  assert.ok(!(await search(family)).some((p) => sameName(p.family_name, family)), 'a refused patient was written');
});

test('malformed JSON is 400 and nothing is written', async () => {
  const coord = await login('coordinator');
  const family = randomSurname();
  const broken = `{"given_name": "Broken", "family_name": "${family}", "birth_date": "1970-01-01",`;
  expectError(await api('POST', '/api/v1/patients', broken, coord), 400);
  expectError(await api('POST', '/api/v1/patients', '[1, 2, 3]', coord), 400);
  expectError(await api('POST', '/api/v1/patients', 'given_name=Broken', coord), 400);
  assert.ok(!(await search(family)).some((p) => sameName(p.family_name, family)), 'a malformed registration was written');
});

test('a body over 1 MiB is refused with 413 and the server keeps answering', async () => {
  const coord = await login('coordinator');
  const family = randomSurname();
  const big = JSON.stringify({
    given_name: 'Big',
    family_name: family,
    birth_date: '1970-01-01',
    confirm_new: true,
    notes: 'x'.repeat(1024 * 1024 + 100),
  });
  expectError(await api('POST', '/api/v1/patients', big, coord), 413);
  expectStatus(await api('GET', '/healthz'), 200, 'healthz after the oversize body');
  assert.ok(!(await search(family)).some((p) => sameName(p.family_name, family)), 'the oversize registration was written');
  const p = await createPatient(coord);
  assert.ok(p.id > 0, 'the server still registers patients');
});

test('an oversize body is refused from its Content-Length, before the body is sent', async () => {
  const coord = await login('coordinator');
  const res = await new Promise((resolve, reject) => {
    const url = new URL(`${baseUrl()}/api/v1/patients`);
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': 8 * 1024 * 1024, authorization: `Bearer ${coord}` },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('no answer within 5 s to a request announcing 8 MiB and sending 15 bytes'));
    }, 5000);
    req.on('response', (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        const text = Buffer.concat(chunks).toString();
        resolve({ status: r.statusCode, text, body: JSON.parse(text), what: 'POST /api/v1/patients (8 MiB announced)' });
      });
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.flushHeaders();
    req.write('{"given_name": ');
  });
  expectError(res, 413);
  expectStatus(await api('GET', '/healthz'), 200);
});
