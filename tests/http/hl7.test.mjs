// Inbound HL7 v2 over HTTP (the same service the MLLP listener calls): sending a message without MLLP,
// the list of messages and their outcomes, one message with its raw text, reprocessing a failed one after a
// fix, field errors and roles.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  api,
  createClinic,
  createPatient,
  expectError,
  expectStatus,
  findSlots,
  login,
  randomBirthDate,
  randomSurname,
  uid,
  usernameOf,
} from './lib.mjs';

const HL7 = { 'content-type': 'x-application/hl7-v2+er7' };

// An ADT message from a sender unique to this run, so reruns against one database never look like retransmissions.
function adt(trigger, { control = uid(), id = `P${uid()}`, family, given, birth = '19700101', sex = 'F' } = {}) {
  return [
    `MSH|^~\\&|ADT1|GH-${control}|CAREDESK|CLINIC|20250310120000||ADT^${trigger}|${control}|P|2.5.1`,
    `EVN|${trigger}|20250310120000`,
    `PID|1||${id}^^^GH^MR||${family}^${given}||${birth}|${sex}`,
    '',
  ].join('\r');
}

const ackCode = (ack) => /\rMSA\|([A-Z]{2})(\||\r|$)/.exec(ack)?.[1];

async function send(raw, token, headers = HL7) {
  return expectStatus(await api('POST', '/api/v1/hl7/messages', raw, token, { headers }), 200, 'sending an HL7 message');
}

test('an A04 sent over HTTP registers the patient and is listed, read with its raw text, and acknowledged AA', async () => {
  const admin = await login('admin');
  const family = randomSurname();
  const raw = adt('A04', { family, given: 'Rita' });
  const sent = await send(raw, admin);
  assert.equal(typeof sent.id, 'number');
  assert.equal(ackCode(sent.ack), 'AA', sent.ack);
  assert.ok(sent.ack.startsWith('MSH|^~\\&|CareDesk|'), sent.ack);
  assert.equal(sent.message.status, 'applied', JSON.stringify(sent.message));
  assert.equal(sent.message.raw, undefined, 'the submission answer leaves the raw text out');
  const pid = sent.message.patient_id;
  assert.equal(typeof pid, 'number');
  const patient = expectStatus(await api('GET', `/api/v1/patients/${pid}`, undefined, admin), 200);
  assert.equal(patient.family_name, family);
  assert.equal(patient.birth_date, '1970-01-01');

  const one = expectStatus(await api('GET', `/api/v1/hl7/messages/${sent.id}`, undefined, admin), 200);
  assert.equal(one.raw, raw);
  assert.equal(one.ack_code, 'AA');
  assert.equal(one.trigger_event, 'A04');
  assert.equal(one.attempts, 1);

  const list = expectStatus(await api('GET', '/api/v1/hl7/messages?status=applied&limit=200', undefined, admin), 200);
  assert.equal(typeof list.total, 'number');
  const listed = list.items.find((m) => m.id === sent.id);
  assert.ok(listed, 'the message is listed under applied');
  assert.equal(listed.raw, undefined, 'lists leave the raw text out');
  assert.ok(list.items.every((m) => m.status === 'applied'));
  for (let i = 1; i < list.items.length; i++) {
    assert.ok(list.items[i - 1].received_at >= list.items[i].received_at, 'newest first');
  }
});

test('an A08 for an unknown patient fails with AE naming PID-3, and is applied when reprocessed after registration', async () => {
  const admin = await login('admin');
  const manager = await login('manager');
  const family = randomSurname();
  const birth = randomBirthDate();
  const raw = adt('A08', { family, given: 'Zed', birth: birth.replaceAll('-', ''), sex: 'M' });
  const sent = await send(raw, admin, { 'content-type': 'text/plain; charset=utf-8' });
  assert.equal(ackCode(sent.ack), 'AE', sent.ack);
  assert.match(sent.ack, /\rERR\|/);
  assert.equal(sent.message.status, 'failed');
  assert.equal(sent.message.error_location, 'PID-3');
  assert.equal(sent.message.error_code, '204');

  const failed = expectStatus(await api('GET', '/api/v1/hl7/messages?status=failed&limit=200', undefined, manager), 200);
  assert.ok(failed.items.some((m) => m.id === sent.id), 'listed under failed');

  const patient = await createPatient(admin, { family_name: family, given_name: 'Zed', birth_date: birth, sex: 'male' });
  const again = expectStatus(await api('POST', `/api/v1/hl7/messages/${sent.id}/reprocess`, undefined, manager), 200);
  assert.equal(again.status, 'applied', JSON.stringify(again));
  assert.equal(again.patient_id, patient.id);
  assert.equal(again.attempts, 2);
  assert.equal(again.raw, raw);
  const twice = expectError(await api('POST', `/api/v1/hl7/messages/${sent.id}/reprocess`, undefined, manager), 409);
  assert.equal(twice.code, 'not_reprocessable');
});

