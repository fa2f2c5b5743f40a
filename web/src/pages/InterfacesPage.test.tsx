import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Hl7Message } from '../api/types';
import { apiError, mockFetch, type MockRequest } from '../test/mockFetch';
import { renderPage } from '../test/render';
import { InterfacesPage } from './InterfacesPage';

const RAW = 'MSH|^~\\&|EPIC|RIV|CAREDESK|RIV|20261122083000||ADT^A08|MSG0001|P|2.5.1\rPID|1||12345^^^RIV^MR||Lopez^Maria||19800230|F\r';

const FAILED: Hl7Message = {
  id: 41,
  received_at: '2026-11-22T13:30:00Z',
  peer: '10.0.0.7:53122',
  control_id: 'MSG0001',
  sending_application: 'EPIC',
  sending_facility: 'RIV',
  message_type: 'ADT',
  trigger_event: 'A08',
  version: '2.5.1',
  status: 'failed',
  ack_code: 'AE',
  error_code: '102',
  error_text: 'the birth date is not a date: 19800230',
  error_location: 'PID-7',
  note: '',
  patient_id: null,
  attempts: 1,
  processed_at: '2026-11-22T13:30:00Z',
};
const APPLIED: Hl7Message = { ...FAILED, id: 40, control_id: 'MSG0000', status: 'applied', ack_code: 'AA', error_code: '', error_text: '', error_location: '', patient_id: 7, note: 'Registered patient 7.' };

const render = (route = '/interfaces') =>
  renderPage(<InterfacesPage />, { route, path: '/interfaces', role: 'admin', permissions: ['interfaces.manage'] });

function listRoute(req: MockRequest) {
  const status = req.url.searchParams.get('status');
  const items = [FAILED, APPLIED].filter((m) => !status || m.status === status);
  return { items, total: items.length, needing_attention: { failed: 1, rejected: 0, received: 0 } };
}

