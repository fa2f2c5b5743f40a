// Patient relations over HTTP: the public complaint form (reference number, spam traps, rate limit),
// staff intake, CMS triage, statuses and deadlines, owners, notes, attachments, the decision letter as
// PDF, settings, business calendars, the report, roles, and bad input that writes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectError, expectStatus, login, rawRequest, uid } from './lib.mjs';

const REF = /^CD-\d{4}-\d{6,9}-[0-9A-Z]$/;

async function location(tz = 'America/New_York') {
  const admin = await login('admin');
  return expectStatus(await api('POST', '/api/v1/locations', { name: `Relations ${uid()}`, time_zone: tz }, admin), 201);
}

// A public submission from its own local address, so each test has its own rate-limit budget.
let nextAddress = 10;
function fromNewAddress() {
  nextAddress += 1;
  return `127.0.3.${nextAddress}`;
}
async function submit(body, localAddress = fromNewAddress()) {
  return rawRequest('POST', '/api/v1/public/complaints', {
    body: JSON.stringify({ elapsed_ms: 30_000, website: '', ...body }),
    headers: { 'content-type': 'application/json' },
    localAddress,
  });
}

async function intake(token, loc, extra = {}) {
  return api(
    'POST',
    '/api/v1/cases',
    {
      channel: 'phone',
      category: 'communication',
      severity: 'medium',
      description: `Nobody called me back about my results ${uid()}`,
      location_id: loc.id,
      contact_name: 'Alex Example',
      contact_preference: 'phone',
      contact_phone: '555-0100',
      ...extra,
    },
    token,
  );
}

test('a patient files on the public form without signing in and gets a reference number', async () => {
  const loc = await location();
  const form = expectStatus(await api('GET', '/api/v1/public/complaint-form'), 200);
  assert.ok(form.locations.some((l) => l.id === loc.id));
  assert.ok(form.categories.includes('wait_times'));
  const description = `Waited three hours in the lobby ${uid()}`;
  const res = await submit({ name: 'Maria Lopez', email: 'maria@example.org', contact_preference: 'email',
    location_id: loc.id, category: 'wait_times', visit_date: '2026-11-02', description });
  const receipt = expectStatus(res, 201);
  assert.match(receipt.reference_number, REF);
  const coord = await login('coordinator');
  const list = expectStatus(await api('GET', `/api/v1/cases?q=${encodeURIComponent(receipt.reference_number)}`, undefined, coord), 200);
  assert.equal(list.total, 1);
  const c = list.items[0];
  assert.equal(c.description, description);
  assert.equal(c.channel, 'web_form');
  assert.equal(c.source, 'public');
  assert.equal(c.kind, 'grievance', 'a written complaint is proposed as a grievance');
  assert.equal(c.triage.proposed, 'grievance');
  assert.ok(c.triage.reasons.some((r) => r.code === 'written'));
  assert.equal(c.triage.decision, null, 'CareDesk proposes; a person confirms');
  const full = expectStatus(await api('GET', `/api/v1/cases/${c.id}`, undefined, coord), 200);
  assert.ok(full.events.some((e) => e.text.includes('2026-11-02')), 'the visit date is on the timeline');
});

test('the public form refuses bad input by field and stores nothing', async () => {
  const before = expectStatus(await api('GET', '/api/v1/cases?limit=1', undefined, await login('manager')), 200).total;
  expectError(await submit({ name: '', description: 'x' }), 400, { field: 'name' });
  expectError(await submit({ name: 'A', description: '   ' }), 400, { field: 'description' });
  expectError(await submit({ name: 'A', description: 'x', contact_preference: 'email' }), 400, { field: 'email' });
  expectError(await submit({ name: 'A', description: 'x', email: 'not-an-address' }), 400, { field: 'email' });
  expectError(await submit({ name: 'A', description: 'x', visit_date: '2025-02-30' }), 400, { field: 'visit_date' });
  expectError(await submit({ name: 'A', description: 'x', location_id: 99999999 }), 400, { field: 'location_id' });
  const after = expectStatus(await api('GET', '/api/v1/cases?limit=1', undefined, await login('manager')), 200).total;
  assert.equal(after, before);
});

