// fetch for gridgov's API: JSON in and out, the Bearer token of the session, and every error as
// a ProblemError carrying the server's problem+json (title, detail, field) for the screen to show.
import { token, setSession } from './session.js';

export class ProblemError extends Error {
  /** problem: the RFC 9457 body ({type, title, status, detail, field}) or one made up here. */
  constructor(problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ProblemError';
    this.problem = problem;
    this.status = problem.status;
  }
}

/**
 * A 409 stale-version problem: the thing changed since the screen read its version (an incident,
 * a draft plan); nothing was done, and the screen reloads it.
 */
export function isStaleVersion(error) {
  return error?.status === 409 && /stale-version$/.test(error?.problem?.type ?? '');
}

/**
 * Reads a failed response into a problem, whatever the server sent; a Retry-After header (429,
 * 503) comes along as retryAfter, as sent, for the screen to say when to try again.
 */
export async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  const retryAfter = response.headers.get('Retry-After');
  const extra = retryAfter === null ? {} : { retryAfter };
  if (type.includes('json')) {
    try {
      const body = await response.json();
      return { status: response.status, title: body.title ?? response.statusText, ...body, ...extra };
    } catch {
      // fall through
    }
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}`, detail: '', ...extra };
}

/** Headers every request carries: the token when logged in. */
export function authHeaders(extra = {}) {
  const t = token();
  return t ? { Authorization: `Bearer ${t}`, ...extra } : { ...extra };
}

/**
 * api('/api/v1/…', { method, body (object → JSON) or form (FormData), headers, signal, raw }) → parsed JSON
 * (or the Response when raw). Throws ProblemError on any 4xx/5xx or network failure.
 */
export async function api(path, { method = 'GET', body, form, headers = {}, signal, raw = false } = {}) {
  const h = authHeaders({ Accept: 'application/json, application/problem+json', ...headers });
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: h,
      // form: a FormData (photos), sent as multipart/form-data with the browser's boundary
      body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ProblemError({ status: 0, type: 'network', title: 'network', detail: String(e.message || e) });
  }
  if (response.status === 401 && token()) setSession(null); // expired or revoked: log out
  if (!response.ok) throw new ProblemError(await problemOf(response));
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

/**
 * Logs out: the server revokes the token (POST /api/v1/auth/logout), so a copy of it left in
 * another tab or a proxy log is useless; the session here ends whatever the server answers.
 */
export async function logout() {
  try {
    if (token()) await api('/api/v1/auth/logout', { method: 'POST' });
  } catch {
    // already expired or offline: nothing more to revoke from here
  } finally {
    setSession(null);
  }
}

/** A key for Idempotency-Key; crypto.randomUUID needs a secure context, a phone on http://LAN-IP has none. */
export function newIdempotencyKey() {
  if (globalThis.crypto?.randomUUID && globalThis.isSecureContext !== false) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The front end's settings (GET /api/v1/web-config), fetched once. */
let configPromise = null;
export function webConfig() {
  configPromise ??= api('/api/v1/web-config').catch((e) => {
    configPromise = null;
    throw e;
  });
  return configPromise;
}
