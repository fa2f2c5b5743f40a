// A tiny fetch mock for unit tests: routes keyed "METHOD /path" (query ignored).
import { vi } from 'vitest';

export interface MockRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}
export type MockReply = Response | { status?: number; body?: unknown } | unknown;
export type Handler = (req: MockRequest) => MockReply | Promise<MockReply>;

export function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}
export function apiError(status: number, code: string, message: string, field?: string, extra: Record<string, unknown> = {}) {
  return json(status, { error: { code, message, ...(field ? { field } : {}) }, ...extra });
}

export function mockFetch(routes: Record<string, Handler | Response | object>) {
  const calls: MockRequest[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    let body: unknown = undefined;
    if (typeof init.body === 'string') {
      try {
        body = JSON.parse(init.body);
      } catch {
        body = init.body;
      }
    }
    const req: MockRequest = { method, url, headers, body };
    calls.push(req);
    const key = `${method} ${url.pathname}`;
    const route = routes[key];
    if (route === undefined) return json(404, { error: { code: 'not_found', message: `no mock for ${key}` } });
    const reply = typeof route === 'function' ? await (route as Handler)(req) : route;
    if (reply instanceof Response) return reply;
    if (reply && typeof reply === 'object' && ('status' in reply || 'body' in reply) && Object.keys(reply).every((k) => k === 'status' || k === 'body'))
      return json((reply as { status?: number }).status ?? 200, (reply as { body?: unknown }).body);
    return json(200, reply);
  });
  vi.stubGlobal('fetch', fn);
  return { fn, calls, callsTo: (key: string) => calls.filter((c) => `${c.method} ${c.url.pathname}` === key) };
}

export const LOCATION = { id: 1, name: 'Riverside Clinic', time_zone: 'America/New_York', address: '', phone: '', flow_warn_minutes: 15, flow_alert_minutes: 30 };
export const PROVIDERS = [
  { id: 1, name: 'Dr. Maria Lopez', specialty: 'Family medicine', location_ids: [1], max_overbook: 0, active: true },
  { id: 2, name: 'Dr. James Chen', specialty: 'Internal medicine', location_ids: [1], max_overbook: 0, active: true },
];
export const TYPES = [
  { id: 7, name: 'Follow-up', duration_minutes: 20, modality: 'in_person', provider_ids: [1, 2], color: '#2e9d6a', active: true },
  { id: 8, name: 'Video visit', duration_minutes: 20, modality: 'telehealth', provider_ids: [2], color: '#7a4fc9', active: true },
];
export const referenceRoutes = {
  'GET /api/v1/locations': { items: [LOCATION] },
  'GET /api/v1/providers': { items: PROVIDERS },
  'GET /api/v1/appointment-types': { items: TYPES },
  'GET /api/v1/rooms': { items: [{ id: 3, location_id: 1, name: 'Exam 1', active: true }] },
};