describe('Interface messages', () => {
  it('opens on the failed messages, naming what was wrong and where', async () => {
    const m = mockFetch({ 'GET /api/v1/hl7/messages': listRoute });
    render();
    const table = await screen.findByRole('table', { name: 'Failed messages, newest first' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent(/ADT\^A08\s*MSG0001\s*EPIC \/ RIV\s*—\s*Failed\s*PID-7: the birth date is not a date: 19800230\s*1/);
    expect(m.callsTo('GET /api/v1/hl7/messages')[0].url.searchParams.get('status')).toBe('failed');
    expect(await screen.findByRole('button', { name: 'Failed 1' })).toHaveAttribute('aria-pressed', 'true');
    // What waits for someone is counted on its filter; the rest are not counted.
    expect(screen.getByRole('button', { name: 'Rejected 0' })).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('button', { name: 'Interrupted 0' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Applied' })).toBeInTheDocument();
  });

  it('switches filters, and lists every message under All', async () => {
    const m = mockFetch({ 'GET /api/v1/hl7/messages': listRoute });
    const user = userEvent.setup();
    render();
    await screen.findByRole('table', { name: /Failed messages/ });
    await user.click(screen.getByRole('button', { name: 'All' }));
    const table = await screen.findByRole('table', { name: 'All messages, newest first' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(m.callsTo('GET /api/v1/hl7/messages').at(-1)!.url.searchParams.has('status')).toBe(false);
    expect(within(table).getByRole('link', { name: 'Patient 7' })).toHaveAttribute('href', '/patients/7');
    await user.click(screen.getByRole('button', { name: /^Rejected/ }));
    expect(await screen.findByText('No rejected messages.')).toBeInTheDocument();
  });

  it('shows a message with the faulty field marked, and reprocesses it', async () => {
    let fixed = false;
    const m = mockFetch({
      'GET /api/v1/hl7/messages': listRoute,
      'GET /api/v1/hl7/messages/41': { ...FAILED, raw: RAW },
      'POST /api/v1/hl7/messages/41/reprocess': () =>
        fixed ? { ...APPLIED, id: 41, attempts: 2, raw: RAW } : { ...FAILED, attempts: 2, raw: RAW },
    });
    const user = userEvent.setup();
    render();
    const table = await screen.findByRole('table', { name: /Failed messages/ });
    await user.click(within(table).getByRole('link', { name: /2026|Nov/ }));
    const panel = await screen.findByRole('complementary', { name: 'Message details' });
    expect(await within(panel).findByRole('heading', { name: 'ADT^A08 MSG0001' })).toBeInTheDocument();
    expect(within(panel).getByRole('alert')).toHaveTextContent('PID-7: the birth date is not a date: 19800230 (HL7 error 102)');
    const raw = within(panel).getByLabelText('Message as received, one segment per line');
    const marked = raw.querySelector('mark')!;
    expect(marked).toHaveTextContent('19800230');
    expect(marked).toHaveAccessibleName('PID-7: 19800230');
    expect(marked.closest('.hl7-seg')!.textContent).toMatch(/^PID\|1\|/);

    // Still failing: said so, and the attempt count moves.
    await user.click(within(panel).getByRole('button', { name: 'Reprocess' }));
    expect(await screen.findByText('Message MSG0001 failed again.')).toBeInTheDocument();
    expect(within(panel).getByText(/2 tries/)).toBeInTheDocument();

    fixed = true;
    await user.click(within(panel).getByRole('button', { name: 'Reprocess' }));
    expect(await screen.findByText('Message MSG0000 went through: applied.')).toBeInTheDocument();
    await waitFor(() => expect(within(panel).queryByRole('button', { name: 'Reprocess' })).toBeNull());
    expect(m.callsTo('POST /api/v1/hl7/messages/41/reprocess')).toHaveLength(2);
    // The list is reloaded after each attempt.
    expect(m.callsTo('GET /api/v1/hl7/messages').length).toBeGreaterThanOrEqual(3);

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Message details' })).toBeNull());
  });

  it('says why a reprocess could not run', async () => {
    mockFetch({
      'GET /api/v1/hl7/messages': listRoute,
      'GET /api/v1/hl7/messages/41': { ...FAILED, raw: RAW },
      'POST /api/v1/hl7/messages/41/reprocess': apiError(409, 'not_reprocessable', 'only failed, rejected or interrupted messages can be reprocessed'),
    });
    const user = userEvent.setup();
    render('/interfaces?id=41');
    const panel = await screen.findByRole('complementary', { name: 'Message details' });
    await user.click(await within(panel).findByRole('button', { name: 'Reprocess' }));
    expect(await within(panel).findByText(/only failed, rejected or interrupted messages can be reprocessed/)).toBeInTheDocument();
  });

  it('sends a pasted message as HL7 text and shows the acknowledgement', async () => {
    const m = mockFetch({
      'GET /api/v1/hl7/messages': listRoute,
      'POST /api/v1/hl7/messages': { id: 42, ack: 'MSH|^~\\&|CareDesk|CareDesk|EPIC|RIV|20261122083001||ACK^A08|A1|P|2.5.1\rMSA|AA|MSG0002\r', message: { ...APPLIED, id: 42 } },
    });
    const user = userEvent.setup();
    render();
    await screen.findByRole('table', { name: /Failed messages/ });
    await user.click(screen.getByText('Send a message by hand'));
    const form = screen.getByRole('form', { name: 'Send an HL7 v2 message' });
    const box = within(form).getByLabelText(/HL7 v2 message/);

    await user.type(box, 'PID|1');
    await user.click(within(form).getByRole('button', { name: 'Send message' }));
    expect(await screen.findByText('Paste a whole message: it starts with its MSH segment.')).toBeInTheDocument();
    expect(m.callsTo('POST /api/v1/hl7/messages')).toHaveLength(0);

    await user.clear(box);
    await user.click(box);
    await user.paste('MSH|^~\\&|EPIC|RIV|CAREDESK|RIV|20261122083000||ADT^A08|MSG0002|P|2.5.1\nPID|1||12345^^^RIV^MR');
    await user.click(within(form).getByRole('button', { name: 'Send message' }));
    expect(await screen.findByLabelText('Acknowledgement')).toHaveTextContent('MSA|AA|MSG0002');
    const call = m.callsTo('POST /api/v1/hl7/messages')[0];
    expect(call.headers['content-type']).toBe('x-application/hl7-v2+er7');
    expect(call.body).toMatch(/^MSH\|\^~\\&\|EPIC/);
    expect(screen.getByRole('link', { name: 'Show it' })).toHaveAttribute('href', expect.stringContaining('id=42'));
  });
});
