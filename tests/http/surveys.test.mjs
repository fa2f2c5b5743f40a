// Patient-experience surveys over HTTP: the builder and its versions, the HCAHPS template, sending
// after a completed visit (email through the SMTP sink, or a printed slip with a QR code), the public
// answer page and opt-out, vendor imports, scores, permissions and settings validation.
//
// The survey settings are global (one active survey): every test that sends makes its own survey and
// activates it, and looks only at the invitations of its own new location. Reminders need a movable
// clock (--test-clock) and are covered by the C++ tests instead.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { FHIR, assertValid, expectOutcome, fhirGet } from './fhir_lib.mjs';
import {
  api,
  auditEvents,
  book,
  createClinic,
  createPatient,
  decodeQuotedPrintable,
  expectError,
  expectStatus,
  login,
  mailTo,
  rawRequest,
  slotsOnLocalDay,
  uid,
  usernameOf,
} from './lib.mjs';

const BASE = 'http://example.test';

// ---------------------------------------------------------------------------------------------
// Helpers

/** A survey id unique to this run. */
const surveyId = () => `t_${uid()}`;

/** A survey with one item of every scored kind, a free-text item and two measures. */
function draft(id, title = `Visit survey ${id}`) {
  return {
    id,
    title,
    items: [
      { id: 'courtesy', text: 'How often did staff treat you with courtesy?', kind: 'frequency', measure_id: 'staff' },
      { id: 'explained', text: 'Were things explained to you?', kind: 'yes_no', measure_id: 'staff' },
      { id: 'rating', text: 'Rate the clinic from 0 to 10', kind: 'rating_0_10' },
      { id: 'recommend', text: 'Would you recommend us?', kind: 'recommend' },
      { id: 'understood', text: 'I understood my care plan', kind: 'agreement', measure_id: 'plan' },
      { id: 'nps', text: 'How likely are you to recommend us to a friend?', kind: 'nps' },
      { id: 'comment', text: 'Anything else?', kind: 'free_text' },
    ],
  };
}

async function createSurvey(id = surveyId()) {
  return expectStatus(await api('POST', '/api/v1/surveys', draft(id), await login('manager')), 201, `creating survey ${id}`);
}

async function putSettings(body, role = 'manager') {
  return api('PUT', '/api/v1/surveys/settings', body, await login(role));
}

/** Makes `id` the active survey, sending at once with one reminder a week to http://example.test. */
async function activate(id) {
  const s = expectStatus(
    await putSettings({
      active_survey_id: id,
      send_after_hours: 0,
      expires_days: 30,
      max_reminders: 1,
      reminder_after_days: 7,
      public_base_url: BASE,
    }),
    200,
    `activating survey ${id}`,
  );
  assert.equal(s.active_survey_id, id);
  return s;
}

async function dispatch() {
  const r = expectStatus(await api('POST', '/api/v1/surveys/dispatch', {}, await login('manager')), 200, 'dispatch');
  for (const k of ['invited', 'emailed', 'to_print', 'reminded', 'failed', 'opted_out_skipped']) {
    assert.equal(typeof r[k], 'number', `dispatch report field ${k}: ${JSON.stringify(r)}`);
  }
  return r;
}

/** The invitations of one location (as coordinator), with extra query parameters. */
async function invitationsAt(locationId, query = {}) {
  const q = new URLSearchParams({ location_id: String(locationId), limit: '200', ...query });
  const body = expectStatus(await api('GET', `/api/v1/surveys/invitations?${q}`, undefined, await login('coordinator')), 200);
  assert.ok(Array.isArray(body.items), `invitations answer lacks items: ${JSON.stringify(body)}`);
  assert.equal(typeof body.total, 'number');
  for (const i of body.items) assert.equal(i.location_id, locationId, 'the location_id filter holds');
  return body;
}

/**
 * Books the `index`-th open slot today of the clinic's provider for the patient, checks in and walks
 * the encounter to completed. Returns the encounter.
 */
async function completedVisit(clinic, patient, index = 0) {
  const slots = await slotsOnLocalDay(clinic, 0);
  assert.ok(slots.length > index, `the clinic has at least ${index + 1} open slot(s) today`);
  const appt = await book(clinic, patient.id, slots[index]);
  const enc = expectStatus(await api('POST', `/api/v1/appointments/${appt.id}/check-in`, {}, await login('coordinator')), 201, 'check-in');
  const clinician = await login('clinician');
  for (const to of ['roomed', 'with_provider', 'checkout', 'completed']) {
    expectStatus(await api('POST', `/api/v1/encounters/${enc.id}/transition`, { to }, clinician), 200, `transition to ${to}`);
  }
  return enc;
}

/** A new clinic, a patient, a completed visit, the survey active and a dispatch; returns all. */
async function invitedVisit(patientOverrides = {}) {
  const clinic = await createClinic();
  const patient = await createPatient(undefined, patientOverrides);
  const survey = await createSurvey();
  const enc = await completedVisit(clinic, patient);
  await activate(survey.id);
  const report = await dispatch();
  assert.ok(report.invited >= 1, `dispatch invited nobody: ${JSON.stringify(report)}`);
  const list = await invitationsAt(clinic.location.id);
  assert.equal(list.items.length, 1, `one invitation for the new location: ${JSON.stringify(list.items)}`);
  const inv = list.items[0];
  assert.equal(inv.encounter_id, enc.id);
  assert.equal(inv.patient_id, patient.id);
  assert.equal(inv.survey_id, survey.id);
  assert.equal(inv.survey_version, 1);
  return { clinic, patient, survey, enc, inv, report };
}

/** A fresh link for an invitation, from a printed slip (as coordinator). */
async function printSlip(invitationId) {
  const slip = expectStatus(
    await api('POST', `/api/v1/surveys/invitations/${invitationId}/print`, {}, await login('coordinator')),
    200,
    'printing a slip',
  );
  const m = /^http:\/\/example\.test\/s\/([A-Za-z0-9_-]+)$/.exec(slip.url);
  assert.ok(m, `the slip's url is <public_base_url>/s/<token>: ${slip.url}`);
  return { slip, token: m[1] };
}

