// Sending the queue (./queue.js) in order when the network is there: one item at a time, the
// oldest first, so a case's "start" reaches the server before its "resolve". What each answer
// means for the item is outcomeOf(); the sender and the clock are passed in, so Vitest runs the
// whole loop against fixtures and fake-indexeddb.
import { requestFor, KIND } from './requests.js';

/** The last step of a problem type URI: 'https://gridgov.org/problems/stale-version' → 'stale-version'. */
export function problemKind(problem) {
  const type = String(problem?.type ?? '');
  return type.slice(type.lastIndexOf('/') + 1);
}

/**
 * What an answer means for a queued item:
 * - done: stored (2xx), or a replay of a key the server already applied (409 action-already-applied);
 * - retry: no answer (offline, status 0), 408, 429 or 5xx: kept, sent again later;
 * - login: 401, the session ended: kept until the user logs in again;
 * - conflict: any other 409 (stale-version, invalid-transition): someone acted first;
 * - refused: any other 4xx: the server will never take it as it is; kept aside for the user.
 */
export function outcomeOf(status, problem) {
  if (status >= 200 && status < 300) return 'done';
  if (status === 409 && problemKind(problem) === 'action-already-applied') return 'done';
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 401) return 'login';
  if (status === 409) return 'conflict';
  return 'refused';
}

/** Seconds to wait before the n-th retry: 2, 4, 8, … at most 60. */
export function backoffSeconds(attempts) {
  return Math.min(60, 2 ** Math.max(1, attempts));
}

/**
 * A sender over fetch: item → {status, body} (status 0 when there is no network). headers(): the
 * Authorization header of the session at the moment of sending.
 */
export function fetchSender(fetchFn, headers) {
  return async (item, results) => {
    const r = requestFor(item, results);
    const h = { Accept: 'application/json, application/problem+json', ...headers(), ...r.headers };
    if (r.json !== undefined) h['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetchFn(r.path, {
        method: r.method,
        headers: h,
        body: r.form ?? JSON.stringify(r.json),
      });
    } catch (e) {
      return { status: 0, body: { type: 'network', detail: String(e?.message ?? e) } };
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      // no JSON body
    }
    return { status: response.status, body };
  };
}

/**
 * The sync loop over a queue. send(item, results) → {status, body}; current(item) → the case as it
 * is now (for "someone acted first"), or null. run() sends what waits until the queue is empty or an
 * item must wait; it answers {sent, stopped: null | 'retry' | 'login', retryIn (seconds)}.
 * Concurrent run() calls share one pass.
 */
export function createSync({ queue, send, current = async () => null, onChange = () => {} }) {
  let running = null;

  async function pass() {
    let sent = 0;
    const results = await queue.results();
    for (const item of await queue.all()) {
      const { status, body } = await send(item, results);
      const outcome = outcomeOf(status, body);
      if (outcome === 'done') {
        const result = { status, mediaId: body?.mediaId ?? null, id: body?.id ?? body?.incidentId ?? null };
        await queue.saveResult(item.key, result);
        results.set(item.key, result);
        await queue.remove(item.seq);
        sent++;
        onChange({ item, outcome, body });
        continue;
      }
      if (outcome === 'retry' || outcome === 'login') {
        const attempts = (item.attempts ?? 0) + 1;
        await queue.update({ ...item, attempts, lastProblem: body ?? null });
        onChange({ item, outcome, body });
        return { sent, stopped: outcome, retryIn: backoffSeconds(attempts) };
      }
      let now = null;
      if (outcome === 'conflict' && (item.kind === KIND.ACTION || item.kind === KIND.MEDIA)) {
        now = currentOf(body) ?? (await safe(current, item));
      }
      await queue.park(item, { outcome, status, problem: body, current: now });
      onChange({ item, outcome, body, current: now });
    }
    return { sent, stopped: null, retryIn: null };
  }

  return {
    run() {
      running ??= pass().finally(() => {
        running = null;
      });
      return running;
    },
  };
}

/**
 * The case's state a 409 carries, if any. A problem's `status` is the HTTP status (a number); the
 * case's is a word (`caseStatus`, or `status` when a server sends it so).
 */
export function currentOf(body) {
  const status = [body?.caseStatus, body?.currentStatus, body?.status].find((s) => typeof s === 'string');
  return status ? { status, version: body.version ?? null } : null;
}

async function safe(fn, item) {
  try {
    return await fn(item);
  } catch {
    return null;
  }
}
