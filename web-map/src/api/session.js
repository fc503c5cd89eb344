// The logged-in user: token and claims from POST /api/v1/auth/token, kept for the browser tab.
const KEY = 'gridgov.session';
const listeners = new Set();

function read() {
  try {
    const s = JSON.parse(globalThis.sessionStorage?.getItem(KEY) ?? 'null');
    if (s && s.expiresAt > Date.now()) return s;
  } catch {
    // unreadable: logged out
  }
  return null;
}

let current = read();

export function session() {
  if (current && current.expiresAt <= Date.now()) setSession(null);
  return current;
}

export function token() {
  return session()?.token ?? null;
}

/** answer = the body of POST /api/v1/auth/token; null logs out. */
export function setSession(answer) {
  current = answer
    ? {
        token: answer.token,
        claims: answer.claims ?? {},
        username: answer.claims?.username,
        expiresAt: Date.now() + (answer.expiresIn ?? 3600) * 1000,
      }
    : null;
  try {
    if (current) globalThis.sessionStorage?.setItem(KEY, JSON.stringify(current));
    else globalThis.sessionStorage?.removeItem(KEY);
  } catch {
    // kept in memory only
  }
  for (const fn of listeners) fn(current);
}

export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function hasRole(...roles) {
  const mine = session()?.claims?.roles ?? [];
  return roles.some((r) => mine.includes(r));
}