// Public requests come from their own local address each, so each test has its own rate-limit budget.
let nextAddress = 10;
const newAddress = () => `127.0.4.${++nextAddress}`;

async function publicGet(token) {
  return api('GET', `/api/v1/public/surveys/${token}`);
}

async function publicPost(path, body, localAddress) {
  return rawRequest('POST', path, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    localAddress,
  });
}

const answer = (token, answers, address) => publicPost(`/api/v1/public/surveys/${token}`, { answers }, address);



// The settings are global: put back what was there when this file started.
let savedSettings;
before(async () => {
  savedSettings = expectStatus(await api('GET', '/api/v1/surveys/settings', undefined, await login('manager')), 200);
});
after(async () => {
  if (!savedSettings) return;
  const { mail_enabled, ...writable } = savedSettings;
  await putSettings(writable);
});

// ---------------------------------------------------------------------------------------------
// The builder

test('the builder makes version 1 with default boxes, keeps old versions, and refuses bad drafts by field', async () => {
  const manager = await login('manager');
  const id = surveyId();
  const v1 = expectStatus(await api('POST', '/api/v1/surveys', draft(id), manager), 201, 'creating a survey');
  assert.equal(v1.id, id);
  assert.equal(v1.version, 1);
  assert.deepEqual(v1.versions, [1]);
  assert.equal(v1.responses, 0);
  assert.equal(v1.active, false);
  assert.equal(v1.items.length, 7);
  const item = (v, itemId) => v.items.find((i) => i.id === itemId);
  assert.deepEqual(item(v1, 'courtesy').boxes, {
    top: [4], middle: [3], bottom: [1, 2], top_label: 'Always', middle_label: 'Usually', bottom_label: 'Sometimes or never',
  });
  assert.deepEqual(item(v1, 'courtesy').options.map((o) => [o.value, o.label]),
    [[1, 'Never'], [2, 'Sometimes'], [3, 'Usually'], [4, 'Always']]);
  assert.deepEqual(item(v1, 'explained').boxes.top, [1]);
  assert.deepEqual(item(v1, 'explained').boxes.bottom, [0]);
  assert.deepEqual(item(v1, 'rating').boxes.top, [9, 10]);
  assert.deepEqual(item(v1, 'rating').boxes.middle, [7, 8]);
  assert.equal(item(v1, 'rating').options.length, 11);
  assert.deepEqual(item(v1, 'nps').boxes.bottom, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(item(v1, 'comment').boxes, null, 'a free-text item has no boxes');
  assert.deepEqual(item(v1, 'comment').options, []);
  // Measures are made from the items' measure_ids, in order.
  assert.deepEqual(v1.measures.map((m) => [m.id, m.item_ids]), [['staff', ['courtesy', 'explained']], ['plan', ['understood']]]);

  const got = expectStatus(await api('GET', `/api/v1/surveys/${id}`, undefined, manager), 200);
  assert.equal(got.version, 1);
  assert.deepEqual(got.items, v1.items);

  // A new version: its id in the body is ignored.
  const changed = draft('ignored-id', 'Visit survey, second edition');
  changed.items[0].text = 'How often were staff polite to you?';
  const v2 = expectStatus(await api('POST', `/api/v1/surveys/${id}/versions`, changed, manager), 201, 'a second version');
  assert.equal(v2.id, id);
  assert.equal(v2.version, 2);
  assert.deepEqual(v2.versions, [1, 2]);
  assert.equal(v2.items[0].text, 'How often were staff polite to you?');
  const latest = expectStatus(await api('GET', `/api/v1/surveys/${id}`, undefined, manager), 200);
  assert.equal(latest.version, 2);
  assert.equal(latest.title, 'Visit survey, second edition');
  const old = expectStatus(await api('GET', `/api/v1/surveys/${id}/versions/1`, undefined, manager), 200);
  assert.equal(old.version, 1);
  assert.equal(old.items[0].text, 'How often did staff treat you with courtesy?', 'a version never changes');
  assert.deepEqual(old.versions, [1, 2]);
  expectError(await api('GET', `/api/v1/surveys/${id}/versions/3`, undefined, manager), 404);
  expectError(await api('GET', `/api/v1/surveys/t_missing_${uid()}`, undefined, manager), 404);

  const list = expectStatus(await api('GET', '/api/v1/surveys', undefined, manager), 200);
  const row = list.items.find((s) => s.id === id);
  assert.ok(row, `GET /api/v1/surveys lists ${id}`);
  assert.equal(row.latest_version, 2);
  assert.equal(row.title, 'Visit survey, second edition');
  assert.equal(row.responses, 0);

  // Bad drafts name the field and store nothing.
  const bad = draft(surveyId());
  bad.items[1].kind = 'stars';
  expectError(await api('POST', '/api/v1/surveys', bad, manager), 400, { field: 'items[1].kind' });
  const { items, ...noItems } = draft(surveyId());
  expectError(await api('POST', '/api/v1/surveys', noItems, manager), 400, { field: 'items' });
  const dup = draft(surveyId());
  dup.items[2].id = 'courtesy';
  expectError(await api('POST', '/api/v1/surveys', dup, manager), 400, { code: 'duplicate_id', field: 'items[2].id' });
  expectError(await api('POST', '/api/v1/surveys', draft('has space'), manager), 400, { field: 'id' });
  expectError(await api('GET', `/api/v1/surveys/${bad.id}`, undefined, manager), 404, 'a refused draft is not stored');
  expectError(await api('POST', '/api/v1/surveys', draft(id), manager), 409, { code: 'survey_exists' });
  assert.equal(expectStatus(await api('GET', `/api/v1/surveys/${id}`, undefined, manager), 200).version, 2);
});

test('GET /api/v1/surveys/kinds lists the 7 item kinds with their options and default boxes', async () => {
  const kinds = expectStatus(await api('GET', '/api/v1/surveys/kinds', undefined, await login('manager')), 200).items;
  assert.deepEqual(kinds.map((k) => k.kind).sort(),
    ['agreement', 'free_text', 'frequency', 'nps', 'rating_0_10', 'recommend', 'yes_no']);
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  assert.equal(byKind.get('free_text').scored, false);
  assert.equal(byKind.get('free_text').default_boxes, null);
  assert.deepEqual(byKind.get('free_text').options, []);
  assert.equal(byKind.get('frequency').scored, true);
  assert.deepEqual(byKind.get('yes_no').options, [{ value: 0, label: 'No' }, { value: 1, label: 'Yes' }]);
  assert.deepEqual(byKind.get('recommend').options.map((o) => o.label),
    ['Definitely no', 'Probably no', 'Probably yes', 'Definitely yes']);
  assert.deepEqual(byKind.get('agreement').options.map((o) => o.label),
    ['Strongly disagree', 'Disagree', 'Agree', 'Strongly agree']);
  assert.deepEqual(byKind.get('nps').default_boxes.top, [9, 10]);
  assert.deepEqual(byKind.get('nps').default_boxes.middle, [7, 8]);
  assert.deepEqual(byKind.get('nps').default_boxes.bottom, [0, 1, 2, 3, 4, 5, 6]);
});

test('the HCAHPS template has the 19 scored questions, a free-text comment and 10 measures', async () => {
  const manager = await login('manager');
  const res = await api('POST', '/api/v1/surveys/hcahps', {}, manager);
  let survey;
  if (res.status === 409) {
    expectError(res, 409);
    survey = expectStatus(await api('GET', '/api/v1/surveys/hcahps', undefined, manager), 200);
  } else {
    survey = expectStatus(res, 201, 'creating the HCAHPS template');
    assert.equal(survey.version, 1);
    expectError(await api('POST', '/api/v1/surveys/hcahps', {}, manager), 409, 'a second HCAHPS template');
  }
  assert.equal(survey.id, 'hcahps');
  const scored = survey.items.filter((i) => i.kind !== 'free_text');
  assert.deepEqual(scored.map((i) => i.id),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 14, 16, 17, 18, 19, 20, 21, 22].map((n) => `q${n}`));
  const comment = survey.items.filter((i) => i.kind === 'free_text');
  assert.deepEqual(comment.map((i) => i.id), ['comment']);
  assert.equal(comment[0].measure_id, '');
  const kindOf = (id) => survey.items.find((i) => i.id === id).kind;
  assert.equal(kindOf('q1'), 'frequency');
  assert.equal(kindOf('q16'), 'yes_no');
  assert.equal(kindOf('q18'), 'rating_0_10');
  assert.equal(kindOf('q19'), 'recommend');
  assert.equal(kindOf('q20'), 'agreement');
  assert.equal(survey.measures.length, 10);
  const nurses = survey.measures.find((m) => m.id === 'H_COMP_1');
  assert.ok(nurses, 'measure H_COMP_1');
  assert.deepEqual(nurses.item_ids, ['q1', 'q2', 'q3']);
  assert.equal(nurses.name, 'Communication with Nurses');
  assert.deepEqual(survey.measures.find((m) => m.id === 'H_COMP_7').item_ids, ['q20', 'q21', 'q22']);
});