test('a retransmission is acknowledged AA and applied once; malformed and unsupported messages are stored and refused', async () => {
  const admin = await login('admin');
  const raw = adt('A04', { family: randomSurname(), given: 'Dup' });
  const first = await send(raw, admin);
  const second = await send(raw, admin);
  assert.equal(ackCode(second.ack), 'AA');
  assert.equal(second.message.status, 'duplicate');
  assert.equal(second.message.patient_id, first.message.patient_id);

  const garbage = await send('not an HL7 message at all', admin);
  assert.equal(ackCode(garbage.ack), 'AR', garbage.ack);
  assert.equal(garbage.message.status, 'rejected');
  const badDate = await send(adt('A01', { family: randomSurname(), given: 'Bad', birth: '19881332' }), admin);
  assert.equal(ackCode(badDate.ack), 'AE');
  assert.equal(badDate.message.error_location, 'PID-7');
  assert.equal(badDate.message.patient_id, null);
  const merge = await send(adt('A40', { family: randomSurname(), given: 'M' }) + `MRG|OLD${uid()}^^^GH^MR\r`, admin);
  assert.equal(ackCode(merge.ack), 'AE');
  assert.equal(merge.message.error_location, 'MRG-1');
  assert.match(merge.message.error_text, /no CareDesk patient has identifier/);
  const read = expectStatus(await api('GET', `/api/v1/hl7/messages/${garbage.id}`, undefined, admin), 200);
  assert.equal(read.raw, 'not an HL7 message at all');
});

test('an A40 merges the MRG-1 record into the PID-3 record: moved, closed, audited, and a retransmission changes nothing', async () => {
  const admin = await login('admin');
  const keepId = `K${uid()}`;
  const dupId = `D${uid()}`;
  const family = randomSurname();
  const keep = await send(adt('A04', { id: keepId, family, given: 'Ruth', birth: '19520304' }), admin);
  const dup = await send(adt('A04', { id: dupId, family: randomSurname(), given: 'Other', birth: '19990101' }), admin);
  assert.notEqual(keep.message.patient_id, dup.message.patient_id);

  const raw = adt('A40', { id: keepId, family, given: 'Ruth' }) + `MRG|${dupId}^^^GH^MR\r`;
  const merged = await send(raw, admin);
  assert.equal(ackCode(merged.ack), 'AA', merged.ack);
  assert.equal(merged.message.status, 'applied', merged.message.note);
  assert.equal(merged.message.patient_id, keep.message.patient_id);
  const coord = await login('coordinator');
  const closed = expectStatus(await api('GET', `/api/v1/patients/${dup.message.patient_id}`, undefined, coord), 200);
  assert.equal(closed.merged_into, keep.message.patient_id);
  const history = expectStatus(await api('GET', `/api/v1/patients/${keep.message.patient_id}/merges`, undefined, coord), 200);
  assert.equal(history.items.length, 1);
  assert.match(history.items[0].reason, /ADT\^A40 message/);
  assert.equal(history.items[0].by, usernameOf('admin'));

  const again = await send(adt('A40', { id: keepId, family, given: 'Ruth' }) + `MRG|${dupId}^^^GH^MR\r`, admin);
  assert.equal(ackCode(again.ack), 'AA');
  assert.equal(again.message.status, 'ignored', again.message.note);
  // The merge can be undone from CareDesk like any other.
  const undone = await api('POST', `/api/v1/patient-merges/${history.items[0].id}/undo`, { reason: 'sent in error' }, await login('manager'));
  expectStatus(undone, 200);
});

