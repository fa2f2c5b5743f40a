// Low-level HTTP client: bearer token, JSON, and one error type for every failure.
import type { ApiErrorBody } from './types';

const TOKEN_KEY = 'caredesk.token';

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** Machine-readable code from the API (`slot_taken`, `possible_duplicate`, …). */
  readonly code: string;
  /** The request field the error is about, when the API names one. */
  readonly field?: string;
  /** The whole parsed error body (e.g. `candidates` on a 409 possible_duplicate). */
  readonly body?: unknown;

  constructor(status: number, code: string, message: string, field?: string | null, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field ?? undefined;
    this.body = body;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AbortError';
}

// ---- token ------------------------------------------------------------------
export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}
export function setToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage unavailable: the session lasts as long as the page */
  }
}

// ---- 401 handling -------------------------------------------------------------
type UnauthorizedHandler = (err: ApiError) => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;
/** Called (once per failing request) when the API answers 401 to an authenticated request. */
export function setUnauthorizedHandler(fn: UnauthorizedHandler | null): void {
  unauthorizedHandler = fn;
}

/** For callers that use fetch directly (the flow-board stream): report a 401 like request() does. */
export function reportUnauthorized(err: ApiError): void {
  setToken(null);
  unauthorizedHandler?.(err);
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'The request was not accepted. Check the highlighted fields.',
  401: 'Your session has ended. Please sign in again.',
  403: 'Your role does not allow this action.',
  404: 'Not found. It may have been removed.',
  409: 'This conflicts with a change made elsewhere. Refresh and try again.',
  413: 'The request is too large.',
  422: 'This cannot be done as requested.',
  429: 'Too many attempts. Wait a moment and try again.',
};

export function defaultMessage(status: number): string {
  if (DEFAULT_MESSAGES[status]) return DEFAULT_MESSAGES[status];
  if (status >= 500) return 'The server had a problem handling this request. Try again in a moment.';
  return `Request failed (HTTP ${status}).`;
}

export type QueryValue = string | number | boolean | null | undefined;

export function buildQuery(params?: Record<string, QueryValue>): string {
  if (!params) return '';
  const usp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    usp.append(k, String(v));
  }
  const s = usp.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** A body sent as it is, not as JSON (an HL7 v2 message), with its Content-Type. */
  text?: { body: string; contentType: string };
  signal?: AbortSignal;
  /** Don't treat 401 as "session over" (used by the login call). */
  noAuthRedirect?: boolean;
  headers?: Record<string, string>;
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** Turn a non-2xx Response into an ApiError. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let parsed: unknown = undefined;
  try {
    const text = await res.text();
    if (text) parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const err = (parsed as ApiErrorBody | undefined)?.error;
  if (err && typeof err === 'object' && typeof err.code === 'string') {
    return new ApiError(res.status, err.code, err.message || defaultMessage(res.status), err.field, parsed);
  }
  // The FHIR API answers errors as an OperationOutcome; its first issue says what and where.
  const outcome = parsed as { resourceType?: string; issue?: { code?: string; diagnostics?: string; expression?: string[] }[] } | undefined;
  const issue = outcome?.resourceType === 'OperationOutcome' ? outcome.issue?.[0] : undefined;
  if (issue && typeof issue.code === 'string') {
    return new ApiError(res.status, issue.code, issue.diagnostics || defaultMessage(res.status), issue.expression?.[0], parsed);
  }
  return new ApiError(res.status, `http_${res.status}`, defaultMessage(res.status), undefined, parsed);
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(), ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  } else if (opts.text) {
    headers['Content-Type'] = opts.text.contentType;
    body = opts.text.body;
  }
  let res: Response;
  try {
    res = await fetch(path + buildQuery(opts.query), { method, headers, body, signal: opts.signal });
  } catch (e) {
    if (isAbortError(e)) throw e;
    throw new ApiError(0, 'network', 'Cannot reach the CareDesk server. Check the connection and try again.');
  }
  if (!res.ok) {
    const apiErr = await errorFromResponse(res);
    if (res.status === 401 && !opts.noAuthRedirect) {
      setToken(null);
      unauthorizedHandler?.(apiErr);
    }
    throw apiErr;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, 'bad_response', 'The server sent a response that could not be read.');
  }
}

/** Human message for any thrown value. */
export function errorMessage(e: unknown): string {
  if (isApiError(e)) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
