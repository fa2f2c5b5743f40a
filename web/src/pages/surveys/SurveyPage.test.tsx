import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SurveyPage } from './SurveyPage';
import { apiError, json, mockFetch, referenceRoutes } from '../../test/mockFetch';
import { renderPage } from '../../test/render';
import { SCORES, SURVEY, surveyPerms } from '../../test/surveys';

const base = { ...referenceRoutes, 'GET /api/v1/surveys/outpatient': SURVEY, 'GET /api/v1/surveys/outpatient/imports': { items: [] } };
const asManager = { path: '/surveys/:id', role: 'manager' as const, permissions: surveyPerms.manager };

describe('Survey page: scores', () => {
  it('shows responses, rate, box shares per measure and question, NPS and top-box per group', async () => {
    const m = mockFetch({ ...base, 'GET /api/v1/surveys/outpatient/scores': SCORES });
    renderPage(<SurveyPage />, { route: '/surveys/outpatient', ...asManager });

    const tiles = within(await screen.findByRole('list', { name: 'Summary' })).getAllByRole('listitem');
    expect(tiles[0]).toHaveTextContent('Responses148');
    expect(tiles[1]).toHaveTextContent('Invitations400');
    expect(tiles[2]).toHaveTextContent('Response rate37%');

    const box = screen.getByRole('table', { name: /top, middle and bottom box share/i });
    expect(within(box).getByRole('row', { name: /^Communication with nurses — 73% 20% 8% 87\.4$/ })).toBeInTheDocument();
    expect(within(box).getByRole('row', { name: /How often did nurses listen carefully to you\? nurse_listen 138 65% 25% 10% 84\.6/ })).toBeInTheDocument();
    // free text is not in the box table
    expect(within(box).queryByText(/anything else/i)).toBeNull();
    expect(screen.getByText(/“Is there anything else you want to tell us\?” \(37 answered\)/)).toBeInTheDocument();

    const nps = screen.getByRole('table', { name: /Net Promoter Score/ });
    expect(within(nps).getByRole('row', { name: /How likely are you to recommend us to a friend\? 60% 25% 15% \+45/ })).toBeInTheDocument();

    const groups = screen.getByRole('table', { name: /^Responses, response rate and the top-box share of each measure, by department/ });
    expect(within(groups).getByRole('row', { name: /Cardiology 90 200 45% 81%/ })).toBeInTheDocument();
    expect(within(groups).getByRole('row', { name: /Emergency 58 200 29% 59%/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /Communication with nurses: top-box share by department/ })).toBeInTheDocument();

    const q = m.callsTo('GET /api/v1/surveys/outpatient/scores')[0].url.searchParams;
    expect([...q.keys()]).toEqual([]); // server defaults: latest version, last 90 days
  });

  it('sends the filters and keeps them in the URL', async () => {
    const m = mockFetch({ ...base, 'GET /api/v1/surveys/outpatient/scores': { ...SCORES, group_by: null, groups: [] } });
    const user = userEvent.setup();
    renderPage(<SurveyPage />, { route: '/surveys/outpatient?tab=scores', ...asManager });
    await screen.findByRole('table', { name: /top, middle and bottom box share/i });
    await user.selectOptions(screen.getByLabelText('Version'), '1');
    await user.type(screen.getByLabelText(/^From/), '2026-01-01');
    await user.selectOptions(screen.getByLabelText('Location'), '1');
    await user.selectOptions(screen.getByLabelText('Group by'), 'quarter');
    await user.click(screen.getByRole('button', { name: 'Show scores' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/surveys/outpatient/scores')).toHaveLength(2));
    const q = m.callsTo('GET /api/v1/surveys/outpatient/scores')[1].url.searchParams;
    expect(Object.fromEntries(q)).toEqual({ version: '1', from: '2026-01-01', location_id: '1', group_by: 'quarter' });
  });

  it('puts a 400 from the scores on the filter it names', async () => {
    mockFetch({ ...base, 'GET /api/v1/surveys/outpatient/scores': apiError(400, 'invalid', 'At most 3 years.', 'from') });
    renderPage(<SurveyPage />, { route: '/surveys/outpatient?from=2001-01-01', ...asManager });
    await waitFor(() => expect(screen.getByLabelText(/^From/)).toHaveAccessibleDescription(/At most 3 years\./));
  });
});

describe('Survey page: tabs', () => {
  it('is a tablist moved through with the arrow keys', async () => {
    mockFetch({ ...base, 'GET /api/v1/surveys/outpatient/scores': SCORES });
    const user = userEvent.setup();
    renderPage(<SurveyPage />, { route: '/surveys/outpatient', ...asManager });
    const list = await screen.findByRole('tablist', { name: 'Survey views' });
    const tabs = within(list).getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Scores', 'Questions', 'Import']);
    expect(tabs[0]).toHaveAttribute('aria-selected', 'true');
    expect(tabs[1]).toHaveAttribute('tabindex', '-1');
    expect(screen.getByRole('tabpanel', { name: 'Scores' })).toBeInTheDocument();

    tabs[0].focus();
    await user.keyboard('{ArrowRight}');
    expect(within(list).getByRole('tab', { name: 'Questions' })).toHaveFocus();
    expect(within(list).getByRole('tab', { name: 'Questions' })).toHaveAttribute('aria-selected', 'true');
    const panel = screen.getByRole('tabpanel', { name: 'Questions' });
    expect(within(panel).getByText('How often did nurses listen carefully to you?')).toBeInTheDocument();
    expect(within(panel).getByRole('link', { name: /Edit questions/ })).toHaveAttribute('href', '/surveys/outpatient/edit');
    expect(within(panel).getByText(/Versions: 1, 2\./)).toBeInTheDocument();
    await user.keyboard('{End}');
    expect(within(list).getByRole('tab', { name: 'Import' })).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(within(list).getByRole('tab', { name: 'Scores' })).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(within(list).getByRole('tab', { name: 'Import' })).toHaveAttribute('aria-selected', 'true');
  });

  it('shows an earlier version on the Questions tab', async () => {
    const v1 = { ...SURVEY, version: 1, items: SURVEY.items.slice(0, 1), created_by: 'admin' };
    mockFetch({ ...base, 'GET /api/v1/surveys/outpatient/versions/1': v1 });
    const user = userEvent.setup();
    renderPage(<SurveyPage />, { route: '/surveys/outpatient?tab=questions', ...asManager });
    await user.selectOptions(await screen.findByLabelText('Show version'), '1');
    expect(await screen.findByRole('heading', { name: 'Outpatient experience — version 1' })).toBeInTheDocument();
    expect(screen.queryByText('How often did nurses listen carefully to you?')).toBeNull();
  });

  it('offers only the tabs the role may use', async () => {
    mockFetch({ ...base, 'GET /api/v1/surveys/outpatient/scores': SCORES });
    renderPage(<SurveyPage />, { route: '/surveys/outpatient?tab=import', path: '/surveys/:id', role: 'manager', permissions: ['analytics.read'] });
    const list = await screen.findByRole('tablist');
    expect(within(list).getAllByRole('tab').map((t) => t.textContent)).toEqual(['Scores', 'Questions']);
    expect(within(list).getByRole('tab', { name: 'Scores' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByRole('link', { name: /Edit questions/ })).toBeNull();
  });
});

describe('Survey page: answers from other systems', () => {
  it('tells a system the questionnaire to name and each question’s linkId and value, and copies it', async () => {
    mockFetch(base);
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderPage(<SurveyPage />, { route: '/surveys/outpatient?tab=import', ...asManager });
    const card = await screen.findByRole('region', { name: 'Answers from other systems (FHIR)' });
    expect(card).toHaveTextContent(`"questionnaire": "urn:caredesk:survey:outpatient|${SURVEY.version}"`);
    const table = within(card).getByRole('table', { name: 'The linkId and value of each question' });
    const first = SURVEY.items[0];
    expect(within(table).getByRole('row', { name: new RegExp(`^${first.id} `) })).toBeInTheDocument();
    const free = SURVEY.items.find((i) => i.kind === 'free_text');
    if (free) expect(within(table).getByRole('row', { name: new RegExp(`^${free.id} .*valueString$`) })).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Copy the questionnaire' }));
    expect(writeText).toHaveBeenCalledWith(`urn:caredesk:survey:outpatient|${SURVEY.version}`);
  });
});

describe('Survey page: import', () => {
  const CSV = [
    'Respondent ID,Visit Date,NURSE_COURTESY,How often did nurses listen carefully to you?,Dept,Likely to recommend',
    'R1,2026-03-01,Always,Usually,Cardiology,9',
    'R2,2026-03-02,Sometimes,"Never, sadly",Emergency,NA',
    'R3,03/02/2026,Often,Always,Emergency,10',
  ].join('\r\n');
  const DRY = {
    id: null,
    rows_read: 3,
    accepted: 2,
    rejected_rows: 1,
    issues: [
      { row: 4, line: 4, column: 'NURSE_COURTESY', reason: 'bad_value', message: '“Often” is not an answer to this question.' },
      { row: 4, line: 4, column: 'Visit Date', reason: 'bad_date', message: 'Not a date in the format year-month-day.' },
    ],
  };

  it('auto-matches columns from the header, checks (dry run) and shows the issues, then imports', async () => {
    let imports = 0;
    const m = mockFetch({
      ...base,
      'GET /api/v1/surveys/outpatient/imports': () =>
        imports === 0 ? { items: [] } : { items: [{ id: 5, version: 2, filename: 'vendor.csv', at: '2026-03-20T10:00:00-04:00', by: 'manager', rows_read: 3, accepted: 2, rejected_rows: 1 }] },
      'POST /api/v1/surveys/outpatient/versions/2/imports': (r: { body: { dry_run: boolean } }) =>
        r.body.dry_run ? DRY : (imports++, json(201, { ...DRY, id: 5 })),
    });
    const user = userEvent.setup();
    renderPage(<SurveyPage />, { route: '/surveys/outpatient?tab=import', ...asManager });
    expect(await screen.findByText('Nothing imported yet.')).toBeInTheDocument();

    await user.upload(screen.getByLabelText(/^CSV file/), new File([CSV], 'vendor.csv', { type: 'text/csv' }));
    expect(await screen.findByText(/6 columns found/)).toBeInTheDocument();
    expect(screen.getByText(/Chosen:/)).toHaveTextContent('vendor.csv');

    // auto-matched: by id (any case) and by question text; the rest guessed or left for the user
    expect(screen.getByLabelText('Column for nurse_courtesy')).toHaveValue('NURSE_COURTESY');
    expect(screen.getByLabelText('Column for nurse_listen')).toHaveValue('How often did nurses listen carefully to you?');
    expect(screen.getByLabelText('Column for recommend_nps')).toHaveValue('');
    expect(screen.getByLabelText(/^Respondent id column/)).toHaveValue('Respondent ID');
    expect(screen.getByLabelText(/^Visit date column/)).toHaveValue('Visit Date');
    await user.selectOptions(screen.getByLabelText('Column for recommend_nps'), 'Likely to recommend');
    await user.selectOptions(screen.getByLabelText(/^Department column/), 'Dept');
    await user.clear(screen.getByLabelText(/^Missing-value markers/));
    await user.type(screen.getByLabelText(/^Missing-value markers/), 'NA, N/A');

    await user.click(screen.getByRole('button', { name: 'Check' }));
    const result = await screen.findByRole('region', { name: 'Check result — nothing was saved' });
    expect(result).toHaveTextContent(/Rows read\s*3/);
    expect(result).toHaveTextContent(/Accepted\s*2/);
    expect(result).toHaveTextContent(/Rejected\s*1/);
    const issues = within(result).getByRole('table', { name: /Issues found/ });
    const rows = within(issues).getAllByRole('row');
    expect(rows[0]).toHaveTextContent(/Row\s*Column\s*Reason\s*Message/);
    expect(rows[1]).toHaveTextContent(/^4\s*NURSE_COURTESY\s*bad_value\s*“Often” is not an answer to this question\.$/);
    expect(rows[2]).toHaveTextContent(/^4\s*Visit Date\s*bad_date\s*Not a date in the format year-month-day\.$/);

    const dry = m.callsTo('POST /api/v1/surveys/outpatient/versions/2/imports')[0].body;
    expect(dry.dry_run).toBe(true);
    expect(dry.filename).toBe('vendor.csv');
    expect(dry.csv).toBe(CSV);
    expect(dry.mapping).toEqual({
      respondent_id_column: 'Respondent ID',
      encounter_id_column: '',
      date_column: 'Visit Date',
      date_format: 'iso',
      items: [
        { column: 'NURSE_COURTESY', item_id: 'nurse_courtesy' },
        { column: 'How often did nurses listen carefully to you?', item_id: 'nurse_listen' },
        { column: 'Likely to recommend', item_id: 'recommend_nps' },
      ],
      metadata: [{ column: 'Dept', key: 'department' }],
      missing_values: ['NA', 'N/A'],
    });

    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('region', { name: 'Import done' })).toBeInTheDocument();
    expect(m.callsTo('POST /api/v1/surveys/outpatient/versions/2/imports')[1].body.dry_run).toBe(false);
    const past = await screen.findByRole('table', { name: /Past imports/ });
    expect(within(past).getAllByRole('row')[1]).toHaveTextContent(/vendor\.csv\s*2\s*manager\s*3\s*2\s*1/);
  });

  it('shows progress while checking, and a mapping error from the server at its question', async () => {
    let release: (r: Response) => void = () => undefined;
    const m = mockFetch({
      ...base,
      'POST /api/v1/surveys/outpatient/versions/2/imports': () => new Promise<Response>((res) => (release = res)),
    });
    const user = userEvent.setup();
    renderPage(<SurveyPage />, { route: '/surveys/outpatient?tab=import', ...asManager });
    await user.type(await screen.findByLabelText(/^Or paste the CSV text/), 'respondent_id,nurse_courtesy,nurse_listen{Enter}R1,4,3');
    expect(await screen.findByText(/3 columns found/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Respondent id column/)).toHaveValue('respondent_id');
    await user.click(screen.getByRole('button', { name: 'Check' }));
    expect(screen.getByRole('button', { name: 'Checking…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled();
    expect(screen.getByText('Checking the file; nothing is saved…')).toBeInTheDocument();

    release(apiError(400, 'invalid', 'This column holds text, not answers.', 'mapping.items[1].column'));
    const sel = screen.getByLabelText('Column for nurse_listen');
    await waitFor(() => expect(sel).toHaveAccessibleDescription('This column holds text, not answers.'));
    await waitFor(() => expect(sel).toHaveFocus());
    expect(screen.getByRole('button', { name: 'Check' })).toBeEnabled();
    expect(m.callsTo('POST /api/v1/surveys/outpatient/versions/2/imports')[0].body.filename).toBe('pasted.csv');
  });

  it('checks the file before sending', async () => {
    const m = mockFetch(base);
    const user = userEvent.setup();
    renderPage(<SurveyPage />, { route: '/surveys/outpatient?tab=import', ...asManager });
    await user.click(await screen.findByRole('button', { name: 'Check' }));
    expect(screen.getByLabelText(/^CSV file/)).toHaveAccessibleDescription(/Choose the vendor’s CSV file/);
    await user.type(screen.getByLabelText(/^Or paste the CSV text/), '"id,q1{Enter}1,2');
    await user.click(screen.getByRole('button', { name: 'Check' }));
    expect(screen.getByLabelText(/^CSV file/)).toHaveAccessibleDescription(/not closed/);
    expect(m.callsTo('POST /api/v1/surveys/outpatient/versions/2/imports')).toHaveLength(0);
  });
});