test('spam is answered like a real submission but not stored', async () => {
  await location();
  const manager = await login('manager');
  const before = expectStatus(await api('GET', '/api/v1/cases?limit=1', undefined, manager), 200).total;
  const honeypot = expectStatus(await submit({ name: 'Bot', description: 'cheap pills', website: 'http://spam.example' }), 201);
  assert.match(honeypot.reference_number, REF);
  const hasty = expectStatus(await submit({ name: 'Bot', description: 'cheap pills', elapsed_ms: 400 }), 201);
  assert.match(hasty.reference_number, REF);
  const after = expectStatus(await api('GET', '/api/v1/cases?limit=1', undefined, manager), 200).total;
  assert.equal(after, before);
});

test('the public form is rate-limited per address, with Retry-After', async () => {
  await location();
  const address = fromNewAddress();
  let limited;
  for (let i = 0; i < 20 && !limited; i += 1) {
    const res = await submit({ name: 'Pat', description: `Submission ${i} ${uid()}` }, address);
    if (res.status === 429) limited = res;
    else expectStatus(res, 201, `submission ${i}`);
  }
  assert.ok(limited, 'no 429 after 20 submissions from one address');
  expectError(limited, 429, { code: 'rate_limited' });
  assert.ok(Number(limited.headers['retry-after']) > 0);
  // Another address is unaffected.
  expectStatus(await submit({ name: 'Pat', description: `Other address ${uid()}` }), 201);
});

test('a coordinator triages a concern; overriding the proposal needs a reason; QIO offer for quality of care', async () => {
  const loc = await location();
  const coord = await login('coordinator');
  const c = expectStatus(await intake(coord, loc, { facts: { quality_of_care_concern: true, response_requested: true } }), 201);
  assert.match(c.reference_number, REF);
  assert.equal(c.triage.proposed, 'grievance');
  assert.equal(c.triage.offer_qio_referral, true);
  expectError(await api('POST', `/api/v1/cases/${c.id}/triage`, { chosen: 'complaint' }, coord), 400, { field: 'override_reason' });
  const overridden = expectStatus(
    await api('POST', `/api/v1/cases/${c.id}/triage`, { chosen: 'complaint', override_reason: 'Resolved on the phone' }, coord), 200);
  assert.equal(overridden.kind, 'complaint');
  assert.equal(overridden.triage.decision.overridden, true);
  assert.equal(overridden.triage.decision.override_reason, 'Resolved on the phone');
  expectError(await api('POST', `/api/v1/cases/${c.id}/triage`, { chosen: 'grievance' }, coord), 409, { code: 'already_triaged' });

  const g = expectStatus(await intake(coord, loc, { facts: { premature_discharge_concern: true, written: true } }), 201);
  const confirmed = expectStatus(await api('POST', `/api/v1/cases/${g.id}/triage`, { chosen: 'grievance' }, coord), 200);
  assert.equal(confirmed.triage.decision.offer_qio_referral, true);
  assert.ok(confirmed.events.some((e) => e.type === 'triage' && e.text.includes('QIO')));
});

test('a grievance has the default deadlines, and a holiday moves the acknowledgement', async () => {
  const loc = await location();
  const manager = await login('manager');
  // A letter received Friday 2026-10-30 10:00 in New York; Monday 2026-11-02 is made a holiday. The
  // 30-day deadline crosses the end of daylight saving time (2026-11-01).
  expectStatus(await api('PUT', `/api/v1/locations/${loc.id}/calendar`,
    { working_weekdays: [1, 2, 3, 4, 5], holidays: ['2026-11-02'] }, manager), 200);
  const cal = expectStatus(await api('GET', `/api/v1/locations/${loc.id}/calendar`, undefined, manager), 200);
  assert.deepEqual(cal.holidays, ['2026-11-02']);
  const c = expectStatus(await intake(manager, loc, { channel: 'letter', received_at: '2026-10-30T10:00:00-04:00' }), 201);
  assert.equal(c.kind, 'grievance');
  assert.equal(c.received_at, '2026-10-30T10:00:00-04:00');
  const due = Object.fromEntries(c.deadlines.map((d) => [d.milestone, d.due]));
  assert.equal(due.acknowledge, '2026-11-04T23:59:59-05:00', '2 business days after Friday, skipping the Monday holiday');
  assert.equal(due.resolve_or_interim_notice, '2026-11-06T23:59:59-05:00', '7 calendar days');
  assert.equal(due.written_decision, '2026-11-29T23:59:59-05:00', '30 calendar days');
  assert.equal(c.overdue, true, 'received weeks ago and not acknowledged');
  const overdue = expectStatus(await api('GET', `/api/v1/cases?overdue=true&location_id=${loc.id}`, undefined, manager), 200);
  assert.deepEqual(overdue.items.map((i) => i.id), [c.id]);
  expectError(await api('PUT', `/api/v1/locations/${loc.id}/calendar`, { working_weekdays: [9], holidays: [] }, manager), 400,
    { field: 'working_weekdays' });
  expectError(await api('PUT', `/api/v1/locations/${loc.id}/calendar`, { working_weekdays: [1], holidays: ['2026-02-30'] }, manager),
    400, { field: 'holidays[0]' });
});