// ---------------------------------------------------------------------------------------------
// Sending, answering, scores

test('a completed visit is emailed a link; the patient answers once; comments and scores show it', async () => {
  const email = `survey-${uid()}@example.org`;
  const { clinic, patient, survey, enc, inv, report } = await invitedVisit({ email, preferred_contact_method: 'email' });
  assert.ok(report.emailed >= 1, `dispatch emailed nobody: ${JSON.stringify(report)}`);
  assert.equal(inv.channel, 'email');
  assert.equal(inv.email, email);
  assert.equal(inv.state, 'valid');
  assert.equal(inv.location_name, clinic.location.name);
  assert.equal(inv.provider_id, clinic.providers[0].id);
  assert.equal(inv.department, 'Family medicine', "the department is the provider's specialty");
  assert.notEqual(inv.sent_at, null, 'the invitation records when it was emailed');
  assert.equal(inv.printed_at, null);
  assert.equal(inv.reminders, 0);
  assert.match(inv.visit_date, /^\d{4}-\d{2}-\d{2}$/);

  // The email: to the patient, with the link and the patient's given name.
  const mails = await mailTo(email);
  assert.equal(mails.length, 1, `one message to ${email} in the SMTP sink`);
  const body = decodeQuotedPrintable(mails[0].data);
  const link = /http:\/\/example\.test\/s\/([A-Za-z0-9_-]+)/.exec(body);
  assert.ok(link, `the email holds ${BASE}/s/<token>:\n${body}`);
  const token = link[1];
  assert.ok(body.includes(patient.given_name), `the email greets ${patient.given_name}:\n${body}`);

  // The public page, without signing in.
  const page = expectStatus(await publicGet(token), 200, 'the public survey page');
  assert.equal(page.state, 'valid');
  assert.equal(page.visit.location_name, clinic.location.name);
  assert.equal(page.visit.date, inv.visit_date);
  assert.equal(page.survey.title, survey.title);
  assert.deepEqual(page.survey.items.map((i) => i.id), survey.items.map((i) => i.id));
  assert.ok(page.survey.items.every((i) => !('boxes' in i)), 'the public page does not show the scoring boxes');

  const marker = uid();
  const comment = `The nurse was kind and explained everything clearly ${marker}`;
  const address = newAddress();
  // "recommend" is left unanswered: unanswered items are allowed.
  const answers = [
    { item_id: 'courtesy', value: 4 },
    { item_id: 'explained', value: 0 },
    { item_id: 'rating', value: 8 },
    { item_id: 'understood', value: 4 },
    { item_id: 'nps', value: 10 },
    { item_id: 'comment', text: comment },
  ];
  const ok = expectStatus(await answer(token, answers, address), 201, 'answering');
  assert.equal(typeof ok.message, 'string');
  expectError(await answer(token, answers, address), 409, { code: 'token_used' });
  const used = expectStatus(await publicGet(token), 200);
  assert.equal(used.state, 'used');
  assert.equal(used.survey, null, 'no questions once answered');
  const listed = (await invitationsAt(clinic.location.id)).items.find((i) => i.id === inv.id);
  assert.equal(listed.state, 'used');
  assert.notEqual(listed.used_at, null);
  assert.equal((await invitationsAt(clinic.location.id, { state: 'used' })).items.length, 1);
  assert.equal((await invitationsAt(clinic.location.id, { state: 'valid' })).items.length, 0);

  // The free text is a comment (source survey) for the managers.
  const manager = await login('manager');
  const comments = expectStatus(await api('GET', `/api/v1/comments?source=survey&q=${marker}`, undefined, manager), 200);
  assert.equal(comments.total, 1, `one survey comment with ${marker}: ${JSON.stringify(comments)}`);
  assert.equal(comments.items[0].text, comment);
  assert.equal(comments.items[0].location_id, clinic.location.id);
  assert.equal(comments.items[0].department, 'Family medicine');

  const got = expectStatus(await api('GET', `/api/v1/surveys/${survey.id}`, undefined, manager), 200);
  assert.equal(got.responses, 1);
  assert.equal(got.active, true);

  // Scores of this location: exactly this one response. The range is the visit's own date (see the
  // report: the default range ends at today in UTC, not at the location).
  const q = new URLSearchParams({ location_id: String(clinic.location.id), group_by: 'department', from: inv.visit_date, to: inv.visit_date });
  const scores = expectStatus(await api('GET', `/api/v1/surveys/${survey.id}/scores?${q}`, undefined, manager), 200, 'scores');
  assert.equal(scores.survey_id, survey.id);
  assert.equal(scores.version, 1);
  assert.equal(scores.group_by, 'department');
  assert.equal(scores.responses, 1);
  assert.equal(scores.invitations, 1);
  assert.equal(scores.response_rate, 1);
  const itemScore = (s, id) => s.items.find((i) => i.item_id === id);
  const overall = scores.overall;
  assert.equal(overall.responses, 1);
  assert.deepEqual(
    ['courtesy', 'explained', 'rating', 'recommend', 'understood', 'nps'].map((id) => {
      const i = itemScore(overall, id);
      return [id, i.answered, i.top, i.middle, i.bottom];
    }),
    [
      ['courtesy', 1, 100, 0, 0], // 4 Always: top box
      ['explained', 1, 0, 0, 100], // 0 No: bottom box
      ['rating', 1, 0, 100, 0], // 8: middle box (7 or 8)
      ['recommend', 0, null, null, null], // not answered
      ['understood', 1, 100, 0, 0], // 4 Strongly agree: top box
      ['nps', 1, 100, 0, 0], // 10: promoter
    ],
  );
  const text = itemScore(overall, 'comment');
  assert.deepEqual([text.kind, text.answered, text.top, text.linear_mean], ['free_text', 1, null, null], 'free text is counted, not scored');
  const measure = (id) => overall.measures.find((m) => m.measure_id === id);
  assert.equal(measure('staff').top, 50, 'a composite is the plain mean of its items (100 and 0)');
  assert.equal(measure('staff').bottom, 50);
  assert.equal(measure('plan').top, 100);
  const nps = overall.nps.find((n) => n.item_id === 'nps');
  assert.deepEqual([nps.promoters, nps.passives, nps.detractors], [1, 0, 0], 'NPS counts answers');
  assert.equal(nps.nps, 100);
  assert.equal(scores.groups.length, 1, `one department group: ${JSON.stringify(scores.groups)}`);
  const [group] = scores.groups;
  assert.equal(group.key, 'Family medicine');
  assert.equal(group.responses, 1);
  assert.equal(group.invitations, 1);
  assert.equal(group.response_rate, 1);
  assert.equal(itemScore(group.scores, 'courtesy').top, 100);

  // A second dispatch does not invite the same visit again.
  await dispatch();
  const again = await invitationsAt(clinic.location.id);
  assert.deepEqual(again.items.map((i) => i.encounter_id), [enc.id], 'at most one invitation per encounter');
  assert.equal((await mailTo(email, 0)).length, 1, 'no second email');
});

