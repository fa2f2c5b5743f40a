import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { PublicComplaintPage } from './PublicComplaintPage';
import { apiError, json, mockFetch } from '../test/mockFetch';

const FORM = { organization_name: 'Riverside Health', locations: [{ id: 1, name: 'Riverside Clinic' }, { id: 2, name: 'Hilltop Hospital' }], categories: ['Communication', 'Billing'] };

function renderPublic() {
  return render(
    <MemoryRouter initialEntries={['/complaint']}>
      <PublicComplaintPage />
    </MemoryRouter>,
  );
}

async function fill(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText(/^Your name/), 'Maria Garcia');
  await user.type(screen.getByLabelText(/^Email address/), 'maria@example.com');
  await user.selectOptions(await screen.findByLabelText(/^Where was it/), '2');
  await user.selectOptions(screen.getByLabelText(/^What is it about/), 'Billing');
  await user.type(screen.getByLabelText(/^What happened/), 'I was billed twice for the same visit.');
}

describe('Public complaint form', () => {
  it('submits without a bearer token and shows the reference prominently', async () => {
    sessionStorage.setItem('caredesk.token', 'staff-token'); // a staff member signed in on the same browser
    const m = mockFetch({
      'GET /api/v1/public/complaint-form': FORM,
      'POST /api/v1/public/complaints': json(201, { reference_number: 'CD-2026-000031-4', message: 'We have received your concern.' }),
    });
    const user = userEvent.setup();
    renderPublic();
    expect(await screen.findByText('Riverside Health')).toBeInTheDocument();

    // the honeypot is hidden from people and assistive technology
    const hp = document.getElementById('pc-website') as HTMLInputElement;
    expect(hp).toHaveAttribute('tabindex', '-1');
    expect(hp).toHaveAttribute('autocomplete', 'off');
    expect(hp.closest('[aria-hidden="true"]')).not.toBeNull();
    expect(screen.queryByRole('textbox', { name: 'Website' })).toBeNull();

    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Send' }));

    const done = await screen.findByRole('region', { name: /we have received your message/i });
    expect(within(done).getByText('Keep this reference:')).toBeInTheDocument();
    expect(within(done).getByText('CD-2026-000031-4')).toBeInTheDocument();
    expect(within(done).getByText(/2 business days/)).toBeInTheDocument();
    await waitFor(() => expect(within(done).getByRole('heading', { level: 1 })).toHaveFocus());

    const post = m.callsTo('POST /api/v1/public/complaints')[0];
    expect(post.headers.authorization).toBeUndefined();
    expect(m.callsTo('GET /api/v1/public/complaint-form')[0].headers.authorization).toBeUndefined();
    expect(post.body).toMatchObject({
      name: 'Maria Garcia',
      email: 'maria@example.com',
      phone: '',
      contact_preference: 'email',
      location_id: 2,
      category: 'Billing',
      visit_date: null,
      description: 'I was billed twice for the same visit.',
      desired_outcome: '',
      website: '',
    });
    expect(typeof post.body.elapsed_ms).toBe('number');
    expect(post.body.elapsed_ms).toBeGreaterThanOrEqual(0);
  });

  it('explains a 429 in plain words, using Retry-After, and keeps the answers', async () => {
    mockFetch({
      'GET /api/v1/public/complaint-form': FORM,
      'POST /api/v1/public/complaints': () =>
        new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests' } }), {
          status: 429,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '120' },
        }),
    });
    const user = userEvent.setup();
    renderPublic();
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/several messages from this connection/i);
    expect(alert).toHaveTextContent(/wait 2 minutes/i);
    expect(screen.getByLabelText(/^What happened/)).toHaveValue('I was billed twice for the same visit.');
  });

  it('lists problems with links to the fields and names them on the fields', async () => {
    const m = mockFetch({ 'GET /api/v1/public/complaint-form': FORM });
    const user = userEvent.setup();
    renderPublic();
    await screen.findByLabelText(/^Where was it/);
    await user.click(screen.getByRole('radio', { name: 'By phone' }));
    await user.click(screen.getByRole('button', { name: 'Send' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('heading')).toHaveTextContent('There are 3 problems');
    expect(within(summary).getByRole('link', { name: 'Enter your name.' })).toBeInTheDocument();
    await waitFor(() => expect(summary).toHaveFocus());
    expect(screen.getByLabelText(/^Phone number/)).toHaveAccessibleDescription(/enter your phone number/i);
    expect(screen.getByLabelText(/^What happened/)).toHaveAccessibleDescription(/tell us what happened/i);
    await user.click(within(summary).getByRole('link', { name: 'Tell us what happened.' }));
    expect(screen.getByLabelText(/^What happened/)).toHaveFocus();
    expect(m.callsTo('POST /api/v1/public/complaints')).toHaveLength(0);
  });

  it('shows a server field error next to the field', async () => {
    mockFetch({
      'GET /api/v1/public/complaint-form': FORM,
      'POST /api/v1/public/complaints': apiError(400, 'invalid', 'This email domain does not accept mail.', 'email'),
    });
    const user = userEvent.setup();
    renderPublic();
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(screen.getByLabelText(/^Email address/)).toHaveAccessibleDescription(/does not accept mail/i));
  });
});
