// The HL7 v2 listener (serve --mllp) driven by a third-party MLLP client, @medplum/hl7, whose parser
// (@medplum/core's Hl7Message) also reads CareDesk's acknowledgements. scripts/test.sh starts the
// server with --mllp and passes its port as MLLP_PORT.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';

import { api, expectStatus, login, randomSurname, requireEnv, uid } from './lib.mjs';

const port = () => Number(requireEnv('MLLP_PORT', 'the port of the server’s HL7 v2 (MLLP) listener'));

function adt(trigger, { control = uid(), facility = `GH-${uid()}`, id = `P${uid()}`, family, given = 'Ada', birth = '19700101' }) {
  return Hl7Message.parse(
    [
      `MSH|^~\\&|ADT1|${facility}|CAREDESK|CLINIC|20250310120000||ADT^${trigger}|${control}|P|2.5.1`,
      `EVN|${trigger}|20250310120000`,
      `PID|1||${id}^^^GH^MR||${family}^${given}||${birth}|F`,
    ].join('\r'),
  );
}

async function withClient(fn) {
  const client = new Hl7Client({ host: '127.0.0.1', port: port(), connectTimeout: 5000 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

const msa = (ack) => ack.getSegment('MSA');

test('an A04 sent over MLLP is acknowledged AA echoing MSH-10, stored with its sender, and registers the patient', async () => {
  const admin = await login('admin');
  const family = randomSurname();
  const control = `M${uid()}`;
  const ack = await withClient((c) => c.sendAndWait(adt('A04', { control, family }), { timeoutMs: 10_000 }));
  assert.equal(ack.getSegment('MSH').getField(9).toString(), 'ACK^A04^ACK', ack.toString());
  assert.equal(msa(ack).getField(1).toString(), 'AA', ack.toString());
  assert.equal(msa(ack).getField(2).toString(), control);
  assert.equal(ack.getSegment('ERR'), undefined);

  const list = expectStatus(await api('GET', '/api/v1/hl7/messages?status=applied&limit=50', undefined, admin), 200);
  const stored = list.items.find((m) => m.control_id === control);
  assert.ok(stored, `message ${control} not listed`);
  assert.match(stored.peer, /^127\.0\.0\.1:\d+$/, 'the sender is recorded as address:port');
  assert.equal(stored.ack_code, 'AA');
  const patient = expectStatus(await api('GET', `/api/v1/patients/${stored.patient_id}`, undefined, admin), 200);
  assert.equal(patient.family_name, family);
});

test('a message CareDesk cannot apply is answered AE with an ERR naming the field; the connection carries on', async () => {
  await withClient(async (c) => {
    const bad = await c.sendAndWait(adt('A01', { family: randomSurname(), birth: '19881332' }), { timeoutMs: 10_000 });
    assert.equal(msa(bad).getField(1).toString(), 'AE', bad.toString());
    const err = bad.getSegment('ERR');
    assert.ok(err, bad.toString());
    assert.equal(err.getField(2).getComponent(1), 'PID', bad.toString()); // ERR-2: PID^1^7
    assert.equal(err.getField(2).getComponent(3), '7', bad.toString());
    const unsupported = await c.sendAndWait(adt('A02', { family: randomSurname() }), { timeoutMs: 10_000 });
    assert.equal(msa(unsupported).getField(1).toString(), 'AR', unsupported.toString());
    const good = await c.sendAndWait(adt('A04', { family: randomSurname() }), { timeoutMs: 10_000 });
    assert.equal(msa(good).getField(1).toString(), 'AA', good.toString());
  });
});

test('five clients at once, ten messages each: every message acknowledged AA, in order on each connection', async () => {
  const results = await Promise.all(
    Array.from({ length: 5 }, (_, k) =>
      withClient(async (c) => {
        const seen = [];
        for (let i = 0; i < 10; i++) {
          const control = `C${k}-${i}-${uid()}`;
          const ack = await c.sendAndWait(adt('A04', { control, family: randomSurname() }), { timeoutMs: 15_000 });
          seen.push([control, msa(ack).getField(1).toString(), msa(ack).getField(2).toString()]);
        }
        return seen;
      }),
    ),
  );
  for (const seen of results) {
    for (const [control, code, echoed] of seen) {
      assert.equal(code, 'AA', control);
      assert.equal(echoed, control);
    }
  }
});
