// Requests to this server's API. Same origin only; the token lives in sessionStorage (this tab,
// this session) and goes out as an Authorization header.
export const ROOT = '/v1/stream/';
const TOKEN_KEY = 'ds-console-token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An answer other than the one hoped for: its status, and the problem's type and detail when the body is one. */
export class ApiError extends Error {
  constructor(status, type, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.type = type || '';
  }
}

/** The URL path of a stream: each name segment percent-encoded, slashes kept. */
export function streamPath(name) {
  return ROOT + name.split('/').map(encodeURIComponent).join('/');
}

export function authHeaders(extra = {}) {
  const h = new Headers(extra);
  const t = token();
  if (t) h.set('Authorization', 'Bearer ' + t);
  return h;
}

/** fetch with the token; a non-2xx answer becomes an ApiError. */
export async function call(method, path, { headers = {}, body, signal } = {}) {
  const r = await fetch(path, { method, headers: authHeaders(headers), body, signal, cache: 'no-store' });
  if (!r.ok) throw await problem(r);
  return r;
}

export async function problem(r) {
  let type = '';
  let detail = '';
  try {
    const p = await r.json();
    type = p.type || (p.error && p.error.code) || '';
    detail = p.detail || (p.error && p.error.message) || '';
  } catch {
    // not a problem body
  }
  if (r.status === 401) detail = detail ? `${detail} (enter a token above)` : 'a token is required: enter one above';
  return new ApiError(r.status, type, detail || `HTTP ${r.status} ${r.statusText}`);
}

export async function listStreams({ prefix = '', limit = 100, after = null } = {}) {
  const q = new URLSearchParams({ prefix, limit: String(limit) });
  if (after) q.set('after', after);
  return (await call('GET', `${ROOT}__ds/streams?${q}`)).json();
}

/** The listing's entry for exactly this stream, or null. */
export async function entry(name) {
  const page = await listStreams({ prefix: name, limit: 1 });
  return page.streams.length && page.streams[0].name === name ? page.streams[0] : null;
}

/** HEAD of a stream: {status, headers} (404 and 410 are answers here, not errors). */
export async function head(name) {
  const r = await fetch(streamPath(name), { method: 'HEAD', headers: authHeaders(), cache: 'no-store' });
  if (!r.ok && r.status !== 404 && r.status !== 410) throw await problem(r);
  return { status: r.status, headers: r.headers };
}

export function append(name, contentType, body) {
  return call('POST', streamPath(name), { headers: { 'Content-Type': contentType }, body });
}

export function close(name) {
  return call('POST', streamPath(name), { headers: { 'Stream-Closed': 'true' } });
}

/** Creates `name` as a fork of `source` diverging at `offset` (its tail when empty). */
export function fork(name, source, offset) {
  const headers = { 'Stream-Forked-From': streamPath(source) };
  if (offset) headers['Stream-Fork-Offset'] = offset;
  return call('PUT', streamPath(name), { headers });
}

export function remove(name) {
  return call('DELETE', streamPath(name));
}

export async function listSubscriptions() {
  return (await call('GET', `${ROOT}__ds/subscriptions`)).json();
}

export async function metricsText() {
  return (await call('GET', '/metrics')).text();
}

/** /healthz or /readyz: {ok, text} (never throws for a 503). */
export async function probe(path) {
  try {
    const r = await fetch(path, { cache: 'no-store' });
    return { ok: r.ok, text: (await r.text()).trim() };
  } catch (e) {
    return { ok: false, text: String(e.message || e) };
  }
}
