// The interface analyst's journey: an ADT A08 arrives for a patient CareDesk does not know, fails (AE),
// shows up on the Interfaces page with the field it is about; the patient's A04 is sent by hand from the
// same page; the failed A08 is reprocessed and goes through.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Api, assertServerUp, cap, env, launch, letters, login, newPage, shot } from './lib.mjs';

const E = env();
const tag = letters(6);
// Names and a birth date of their own: the duplicate detector must not take this patient for one of an
// earlier run against the same database.
const FAMILY = cap(letters(9));
const BIRTH = `19${String(40 + Math.floor(Math.random() * 50))}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}`;
const MRN = `E2E${tag.toUpperCase()}`;
// A sender unique to this run: a rerun against the same database is not a retransmission.
const FACILITY = `GH-${tag}`;

function adt(trigger, control, { given = cap(tag), phone = '' } = {}) {
  return [
    `MSH|^~\\&|ADT1|${FACILITY}|CAREDESK|CLINIC|20261122083000||ADT^${trigger}|${control}|P|2.5.1`,
    `EVN|${trigger}|20261122083000`,
    `PID|1||${MRN}^^^GH^MR||${FAMILY}^${given}||${BIRTH}|F|||||${phone}`,
    '',
  ].join('\r');
}

describe('interface messages', { concurrency: false }, () => {
  let browser;
  let page;
  const api = new Api(E.base);

  before(async () => {
    await assertServerUp(E.base);
    await api.login(E.admin);
    browser = await launch();
    page = await newPage(browser);
  });
  after(async () => {
    await browser?.close();
  });

  it('an A08 for an unknown patient is stored as failed, acknowledged AE', async () => {
    const res = await fetch(`${E.base}/api/v1/hl7/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'x-application/hl7-v2+er7' },
      body: adt('A08', `UPD${tag}`, { phone: '617-555-0142' }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.match(body.ack, /\rMSA\|AE\|UPD/);
    assert.equal(body.message.status, 'failed');
  });

  it('the admin finds it on the Interfaces page, with the field it is about', async () => {
    await login(page, E.base, E.admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Interfaces' }).click();
    await page.getByRole('heading', { name: 'Interface messages' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: `UPD${tag}` });
    await row.waitFor();
    await row.getByText('Failed').waitFor();
    await row.getByRole('link').first().click();
    const panel = page.getByRole('complementary', { name: 'Message details' });
    await panel.getByRole('heading', { name: `ADT^A08 UPD${tag}` }).waitFor();
    const problem = await panel.getByRole('alert').textContent();
    assert.match(problem, /^PID-3/, problem);
    await panel.getByLabel('Message as received, one segment per line').locator('mark').waitFor();
    await shot(page, 'interfaces-1-failed');
  });

  it('sends the A04 that registers the patient by hand', async () => {
    await page.getByText('Send a message by hand').click();
    const form = page.getByRole('form', { name: 'Send an HL7 v2 message' });
    await form.getByLabel('HL7 v2 message').fill(adt('A04', `REG${tag}`));
    await form.getByRole('button', { name: 'Send message' }).click();
    const ack = page.getByLabel('Acknowledgement');
    await ack.waitFor();
    assert.match(await ack.textContent(), new RegExp(`MSA\\|AA\\|REG${tag}`));
    await page.getByRole('status').filter({ hasText: 'Stored as message' }).getByText('Applied').waitFor();
  });

  it('reprocesses the failed A08, which now goes through', async () => {
    const panel = page.getByRole('complementary', { name: 'Message details' });
    await panel.getByRole('button', { name: 'Reprocess' }).click();
    await page.getByText(`Message UPD${tag} went through: applied.`).waitFor();
    await panel.getByText('2 tries').waitFor();
    await panel.getByRole('link', { name: /^Patient \d+$/ }).waitFor();
    await shot(page, 'interfaces-2-reprocessed');
    // The failed list no longer holds it.
    await page.getByRole('group', { name: 'Show messages' }).getByRole('button', { name: /^Failed/ }).click();
    await page.getByText(/Failed messages|No failed messages/).first().waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: `UPD${tag}` }).count(), 0);
    // The patient carries the A08's phone number.
    await panel.waitFor({ state: 'detached' }).catch(() => {});
    const found = await api.get(`/api/v1/patients?q=${encodeURIComponent(`${FAMILY} ${cap(tag)}`)}&limit=5`);
    const patient = found.items.find((p) => p.family_name === FAMILY);
    assert.ok(patient, `no patient ${FAMILY}`);
    const full = await api.get(`/api/v1/patients/${patient.id}`);
    assert.match(full.phone ?? '', /555.?0142/, JSON.stringify(full));
    assert.deepEqual(page.errors, []);
  });

  it('finds the same patient through the FHIR tab, as an outside system would', async () => {
    await page.getByRole('group', { name: 'Interface view' }).getByRole('button', { name: 'FHIR' }).click();
    await page.getByRole('heading', { name: 'FHIR API' }).waitFor();
    const served = page.getByRole('table', { name: 'Resources served' });
    await served.getByRole('row', { name: /Patient/ }).waitFor();
    const form = page.getByRole('form', { name: 'FHIR Patient search' });
    await form.getByLabel('Family name').fill(FAMILY.slice(0, 5).toLowerCase());
    await form.getByLabel('Given name').fill(cap(tag));
    await form.getByRole('button', { name: 'Search' }).click();
    const found = page.getByRole('table', { name: 'Patients found' });
    const link = found.getByRole('link', { name: `${cap(tag)} ${FAMILY}` });
    await link.waitFor();
    await page.getByText('1 patient matches').waitFor();
    await shot(page, 'interfaces-3-fhir');
    await link.click();
    await page.getByRole('heading', { name: new RegExp(FAMILY) }).first().waitFor();
    assert.deepEqual(page.errors, []);
  });

  it('adds an outbound peer, pauses it and removes it after confirming', async () => {
    const name = `Lab ${tag}`;
    await page.goto(`${E.base}/interfaces?view=peers`);
    await page.getByRole('heading', { name: 'Interface peers' }).waitFor();
    await page.getByRole('button', { name: 'Add a peer' }).click();
    const form = page.getByRole('form', { name: 'Add a peer' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Host').fill('127.0.0.1');
    await form.getByLabel('Port').fill('1');
    await form.getByRole('button', { name: 'Save peer' }).click();
    const row = page.getByRole('table', { name: 'Peers' }).getByRole('row').filter({ hasText: name });
    await row.getByText('Enabled').waitFor();
    await row.getByRole('button', { name: `Disable ${name}` }).click();
    await row.getByText('Disabled').waitFor();
    await row.getByRole('button', { name: `Remove ${name}` }).click();
    const dialog = page.getByRole('alertdialog', { name: `Remove ${name}?` });
    await dialog.getByText('its queue goes with it').waitFor();
    await shot(page, 'interfaces-4-remove-peer');
    await dialog.getByRole('button', { name: `Remove ${name}` }).click();
    await row.waitFor({ state: 'detached' });
    const peers = await api.get('/api/v1/hl7/peers');
    assert.ok(!peers.items.some((p) => p.name === name), 'the peer is gone');
    assert.deepEqual(page.errors, []);
  });

  it('imports FHIR ndjson from the FHIR tab and follows it to its report', async () => {
    const family = cap(letters(9));
    const patientId = `imp-${tag}`;
    const lines = [
      { resourceType: 'Patient', id: patientId, identifier: [{ system: `urn:e2e:${tag}`, value: '1' }], name: [{ family, given: ['Ines'] }], gender: 'female', birthDate: '1979-05-06' },
      { resourceType: 'Observation', id: `obs-${tag}`, status: 'final', code: { text: 'Heart rate' }, subject: { reference: `urn:uuid:${patientId}` }, valueQuantity: { value: 66, unit: '/min' } },
      { resourceType: 'Appointment', id: `appt-${tag}`, status: 'booked', participant: [{ actor: { reference: `urn:uuid:${patientId}` }, status: 'accepted' }] },
      { resourceType: 'Patient', id: `bad-${tag}`, name: [{ family, given: ['Nobirth'] }] },
    ].map((r) => JSON.stringify(r)).join('\n');
    await page.goto(`${E.base}/interfaces?view=fhir`);
    const card = page.getByRole('region', { name: 'Import FHIR data' });
    await card.waitFor();
    await card.getByLabel(/Files/).setInputFiles({ name: `e2e-${tag}.ndjson`, mimeType: 'application/fhir+ndjson', buffer: Buffer.from(lines) });
    await card.getByRole('button', { name: 'Import' }).click();
    const report = card.getByRole('region', { name: `Imported e2e-${tag}.ndjson` });
    await report.waitFor();
    await report.getByText('Read 4 resources and wrote 2: 1 new patient, 0 updated. 1 refused.').waitFor();
    await report.getByRole('row', { name: /Observation/ }).waitFor();
    await report.getByText(/Not imported.*Appointment 1/).waitFor();
    await report.getByRole('alert').getByText(`e2e-${tag}.ndjson:4: Patient.birthDate: CareDesk needs the patient's birth date`).waitFor();
    await shot(page, 'interfaces-5-fhir-import');
    // The patient is a CareDesk patient now, and the Observation names it.
    const found = await api.get(`/fhir/R4/Patient?identifier=${encodeURIComponent(`urn:e2e:${tag}|1`)}`);
    assert.equal(found.total, 1);
    const observation = await api.get(`/fhir/R4/Observation/obs-${tag}`);
    assert.equal(observation.subject.reference, `Patient/${found.entry[0].resource.id}`);
    assert.deepEqual(page.errors, []);
  });

  it('exports every patient’s data from the FHIR tab and downloads a file with the user’s token', async () => {
    await page.goto(`${E.base}/interfaces?view=fhir`);
    const card = page.getByRole('region', { name: 'Export FHIR data' });
    await card.getByLabel('Every patient’s data').check();
    await card.getByRole('button', { name: 'Export' }).click();
    const files = card.getByRole('region', { name: 'Exported files' });
    await files.waitFor({ timeout: 60_000 });
    const patientRow = files.getByRole('row', { name: /^Patient/ });
    await patientRow.waitFor();
    await shot(page, 'interfaces-6-fhir-export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      patientRow.getByRole('button', { name: 'Download Patient-1.ndjson' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'Patient-1.ndjson');
    const lines = fs.readFileSync(await download.path(), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.ok(lines.length >= 1);
    assert.ok(lines.every((r) => r.resourceType === 'Patient'));
    assert.ok(lines.some((r) => r.identifier?.some((i) => i.system === `urn:e2e:${tag}`)), 'the imported patient is exported');

    // Coming back later: the export is listed, its files shown again from there.
    await page.reload();
    const jobs = page.getByRole('table', { name: 'Your exports, newest first' });
    const job = jobs.getByRole('row', { name: /Every patient’s data/ }).first();
    await job.waitFor();
    assert.match(await job.innerText(), /Done/);
    await shot(page, 'interfaces-6b-fhir-exports-listed');
    await job.getByRole('button', { name: /Show the files of the export/ }).click();
    const again = card.getByRole('region', { name: 'Exported files' });
    await again.getByRole('row', { name: /^Patient/ }).waitFor();
    assert.match(await again.innerText(), /kept until/);
    const listed = await jobs.getByRole('row').count();
    await again.getByRole('button', { name: 'Delete the exported files' }).click();
    await again.waitFor({ state: 'detached' });
    for (let i = 0; i < 50 && (await jobs.getByRole('row').count()) >= listed; i++) await page.waitForTimeout(100);
    assert.ok((await jobs.getByRole('row').count()) < listed, 'the deleted export leaves the list');
    assert.deepEqual(page.errors, []);
  });
});