test('a patient without email gets a printed slip with a QR code whose link works', async () => {
  const { clinic, inv, report } = await invitedVisit({ email: '' });
  assert.ok(report.to_print >= 1, `dispatch put nothing to print: ${JSON.stringify(report)}`);
  assert.equal(inv.channel, 'print');
  assert.equal(inv.email, '');
  assert.equal(inv.sent_at, null, 'nothing was emailed');
  assert.equal(inv.printed_at, null);
  assert.equal(inv.state, 'valid');
  assert.deepEqual((await invitationsAt(clinic.location.id, { channel: 'print', printed: 'false' })).items.map((i) => i.id), [inv.id]);
  assert.equal((await invitationsAt(clinic.location.id, { channel: 'email' })).items.length, 0);
  assert.equal((await invitationsAt(clinic.location.id, { printed: 'true' })).items.length, 0);

  const { slip, token } = await printSlip(inv.id);
  assert.ok(slip.qr_svg.startsWith('<svg'), `qr_svg is an SVG: ${slip.qr_svg.slice(0, 80)}`);
  assert.equal(slip.location_name, clinic.location.name);
  assert.equal(slip.visit_date, inv.visit_date);
  assert.equal(typeof slip.survey_title, 'string');
  assert.ok(slip.patient_name.length > 0);

  const page = expectStatus(await publicGet(token), 200);
  assert.equal(page.state, 'valid');
  assert.ok(page.survey.items.length > 0);

  const printed = await invitationsAt(clinic.location.id, { printed: 'true' });
  assert.deepEqual(printed.items.map((i) => i.id), [inv.id]);
  assert.notEqual(printed.items[0].printed_at, null);
  assert.equal((await invitationsAt(clinic.location.id, { printed: 'false' })).items.length, 0);

  // A second slip is a fresh link; the first still works. Answered, printing is refused.
  const second = await printSlip(inv.id);
  assert.notEqual(second.token, token);
  expectStatus(await answer(token, [{ item_id: 'courtesy', value: 3 }], newAddress()), 201);
  assert.equal(expectStatus(await publicGet(second.token), 200).state, 'used', 'every link of the invitation is used');
  expectError(await api('POST', `/api/v1/surveys/invitations/${inv.id}/print`, {}, await login('coordinator')), 409, { code: 'token_used' });
  expectError(await api('POST', '/api/v1/surveys/invitations/987654321/print', {}, await login('coordinator')), 404);
});

