// Outbound HL7 v2: a receiving system (@medplum/hl7's Hl7Server) registered as a peer through the API gets
// CareDesk's SIU messages for a booking and its cancellation, in order, readable by @medplum/core's parser;
// a peer that rejects everything fills the dead-letter list, from which a message is retried or discarded;
// peers are validated field by field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Hl7Message } from '@medplum/core';
import { Hl7Server } from '@medplum/hl7';

import {
  api,
  book,
  clinicSlots,
  createClinic,
  createPatient,
  expectError,
  expectStatus,
  freePort,
  login,
  sleep,
  uid,
} from './lib.mjs';

// A receiving system answering every message with `code`; `received` holds the raw texts in arrival order.
async function startReceiver(code = 'AA') {
  const received = [];
  const server = new Hl7Server((connection) => {
    connection.addEventListener('message', ({ message }) => {
      received.push(message.toString());
      connection.send(message.buildAck({ ackCode: code }));
    });
  });
  const port = await freePort();
  await server.start(port);
  return { server, port, received };
}

async function addPeer(admin, port, extra = {}) {
  const res = await api(
    'POST',
    '/api/v1/hl7/peers',
    { name: `receiver-${uid()}`, host: '127.0.0.1', port, feeds: ['SIU'], ...extra },
    admin,
  );
  return expectStatus(res, 201, 'adding a peer');
}

