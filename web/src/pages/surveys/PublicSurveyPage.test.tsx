import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { PublicSurveyPage } from './PublicSurveyPage';
import { apiError, json, mockFetch } from '../../test/mockFetch';
import { KINDS, SURVEY } from '../../test/surveys';

const TOKEN = 'tok_9f3a';
const URL_ = `/api/v1/public/surveys/${TOKEN}`;
const VALID = {
  state: 'valid',
  organization_name: 'Riverside Health',
  visit: { date: '2026-03-10', location_name: 'Riverside Clinic' },
  survey: {
    title: 'Outpatient experience',
    items: SURVEY.items.map((i) => ({ id: i.id, text: i.text, kind: i.kind, options: i.options })),
  },
};
const USED = { state: 'used', organization_name: 'Riverside Health', visit: VALID.visit, survey: null };

function renderPublic() {
  return render(
    <MemoryRouter initialEntries={[`/s/${TOKEN}`]}>
      <Routes>
        <Route path="/s/:token" element={<PublicSurveyPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('Public survey page', () => {
  it('shows each question as a fieldset, 0–10 as eleven radios, and sends only the answered items without a session', async () => {
    sessionStorage.setItem('caredesk.token', 'staff-token'); // a staff member signed in on the same device
    const m = mockFetch({ [`GET ${URL_}`]: VALID, [`POST ${URL_}`]: json(201, { message: 'Thank you, Riverside Health.' }) });
    const user = userEvent.setup();
    renderPublic();

    expect(await screen.findByRole('heading', { level: 1, name: 'Outpatient experience' })).toBeInTheDocument();
    expect(screen.getByText(/Tell us about your visit on Tuesday 10 March 2026 at Riverside Clinic/)).toBeInTheDocument();

    const courtesy = screen.getByRole('group', { name: /How often did nurses treat you with courtesy/ });
    expect(within(courtesy).getAllByRole('radio').map((r) => r.closest('label')!.textContent)).toEqual(['Never', 'Sometimes', 'Usually', 'Always']);

    const nps = screen.getByRole('group', { name: /How likely are you to recommend us/ });
    const scale = within(nps).getAllByRole('radio');
    expect(scale).toHaveLength(11);
    expect(scale.map((r) => r.closest('label')!.textContent)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(within(nps).getByRole('radio', { name: '0' })).toHaveAccessibleDescription('0 = Not at all likely');
    expect(within(nps).getByRole('radio', { name: '10' })).toHaveAccessibleDescription('10 = Extremely likely');

    const comment = screen.getByRole('group', { name: /anything else you want to tell us/ });
    const box = within(comment).getByRole('textbox', { name: /anything else you want to tell us/ });

    await user.click(within(courtesy).getByRole('radio', { name: 'Always' }));
    await user.click(within(nps).getByRole('radio', { name: '9' }));
    // change of mind: cleared answers are not sent
    await user.click(within(nps).getByRole('button', { name: /clear my answer/i }));
    expect(within(nps).getByRole('radio', { name: '0' })).toHaveFocus();
    await user.click(within(nps).getByRole('radio', { name: '10' }));
    await user.type(box, '  Friendly staff.  ');
    await user.click(screen.getByRole('button', { name: 'Send my answers' }));

    const done = await screen.findByRole('heading', { level: 1, name: /thank you for your answers/i });
    await waitFor(() => expect(done).toHaveFocus());
    expect(screen.getByText('Thank you, Riverside Health.')).toBeInTheDocument();

    const post = m.callsTo(`POST ${URL_}`)[0];
    expect(post.body).toEqual({
      answers: [
        { item_id: 'nurse_courtesy', value: 4 },
        { item_id: 'recommend_nps', value: 10 },
        { item_id: 'comment', text: 'Friendly staff.' },
      ],
    });
    expect(post.headers.authorization).toBeUndefined();
    expect(m.callsTo(`GET ${URL_}`)[0].headers.authorization).toBeUndefined();
    expect(m.callsTo('GET /api/v1/session')).toHaveLength(0);
  });

  it('asks for at least one answer before sending', async () => {
    const m = mockFetch({ [`GET ${URL_}`]: VALID });
    const user = userEvent.setup();
    renderPublic();
    await user.click(await screen.findByRole('button', { name: 'Send my answers' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Answer at least one question before sending.');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(m.callsTo(`POST ${URL_}`)).toHaveLength(0);
  });

  it('shows a 400 at the question it names', async () => {
    mockFetch({ [`GET ${URL_}`]: VALID, [`POST ${URL_}`]: apiError(400, 'invalid', 'Choose a value from 0 to 10.', 'answers.recommend_nps.value') });
    const user = userEvent.setup();
    renderPublic();
    const nps = await screen.findByRole('group', { name: /How likely are you to recommend us/ });
    await user.click(within(nps).getByRole('radio', { name: '7' }));
    await user.click(screen.getByRole('button', { name: 'Send my answers' }));

    await waitFor(() => expect(nps).toHaveAccessibleDescription('Choose a value from 0 to 10.'));
    expect(within(nps).getByText('Choose a value from 0 to 10.')).toBeInTheDocument();
    expect(within(nps).getByRole('radio', { name: '7' })).toHaveAttribute('aria-invalid', 'true');
    const summary = screen.getByRole('alert');
    await user.click(within(summary).getByRole('link', { name: /Question 3: Choose a value/ }));
    expect(nps).toHaveFocus();
    // the answer is kept
    expect(within(nps).getByRole('radio', { name: '7' })).toBeChecked();
  });

  it('shows a clear message instead of the form when the link was used', async () => {
    mockFetch({ [`GET ${URL_}`]: USED });
    renderPublic();
    expect(await screen.findByRole('heading', { level: 1, name: 'This survey has already been answered' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send my answers' })).toBeNull();
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
    expect(screen.getByText('Riverside Health')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Do not send me surveys' })).toBeInTheDocument();
  });

  it('turns a 409 token_used on sending into the used message', async () => {
    mockFetch({ [`GET ${URL_}`]: VALID, [`POST ${URL_}`]: apiError(409, 'token_used', 'Already answered.') });
    const user = userEvent.setup();
    renderPublic();
    await user.click((await screen.findAllByRole('radio', { name: 'Usually' }))[0]);
    await user.click(screen.getByRole('button', { name: 'Send my answers' }));
    const h = await screen.findByRole('heading', { level: 1, name: 'This survey has already been answered' });
    await waitFor(() => expect(h).toHaveFocus());
  });

  it('explains an expired or unknown link', async () => {
    mockFetch({ [`GET ${URL_}`]: { ...USED, state: 'expired' } });
    const { unmount } = renderPublic();
    expect(await screen.findByRole('heading', { name: 'This survey link has expired' })).toBeInTheDocument();
    unmount();
    mockFetch({ [`GET ${URL_}`]: apiError(404, 'not_found', 'No such survey') });
    renderPublic();
    expect(await screen.findByRole('heading', { name: 'We could not find this survey' })).toBeInTheDocument();
  });

  it('opts out after a confirm step and shows the result', async () => {
    const m = mockFetch({ [`GET ${URL_}`]: VALID, [`POST ${URL_}/opt-out`]: { message: 'You will get no more surveys from Riverside Health.' } });
    const user = userEvent.setup();
    renderPublic();
    await user.click(await screen.findByRole('button', { name: 'Do not send me surveys' }));
    expect(screen.getByText(/Stop all survey invitations\?/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(m.callsTo(`POST ${URL_}/opt-out`)).toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Do not send me surveys' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Do not send me surveys' }));
    await user.click(screen.getByRole('button', { name: 'Yes, stop sending me surveys' }));
    const h = await screen.findByRole('heading', { level: 1, name: /you will not receive more surveys/i });
    await waitFor(() => expect(h).toHaveFocus());
    expect(screen.getByText('You will get no more surveys from Riverside Health.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send my answers' })).toBeNull();
    expect(m.callsTo(`POST ${URL_}/opt-out`)).toHaveLength(1);
    expect(m.callsTo(`POST ${URL_}/opt-out`)[0].headers.authorization).toBeUndefined();
  });

  it('labels 0–10 ends from the options when they carry words', async () => {
    const items = [{ id: 'overall', text: 'Rate the clinic', kind: 'rating_0_10', options: KINDS.items[2].options.map((o) => (o.value === 0 ? { value: 0, label: 'Worst clinic possible' } : o.value === 10 ? { value: 10, label: 'Best clinic possible' } : o)) }];
    mockFetch({ [`GET ${URL_}`]: { ...VALID, survey: { title: 'Short', items } } });
    renderPublic();
    const g = await screen.findByRole('group', { name: /Rate the clinic/ });
    expect(within(g).getByRole('radio', { name: '0' })).toHaveAccessibleDescription('0 = Worst clinic possible');
    expect(within(g).getByRole('radio', { name: '10' })).toHaveAccessibleDescription('10 = Best clinic possible');
  });
});