test('opting out stops the answer and every later invitation of the patient', async () => {
  const { clinic, patient, enc, inv } = await invitedVisit({ email: '' });
  const { token } = await printSlip(inv.id);
  const address = newAddress();
  const out = expectStatus(await publicPost(`/api/v1/public/surveys/${token}/opt-out`, {}, address), 200, 'opting out');
  assert.equal(typeof out.message, 'string');
  const page = expectStatus(await publicGet(token), 200);
  assert.equal(page.state, 'opted_out');
  assert.equal(page.survey, null);
  expectError(await answer(token, [{ item_id: 'courtesy', value: 4 }], address), 409, { code: 'opted_out' });
  assert.equal((await invitationsAt(clinic.location.id, { state: 'opted_out' })).items.length, 1);

  // A second completed visit of the same patient gets no invitation.
  const second = await completedVisit(clinic, patient, 3);
  const report = await dispatch();
  assert.ok(report.opted_out_skipped >= 1, `the opted-out visit is counted: ${JSON.stringify(report)}`);
  const list = await invitationsAt(clinic.location.id);
  assert.deepEqual(list.items.map((i) => i.encounter_id), [enc.id], `no invitation for encounter ${second.id}`);
});

test('the public page refuses bad answers by field and records nothing', async () => {
  const { clinic, inv } = await invitedVisit({ email: '' });
  const { token } = await printSlip(inv.id);
  const address = newAddress();
  expectError(await publicGet(`nosuchtoken${uid()}`), 404);
  expectError(await answer(`nosuchtoken${uid()}`, [{ item_id: 'courtesy', value: 4 }], address), 404);
  expectError(await answer(token, [], address), 400, { field: 'answers' });
  expectError(await publicPost(`/api/v1/public/surveys/${token}`, {}, address), 400, { field: 'answers' });
  expectError(await answer(token, [{ item_id: 'comment', text: '   ' }], address), 400, { field: 'answers' });
  expectError(await answer(token, [{ item_id: 'courtesy', value: 9 }], address), 400, { field: 'answers.courtesy.value' });
  expectError(await answer(token, [{ item_id: 'rating', value: 11 }], address), 400, { field: 'answers.rating.value' });
  expectError(await answer(token, [{ item_id: 'courtesy', value: 4 }, { item_id: 'nps', value: -1 }], address), 400, {
    field: 'answers.nps.value',
  });
  expectError(await answer(token, [{ item_id: 'nosuch', value: 1 }], address), 400, { field: 'answers.nosuch' });
  expectError(await publicPost(`/api/v1/public/surveys/${token}`, '{"answers": [', address), 400);

  assert.equal(expectStatus(await publicGet(token), 200).state, 'valid', 'the link is still unused');
  const listed = (await invitationsAt(clinic.location.id)).items[0];
  assert.equal(listed.state, 'valid');
  assert.equal(listed.used_at, null);
  // And it still takes a good answer.
  expectStatus(await answer(token, [{ item_id: 'courtesy', value: 4 }], address), 201);
});

// ---------------------------------------------------------------------------------------------
// Vendor imports

test('a vendor CSV is imported with per-row issues; a dry run stores nothing; respondents are not imported twice', async () => {
  const manager = await login('manager');
  const survey = await createSurvey();
  const tag = uid();
  const csv = [
    'Respondent,Visit date,Courtesy,Explained,Comments',
    `R-${tag}-1,2026-03-02,Always,Y,Lovely staff ${tag}`,
    `R-${tag}-2,2026-03-03,3,N,`,
    `R-${tag}-3,2026-03-04,7,Y,`,
    `,2026-03-05,Usually,Y,`,
  ].join('\n') + '\n';
  const mapping = {
    respondent_id_column: 'Respondent',
    date_column: 'Visit date',
    date_format: 'iso',
    items: [
      { column: 'Courtesy', item_id: 'courtesy' },
      { column: 'Explained', item_id: 'explained', values: { Y: 1, N: 0 } },
      { column: 'Comments', item_id: 'comment' },
    ],
  };
  const path = `/api/v1/surveys/${survey.id}/versions/1/imports`;
  const filename = `vendor-${tag}.csv`;

  const dry = expectStatus(await api('POST', path, { filename, csv, mapping, dry_run: true }, manager), 200, 'dry run');
  assert.equal(dry.id, null);
  assert.equal(dry.rows_read, 4);
  assert.equal(dry.accepted, 2);
  assert.equal(dry.rejected_rows, 2);
  assert.deepEqual(dry.issues.map((i) => [i.row, i.column, i.reason]), [
    [4, 'Courtesy', 'answer_out_of_range'],
    [5, 'Respondent', 'missing_respondent_id'],
  ]);
  for (const i of dry.issues) assert.ok(i.message.length > 0, 'each issue says what is wrong');
  assert.equal(expectStatus(await api('GET', `/api/v1/surveys/${survey.id}`, undefined, manager), 200).responses, 0,
    'a dry run stores no responses');
  assert.deepEqual(expectStatus(await api('GET', `/api/v1/surveys/${survey.id}/imports`, undefined, manager), 200).items, []);

  const real = expectStatus(await api('POST', path, { filename, csv, mapping }, manager), 201, 'import');
  assert.equal(typeof real.id, 'number');
  assert.equal(real.accepted, 2);
  assert.equal(real.rejected_rows, 2);
  assert.equal(expectStatus(await api('GET', `/api/v1/surveys/${survey.id}`, undefined, manager), 200).responses, 2);
  const comments = expectStatus(await api('GET', `/api/v1/comments?source=survey&q=${tag}`, undefined, manager), 200);
  assert.equal(comments.total, 1, 'the imported free text is a survey comment');

  const again = expectStatus(await api('POST', path, { filename, csv, mapping }, manager), 201, 'the same file again');
  assert.equal(again.accepted, 0);
  assert.equal(again.rejected_rows, 4);
  assert.deepEqual(again.issues.map((i) => [i.row, i.reason]), [
    [2, 'already_imported'],
    [3, 'already_imported'],
    [4, 'answer_out_of_range'],
    [5, 'missing_respondent_id'],
  ]);
  assert.equal(expectStatus(await api('GET', `/api/v1/surveys/${survey.id}`, undefined, manager), 200).responses, 2);

  const imports = expectStatus(await api('GET', `/api/v1/surveys/${survey.id}/imports`, undefined, manager), 200).items;
  assert.equal(imports.length, 2);
  const first = imports.find((i) => i.id === real.id);
  assert.ok(first, `the import ${real.id} is listed: ${JSON.stringify(imports)}`);
  assert.equal(first.version, 1);
  assert.equal(first.filename, filename);
  assert.equal(first.rows_read, 4);
  assert.equal(first.accepted, 2);
  assert.equal(first.rejected_rows, 2);
  assert.equal(typeof first.by, 'string');

  // Scores of imported responses (no invitations: no response rate).
  const scores = expectStatus(
    await api('GET', `/api/v1/surveys/${survey.id}/scores?from=2026-03-01&to=2026-03-31`, undefined, manager), 200);
  assert.equal(scores.responses, 2);
  assert.equal(scores.invitations, 0);
  assert.equal(scores.response_rate, null);
  const courtesy = scores.overall.items.find((i) => i.item_id === 'courtesy');
  assert.deepEqual([courtesy.answered, courtesy.top, courtesy.middle, courtesy.bottom], [2, 50, 50, 0]);

  // A malformed mapping or file names its field and stores nothing.
  const badColumn = { ...mapping, items: [mapping.items[0], { column: 'Nope', item_id: 'explained' }] };
  const err = expectError(await api('POST', path, { filename, csv, mapping: badColumn }, manager), 400);
  assert.ok(err.field?.startsWith('mapping'), `the field names the mapping: ${err.field}`);
  assert.match(err.field, /items\[1\]\.column$/);
  expectError(await api('POST', path, { filename, csv }, manager), 400, { field: 'mapping' });
  expectError(await api('POST', path, { filename, csv: '', mapping }, manager), 400, { field: 'csv' });
  expectError(await api('POST', `/api/v1/surveys/${survey.id}/versions/9/imports`, { filename, csv, mapping }, manager), 404);
  assert.equal(expectStatus(await api('GET', `/api/v1/surveys/${survey.id}/imports`, undefined, manager), 200).items.length, 2);
});

