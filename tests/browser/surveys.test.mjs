// The patient-survey journey, as the people involved would do it, on a server without an SMTP server
// (so every invitation is a printed slip):
// set-up by API as admin (two new locations with a provider, two patients without email, each with a visit
// completed today) → the manager builds a four-question survey in the builder → makes it the active survey,
// sends after 0 hours to links on this server, and sends the invitations now → a coordinator prints the slip
// for the first patient → the patient answers on a phone (no sign-in), once → the manager sees the response
// in the scores at that location and the comment on the Comments page with its themes (one of which narrows the
// list to it) → the server's clock moves on 31 days
// and the link on the second patient's slip has expired.
// This file changes the global survey settings and moves the server's clock; it puts both back when done.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, assertServerUp, cap, env, launch, letters, login, newPage, shot } from './lib.mjs';

const E = env();
const manager = { user: process.env.MANAGER_USER, password: process.env.MANAGER_PASSWORD };
const tag = letters(6);
const FAM = `Okafor${tag}`; // unique family name for this run
const SURVEY_ID = `visit-${tag}`;
const TITLE = `Your visit with us (${tag})`;
const Q = {
  freq: 'How often did the staff explain things in a way you could understand?',
  yesNo: 'Were you seen within 15 minutes of your appointment time?',
  nps: 'How likely are you to recommend this clinic to a friend or family member?',
  text: 'Is there anything else you would like to tell us about your visit?',
};
const COMMENT = `The nurse was kind and explained my new medicine clearly (${tag}).`;
const esc = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LINK = new RegExp(`^${esc(E.base)}/s/\\S+$`);
const SETTINGS_KEYS = [
  'active_survey_id', 'send_after_hours', 'expires_days', 'reminder_after_days', 'max_reminders',
  'public_base_url', 'from_name', 'from_email', 'email_subject', 'email_intro',
];

/** A patient without an email address and a visit to `location` completed today (walk-in → completed). */
async function completedVisit(admin, location, provider, given) {
  const patient = await admin.post('/api/v1/patients', {
    given_name: given, family_name: FAM, birth_date: '1979-06-03', sex: 'unknown', phone: '555-0142', confirm_new: true,
  });
  assert.ok(!patient.email, 'the patient has no email address (the invitation must wait to be printed)');
  const enc = await admin.post('/api/v1/encounters', { patient_id: patient.id, location_id: location.id, provider_id: provider.id });
  for (const to of ['roomed', 'with_provider', 'checkout', 'completed']) {
    await admin.post(`/api/v1/encounters/${enc.id}/transition`, { to });
  }
  const done = await admin.get(`/api/v1/encounters/${enc.id}`);
  assert.equal(done.state, 'completed');
  return { patient, encounter: done, name: `${FAM}, ${given}` };
}

/** Choose a location in a filter and wait for the list filtered by it (not the one shown before). */
async function chooseLocation(page, select, location, api) {
  await Promise.all([
    page.waitForResponse((r) => r.url().includes(api) && new URL(r.url()).searchParams.get('location_id') === String(location.id) && r.ok()),
    select(),
  ]);
}

/** The public survey link printed on the slip now on screen. */
async function slipLink(page) {
  const slip = page.getByRole('article', { name: 'How was your visit?' });
  await slip.waitFor();
  const qr = slip.getByRole('figure');
  assert.equal(await qr.getByRole('img', { name: 'QR code that opens the survey' }).locator('svg').count(), 1, 'the slip shows the QR code as an svg');
  const url = (await slip.getByText(LINK).textContent()).trim();
  assert.match(url, LINK, 'the slip shows the link as text, on this server');
  return url;
}

