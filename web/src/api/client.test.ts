import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildQuery, getToken, request, setToken, setUnauthorizedHandler } from './client';
import * as api from './endpoints';
import { apiError, json, mockFetch } from '../test/mockFetch';

afterEach(() => setUnauthorizedHandler(null));

describe('api client', () => {
  it('sends the bearer token and JSON body, and parses JSON', async () => {
    setToken('abc');
    const m = mockFetch({ 'POST /api/v1/things': (r) => json(201, { echo: r.body, auth: r.headers.authorization }) });
    const res = await request<{ echo: unknown; auth: string }>('POST', '/api/v1/things', { body: { a: 1 } });
    expect(res).toEqual({ echo: { a: 1 }, auth: 'Bearer abc' });
    expect(m.calls[0].headers['content-type']).toBe('application/json');
  });

  it('turns an API error body into an ApiError with code, message and field', async () => {
    mockFetch({ 'POST /api/v1/appointments': apiError(409, 'slot_taken', 'That slot was just taken', 'start') });
    const err = await api
      .bookAppointment({ patient_id: 1, appointment_type_id: 1, provider_id: 1, location_id: 1, start: '2025-03-10T09:30:00-04:00' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'slot_taken', message: 'That slot was just taken', field: 'start' });
  });

  it('keeps the whole body (e.g. duplicate candidates) on the error', async () => {
    const candidates = [{ id: 5, given_name: 'Jon', family_name: 'Smith', match: { probability: 0.9, reasons: ['Same birth date'] } }];
    mockFetch({ 'POST /api/v1/patients': apiError(409, 'possible_duplicate', 'Possible duplicate', undefined, { candidates }) });
    const err = (await api.createPatient({ given_name: 'J', family_name: 'S', birth_date: '2000-01-01', sex: 'male' }).catch((e) => e)) as ApiError;
    expect(err.code).toBe('possible_duplicate');
    expect((err.body as { candidates: unknown[] }).candidates).toEqual(candidates);
  });

  it('reads a FHIR OperationOutcome: the issue code, its diagnostics and the parameter it names', async () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: '_count must be a whole number', expression: ['_count'] }] };
    mockFetch({ 'GET /fhir/R4/Patient': json(400, outcome) });
    const err = (await api.searchFhirPatients({ _count: 'x' }).catch((e) => e)) as ApiError;
    expect(err).toMatchObject({ status: 400, code: 'invalid', message: '_count must be a whole number', field: '_count' });
  });

  it('gives a readable message when the error body is not JSON', async () => {
    mockFetch({ 'GET /api/v1/locations': () => new Response('<html>Bad gateway</html>', { status: 502 }) });
    const err = (await api.listLocations().catch((e) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.code).toBe('http_502');
    expect(err.message).toMatch(/server had a problem/i);
  });

  it('reports an unreachable server as status 0 / network', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const err = (await api.listLocations().catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/cannot reach/i);
  });

  it('on 401 drops the token and calls the unauthorized handler', async () => {
    setToken('expired');
    const onUnauth = vi.fn();
    setUnauthorizedHandler(onUnauth);
    mockFetch({ 'GET /api/v1/patients/9': apiError(401, 'unauthenticated', 'Session expired') });
    await expect(api.getPatient(9)).rejects.toMatchObject({ status: 401 });
    expect(getToken()).toBeNull();
    expect(onUnauth).toHaveBeenCalledTimes(1);
  });

  it('a 401 from the login call is a wrong password, not an expired session', async () => {
    const onUnauth = vi.fn();
    setUnauthorizedHandler(onUnauth);
    mockFetch({ 'POST /api/v1/session': apiError(401, 'bad_credentials', 'Wrong username or password') });
    await expect(api.login('a', 'b')).rejects.toMatchObject({ status: 401, code: 'bad_credentials' });
    expect(onUnauth).not.toHaveBeenCalled();
  });

  it('login stores the token; logout deletes the session and clears it', async () => {
    const m = mockFetch({
      'POST /api/v1/session': json(201, { token: 't0k', expires_at: '2030-01-01T00:00:00Z', user: { id: 1, username: 'c', role: 'coordinator', display_name: 'C' } }),
      'DELETE /api/v1/session': () => new Response(null, { status: 204 }),
    });
    await api.login('c', 'pw');
    expect(getToken()).toBe('t0k');
    await api.logout();
    expect(m.callsTo('DELETE /api/v1/session')[0].headers.authorization).toBe('Bearer t0k');
    expect(getToken()).toBeNull();
  });

  it('handles 204 No Content', async () => {
    mockFetch({ 'DELETE /api/v1/templates/4': () => new Response(null, { status: 204 }) });
    await expect(api.deleteTemplate(4)).resolves.toBeUndefined();
  });

  it('builds query strings without empty values', () => {
    expect(buildQuery({ a: 1, b: '', c: undefined, d: null, e: 'x y' })).toBe('?a=1&e=x+y');
    expect(buildQuery({})).toBe('');
  });

  it('passes list filters as query parameters', async () => {
    const m = mockFetch({ 'GET /api/v1/appointments': { items: [] } });
    await api.listAppointments({ from: '2025-03-10T00:00:00-04:00', to: '2025-03-11T00:00:00-04:00', location: 3, status: 'booked' });
    const u = m.calls[0].url;
    expect(u.searchParams.get('from')).toBe('2025-03-10T00:00:00-04:00');
    expect(u.searchParams.get('location')).toBe('3');
    expect(u.searchParams.get('status')).toBe('booked');
    expect(u.searchParams.has('provider')).toBe(false);
  });
});