test('a mapping column missing from the file is 400 naming mapping.items[i].column as documented', async () => {
  const manager = await login('manager');
  const survey = await createSurvey();
  const path = `/api/v1/surveys/${survey.id}/versions/1/imports`;
  const csv = 'Respondent,Courtesy\nR1,Always\n';
  expectError(await api('POST', path, { filename: 'x.csv', csv, mapping: { respondent_id_column: 'Respondent',
    items: [{ column: 'Nope', item_id: 'courtesy' }] } }, manager), 400, { field: 'mapping.items[0].column' });
  expectError(await api('POST', path, { filename: 'x.csv', csv, mapping: { respondent_id_column: 'Nope',
    items: [{ column: 'Courtesy', item_id: 'courtesy' }] } }, manager), 400, { field: 'mapping.respondent_id_column' });
});

// ---------------------------------------------------------------------------------------------
// Permissions and settings

test('roles: managers run surveys, coordinators see invitations only, clinicians nothing; no token is 401', async () => {
  const clinician = await login('clinician');
  const coord = await login('coordinator');
  const manager = await login('manager');
  const survey = await createSurvey();
  expectError(await api('GET', '/api/v1/surveys', undefined, clinician), 403);
  expectError(await api('GET', '/api/v1/surveys/invitations', undefined, clinician), 403);
  expectError(await api('GET', '/api/v1/surveys', undefined, coord), 403);
  expectStatus(await api('GET', '/api/v1/surveys/invitations', undefined, coord), 200);
  expectError(await api('PUT', '/api/v1/surveys/settings', { send_after_hours: 1 }, coord), 403);
  expectError(await api('GET', `/api/v1/surveys/${survey.id}/scores`, undefined, coord), 403);
  expectError(await api('POST', '/api/v1/surveys/dispatch', {}, coord), 403);
  expectError(await api('POST', '/api/v1/surveys', draft(surveyId()), coord), 403);
  expectStatus(await api('GET', `/api/v1/surveys/${survey.id}/scores`, undefined, manager), 200);
  expectStatus(await api('GET', '/api/v1/surveys', undefined, manager), 200);
  expectStatus(await api('GET', '/api/v1/surveys', undefined, await login('admin')), 200);
  expectError(await api('GET', '/api/v1/surveys'), 401);
  expectError(await api('GET', '/api/v1/surveys/invitations'), 401);
  expectError(await api('GET', '/api/v1/surveys/settings'), 401);
  expectError(await api('POST', '/api/v1/surveys/dispatch', {}), 401);
});

test('settings refuse bad values by field and keep the old ones', async () => {
  const manager = await login('manager');
  const beforeSettings = expectStatus(await api('GET', '/api/v1/surveys/settings', undefined, manager), 200);
  assert.equal(beforeSettings.mail_enabled, true, 'the server has an SMTP server (--smtp-url)');
  for (const k of ['active_survey_id', 'send_after_hours', 'expires_days', 'reminder_after_days', 'max_reminders',
    'public_base_url', 'from_name', 'from_email', 'email_subject', 'email_intro']) {
    assert.ok(k in beforeSettings, `settings have ${k}`);
  }
  expectError(await putSettings({ expires_days: 0 }), 400, { field: 'expires_days' });
  expectError(await putSettings({ public_base_url: 'ftp://x' }), 400, { field: 'public_base_url' });
  expectError(await putSettings({ active_survey_id: 'nope' }), 400, { field: 'active_survey_id' });
  expectError(await putSettings({ max_reminders: 4 }), 400, { field: 'max_reminders' });
  expectError(await putSettings({ send_after_hours: -1 }), 400, { field: 'send_after_hours' });
  const afterSettings = expectStatus(await api('GET', '/api/v1/surveys/settings', undefined, manager), 200);
  assert.deepEqual(afterSettings, beforeSettings, 'refused settings change nothing');
});