describe('patient survey journey', { concurrency: false }, () => {
  let browser;
  const s = {};

  before(async () => {
    assert.ok(manager.user && manager.password, 'MANAGER_USER and MANAGER_PASSWORD are not set');
    await assertServerUp(E.base);
    const admin = new Api(E.base);
    await admin.login(E.admin);
    // The survey settings are global: keep them to put them back in after().
    s.settingsBefore = await admin.get('/api/v1/surveys/settings');
    // Two locations, so the second (unanswered) invitation does not count in the first location's scores.
    s.location = await admin.post('/api/v1/locations', { name: `Harbor View ${cap(tag)}`, time_zone: 'America/New_York' });
    s.location2 = await admin.post('/api/v1/locations', { name: `Hillcrest ${cap(tag)}`, time_zone: 'America/New_York' });
    s.provider = await admin.post('/api/v1/providers', {
      name: `Dr. ${cap(tag)} Survey`, specialty: 'Family medicine', location_ids: [s.location.id, s.location2.id], max_overbook: 0, active: true,
    });
    s.first = await completedVisit(admin, s.location, s.provider, 'Grace');
    s.second = await completedVisit(admin, s.location2, s.provider, 'Daniel');
    browser = await launch();
  });

  after(async () => {
    try {
      const admin = new Api(E.base);
      await admin.login(E.admin);
      await admin.post('/api/v1/test/clock', { reset: true });
      if (s.settingsBefore) {
        const body = Object.fromEntries(SETTINGS_KEYS.map((k) => [k, s.settingsBefore[k]]));
        await admin.call('PUT', '/api/v1/surveys/settings', body);
      }
    } finally {
      await browser?.close();
    }
  });

  it('the manager builds a survey with four questions', async () => {
    const page = await newPage(browser);
    await login(page, E.base, manager);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Surveys' }).click();
    await page.getByRole('heading', { name: 'Surveys', exact: true }).waitFor();
    await page.getByRole('link', { name: 'New survey' }).click();
    const form = page.getByRole('form', { name: 'New survey' });
    await form.waitFor();
    await form.getByLabel('Id', { exact: true }).fill(SURVEY_ID);
    await form.getByLabel('Title', { exact: true }).fill(TITLE);
    const questions = [
      ['frequency', Q.freq],
      ['yes_no', Q.yesNo],
      ['nps', Q.nps],
      ['free_text', Q.text],
    ];
    for (const [i, [kind, text]] of questions.entries()) {
      const n = i + 1;
      if (i > 0) await form.getByRole('button', { name: 'Add question' }).click();
      await form.getByLabel(`Answer kind (question ${n})`).selectOption(kind);
      await form.getByLabel(`Question text (question ${n})`).fill(text);
    }
    // The builder shows what each kind's top box is, e.g. "Always" for a frequency question.
    const q1 = form.getByRole('group', { name: 'Question 1' });
    assert.match(await q1.getByRole('definition').first().textContent(), /Always/);
    await shot(page, 'surveys-1-builder');
    await form.getByRole('button', { name: 'Create survey' }).click();
    await page.waitForURL(new RegExp(`/surveys/${SURVEY_ID}\\?tab=questions$`));
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    const panel = page.getByRole('tabpanel', { name: 'Questions' });
    for (const text of Object.values(Q)) await panel.getByText(text).first().waitFor();
    await shot(page, 'surveys-2-survey-page');
    // Systems that collect answers themselves are told what to send: the questionnaire and each linkId.
    await page.getByRole('tab', { name: 'Import' }).click();
    const fhir = page.getByRole('region', { name: 'Answers from other systems (FHIR)' });
    await fhir.getByText(`"questionnaire": "urn:caredesk:survey:${SURVEY_ID}|1"`).waitFor();
    const linkIds = fhir.getByRole('table', { name: 'The linkId and value of each question' });
    assert.equal(await linkIds.getByRole('row').count(), questions.length + 1, 'a row per question');
    await fhir.scrollIntoViewIfNeeded();
    await shot(page, 'surveys-2b-fhir-answers');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('the manager makes it the active survey and sends the invitations now', async () => {
    const page = await newPage(browser);
    await login(page, E.base, manager);
    await page.goto(`${E.base}/surveys`);
    await page.getByRole('navigation', { name: 'Survey pages' }).getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Survey settings' });
    await form.waitFor();
    await form.getByLabel('Active survey').selectOption(SURVEY_ID);
    await form.getByLabel('Send after (hours)').fill('0');
    await form.getByLabel('Link expires after (days)').fill('30');
    await form.getByLabel('Public address of CareDesk').fill(E.base);
    // No SMTP server: every invitation waits to be printed.
    assert.match(await form.getByRole('group', { name: 'Email' }).textContent(), /Not configured/);
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Survey settings saved').waitFor();
    const saved = page.getByRole('form', { name: 'Survey settings' });
    assert.equal(await saved.getByLabel('Active survey').inputValue(), SURVEY_ID);
    assert.equal(await saved.getByLabel('Send after (hours)').inputValue(), '0');
    assert.equal(await saved.getByLabel('Public address of CareDesk').inputValue(), E.base);

    const send = page.getByRole('region', { name: 'Send invitations now' });
    await send.getByRole('button', { name: 'Send invitations now' }).click();
    await send.getByText('Done.').waitFor();
    const count = async (label) => {
      const term = send.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) });
      return Number((await term.locator('xpath=following-sibling::dd[1]').textContent()).replace(/\D/g, ''));
    };
    const toPrint = await count('Waiting to be printed');
    assert.ok(toPrint >= 1, `invitations waiting to be printed: ${toPrint} (expected ≥ 1, for this run's two visits)`);
    assert.equal(await count('Emailed'), 0, 'no email is sent without an SMTP server');
    await send.getByRole('link', { name: 'Print the waiting slips' }).waitFor();
    await shot(page, 'surveys-3-settings-sent');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('a coordinator prints the slip for the patient', async () => {
    const page = await newPage(browser);
    await login(page, E.base, E.coord);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Surveys' }).click();
    await page.getByRole('heading', { name: 'Survey invitations' }).waitFor(); // coordinators land on the invitations
    await chooseLocation(page, () => page.getByLabel('Location').selectOption({ label: s.location.name }), s.location, '/api/v1/surveys/invitations');
    const row = page.getByRole('row', { name: new RegExp(s.first.name) });
    await row.waitFor();
    assert.equal(await page.getByRole('row', { name: new RegExp(s.second.name) }).count(), 0, 'the filter keeps only this location');
    assert.match(await row.textContent(), /Printed slip/);
    assert.match(await row.textContent(), /Waiting for an answer/);
    await shot(page, 'surveys-4-invitations');
    await row.getByRole('link', { name: `Print slip for ${s.first.name}` }).click();
    s.link = await slipLink(page);
    const slip = page.getByRole('article', { name: 'How was your visit?' });
    assert.match(await slip.textContent(), new RegExp(s.location.name));
    assert.match(await slip.textContent(), new RegExp(`For ${s.first.name}`));
    await shot(page, 'surveys-5-slip');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('the patient answers on a phone, without signing in, once', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    await page.goto(s.link);
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    assert.match(await page.getByText(/Tell us about your visit on/).textContent(), new RegExp(s.location.name));
    await page.getByRole('group', { name: Q.freq }).getByRole('radio', { name: 'Always', exact: true }).check();
    await page.getByRole('group', { name: Q.yesNo }).getByRole('radio', { name: 'Yes', exact: true }).check();
    await page.getByRole('group', { name: Q.nps }).getByRole('radio', { name: '9', exact: true }).check();
    await page.getByRole('group', { name: Q.text }).getByRole('textbox').fill(COMMENT);
    await shot(page, 'surveys-6-public-answers');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByRole('heading', { name: /Thank you for your answers/ }).waitFor();
    await shot(page, 'surveys-7-public-thanks');
    // A link works once.
    await page.reload();
    await page.getByRole('heading', { name: 'This survey has already been answered' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send my answers' }).count(), 0);
    await shot(page, 'surveys-8-public-used');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('the manager sees the response in the scores at that location, and the comment', async () => {
    const page = await newPage(browser);
    await login(page, E.base, manager);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Surveys' }).click();
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Scores' }).click();
    const filters = page.getByRole('search', { name: 'Score filters' });
    await filters.getByLabel('Location').selectOption({ label: s.location.name });
    await chooseLocation(page, () => filters.getByRole('button', { name: 'Show scores' }).click(), s.location, `/api/v1/surveys/${SURVEY_ID}/scores`);
    await page.getByText(new RegExp(`· ${esc(s.location.name)}\\.`)).waitFor();
    const tiles = page.getByRole('list', { name: 'Summary' });
    const tile = async (label) => (await tiles.getByRole('listitem').filter({ hasText: new RegExp(`^${label}`) }).textContent()).replace(label, '').trim();
    assert.equal(await tile('Responses'), '1');
    assert.equal(await tile('Invitations'), '1');
    assert.equal(await tile('Response rate'), '100%');
    const freq = page.getByRole('row', { name: new RegExp(esc(Q.freq)) });
    const cells = freq.getByRole('cell');
    assert.equal((await cells.nth(0).textContent()).trim(), '1', 'answered');
    assert.equal((await cells.nth(1).textContent()).trim(), '100%', 'top box ("Always")');
    const nps = page.getByRole('region', { name: 'Net Promoter Score' });
    assert.match(await nps.getByRole('row', { name: new RegExp(esc(Q.nps)) }).textContent(), /\+100/);
    await shot(page, 'surveys-9-scores');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Comments' }).click();
    const cf = page.getByRole('search', { name: 'Comment filters' });
    await cf.getByLabel('Location').selectOption({ label: s.location.name });
    await cf.getByLabel('Source').selectOption('survey');
    await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/comments\?/.test(r.url()) && new URL(r.url()).searchParams.get('source') === 'survey' && r.ok()),
      cf.getByRole('button', { name: 'Show comments' }).click(),
    ]);
    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByText(COMMENT).waitFor();
    // The comment carries the themes the classifier gave it, and a theme narrows the list to its comments.
    const api = new Api(E.base);
    await api.login(manager);
    const stored = (await api.get(`/api/v1/comments?source=survey&q=${encodeURIComponent(tag)}`)).items;
    assert.equal(stored.length, 1, 'the survey comment is stored once');
    assert.ok(stored[0].themes.length > 0, `the classifier gave the comment a theme (${stored[0].sentiment})`);
    const item = comments.getByRole('listitem').filter({ hasText: COMMENT });
    const chips = item.getByRole('list', { name: 'Themes' });
    for (const th of stored[0].themes) await chips.getByRole('button', { name: th }).waitFor();
    await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/comments\?/.test(r.url()) && new URL(r.url()).searchParams.get('theme') === stored[0].themes[0] && r.ok()),
      chips.getByRole('button', { name: stored[0].themes[0] }).click(),
    ]);
    await comments.getByText(COMMENT).waitFor();
    await shot(page, 'surveys-10-comments');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('a month on, the link on an unanswered slip has expired', async () => {
    // The coordinator prints the second patient's slip today …
    const page = await newPage(browser);
    await login(page, E.base, E.coord);
    await page.goto(`${E.base}/surveys/invitations`);
    await chooseLocation(page, () => page.getByLabel('Location').selectOption({ label: s.location2.name }), s.location2, '/api/v1/surveys/invitations');
    await page.getByRole('row', { name: new RegExp(s.second.name) }).getByRole('link', { name: `Print slip for ${s.second.name}` }).click();
    const link = await slipLink(page);
    assert.match(await page.getByText(/This link works until/).textContent(), /works until/);
    await shot(page, 'surveys-11-second-slip');
    assert.deepEqual(page.errors, []);
    await page.context().close();

    // … which works today …
    const phone = await newPage(browser, { width: 390, height: 844 });
    await phone.goto(link);
    await phone.getByRole('heading', { name: TITLE, level: 1 }).waitFor();

    // … but not 31 days on (links expire after 30 days by default).
    const admin = new Api(E.base);
    await admin.login(E.admin);
    await admin.post('/api/v1/test/clock', { advance_hours: 31 * 24 });
    await phone.reload();
    await phone.getByRole('heading', { name: 'This survey link has expired' }).waitFor();
    assert.equal(await phone.getByRole('button', { name: 'Send my answers' }).count(), 0);
    await shot(phone, 'surveys-12-public-expired');
    assert.deepEqual(phone.errors, []);
    await phone.context().close();

    // The coordinator (signed in again: a month on, the earlier session has expired) sees it as expired.
    const later = await newPage(browser);
    await login(later, E.base, E.coord);
    await later.goto(`${E.base}/surveys/invitations`);
    await chooseLocation(later, () => later.getByLabel('Location').selectOption({ label: s.location2.name }), s.location2, '/api/v1/surveys/invitations');
    const row = later.getByRole('row', { name: new RegExp(s.second.name) });
    await row.waitFor();
    assert.match(await row.textContent(), /Expired/);
    await shot(later, 'surveys-13-invitation-expired');
    assert.deepEqual(later.errors, []);
    await later.context().close();
  });
});
