import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CasePage } from './CasePage';
import { apiError, mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';
import { makeCase } from '../test/cases';
import type { Case } from '../api/types';

const OWNERS = { items: [{ id: 1, name: 'Test coordinator', role: 'coordinator' }, { id: 5, name: 'Ana Diaz', role: 'manager' }] };
const decided = (c: Case, chosen: 'complaint' | 'grievance', reason = ''): Case => ({
  ...c,
  kind: chosen,
  triage: { ...c.triage!, decision: { chosen, overridden: chosen !== c.triage!.proposed, override_reason: reason, by: 'Test coordinator', at: '2026-03-02T11:00:00-05:00', offer_qio_referral: true } },
});

function setup(c: Case, extra: Record<string, unknown> = {}, role: 'coordinator' | 'auditor' = 'coordinator') {
  const m = mockFetch({ ...referenceRoutes, 'GET /api/v1/cases/12': c, 'GET /api/v1/cases/owners': OWNERS, ...extra });
  const user = userEvent.setup();
  renderPage(<CasePage />, { route: '/cases/12', path: '/cases/:id', role });
  return { m, user };
}

describe('Case page — triage', () => {
  it('shows the proposal with its reasons and the QIO referral offer, and confirms it', async () => {
    const c = makeCase();
    const { m, user } = setup(c, { 'POST /api/v1/cases/12/triage': (r: { body: { chosen: 'grievance' } }) => decided(c, r.body.chosen) });
    const panel = await screen.findByRole('region', { name: /complaint or grievance/i });
    expect(within(panel).getByText('Grievance')).toBeInTheDocument();
    expect(within(panel).getByText('The patient asked for a written response.')).toBeInTheDocument();
    const qio = within(panel).getByRole('note', { name: /offer a qio referral/i });
    expect(within(qio).getByText('Quality of care')).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Confirm as grievance' }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/cases/12/triage')).toHaveLength(1));
    expect(m.callsTo('POST /api/v1/cases/12/triage')[0].body).toEqual({ chosen: 'grievance', override_reason: '' });
    const done = await screen.findByRole('region', { name: 'Triage' });
    expect(done).toHaveTextContent(/handled as a grievance/i);
    // a grievance gets the decision-letter editor
    expect(screen.getByRole('region', { name: /written decision letter/i })).toBeInTheDocument();
  });

  it('requires a reason to override the proposal, and shows the server’s reason error on the field', async () => {
    const c = makeCase();
    let calls = 0;
    const { m, user } = setup(c, {
      'POST /api/v1/cases/12/triage': (r: { body: { chosen: 'complaint'; override_reason: string } }) =>
        calls++ === 0 ? apiError(400, 'invalid', 'Explain the override in at least 10 characters.', 'override_reason') : decided(c, r.body.chosen, r.body.override_reason),
    });
    const panel = await screen.findByRole('region', { name: /complaint or grievance/i });
    await user.click(within(panel).getByRole('button', { name: /treat as complaint instead/i }));
    const reason = within(panel).getByLabelText(/why treat it as a complaint/i);
    await waitFor(() => expect(reason).toHaveFocus());

    // no reason → no request, an error naming the field
    await user.click(within(panel).getByRole('button', { name: 'Treat as complaint' }));
    expect(reason).toHaveAccessibleDescription(/say why this should be a complaint rather than a grievance/i);
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(m.callsTo('POST /api/v1/cases/12/triage')).toHaveLength(0);

    // the server's 400 on override_reason lands on the same field
    await user.type(reason, 'Too short');
    await user.click(within(panel).getByRole('button', { name: 'Treat as complaint' }));
    await waitFor(() => expect(reason).toHaveAccessibleDescription(/at least 10 characters/i));

    await user.type(reason, ' — resolved with the patient on the phone the same day');
    await user.click(within(panel).getByRole('button', { name: 'Treat as complaint' }));
    const done = await screen.findByRole('region', { name: 'Triage' });
    expect(done).toHaveTextContent(/handled as a complaint/i);
    expect(done).toHaveTextContent(/overridden because/i);
    expect(m.callsTo('POST /api/v1/cases/12/triage')[1].body).toEqual({
      chosen: 'complaint',
      override_reason: 'Too short — resolved with the patient on the phone the same day',
    });
  });

  it('is read-only for auditors', async () => {
    setup(makeCase(), {}, 'auditor');
    const panel = await screen.findByRole('region', { name: /complaint or grievance/i });
    expect(within(panel).queryByRole('button', { name: /confirm/i })).toBeNull();
    expect(screen.queryByRole('button', { name: /add note/i })).toBeNull();
    expect(screen.queryByLabelText('Owner')).toBeNull();
  });
});

