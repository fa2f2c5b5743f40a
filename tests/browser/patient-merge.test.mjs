// The registration lead's clean-up: a patient was registered twice, typed differently. From the record that
// stays, the lead finds the duplicate, compares the two side by side, merges it with a reason; the duplicate's
// page then points to the record that stays; the merge is separated again from the history.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, assertServerUp, cap, env, launch, letters, login, newPage, shot } from './lib.mjs';

const E = env();
const FAMILY = cap(letters(9));
const BIRTH = `19${String(40 + Math.floor(Math.random() * 50))}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;

describe('merging a duplicate patient record', { concurrency: false }, () => {
  let browser;
  let page;
  let keep;
  let dup;
  const api = new Api(E.base);

  before(async () => {
    await assertServerUp(E.base);
    await api.login(E.admin);
    keep = await api.post('/api/v1/patients', {
      given_name: 'Rosalind', family_name: FAMILY, birth_date: BIRTH, sex: 'female', phone: '6175550142', confirm_new: true,
    });
    dup = await api.post('/api/v1/patients', {
      given_name: 'Rosalyn', family_name: FAMILY, birth_date: BIRTH, sex: 'female', phone: '6175550199', confirm_new: true,
      coverages: [{ payer: 'Harbor Health', member_id: `HH-${FAMILY}`, relationship: 'self' }],
    });
    // An allergy another system sent about the duplicate, kept as FHIR: it moves with the merge.
    await api.post('/fhir/R4/AllergyIntolerance', {
      resourceType: 'AllergyIntolerance', code: { text: 'Penicillin' }, patient: { reference: `Patient/${dup.id}` },
    });
    browser = await launch();
    page = await newPage(browser);
  });
  after(async () => {
    await browser?.close();
  });

  it('finds the duplicate from the record that stays and compares the two side by side', async () => {
    await login(page, E.base, E.admin);
    await page.goto(`${E.base}/patients/${keep.id}`);
    await page.getByRole('heading', { name: `Rosalind ${FAMILY}` }).waitFor();
    await page.getByRole('button', { name: 'Merge a duplicate…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge a duplicate into this record' });
    await dialog.getByRole('combobox', { name: 'Duplicate record' }).fill(`Rosalyn ${FAMILY}`);
    await dialog.getByRole('option', { name: new RegExp(`${FAMILY}.*Rosalyn|Rosalyn.*${FAMILY}`) }).first().click();
    const table = dialog.getByRole('table', { name: /side by side/ });
    await table.waitFor();
    await table.getByRole('row', { name: /Coverage.*Harbor Health/ }).waitFor();
    assert.equal(await table.locator('tr.differs').count(), 4, 'name, MRN, phone and coverage differ');
    await shot(page, 'patient-merge-1-compare');
  });

  it('merges it with a reason, and the history says what moved', async () => {
    const dialog = page.getByRole('dialog', { name: 'Merge a duplicate into this record' });
    const merge = dialog.getByRole('button', { name: `Merge ${dup.mrn} into this record` });
    await merge.click();
    await dialog.getByText(/Say why these are the same person/).waitFor();
    await dialog.getByRole('textbox', { name: /Why are these the same person/ }).fill('Same person: registered again at the front desk with a typo');
    await merge.click();
    await page.getByRole('status').filter({ hasText: `was merged into this record: moved 1 coverage and 1 FHIR resource (conditions, allergies, …).` }).waitFor();
    const history = page.getByRole('region', { name: 'Merged records' });
    await history.getByText(/was merged into this record/).waitFor();
    await page.getByRole('region', { name: 'Coverage' }).getByText('Harbor Health').waitFor();
    const allergies = await api.get(`/fhir/R4/AllergyIntolerance?patient=${keep.id}`);
    assert.equal(allergies.total, 1, 'the allergy is the record that stays’s now');
    await shot(page, 'patient-merge-2-merged');
  });

  it('the duplicate’s page points to the record that stays and offers no edits or bookings', async () => {
    await page.goto(`${E.base}/patients/${dup.id}`);
    await page.getByRole('heading', { name: `Rosalyn ${FAMILY}` }).waitFor();
    await page.getByText(/This record was merged into/).first().waitFor();
    assert.equal(await page.getByRole('link', { name: 'Edit patient' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: /Book appointment/ }).count(), 0);
    await shot(page, 'patient-merge-3-duplicate');
    await page.getByRole('status').getByRole('link', { name: `Rosalind ${FAMILY} (${keep.mrn})` }).click();
    await page.getByRole('heading', { name: `Rosalind ${FAMILY}` }).waitFor();
  });

  it('separates the records again from the history', async () => {
    const history = page.getByRole('region', { name: 'Merged records' });
    await history.getByRole('button', { name: /Separate again/ }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Separate the records again' });
    await dialog.getByRole('textbox', { name: /Why/ }).fill('Not the same person after all');
    await dialog.getByRole('button', { name: 'Separate again' }).click();
    await history.getByText(/Separated again on/).waitFor();
    assert.equal(await history.getByRole('button', { name: /Separate again/ }).count(), 0);
    const back = await api.get(`/api/v1/patients/${dup.id}`);
    assert.equal(back.merged_into, null);
    assert.equal(back.coverages.length, 1);
    const allergies = await api.get(`/fhir/R4/AllergyIntolerance?patient=${dup.id}`);
    assert.equal(allergies.total, 1, 'the allergy moved back');
    assert.deepEqual(page.errors, []);
  });
});
