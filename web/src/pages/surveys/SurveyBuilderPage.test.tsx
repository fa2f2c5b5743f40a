import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SurveyBuilderPage } from './SurveyBuilderPage';
import { apiError, json, mockFetch, referenceRoutes } from '../../test/mockFetch';
import { renderPage } from '../../test/render';
import { KINDS, SURVEY, surveyPerms } from '../../test/surveys';
import type { SurveyDraft } from '../../api/types';

const perms = { role: 'manager' as const, permissions: surveyPerms.manager };

describe('Survey builder', () => {
  it('builds a new survey, puts the server’s items[1].kind error on that question, then creates it', async () => {
    let posts = 0;
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/surveys/kinds': KINDS,
      'POST /api/v1/surveys': (r: { body: SurveyDraft }) =>
        posts++ === 0
          ? apiError(400, 'invalid', 'This kind cannot be used with a measure.', 'items[1].kind')
          : json(201, { ...SURVEY, id: r.body.id, title: r.body.title, version: 1, versions: [1] }),
    });
    const user = userEvent.setup();
    renderPage(<SurveyBuilderPage />, { route: '/surveys/new', path: '/surveys/new', ...perms });

    await user.type(await screen.findByLabelText(/^Id/), 'clinic');
    await user.type(screen.getByLabelText(/^Title/), 'Clinic visit');
    // question 1 is there to start with
    expect(screen.getByLabelText(/^Item id \(question 1\)/)).toHaveValue('q1');
    await user.type(screen.getByLabelText(/^Question text \(question 1\)/), 'Would you recommend us?');
    await user.selectOptions(screen.getByLabelText(/^Answer kind \(question 1\)/), 'nps');
    const q1 = screen.getByRole('group', { name: 'Question 1' });
    expect(within(q1).getByText(/Answers:/).parentElement).toHaveTextContent('0 · 1 · 2');
    expect(within(q1).getByText('Top box (Promoters):').nextSibling).toHaveTextContent('9, 10');

    await user.click(screen.getByRole('button', { name: 'Add question' }));
    expect(screen.getByLabelText(/^Question text \(question 2\)/)).toHaveFocus();
    await user.type(screen.getByLabelText(/^Question text \(question 2\)/), 'How often were you treated with respect?');
    await user.selectOptions(screen.getByLabelText(/^Answer kind \(question 2\)/), 'frequency');
    await user.type(screen.getByLabelText(/^Measure id \(question 2\)/), 'respect');
    const q2 = screen.getByRole('group', { name: 'Question 2' });
    expect(within(q2).getByText('Top box (Always):').nextSibling).toHaveTextContent('Always (4)');
    expect(within(q2).getByText('Bottom (Sometimes or never):').nextSibling).toHaveTextContent('Never (1), Sometimes (2)');
    // the measure gets a name
    await user.clear(screen.getByLabelText(/^Name of measure respect/));
    await user.type(screen.getByLabelText(/^Name of measure respect/), 'Respect');

    await user.click(screen.getByRole('button', { name: 'Create survey' }));
    const kind2 = screen.getByLabelText(/^Answer kind \(question 2\)/);
    await waitFor(() => expect(kind2).toHaveAccessibleDescription('This kind cannot be used with a measure.'));
    expect(kind2).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(kind2).toHaveFocus());
    expect(screen.getByLabelText(/^Answer kind \(question 1\)/)).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent('One field needs attention: This kind cannot be used with a measure.');

    // move question 2 up, then create
    await user.click(screen.getByRole('button', { name: 'Move q2 up' }));
    expect(screen.getByLabelText(/^Item id \(question 1\)/)).toHaveValue('q2');
    await user.click(screen.getByRole('button', { name: 'Create survey' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/surveys/clinic?tab=questions'));
    const body = m.callsTo('POST /api/v1/surveys')[1].body;
    expect(body).toEqual({
      id: 'clinic',
      title: 'Clinic visit',
      items: [
        { id: 'q2', text: 'How often were you treated with respect?', kind: 'frequency', measure_id: 'respect' },
        { id: 'q1', text: 'Would you recommend us?', kind: 'nps', measure_id: null },
      ],
      measures: [{ id: 'respect', name: 'Respect', item_ids: ['q2'] }],
    });
  });

  it('checks the form before sending', async () => {
    const m = mockFetch({ ...referenceRoutes, 'GET /api/v1/surveys/kinds': KINDS });
    const user = userEvent.setup();
    renderPage(<SurveyBuilderPage />, { route: '/surveys/new', path: '/surveys/new', ...perms });
    await user.type(await screen.findByLabelText(/^Id/), 'settings');
    await user.click(screen.getByRole('button', { name: 'Create survey' }));
    expect(screen.getByLabelText(/^Id/)).toHaveAccessibleDescription(/reserved/);
    expect(screen.getByLabelText(/^Title/)).toHaveAccessibleDescription(/Enter the survey’s title/);
    expect(screen.getByLabelText(/^Answer kind \(question 1\)/)).toHaveAccessibleDescription('Choose how the question is answered.');
    await waitFor(() => expect(screen.getByLabelText(/^Id/)).toHaveFocus());
    expect(m.callsTo('POST /api/v1/surveys')).toHaveLength(0);
  });

  it('saves an existing survey as a new version and says earlier responses keep theirs', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/surveys/kinds': KINDS,
      'GET /api/v1/surveys/outpatient': SURVEY,
      'POST /api/v1/surveys/outpatient/versions': (r: { body: SurveyDraft }) =>
        json(201, { ...SURVEY, ...r.body, items: SURVEY.items.map((it, i) => ({ ...it, text: r.body.items[i].text })), version: 3, versions: [1, 2, 3] }),
    });
    const user = userEvent.setup();
    renderPage(<SurveyBuilderPage />, { route: '/surveys/outpatient/edit', path: '/surveys/:id/edit', ...perms });

    const text = await screen.findByLabelText(/^Question text \(question 2\)/);
    expect(screen.queryByRole('textbox', { name: /^Id/ })).toBeNull();
    expect(screen.getByText(/Saving makes version 3/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Name of measure nurse_comm/)).toHaveValue('Communication with nurses');
    await user.clear(text);
    await user.type(text, 'How often did nurses really listen to you?');
    await user.click(screen.getByRole('button', { name: 'Save as a new version' }));

    const notice = await screen.findByText(/Version 3 was made/);
    expect(notice.closest('.alert')).toHaveTextContent('Earlier responses keep the version they answered; new invitations use version 3.');
    expect(screen.getByRole('link', { name: 'View the survey' })).toHaveAttribute('href', '/surveys/outpatient?tab=questions');
    expect(screen.getByLabelText(/^Question text \(question 2\)/)).toHaveValue('How often did nurses really listen to you?');

    const body = m.callsTo('POST /api/v1/surveys/outpatient/versions')[0].body;
    expect(body.id).toBe('outpatient');
    expect(body.items.map((i: { id: string }) => i.id)).toEqual(['nurse_courtesy', 'nurse_listen', 'recommend_nps', 'comment']);
    expect(body.items[1]).toEqual({ id: 'nurse_listen', text: 'How often did nurses really listen to you?', kind: 'frequency', measure_id: 'nurse_comm' });
    expect(body.measures).toEqual([{ id: 'nurse_comm', name: 'Communication with nurses', item_ids: ['nurse_courtesy', 'nurse_listen'] }]);
  });

  it('keeps boxes of the version that differ from the kind’s defaults, and shows a measure error on the measure', async () => {
    const custom = { ...SURVEY, items: SURVEY.items.map((it, i) => (i === 0 ? { ...it, boxes: { ...it.boxes!, top: [3, 4], middle: [], bottom: [1, 2] } } : it)) };
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/surveys/kinds': KINDS,
      'GET /api/v1/surveys/outpatient': custom,
      'POST /api/v1/surveys/outpatient/versions': apiError(400, 'invalid', 'A measure needs at least two questions.', 'measures[0].item_ids[1]'),
    });
    const user = userEvent.setup();
    renderPage(<SurveyBuilderPage />, { route: '/surveys/outpatient/edit', path: '/surveys/:id/edit', ...perms });
    const q1 = await screen.findByRole('group', { name: 'Question 1' });
    expect(within(q1).getByText('Top box (Always):').nextSibling).toHaveTextContent('Usually (3), Always (4)');
    expect(within(q1).getByText('Boxes as in the current version.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save as a new version' }));
    const name = screen.getByLabelText(/^Name of measure nurse_comm/);
    await waitFor(() => expect(name).toHaveAccessibleDescription(/A measure needs at least two questions\./));
    expect(m.callsTo('POST /api/v1/surveys/outpatient/versions')[0].body.items[0].boxes.top).toEqual([3, 4]);
    expect(m.callsTo('POST /api/v1/surveys/outpatient/versions')[0].body.items[1].boxes).toBeUndefined();
  });
});
