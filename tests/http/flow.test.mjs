// Patient flow: check-in (today and by override), encounter transitions, undo, walk-ins, the
// flow board and its live server-sent event stream.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  api,
  assertIsoInstant,
  auditEvents,
  baseUrl,
  book,
  createClinic,
  createPatient,
  expectError,
  expectStatus,
  login,
  slotsOnLocalDay,
  usernameOf,
} from './lib.mjs';

/** A clinic, a patient and an appointment booked `addDays` from today in the clinic's zone. */
async function bookedVisit(addDays = 0) {
  const clinic = await createClinic();
  const patient = await createPatient();
  const [slot] = await slotsOnLocalDay(clinic, addDays);
  assert.ok(slot, `the clinic has a slot ${addDays} day(s) from today`);
  const appt = await book(clinic, patient.id, slot);
  return { clinic, patient, slot, appt };
}

async function checkIn(apptId, body = {}) {
  return api('POST', `/api/v1/appointments/${apptId}/check-in`, body, await login('coordinator'));
}

async function move(encounterId, to, role = 'clinician') {
  return api('POST', `/api/v1/encounters/${encounterId}/transition`, { to }, await login(role));
}

test("checking in today's appointment answers 201 with an encounter in state arrived", async () => {
  const { clinic, patient, appt } = await bookedVisit(0);
  const enc = expectStatus(await checkIn(appt.id), 201, 'check-in');
  assert.equal(typeof enc.id, 'number');
  assert.equal(enc.state, 'arrived');
  assert.equal(enc.patient_id, patient.id);
  assert.equal(enc.appointment_id, appt.id);
  assert.equal(enc.location_id, clinic.location.id);
  assertIsoInstant(enc.arrived_at, 'arrived_at');
  const got = expectStatus(await api('GET', `/api/v1/appointments/${appt.id}`, undefined, await login('coordinator')), 200);
  assert.equal(got.status, 'checked_in');
  assert.equal(got.encounter_id, enc.id);
  // Checking in twice is a conflict and creates no second encounter.
  expectError(await checkIn(appt.id), 409);
});

test('checking in on another day is 409 not_today; override:true checks in and is audited as check_in_override', async () => {
  const { patient, appt } = await bookedVisit(1);
  expectError(await checkIn(appt.id), 409, { code: 'not_today' });
  expectError(await checkIn(appt.id, { override: false }), 409, { code: 'not_today' });
  const status = expectStatus(await api('GET', `/api/v1/appointments/${appt.id}`, undefined, await login('coordinator')), 200).status;
  assert.equal(status, 'booked', 'a refused check-in changes nothing');

  const enc = expectStatus(await checkIn(appt.id, { override: true }), 201, 'check-in by override');
  assert.equal(enc.state, 'arrived');
  const events = await auditEvents({ patient: patient.id });
  const override = events.find((e) => e.action === 'check_in_override');
  assert.ok(override, `no check_in_override audit event for patient ${patient.id}: ${JSON.stringify(events.map((e) => e.action))}`);
  assert.equal(override.user, usernameOf('coordinator'));
  assert.equal(override.patient_id, patient.id);
});

test('an encounter moves arrived → roomed → with_provider → checkout → completed, each step recorded', async () => {
  const { appt } = await bookedVisit(0);
  const enc = expectStatus(await checkIn(appt.id), 201);
  let last = enc;
  for (const to of ['roomed', 'with_provider', 'checkout', 'completed']) {
    last = expectStatus(await move(enc.id, to), 200, `transition to ${to}`);
    assert.equal(last.state, to);
    assertIsoInstant(last.state_since, 'state_since');
  }
  const got = expectStatus(await api('GET', `/api/v1/encounters/${enc.id}`, undefined, await login('clinician')), 200);
  assert.equal(got.state, 'completed');
  assert.deepEqual(
    got.transitions.map((t) => t.to),
    ['arrived', 'roomed', 'with_provider', 'checkout', 'completed'],
  );
  for (const t of got.transitions.slice(1)) {
    assert.equal(t.by, usernameOf('clinician'));
    assertIsoInstant(t.at, 'transition.at');
  }
  const appointment = expectStatus(await api('GET', `/api/v1/appointments/${appt.id}`, undefined, await login('coordinator')), 200);
  assert.equal(appointment.status, 'completed');
});