test('opening survey links is rate-limited per address, so tokens cannot be scanned for', async () => {
  const address = newAddress();
  const get = (a) => rawRequest('GET', `/api/v1/public/surveys/not-a-real-token-${uid()}`, { localAddress: a });
  for (let i = 0; i < 120; i++) expectError(await get(address), 404);
  const limited = await get(address);
  expectError(limited, 429);
  assert.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After says when to come back');
  expectError(await get(newAddress()), 404);  // another address is not affected
});

// ---------------------------------------------------------------------------------------------
// Survey responses as FHIR QuestionnaireResponses

const FHIR_JSON = { 'content-type': 'application/fhir+json' };
const fhirAs = async (method, path, body, role = 'coordinator') =>
  api(method, `${FHIR}${path}`, body === undefined ? undefined : JSON.stringify(body), await login(role), { headers: FHIR_JSON });

test('a response given on the answer page is a QuestionnaireResponse: valid, found by patient, never changed', async () => {
  const { patient, survey, enc, inv } = await invitedVisit();
  const { token } = await printSlip(inv.id);
  expectStatus(await answer(token, [{ item_id: 'courtesy', value: 3 }, { item_id: 'comment', text: 'Quick and kind.' }], newAddress()), 201);

  const bundle = expectStatus(await fhirGet(`/QuestionnaireResponse?patient=${patient.id}`), 200, 'search by patient');
  assert.equal(bundle.entry?.length, 1, JSON.stringify(bundle));
  const qr = bundle.entry[0].resource;
  assertValid(qr);
  assert.match(qr.id, /^survey-response-\d+$/);
  assert.equal(qr.questionnaire, `urn:caredesk:survey:${survey.id}|1`);
  assert.equal(qr.status, 'completed');
  assert.equal(qr.subject.reference, `Patient/${patient.id}`);
  assert.equal(qr.encounter.reference, `Encounter/${enc.id}`);
  assert.deepEqual(qr.item, [
    {
      linkId: 'courtesy',
      text: 'How often did staff treat you with courtesy?',
      answer: [{ valueCoding: { system: 'urn:caredesk:survey-scale:frequency', code: '3', display: 'Usually' } }],
    },
    { linkId: 'comment', text: 'Anything else?', answer: [{ valueString: 'Quick and kind.' }] },
  ]);
  const read = expectStatus(await fhirGet(`/QuestionnaireResponse/${qr.id}`), 200);
  assert.deepEqual(read, qr);

  // Responses do not change: not by PUT, not by DELETE, not in a transaction.
  expectOutcome(await fhirAs('PUT', `/QuestionnaireResponse/${qr.id}`, { ...qr, status: 'amended' }), 409, 'conflict');
  expectOutcome(await fhirAs('DELETE', `/QuestionnaireResponse/${qr.id}`), 409, 'conflict');
  const tx = await fhirAs('POST', '', {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ request: { method: 'DELETE', url: `QuestionnaireResponse/${qr.id}` } }],
  });
  assert.equal(tx.status, 409, tx.text);
  expectStatus(await fhirGet(`/QuestionnaireResponse/${qr.id}`), 200, 'still there');
  // Given again in a transaction: the visit has its response (409 naming the entry), nothing written.
  const { id: _id, meta: _meta, ...again } = qr;
  const given = await fhirAs('POST', '', {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ request: { method: 'POST', url: 'QuestionnaireResponse' }, resource: again }],
  });
  expectOutcome(given, 409, 'conflict', 'Bundle.entry[0]');
  expectOutcome(await fhirAs('POST', '', {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ request: { method: 'PUT', url: `QuestionnaireResponse/${qr.id}` }, resource: qr }],
  }), 409, 'conflict');
  const manager = await login('manager');
  assert.equal(expectStatus(await api('GET', `/api/v1/surveys/${survey.id}`, undefined, manager), 200).responses, 1);
  assert.equal(expectStatus(await fhirGet(`/QuestionnaireResponse?patient=${patient.id}`), 200).entry.length, 1);
});

