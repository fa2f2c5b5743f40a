import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CasePage } from '../../pages/CasePage';
import { apiError, mockFetch, referenceRoutes } from '../../test/mockFetch';
import { renderPage } from '../../test/render';
import { makeCase } from '../../test/cases';
import type { Case, DecisionLetterInput } from '../../api/types';

const grievance = (over: Partial<Case> = {}): Case => {
  const c = makeCase({ kind: 'grievance', status: 'investigating', owner_user_id: 5, owner_name: 'Ana Diaz', ...over });
  c.triage = { ...c.triage!, decision: { chosen: 'grievance', overridden: false, override_reason: '', by: 'Ana Diaz', at: '2026-03-02T11:00:00-05:00', offer_qio_referral: true } };
  return c;
};

const realUrl = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
afterEach(() => {
  URL.createObjectURL = realUrl.create;
  URL.revokeObjectURL = realUrl.revoke;
});

describe('Decision letter editor', () => {
  it('names each missing field, shows the server’s field error, then previews, downloads and marks as sent', async () => {
    sessionStorage.setItem('caredesk.token', 'tok-9');
    const c = grievance();
    let puts = 0;
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/cases/12': c,
      'GET /api/v1/cases/owners': { items: [] },
      'PUT /api/v1/cases/12/letter': (r: { body: DecisionLetterInput }) =>
        puts++ === 0
          ? apiError(400, 'invalid', 'The completion date must be on a business day.', 'letter.completion_date')
          : { ...c, letter: { ...r.body, letter_date: '2026-03-20', rendered_text: `Dear Jonathan Smith,\n${r.body.results}\nRiverside Health`, sent_at: null } },
      'GET /api/v1/cases/12/letter.pdf': () => new Response('%PDF-1.4', { status: 200, headers: { 'Content-Type': 'application/pdf' } }),
      'POST /api/v1/cases/12/letter/send': () => ({
        ...c,
        decision_letter_at: '2026-03-20T10:00:00-04:00',
        letter: { contact_name: 'Ana Diaz', contact_title: 'Patient Relations Manager', contact_phone: '555 0100', investigation_steps: 'Reviewed the record', results: 'Staff retrained', completion_date: '2026-03-14', letter_date: '2026-03-20', further_recourse: '', rendered_text: 'Dear Jonathan Smith', sent_at: '2026-03-20T10:00:00-04:00' },
      }),
    });
    const created = vi.fn((_: Blob) => 'blob:letter');
    URL.createObjectURL = created;
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const user = userEvent.setup();
    renderPage(<CasePage />, { route: '/cases/12', path: '/cases/:id' });

    const panel = await screen.findByRole('region', { name: /written decision letter/i });
    expect(within(panel).getByText('Not started')).toBeInTheDocument();
    expect(within(panel).getByLabelText(/^Contact person/)).toHaveValue('Ana Diaz');

    // 1. client-side: every missing field is named on the field itself
    await user.click(within(panel).getByRole('button', { name: 'Save letter' }));
    expect(within(panel).getByRole('alert')).toHaveTextContent(/5 fields need attention/);
    expect(within(panel).getByLabelText(/^Their job title/)).toHaveAccessibleDescription(/enter their job title/i);
    expect(within(panel).getByLabelText(/^Their phone/)).toHaveAccessibleDescription(/phone number the patient can call/i);
    expect(within(panel).getByLabelText(/^Steps taken to investigate/)).toHaveAccessibleDescription(/describe the steps/i);
    expect(within(panel).getByLabelText(/^Results/)).toHaveAccessibleDescription(/describe the results/i);
    const completion = within(panel).getByLabelText(/^Investigation completed on/);
    expect(completion).toHaveAccessibleDescription(/date the investigation was completed/i);
    await waitFor(() => expect(within(panel).getByLabelText(/^Their job title/)).toHaveFocus());
    expect(m.callsTo('PUT /api/v1/cases/12/letter')).toHaveLength(0);

    await user.type(within(panel).getByLabelText(/^Their job title/), 'Patient Relations Manager');
    await user.type(within(panel).getByLabelText(/^Their phone/), '555 0100');
    await user.type(within(panel).getByLabelText(/^Steps taken to investigate/), 'Reviewed the record');
    await user.type(within(panel).getByLabelText(/^Results/), 'Staff retrained');
    await user.type(completion, '2026-03-14');

    // 2. the server's 400 names a field ("letter.completion_date") → shown on that field
    await user.click(within(panel).getByRole('button', { name: 'Save letter' }));
    await waitFor(() => expect(completion).toHaveAccessibleDescription(/must be on a business day/i));
    expect(completion).toHaveAttribute('aria-invalid', 'true');

    // 3. saved → server-rendered preview
    await user.click(within(panel).getByRole('button', { name: 'Save letter' }));
    const preview = await within(panel).findByRole('document', { name: 'Preview' });
    expect(preview).toHaveTextContent('Dear Jonathan Smith');
    expect(m.callsTo('PUT /api/v1/cases/12/letter')[1].body).toEqual({
      contact_name: 'Ana Diaz',
      contact_title: 'Patient Relations Manager',
      contact_phone: '555 0100',
      investigation_steps: 'Reviewed the record',
      results: 'Staff retrained',
      completion_date: '2026-03-14',
      further_recourse: '',
    });

    // 4. PDF fetched with the bearer token and offered as a download
    await user.click(within(panel).getByRole('button', { name: 'Download PDF' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/cases/12/letter.pdf')).toHaveLength(1));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(m.callsTo('GET /api/v1/cases/12/letter.pdf')[0].headers.authorization).toBe('Bearer tok-9');
    expect(created).toHaveBeenCalled();

    // unsaved edits block the PDF and sending until saved
    await user.type(within(panel).getByLabelText(/^Results/), ' and apologised');
    expect(within(panel).getByRole('button', { name: 'Mark as sent' })).toBeDisabled();
    await user.click(within(panel).getByRole('button', { name: 'Discard changes' }));

    // 5. mark as sent (with confirmation)
    await user.click(within(panel).getByRole('button', { name: 'Mark as sent' }));
    const dialog = await screen.findByRole('alertdialog', { name: /mark the decision letter as sent/i });
    await user.click(within(dialog).getByRole('button', { name: 'Mark as sent' }));
    expect(await within(panel).findByText(/^Sent /)).toBeInTheDocument();
    expect(within(panel).queryByRole('button', { name: 'Mark as sent' })).toBeNull();
    expect(within(panel).getByLabelText(/^Results/)).toHaveAttribute('readonly');
  });
});