test('a grievance is worked, lettered as PDF, sent and closed; closing before the letter is refused', async () => {
  const loc = await location();
  const coord = await login('coordinator');
  const owners = expectStatus(await api('GET', '/api/v1/cases/owners', undefined, coord), 200).items;
  const me = owners.find((o) => o.role === 'coordinator');
  assert.ok(me);
  let c = expectStatus(await intake(coord, loc, { channel: 'email', contact_name: 'José Núñez', received_at: '2026-11-02T09:00:00-05:00' }), 201);
  c = expectStatus(await api('POST', `/api/v1/cases/${c.id}/triage`, { chosen: 'grievance' }, coord), 200);
  c = expectStatus(await api('POST', `/api/v1/cases/${c.id}/owner`, { owner_user_id: me.id }, coord), 200);
  assert.equal(c.owner_user_id, me.id);
  c = expectStatus(await api('POST', `/api/v1/cases/${c.id}/status`, { status: 'acknowledged', note: 'Called back' }, coord), 200);
  // Received on 2 November, acknowledged today: late.
  assert.equal(c.deadlines.find((d) => d.milestone === 'acknowledge').state, 'met_late');
  expectError(await api('POST', `/api/v1/cases/${c.id}/status`, { status: 'closed' }, coord), 409, { code: 'invalid_transition' });
  c = expectStatus(await api('POST', `/api/v1/cases/${c.id}/notes`, { type: 'action', text: 'Reviewed the call log' }, coord), 200);
  assert.equal(c.events.at(-1).type, 'action');
  c = expectStatus(await api('POST', `/api/v1/cases/${c.id}/interim-notice`, { text: 'Emailed' }, coord), 200);
  assert.equal(c.deadlines.find((d) => d.milestone === 'resolve_or_interim_notice').state, 'met_late');
  c = expectStatus(await api('POST', `/api/v1/cases/${c.id}/status`, { status: 'resolved' }, coord), 200);
  expectError(await api('POST', `/api/v1/cases/${c.id}/status`, { status: 'closed' }, coord), 409, { code: 'letter_required' });

  const letter = {
    contact_name: 'Dana Ruiz', contact_title: 'Patient Relations Manager', contact_phone: '(212) 555-0100',
    investigation_steps: 'We reviewed the call log.', results: 'A callback rota is now in place.', completion_date: '2026-11-20',
  };
  expectError(await api('PUT', `/api/v1/cases/${c.id}/letter`, { ...letter, contact_phone: 'call us' }, coord), 400,
    { field: 'contact_phone' });
  expectError(await api('PUT', `/api/v1/cases/${c.id}/letter`, { ...letter, results: '' }, coord), 400, { field: 'results' });
  c = expectStatus(await api('PUT', `/api/v1/cases/${c.id}/letter`, letter, coord), 200);
  for (const part of ['José Núñez', 'Dana Ruiz', 'We reviewed the call log.', 'A callback rota is now in place.', 'November 20, 2026', c.reference_number]) {
    assert.ok(c.letter.rendered_text.includes(part), `the letter holds ${part}`);
  }
  const pdf = await fetch(`${process.env.BASE_URL}/api/v1/cases/${c.id}/letter.pdf`, { headers: { authorization: `Bearer ${coord}` } });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const bytes = Buffer.from(await pdf.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  c = expectStatus(await api('POST', `/api/v1/cases/${c.id}/letter/send`, undefined, coord), 200);
  assert.ok(c.decision_letter_at);
  assert.equal(c.deadlines.find((d) => d.milestone === 'written_decision').state, 'met');
  expectError(await api('PUT', `/api/v1/cases/${c.id}/letter`, letter, coord), 409, { code: 'letter_sent' });
  c = expectStatus(await api('POST', `/api/v1/cases/${c.id}/status`, { status: 'closed' }, coord), 200);
  assert.equal(c.status, 'closed');
  assert.deepEqual(c.allowed_next_statuses, ['reopened']);
});

test('attachments are stored byte for byte and downloaded with their name', async () => {
  const loc = await location();
  const coord = await login('coordinator');
  const c = expectStatus(await intake(coord, loc), 201);
  const content = Buffer.from([0, 1, 2, 250, 251, 252, 255, 10, 13, 0]);
  const res = await fetch(`${process.env.BASE_URL}/api/v1/cases/${c.id}/attachments?filename=scan.bin`, {
    method: 'POST', headers: { authorization: `Bearer ${coord}`, 'content-type': 'application/octet-stream' }, body: content,
  });
  assert.equal(res.status, 201);
  const att = await res.json();
  assert.equal(att.size, content.length);
  const down = await fetch(`${process.env.BASE_URL}/api/v1/cases/${c.id}/attachments/${att.id}`, { headers: { authorization: `Bearer ${coord}` } });
  assert.equal(down.status, 200);
  assert.deepEqual(Buffer.from(await down.arrayBuffer()), content);
  assert.match(down.headers.get('content-disposition'), /filename="scan.bin"/);
  expectError(await api('POST', `/api/v1/cases/${c.id}/attachments?filename=a/b`, 'x', coord, { headers: { 'content-type': 'text/plain' } }),
    400, { field: 'filename' });
  expectError(await api('GET', `/api/v1/cases/${c.id}/attachments/99999999`, undefined, coord), 404);
});

test('inquiries have owners and deadlines but no triage; lists filter and page', async () => {
  const loc = await location();
  const coord = await login('coordinator');
  expectError(await intake(coord, loc, { kind: 'inquiry' }), 400, { field: 'inquiry_type' });
  const q = expectStatus(await intake(coord, loc, { kind: 'inquiry', inquiry_type: 'billing', description: `Billed twice ${uid()}` }), 201);
  assert.equal(q.kind, 'inquiry');
  assert.equal(q.triage, null);
  assert.deepEqual(q.deadlines.map((d) => d.milestone), ['acknowledge', 'resolve']);
  expectError(await api('POST', `/api/v1/cases/${q.id}/triage`, { chosen: 'grievance' }, coord), 409);
  const list = expectStatus(await api('GET', `/api/v1/cases?kind=inquiry&location_id=${loc.id}`, undefined, coord), 200);
  assert.equal(list.total, 1);
  assert.equal(list.items[0].id, q.id);
  assert.equal(list.items[0].events, undefined, 'lists carry no timeline');
  const byCategory = expectStatus(await api('GET', `/api/v1/cases?category=communication&location_id=${loc.id}`, undefined, coord), 200);
  assert.equal(byCategory.total, 1);
  const none = expectStatus(await api('GET', `/api/v1/cases?category=privacy&location_id=${loc.id}`, undefined, coord), 200);
  assert.equal(none.total, 0);
  const open = expectStatus(await api('GET', `/api/v1/cases?open=true&location_id=${loc.id}&limit=1`, undefined, coord), 200);
  assert.equal(open.items.length, 1);
  expectError(await api('GET', '/api/v1/cases?kind=riddle', undefined, coord), 400, { field: 'kind' });
  expectError(await api('GET', '/api/v1/cases?limit=0', undefined, coord), 400);
});

test('staff intake refuses bad input by field and writes nothing', async () => {
  const loc = await location();
  const coord = await login('coordinator');
  const count = async () => expectStatus(await api('GET', `/api/v1/cases?location_id=${loc.id}`, undefined, coord), 200).total;
  expectError(await intake(coord, loc, { channel: 'fax' }), 400, { field: 'channel' });
  expectError(await intake(coord, loc, { category: 'nonsense' }), 400, { field: 'category' });
  expectError(await intake(coord, loc, { severity: 'apocalyptic' }), 400, { field: 'severity' });
  expectError(await intake(coord, loc, { description: '' }), 400, { field: 'description' });
  expectError(await intake(coord, loc, { description: 'x'.repeat(10_001) }), 400, { field: 'description' });
  expectError(await intake(coord, loc, { kind: 'grievance' }), 400, { field: 'kind' });
  expectError(await intake(coord, loc, { patient_id: 99999999 }), 422, { field: 'patient_id' });
  expectError(await intake(coord, loc, { received_at: '2099-01-01T00:00:00Z' }), 400, { field: 'received_at' });
  expectError(await intake(coord, loc, { facts: { written: 'yes' } }), 400, { field: 'facts.written' });
  expectError(await api('POST', '/api/v1/cases', '{"channel":', coord), 400);
  assert.equal(await count(), 0);
  const c = expectStatus(await intake(coord, loc), 201);
  expectError(await api('POST', `/api/v1/cases/${c.id}/status`, { status: 'sideways' }, coord), 400, { field: 'status' });
  expectError(await api('POST', `/api/v1/cases/${c.id}/notes`, { type: 'gossip', text: 'x' }, coord), 400, { field: 'type' });
  expectError(await api('POST', `/api/v1/cases/${c.id}/notes`, { text: ' ' }, coord), 400, { field: 'text' });
  expectError(await api('POST', `/api/v1/cases/${c.id}/owner`, { owner_user_id: 99999999 }, coord), 422, { field: 'owner_user_id' });
  expectError(await api('GET', '/api/v1/cases/99999999', undefined, coord), 404);
});

test('roles: auditors read, clinicians and billing see nothing, only managers change settings', async () => {
  const loc = await location();
  const coord = await login('coordinator');
  const c = expectStatus(await intake(coord, loc), 201);
  const auditor = await login('auditor');
  expectStatus(await api('GET', `/api/v1/cases/${c.id}`, undefined, auditor), 200);
  expectError(await api('POST', `/api/v1/cases/${c.id}/notes`, { text: 'x' }, auditor), 403);
  for (const role of ['clinician', 'billing']) {
    expectError(await api('GET', '/api/v1/cases', undefined, await login(role)), 403);
  }
  expectError(await api('GET', '/api/v1/cases'), 401);
  expectError(await api('PUT', '/api/v1/relations/settings', { categories: ['a'] }, coord), 403);
  const manager = await login('manager');
  const settings = expectStatus(await api('GET', '/api/v1/relations/settings', undefined, manager), 200);
  expectError(await api('PUT', '/api/v1/relations/settings', { categories: ['Bad Name'] }, manager), 400, { field: 'categories' });
  expectError(await api('PUT', '/api/v1/relations/settings', { letter_template: 'Dear {{patient_name}}' }, manager), 400,
    { field: 'template' });
  expectError(await api('PUT', '/api/v1/relations/settings',
    { deadline_policy: { grievance: [{ milestone: 'acknowledge', days: -1, count: 'business_days' }] } }, manager), 400,
  { field: 'deadline_policy.grievance[0].days' });
  const saved = expectStatus(await api('PUT', '/api/v1/relations/settings', { organization_name: 'Riverside Clinic' }, manager), 200);
  assert.equal(saved.organization_name, 'Riverside Clinic');
  assert.deepEqual(saved.categories, settings.categories);
});

test('the report counts cases per 1,000 visits and the share within deadline', async () => {
  const loc = await location();
  const manager = await login('manager');
  const c = expectStatus(await intake(manager, loc, { category: 'privacy' }), 201);
  expectStatus(await api('POST', `/api/v1/cases/${c.id}/status`, { status: 'acknowledged' }, manager), 200);
  const today = c.received_at.slice(0, 10);
  const r = expectStatus(await api('GET', `/api/v1/relations/report?from=${today}&to=${today}&location_id=${loc.id}`, undefined, manager), 200);
  assert.equal(r.cases, 1);
  assert.deepEqual(r.by_category.map((k) => [k.key, k.count]), [['privacy', 1]]);
  assert.equal(r.within_deadline_share, 1);
  assert.equal(r.open_now, 1);
  assert.equal(r.by_month.length, 1);
  expectError(await api('GET', '/api/v1/relations/report?from=2026-02-30&to=2026-03-01', undefined, manager), 400, { field: 'from' });
  expectError(await api('GET', '/api/v1/relations/report?from=2026-03-01&to=2026-02-01', undefined, manager), 400, { field: 'to' });
});

test('the test clock exists only on a server started with --test-clock', async () => {
  const res = await api('POST', '/api/v1/test/clock', { advance_hours: 24 }, await login('admin'));
  assert.ok(res.status === 404 || res.status === 405, `expected no such route, got ${res.status}`);
});