test('a QuestionnaireResponse POSTed to a CareDesk survey is a survey response; refusals name the element', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const survey = await createSurvey();
  const enc = await completedVisit(clinic, patient);
  const marker = uid();
  const sent = {
    resourceType: 'QuestionnaireResponse',
    questionnaire: `urn:caredesk:survey:${survey.id}`,
    status: 'completed',
    encounter: { reference: `Encounter/${enc.id}` },
    authored: new Date().toISOString(),
    extension: [{ url: 'urn:example:kiosk', valueString: 'lobby' }],
    item: [
      { linkId: 'courtesy', answer: [{ valueInteger: 4 }] },
      { linkId: 'explained', answer: [{ valueBoolean: true }] },
      { linkId: 'nps', answer: [{ valueCoding: { code: '9' } }] },
      { linkId: 'comment', answer: [{ valueString: `Seen on time, thank you ${marker}` }] },
    ],
  };
  // Each refusal names what was wrong, and records nothing.
  const bad = (change) => fhirAs('POST', '/QuestionnaireResponse', { ...sent, ...change });
  expectOutcome(await bad({ item: [{ linkId: 'courtesy', answer: [{ valueInteger: 7 }] }] }), 422, 'processing',
    "QuestionnaireResponse.item.where(linkId='courtesy').answer");
  expectOutcome(await bad({ item: [{ linkId: 'mood', answer: [{ valueInteger: 1 }] }] }), 422, 'processing',
    "QuestionnaireResponse.item.where(linkId='mood').answer");
  expectOutcome(await bad({ status: 'in-progress' }), 422, 'processing', 'QuestionnaireResponse.status');
  expectOutcome(await bad({ questionnaire: `urn:caredesk:survey:${survey.id}|5` }), 422, 'processing',
    'QuestionnaireResponse.questionnaire');
  expectOutcome(await bad({ encounter: { reference: 'Encounter/999999999' } }), 422, 'processing',
    'QuestionnaireResponse.encounter');
  expectOutcome(await bad({ subject: { reference: 'Patient/999999999' } }), 422, 'processing',
    'QuestionnaireResponse.encounter');

  const created = await fhirAs('POST', '/QuestionnaireResponse', sent);
  assert.equal(created.status, 201, created.text);
  const qr = created.body;
  assertValid(qr);
  assert.match(qr.id, /^survey-response-\d+$/);
  assert.match(created.headers.get('location'), new RegExp(`/fhir/R4/QuestionnaireResponse/${qr.id}/_history/1$`));
  assert.deepEqual(qr.extension, sent.extension, 'kept as sent');
  assert.equal(qr.subject.reference, `Patient/${patient.id}`, "the encounter's patient");
  expectOutcome(await fhirAs('POST', '/QuestionnaireResponse', sent), 409, 'conflict', 'QuestionnaireResponse.encounter');

  // It counts where survey responses count: the survey, its scores, the comments, the audit trail.
  const manager = await login('manager');
  const got = expectStatus(await api('GET', `/api/v1/surveys/${survey.id}`, undefined, manager), 200);
  assert.equal(got.responses, 1);
  const comments = expectStatus(await api('GET', `/api/v1/comments?source=survey&q=${marker}`, undefined, manager), 200);
  assert.equal(comments.total, 1);
  assert.equal(comments.items[0].location_id, clinic.location.id);
  const scores = expectStatus(
    await api('GET', `/api/v1/surveys/${survey.id}/scores?location_id=${clinic.location.id}`, undefined, manager), 200);
  assert.equal(scores.responses, 1);
  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.some((e) => e.action === 'create' && e.category === 'surveys' && e.user === usernameOf('coordinator')),
    'the response is audited under the patient');

  // A response to any other questionnaire is kept as sent, as before; a PUT may not give a CareDesk survey's.
  const other = await fhirAs('POST', '/QuestionnaireResponse', {
    resourceType: 'QuestionnaireResponse', status: 'in-progress', questionnaire: 'http://example.org/Questionnaire/phq9',
    subject: { reference: `Patient/${patient.id}` },
  });
  assert.equal(other.status, 201, other.text);
  assert.doesNotMatch(other.body.id, /^survey-response-/);
  expectOutcome(await fhirAs('PUT', `/QuestionnaireResponse/${other.body.id}`, { ...sent, id: other.body.id }), 422,
    'processing', 'QuestionnaireResponse.questionnaire');
  const found = expectStatus(await fhirGet(`/QuestionnaireResponse?patient=${patient.id}`), 200);
  assert.equal(found.entry.length, 2);
  assert.equal(expectStatus(await api('GET', `/api/v1/surveys/${survey.id}`, undefined, manager), 200).responses, 1);
});

test('a transaction records a QuestionnaireResponse to a CareDesk survey with what names it, or nothing', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const survey = await createSurvey();
  const enc = await completedVisit(clinic, patient);
  const responseUrl = `urn:uuid:${crypto.randomUUID()}`;
  const response = {
    resourceType: 'QuestionnaireResponse',
    questionnaire: `urn:caredesk:survey:${survey.id}|1`,
    status: 'completed',
    encounter: { reference: `Encounter/${enc.id}` },
    authored: new Date().toISOString(),
    item: [{ linkId: 'courtesy', answer: [{ valueInteger: 4 }] }],
  };
  // A kept resource naming the response by its fullUrl comes before it in the Bundle.
  const flag = {
    resourceType: 'Flag', status: 'active', code: { text: 'Answered the visit survey' },
    subject: { reference: `Patient/${patient.id}` }, extension: [{ url: 'urn:example:from', valueReference: { reference: responseUrl } }],
  };
  const manager = await login('manager');
  const responses = async () => expectStatus(await api('GET', `/api/v1/surveys/${survey.id}`, undefined, manager), 200).responses;

  // An entry written after the response fails (a stale ifMatch): the survey response is not recorded either.
  const flagId = `f-${uid()}`;
  const refused = await fhirAs('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [
    { fullUrl: responseUrl, request: { method: 'POST', url: 'QuestionnaireResponse' }, resource: response },
    { request: { method: 'PUT', url: `Flag/${flagId}`, ifMatch: 'W/"3"' }, resource: { ...flag, id: flagId } },
  ] });
  expectOutcome(refused, 412, 'conflict');
  assert.equal(await responses(), 0, 'nothing recorded');
  // A bad answer is a 422 naming the entry and the element.
  const bad = await fhirAs('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [
    { request: { method: 'POST', url: 'QuestionnaireResponse' }, resource: { ...response, item: [{ linkId: 'courtesy', answer: [{ valueInteger: 9 }] }] } },
  ] });
  assert.match(expectOutcome(bad, 422, 'processing', 'Bundle.entry[0]').diagnostics, /linkId='courtesy'/);

  const res = await fhirAs('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [
    { request: { method: 'POST', url: 'Flag' }, resource: flag },
    { fullUrl: responseUrl, request: { method: 'POST', url: 'QuestionnaireResponse' }, resource: response },
  ] });
  assert.equal(res.status, 200, res.text);
  assertValid(res.body);
  const [kept, recorded] = res.body.entry;
  assert.deepEqual(res.body.entry.map((e) => e.response.status), ['201 Created', '201 Created']);
  assert.match(recorded.resource.id, /^survey-response-\d+$/);
  assert.match(recorded.response.location, new RegExp(`/QuestionnaireResponse/${recorded.resource.id}/_history/1$`));
  assert.equal(recorded.resource.subject.reference, `Patient/${patient.id}`, "the encounter's patient");
  assert.equal(kept.resource.extension[0].valueReference.reference, `QuestionnaireResponse/${recorded.resource.id}`,
    'the fullUrl names the recorded response');
  assert.equal(await responses(), 1, 'recorded as a survey response');
  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.some((e) => e.action === 'create' && e.category === 'surveys'), 'audited as it would be alone');
});