test('an invalid transition is 409; an unknown state is 400 naming to', async () => {
  const { appt } = await bookedVisit(0);
  const enc = expectStatus(await checkIn(appt.id), 201);
  expectError(await move(enc.id, 'teleported'), 400, { field: 'to' });
  expectError(await move(enc.id, ''), 400, { field: 'to' });
  expectStatus(await move(enc.id, 'with_provider'), 200);
  expectError(await move(enc.id, 'roomed'), 409, { code: 'invalid_transition' });
  expectError(await move(enc.id, 'left_without_being_seen'), 409, { code: 'invalid_transition' });
  expectStatus(await move(enc.id, 'completed'), 200);
  expectError(await move(enc.id, 'checkout'), 409, { code: 'invalid_transition' });
  expectError(await move(987654321, 'roomed'), 404);
  const got = expectStatus(await api('GET', `/api/v1/encounters/${enc.id}`, undefined, await login('clinician')), 200);
  assert.equal(got.state, 'completed', 'refused transitions change nothing');
});

test('a waiting patient can leave without being seen, and leaves the board', async () => {
  const { clinic, appt } = await bookedVisit(0);
  const enc = expectStatus(await checkIn(appt.id), 201);
  const walkIn = expectStatus(
    await api('POST', '/api/v1/encounters', { patient_id: (await createPatient()).id, location_id: clinic.location.id }, await login('coordinator')),
    201,
  );
  expectStatus(await move(walkIn.id, 'roomed'), 200);
  assert.equal(expectStatus(await move(enc.id, 'left_without_being_seen'), 200, 'LWBS from arrived').state, 'left_without_being_seen');
  assert.equal(expectStatus(await move(walkIn.id, 'left_without_being_seen'), 200, 'LWBS from roomed').state, 'left_without_being_seen');
  expectError(await move(enc.id, 'roomed'), 409);
  const board = expectStatus(await api('GET', `/api/v1/flow-board?location=${clinic.location.id}`, undefined, await login('clinician')), 200);
  assert.deepEqual(board.items, [], 'patients who left are no longer on the board');
  const history = expectStatus(await api('GET', `/api/v1/appointments/${appt.id}`, undefined, await login('coordinator')), 200).history;
  assert.ok(history.some((h) => h.status === 'left_without_being_seen'), `appointment history: ${JSON.stringify(history)}`);
});

test('undo returns the encounter to its previous state, step by step, and is audited', async () => {
  const { patient, appt } = await bookedVisit(0);
  const enc = expectStatus(await checkIn(appt.id), 201);
  expectStatus(await move(enc.id, 'roomed'), 200);
  expectStatus(await move(enc.id, 'with_provider'), 200);
  const undo = async () => api('POST', `/api/v1/encounters/${enc.id}/undo`, {}, await login('clinician'));
  assert.equal(expectStatus(await undo(), 200, 'first undo').state, 'roomed');
  assert.equal(expectStatus(await undo(), 200, 'second undo').state, 'arrived');
  expectError(await undo(), 409);
  // The undone steps stay in the record, marked undone.
  const got = expectStatus(await api('GET', `/api/v1/encounters/${enc.id}`, undefined, await login('clinician')), 200);
  assert.equal(got.state, 'arrived');
  assert.equal(got.transitions.filter((t) => t.undone).length, 2);
  // And the flow goes on from there.
  assert.equal(expectStatus(await move(enc.id, 'roomed'), 200).state, 'roomed');
  const events = await auditEvents({ patient: patient.id });
  assert.ok(events.filter((e) => e.action === 'undo').length >= 2, `undo is not audited: ${JSON.stringify(events.map((e) => e.action))}`);
});

test('a walk-in creates an arrived encounter without an appointment', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const coord = await login('coordinator');
  const enc = expectStatus(
    await api('POST', '/api/v1/encounters', { patient_id: patient.id, location_id: clinic.location.id }, coord),
    201,
    'walk-in',
  );
  assert.equal(enc.state, 'arrived');
  assert.equal(enc.patient_id, patient.id);
  assert.equal(enc.location_id, clinic.location.id);
  assert.equal(enc.walk_in, true);
  assert.equal(enc.appointment_id ?? null, null);
  expectError(await api('POST', '/api/v1/encounters', { patient_id: 987654321, location_id: clinic.location.id }, coord), 422, {
    field: 'patient_id',
  });
  expectError(await api('POST', '/api/v1/encounters', { patient_id: patient.id }, coord), 400, { field: 'location_id' });
  expectError(await api('POST', '/api/v1/encounters', { patient_id: patient.id, location_id: clinic.location.id }, await login('billing')), 403);

  // The patient's visits: this one, open, the latest first; for roles that may read the flow.
  const visits = expectStatus(await api('GET', `/api/v1/patients/${patient.id}/encounters`, undefined, coord), 200);
  assert.equal(visits.more, false);
  assert.deepEqual(visits.items.map((v) => [v.id, v.state, v.ended_at, v.walk_in]), [[enc.id, 'arrived', null, true]]);
  assert.equal(visits.items[0].transitions, undefined, 'a list without each visit\'s transitions');
  expectError(await api('GET', `/api/v1/patients/${patient.id}/encounters`, undefined, await login('billing')), 403);
  expectError(await api('GET', '/api/v1/patients/abc/encounters', undefined, coord), 404);
  const none = expectStatus(await api('GET', '/api/v1/patients/987654321/encounters', undefined, coord), 200);
  assert.deepEqual(none.items, []);
});