describe('Case page — deadlines, status, owner, notes', () => {
  it('lists deadlines in words with their state, and explains why a grievance cannot close yet', async () => {
    const c = decided(
      makeCase({
        status: 'investigating',
        allowed_next_statuses: ['resolved', 'closed'],
        deadlines: [
          { milestone: 'acknowledge', due: '2026-03-04T17:00:00-05:00', state: 'met', met_at: '2026-03-03T09:00:00-05:00', due_soon: false },
          { milestone: 'resolve_or_interim_notice', due: '2026-03-09T17:00:00-04:00', state: 'overdue', met_at: null, due_soon: false },
        ],
      }),
      'grievance',
    );
    const { m, user } = setup(c, { 'POST /api/v1/cases/12/status': apiError(409, 'letter_required', 'Send the decision letter first') });
    const dl = await screen.findByRole('region', { name: 'Deadlines' });
    expect(within(dl).getByText('Acknowledge receipt')).toBeInTheDocument();
    expect(within(dl).getByText('Met')).toBeInTheDocument();
    expect(within(dl).getByText('Resolve or send interim notice')).toBeInTheDocument();
    expect(within(dl).getByText('Overdue')).toBeInTheDocument();

    const status = screen.getByRole('region', { name: 'Status' });
    expect(within(status).getAllByRole('button').map((b) => b.textContent)).toEqual(['Mark resolved', 'Close case', 'Send interim notice']);
    await user.click(within(status).getByRole('button', { name: 'Close case' }));
    const dialog = await screen.findByRole('dialog', { name: 'Close case' });
    // known in advance: no letter sent yet
    expect(within(dialog).getByText(/closed only after its written decision letter has been sent/i)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Go to the decision letter' }));
    await waitFor(() => expect(screen.getByRole('region', { name: /written decision letter/i })).toHaveFocus());
    expect(m.callsTo('POST /api/v1/cases/12/status')).toHaveLength(0);
  });

  it('changes status with a note, handles letter_required from the server, assigns the owner and adds a note', async () => {
    const c = makeCase({ kind: 'inquiry', inquiry_type: 'billing', triage: null, allowed_next_statuses: ['acknowledged', 'closed'] });
    const { m, user } = setup(c, {
      'POST /api/v1/cases/12/status': (r: { body: { status: string } }) =>
        r.body.status === 'closed' ? apiError(409, 'letter_required', 'Send the decision letter first') : { ...c, status: r.body.status, allowed_next_statuses: ['investigating'] },
      'POST /api/v1/cases/12/owner': (r: { body: { owner_user_id: number } }) => ({ ...c, owner_user_id: r.body.owner_user_id, owner_name: 'Ana Diaz' }),
      'POST /api/v1/cases/12/notes': (r: { body: { type: string; text: string } }) => ({
        ...c,
        events: [...c.events!, { id: 2, at: '2026-03-02T12:00:00-05:00', by: 'Test coordinator', type: r.body.type, text: r.body.text }],
      }),
    });
    expect(await screen.findByRole('heading', { name: 'CD-2026-000012-7', level: 1 })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /complaint or grievance/i })).toBeNull();

    // server says a letter is required → explained, not a generic error
    await user.click(screen.getByRole('button', { name: 'Close case' }));
    let dialog = await screen.findByRole('dialog', { name: 'Close case' });
    await user.click(within(dialog).getByRole('button', { name: 'Close case' }));
    expect(await within(dialog).findByText(/closed only after its written decision letter has been sent/i)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    await user.click(screen.getByRole('button', { name: 'Mark acknowledged' }));
    dialog = await screen.findByRole('dialog', { name: 'Mark acknowledged' });
    await user.type(within(dialog).getByLabelText('Note'), 'Emailed the patient');
    await user.click(within(dialog).getByRole('button', { name: 'Mark acknowledged' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(m.callsTo('POST /api/v1/cases/12/status').at(-1)!.body).toEqual({ status: 'acknowledged', note: 'Emailed the patient' });
    expect(screen.getByRole('button', { name: 'Start investigating' })).toBeInTheDocument();

    const owner = await screen.findByLabelText('Owner');
    await waitFor(() => expect(within(owner).getAllByRole('option')).toHaveLength(3));
    await user.selectOptions(owner, '5');
    await waitFor(() => expect(m.callsTo('POST /api/v1/cases/12/owner')[0].body).toEqual({ owner_user_id: 5 }));

    // empty note → field error, no request
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    expect(screen.getByLabelText('Note text')).toHaveAccessibleDescription(/write the note/i);
    await user.click(screen.getByRole('radio', { name: 'Action taken' }));
    await user.type(screen.getByLabelText('What was done'), 'Called billing office');
    await user.click(screen.getByRole('button', { name: 'Record action' }));
    const tl = screen.getByRole('list', { name: /case events/i });
    expect(await within(tl).findByText('Called billing office')).toBeInTheDocument();
    expect(m.callsTo('POST /api/v1/cases/12/notes')[0].body).toEqual({ type: 'action', text: 'Called billing office' });
  });
});