test('bad requests name the field; only admins and managers see the interface', async () => {
  const admin = await login('admin');
  expectError(await api('POST', '/api/v1/hl7/messages', '', admin, { headers: HL7 }), 400, { field: 'body' });
  expectError(await api('POST', '/api/v1/hl7/messages', { raw: 'x' }, admin), 400, { field: 'Content-Type' });
  expectError(await api('GET', '/api/v1/hl7/messages?status=lost', undefined, admin), 400, { field: 'status' });
  expectError(await api('GET', '/api/v1/hl7/messages?limit=-1', undefined, admin), 400);
  expectError(await api('GET', '/api/v1/hl7/messages/99999999', undefined, admin), 404);
  expectError(await api('POST', '/api/v1/hl7/messages/99999999/reprocess', undefined, admin), 404);
  expectError(await api('GET', '/api/v1/hl7/messages/abc', undefined, admin), 404);
  for (const role of ['coordinator', 'clinician', 'billing', 'auditor']) {
    const token = await login(role);
    expectError(await api('GET', '/api/v1/hl7/messages', undefined, token), 403);
    expectError(await api('POST', '/api/v1/hl7/messages', adt('A04', { family: 'X', given: 'Y' }), token, { headers: HL7 }), 403);
    expectError(await api('POST', '/api/v1/hl7/messages/1/reprocess', undefined, token), 403);
  }
  expectError(await api('GET', '/api/v1/hl7/messages'), 401);
});

// An SIU v2.5.1 message from a sender unique to this run, naming the clinic's provider, location and type by name.
function siu(trigger, { control = uid(), facility, filler, start, clinic, patient, family }) {
  const hl7Time = new Date(start).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '+0000').replace('T', '');
  return [
    `MSH|^~\\&|SCHED|${facility}|CAREDESK|CLINIC|20250310120000||SIU^${trigger}|${control}|P|2.5.1`,
    `SCH||${filler}|||||Routine||30|min|^^M30^${hl7Time}||||||||||||||Booked`,
    `PID|1||${patient}^^^${facility}^MR||${family}^Rita||19700101|F`,
    'RGS|1',
    `AIS|1||^${clinic.type.name}`,
    `AIL|1||^^^${clinic.location.name}`,
    `AIP|1||^${clinic.providers[0].name}`,
    '',
  ].join('\r');
}

test('an SIU S12 over HTTP books the appointment (registering the patient) and S15 cancels it', async () => {
  const admin = await login('admin');
  const clinic = await createClinic();
  const [slot] = await findSlots(admin, { type: clinic.type.id, provider: clinic.providers[0].id });
  assert.ok(slot, 'the clinic has a free slot');
  const facility = `GH-${uid()}`;
  const family = randomSurname();
  const common = { facility, filler: `A${uid()}`, start: slot.start, clinic, patient: `P${uid()}`, family };

  const booked = await send(siu('S12', common), admin);
  assert.equal(ackCode(booked.ack), 'AA', booked.ack);
  assert.equal(booked.message.status, 'applied', JSON.stringify(booked.message));
  assert.equal(typeof booked.message.patient_id, 'number');
  const id = Number(/appointment (\d+) booked/.exec(booked.message.note)?.[1]);
  assert.ok(id > 0, booked.message.note);
  const appointment = expectStatus(await api('GET', `/api/v1/appointments/${id}`, undefined, admin), 200);
  assert.equal(appointment.status, 'booked');
  assert.equal(appointment.patient_id, booked.message.patient_id);
  assert.equal(appointment.provider_id, clinic.providers[0].id);
  assert.equal(Date.parse(appointment.start), Date.parse(slot.start));

  const cancelled = await send(siu('S15', common), admin);
  assert.equal(ackCode(cancelled.ack), 'AA', cancelled.ack);
  assert.equal(cancelled.message.status, 'applied', JSON.stringify(cancelled.message));
  const after = expectStatus(await api('GET', `/api/v1/appointments/${id}`, undefined, admin), 200);
  assert.equal(after.status, 'cancelled');

  // An appointment id the sender never booked: AE naming SCH-2.
  const unknown = await send(siu('S15', { ...common, filler: `X${uid()}` }), admin);
  assert.equal(ackCode(unknown.ack), 'AE', unknown.ack);
  assert.equal(unknown.message.error_location, 'SCH-2');
});