// Waits (up to 20 s) until `pick` finds something.
async function waitFor(pick, what) {
  for (let i = 0; i < 200; i += 1) {
    const found = await pick();
    if (found) return found;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

const eventOf = (raw) => /^MSH\|[^|]*\|(?:[^|]*\|){6}([^|]*)/.exec(raw)?.[1] ?? '';
const parsed = (raw) => Hl7Message.parse(raw);
const sch2 = (raw) => parsed(raw).getSegment('SCH')?.getField(2)?.getComponent(1);

test('a booking and its cancellation reach a registered peer as SIU S12 then S15, read by @medplum/core', async () => {
  const admin = await login('admin');
  const coord = await login('coordinator');
  const receiver = await startReceiver('AA');
  const peer = await addPeer(admin, receiver.port);
  try {
    assert.equal(peer.enabled, true);
    assert.deepEqual(peer.feeds, ['SIU']);
    const clinic = await createClinic();
    const patient = await createPatient(coord);
    const [slot] = await clinicSlots(clinic);
    const appt = await book(clinic, patient.id, slot, coord);
    const s12 = await waitFor(
      () => receiver.received.find((m) => sch2(m) === String(appt.id)),
      `an SIU for appointment ${appt.id}`,
    );
    const msg = parsed(s12);
    assert.equal(eventOf(s12), 'SIU^S12^SIU_S12');
    assert.equal(msg.getSegment('SCH').getField(2).getComponent(1), String(appt.id));
    assert.equal(msg.getSegment('PID').getField(3).getComponent(1), patient.mrn);
    assert.ok(patient.mrn, 'the patient has an MRN');

    expectStatus(
      await api('POST', `/api/v1/appointments/${appt.id}/cancel`, { reason: 'patient called' }, coord),
      200,
      'cancelling',
    );
    const ofAppt = () => receiver.received.filter((m) => sch2(m) === String(appt.id)).map(eventOf);
    await waitFor(() => ofAppt().length >= 2, 'the S15');
    assert.deepEqual(ofAppt(), ['SIU^S12^SIU_S12', 'SIU^S15^SIU_S12']);

    // The queue shows both as sent; one message reads back with its text.
    const list = expectStatus(await api('GET', `/api/v1/hl7/outbound?peer=${peer.id}&status=sent`, undefined, admin), 200);
    assert.equal(list.total, 2);
    assert.ok(list.counts.pending >= 0 && list.counts.dead >= 0);
    const one = expectStatus(await api('GET', `/api/v1/hl7/outbound/${list.items[1].id}`, undefined, admin), 200);
    assert.equal(one.event, 'SIU^S12');
    assert.equal(one.ack_code, 'AA');
    assert.ok(one.message.includes(`|${one.control_id}|`));
  } finally {
    await api('DELETE', `/api/v1/hl7/peers/${peer.id}`, undefined, admin);
    await receiver.server.stop();
  }
});

test('a peer that rejects makes dead letters, listed first by status, retried or discarded', async () => {
  const admin = await login('admin');
  const coord = await login('coordinator');
  const receiver = await startReceiver('AR');
  const peer = await addPeer(admin, receiver.port);
  try {
    const clinic = await createClinic();
    const patient = await createPatient(coord);
    const [slot] = await clinicSlots(clinic);
    const appt = await book(clinic, patient.id, slot, coord);
    expectStatus(await api('POST', `/api/v1/appointments/${appt.id}/cancel`, { reason: 'r' }, coord), 200);
    const dead = await waitFor(async () => {
      const res = await api('GET', `/api/v1/hl7/outbound?peer=${peer.id}&status=dead`, undefined, admin);
      const body = expectStatus(res, 200);
      return body.items.length === 1 ? body : null;
    }, 'a dead letter');
    assert.ok(dead.counts.dead >= 1);
    assert.equal(dead.items[0].event, 'SIU^S12');
    assert.equal(dead.items[0].ack_code, 'AR');
    // The S15 waits behind the dead S12.
    const pending = expectStatus(await api('GET', `/api/v1/hl7/outbound?peer=${peer.id}&status=pending`, undefined, admin), 200);
    assert.deepEqual(pending.items.map((m) => m.event), ['SIU^S15']);
    expectError(await api('POST', `/api/v1/hl7/outbound/${pending.items[0].id}/discard`, {}, admin), 409, { code: 'not_dead' });
    const retried = expectStatus(await api('POST', `/api/v1/hl7/outbound/${dead.items[0].id}/retry`, {}, admin), 200);
    assert.equal(retried.status, 'pending');
    // Rejected again: dead again; discarding it lets the S15 go (and be rejected in its turn).
    await waitFor(async () => {
      const m = expectStatus(await api('GET', `/api/v1/hl7/outbound/${dead.items[0].id}`, undefined, admin), 200);
      return m.status === 'dead' && m.attempts === 1;
    }, 'the retried message to die again');
    expectStatus(await api('POST', `/api/v1/hl7/outbound/${dead.items[0].id}/discard`, {}, admin), 200);
    await waitFor(async () => {
      const m = expectStatus(await api('GET', `/api/v1/hl7/outbound/${pending.items[0].id}`, undefined, admin), 200);
      return m.status === 'dead';
    }, 'the S15 to be sent');
    assert.deepEqual(receiver.received.map(eventOf), ['SIU^S12^SIU_S12', 'SIU^S12^SIU_S12', 'SIU^S15^SIU_S12']);
  } finally {
    await api('DELETE', `/api/v1/hl7/peers/${peer.id}`, undefined, admin);
    await receiver.server.stop();
  }
});

test('peers are validated field by field, names are unique, and only interface managers see them', async () => {
  const admin = await login('admin');
  const name = `peer-${uid()}`;
  const base = { name, host: '127.0.0.1', port: 2575, enabled: false };
  expectError(await api('POST', '/api/v1/hl7/peers', { ...base, port: 0 }, admin), 400, { field: 'port' });
  expectError(await api('POST', '/api/v1/hl7/peers', { ...base, port: 70000 }, admin), 400, { field: 'port' });
  expectError(await api('POST', '/api/v1/hl7/peers', { ...base, port: 'x' }, admin), 400, { field: 'port' });
  expectError(await api('POST', '/api/v1/hl7/peers', { ...base, host: '' }, admin), 400, { field: 'host' });
  expectError(await api('POST', '/api/v1/hl7/peers', { ...base, name: '' }, admin), 400, { field: 'name' });
  expectError(await api('POST', '/api/v1/hl7/peers', { ...base, feeds: ['ORU'] }, admin), 400, { field: 'feeds' });
  const peer = expectStatus(await api('POST', '/api/v1/hl7/peers', base, admin), 201);
  try {
    expectError(await api('POST', '/api/v1/hl7/peers', base, admin), 409, { field: 'name' });
    const changed = expectStatus(
      await api('PUT', `/api/v1/hl7/peers/${peer.id}`, { ...base, port: 2576, feeds: ['ADT'] }, admin),
      200,
    );
    assert.equal(changed.port, 2576);
    assert.deepEqual(changed.feeds, ['ADT']);
    const list = expectStatus(await api('GET', '/api/v1/hl7/peers', undefined, admin), 200);
    assert.ok(list.items.some((p) => p.id === peer.id && p.enabled === false));
    const coord = await login('coordinator');
    expectError(await api('GET', '/api/v1/hl7/peers', undefined, coord), 403);
    expectError(await api('GET', '/api/v1/hl7/outbound?status=lost', undefined, admin), 400, { field: 'status' });
  } finally {
    expectStatus(await api('DELETE', `/api/v1/hl7/peers/${peer.id}`, undefined, admin), 204);
  }
  expectError(await api('DELETE', `/api/v1/hl7/peers/${peer.id}`, undefined, admin), 404);
});

test('a merge reaches an ADT peer as A40 naming the merged MRN in MRG-1, and an unmerge as A08 for each record', async () => {
  const admin = await login('admin');
  const coord = await login('coordinator');
  const receiver = await startReceiver('AA');
  const peer = await addPeer(admin, receiver.port, { feeds: ['ADT'] });
  try {
    const keep = await createPatient(coord);
    const dup = await createPatient(coord);
    const merge = expectStatus(
      await api('POST', '/api/v1/patient-merges', { survivor_id: keep.id, merged_id: dup.id, reason: 'registered twice' }, admin),
      201,
      'merging',
    );
    const a40 = await waitFor(() => receiver.received.find((m) => eventOf(m) === 'ADT^A40^ADT_A39'), 'an ADT A40');
    const msg = parsed(a40);
    assert.equal(msg.getSegment('PID').getField(3).getComponent(1), keep.mrn);
    assert.equal(msg.getSegment('MRG').getField(1).getComponent(1), dup.mrn);
    assert.equal(msg.getSegment('MRG').getField(7).getComponent(1), dup.family_name);

    expectStatus(await api('POST', `/api/v1/patient-merges/${merge.id}/undo`, { reason: 'twins' }, admin), 200, 'undoing');
    const updates = await waitFor(() => {
      const a08 = receiver.received.filter((m) => eventOf(m).startsWith('ADT^A08'));
      return a08.length >= 2 ? a08 : null;
    }, 'two ADT A08');
    const mrns = updates.map((m) => parsed(m).getSegment('PID').getField(3).getComponent(1));
    assert.deepEqual([...mrns].sort(), [dup.mrn, keep.mrn].sort());
  } finally {
    await api('DELETE', `/api/v1/hl7/peers/${peer.id}`, undefined, admin);
    await receiver.server.stop();
  }
});
