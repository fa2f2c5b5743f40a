import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CasePage } from '../../pages/CasePage';
import { apiError, mockFetch, referenceRoutes } from '../../test/mockFetch';
import { renderPage } from '../../test/render';
import { makeCase } from '../../test/cases';

const ATT = { id: 3, filename: 'letter.pdf', content_type: 'application/pdf', size: 2048, uploaded_at: '2026-03-03T09:00:00-05:00', uploaded_by: 'Test coordinator' };

/** Just enough XMLHttpRequest to drive upload progress by hand. */
class FakeXHR {
  static last: FakeXHR | null = null;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  status = 0;
  responseText = '';
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  send(body: unknown) {
    this.body = body;
    FakeXHR.last = this;
  }
  abort() {
    this.onabort?.();
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('Attachments', () => {
  it('uploads with a progress bar (raw body, file name in the query), then lists the file', async () => {
    sessionStorage.setItem('caredesk.token', 'tok-3');
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
    let withFile = false;
    mockFetch({
      ...referenceRoutes,
      'GET /api/v1/cases/12': () => makeCase({ attachments: withFile ? [ATT] : [] }),
      'GET /api/v1/cases/owners': { items: [] },
    });
    const user = userEvent.setup();
    renderPage(<CasePage />, { route: '/cases/12', path: '/cases/:id' });
    const panel = await screen.findByRole('region', { name: 'Attachments' });
    expect(within(panel).getByText('No attachments.')).toBeInTheDocument();

    const file = new File(['%PDF-1.4 hello'], 'letter.pdf', { type: 'application/pdf' });
    await user.upload(within(panel).getByLabelText('Attach a file'), file);
    const xhr = FakeXHR.last!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/v1/cases/12/attachments?filename=letter.pdf');
    expect(xhr.headers['Content-Type']).toBe('application/pdf');
    expect(xhr.headers.Authorization).toBe('Bearer tok-3');
    expect(xhr.body).toBe(file);

    act(() => xhr.upload.onprogress!({ lengthComputable: true, loaded: 40, total: 100 }));
    expect(within(panel).getByRole('progressbar', { name: /uploading letter\.pdf… 40%/i })).toHaveValue(40);

    withFile = true;
    act(() => {
      xhr.status = 201;
      xhr.responseText = JSON.stringify(ATT);
      xhr.onload!();
    });
    expect(await within(panel).findByText('letter.pdf')).toBeInTheDocument();
    expect(within(panel).queryByRole('progressbar')).toBeNull();
    expect(within(panel).getByText(/2\.0 KB/)).toBeInTheDocument();
  });

  it('refuses files over 10 MB before uploading, and explains a 413', async () => {
    vi.stubGlobal('XMLHttpRequest', undefined); // → plain fetch
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/cases/12': makeCase(),
      'GET /api/v1/cases/owners': { items: [] },
      'POST /api/v1/cases/12/attachments': apiError(413, 'too_large', 'Payload too large'),
    });
    const user = userEvent.setup();
    renderPage(<CasePage />, { route: '/cases/12', path: '/cases/:id' });
    const input = await screen.findByLabelText('Attach a file');

    const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'scan.tiff', { type: 'image/tiff' });
    await user.upload(input, big);
    expect(input).toHaveAccessibleDescription(/“scan\.tiff” is 10\.0 MB; files can be at most 10 MB/);
    expect(m.callsTo('POST /api/v1/cases/12/attachments')).toHaveLength(0);

    await user.upload(input, new File(['x'.repeat(100)], 'photo.jpg', { type: 'image/jpeg' }));
    await waitFor(() => expect(input).toHaveAccessibleDescription(/larger than the 10 MB the server accepts/));
    expect(m.callsTo('POST /api/v1/cases/12/attachments')[0].headers['content-type']).toBe('image/jpeg');
  });

  it('downloads with the bearer header', async () => {
    sessionStorage.setItem('caredesk.token', 'tok-4');
    const realCreate = URL.createObjectURL;
    URL.createObjectURL = vi.fn(() => 'blob:att');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    try {
      const m = mockFetch({
        ...referenceRoutes,
        'GET /api/v1/cases/12': makeCase({ attachments: [ATT] }),
        'GET /api/v1/cases/owners': { items: [] },
        'GET /api/v1/cases/12/attachments/3': () => new Response('%PDF', { status: 200, headers: { 'Content-Type': 'application/pdf' } }),
      });
      const user = userEvent.setup();
      renderPage(<CasePage />, { route: '/cases/12', path: '/cases/:id' });
      await user.click(await screen.findByRole('button', { name: /download\s*letter\.pdf/i }));
      await waitFor(() => expect(click).toHaveBeenCalled());
      expect(m.callsTo('GET /api/v1/cases/12/attachments/3')[0].headers.authorization).toBe('Bearer tok-4');
    } finally {
      URL.createObjectURL = realCreate;
    }
  });
});