test('the flow board lists the location’s encounters with state, state_since and waiting_minutes', async () => {
  const { clinic, patient, appt } = await bookedVisit(0);
  const coord = await login('coordinator');
  const checked = expectStatus(await checkIn(appt.id), 201);
  const walkInPatient = await createPatient(coord);
  const walkIn = expectStatus(
    await api('POST', '/api/v1/encounters', { patient_id: walkInPatient.id, location_id: clinic.location.id }, coord),
    201,
  );
  expectStatus(await move(checked.id, 'roomed'), 200);

  const board = expectStatus(await api('GET', `/api/v1/flow-board?location=${clinic.location.id}`, undefined, coord), 200);
  assert.ok(Array.isArray(board.items));
  assert.equal(board.items.length, 2, `the new location's board shows exactly its two encounters: ${JSON.stringify(board.items)}`);
  const byId = new Map(board.items.map((i) => [i.encounter_id, i]));
  const row = byId.get(checked.id);
  assert.ok(row, 'the checked-in encounter is on the board');
  assert.equal(row.patient_id, patient.id);
  assert.equal(row.state, 'roomed');
  assertIsoInstant(row.state_since, 'state_since');
  assert.equal(typeof row.waiting_minutes, 'number');
  assert.ok(row.waiting_minutes >= 0 && row.waiting_minutes < 10, `waiting_minutes ${row.waiting_minutes}`);
  const walkRow = byId.get(walkIn.id);
  assert.ok(walkRow, 'the walk-in is on the board');
  assert.equal(walkRow.state, 'arrived');
  assert.equal(walkRow.patient_id, walkInPatient.id);

  // Completed encounters leave the board.
  for (const to of ['with_provider', 'checkout', 'completed']) expectStatus(await move(checked.id, to), 200);
  const after = expectStatus(await api('GET', `/api/v1/flow-board?location=${clinic.location.id}`, undefined, coord), 200);
  assert.deepEqual(after.items.map((i) => i.encounter_id), [walkIn.id]);
  expectError(await api('GET', '/api/v1/flow-board', undefined, coord), 400, { field: 'location' });
});

/**
 * Reads server-sent events from a fetch body. next(pred, ms, what) resolves the first event
 * ({ event, data }) matching pred, or rejects after ms (the stream is abandoned then).
 */
function sseReader(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  async function readEvent() {
    for (;;) {
      const sep = buffer.indexOf('\n\n');
      if (sep >= 0) {
        const block = buffer.slice(0, sep);
        buffer = buffer.slice(sep + 2);
        let event = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;  // a comment (keep-alive)
          const colon = line.indexOf(':');
          const key = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (key === 'event') event = value;
          if (key === 'data') data.push(value);
        }
        if (data.length === 0) continue;
        return { event, data: data.join('\n') };
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
    }
  }
  return {
    async next(pred, ms, what) {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      });
      try {
        for (;;) {
          const ev = await Promise.race([readEvent(), timeout]);
          if (pred(ev)) return ev;
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

test('the flow board stream sends a board on connect and a new one after a transition made elsewhere', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const coord = await login('coordinator');
  const enc = expectStatus(await api('POST', '/api/v1/encounters', { patient_id: patient.id, location_id: clinic.location.id }, coord), 201);

  const controller = new AbortController();
  const overall = setTimeout(() => controller.abort(), 20_000);
  try {
    const res = await fetch(`${baseUrl()}/api/v1/flow-board/stream?location=${clinic.location.id}`, {
      headers: { authorization: `Bearer ${await login('clinician')}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = sseReader(res.body);
    const stateOf = (ev) => JSON.parse(ev.data).items.find((i) => i.encounter_id === enc.id)?.state;

    const first = await events.next((ev) => ev.event === 'board', 5_000, 'the board on connect');
    const board = JSON.parse(first.data);
    assert.equal(board.location_id, clinic.location.id);
    assert.equal(stateOf(first), 'arrived');

    expectStatus(await move(enc.id, 'roomed', 'coordinator'), 200);
    const next = await events.next((ev) => ev.event === 'board' && stateOf(ev) === 'roomed', 5_000, 'a board showing roomed');
    const row = JSON.parse(next.data).items.find((i) => i.encounter_id === enc.id);
    assert.equal(row.patient_id, patient.id);
    assertIsoInstant(row.state_since, 'state_since');
  } finally {
    clearTimeout(overall);
    controller.abort();
  }
  // Without a token the stream is refused like any protected endpoint.
  expectError(await api('GET', `/api/v1/flow-board/stream?location=${clinic.location.id}`), 401);
});
