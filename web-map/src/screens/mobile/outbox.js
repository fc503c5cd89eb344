// The one outbox of the page: the IndexedDB queue (./queue.js) and its sync loop (./sync.js),
// started once however often the screen mounts. It syncs on start (what an earlier visit left),
// on the browser's `online` event, after each new item, and after a failure with backoff (2 s … 60 s).
import { openQueue } from './queue.js';
import { createSync, fetchSender } from './sync.js';
import { authHeaders, newIdempotencyKey } from '../../api/client.js';
import { token, onSessionChange, setSession } from '../../api/session.js';

let outbox = null;

export function getOutbox() {
  outbox ??= start();
  return outbox;
}

async function start() {
  const queue = await openQueue();
  const listeners = new Set();
  const state = { waiting: 0, syncing: false, stopped: null, problems: [] };
  let timer = null;

  async function refresh(extra = {}) {
    state.waiting = await queue.count();
    state.problems = await queue.problems();
    Object.assign(state, extra);
    for (const fn of listeners) fn({ ...state });
  }

  const sync = createSync({
    queue,
    send: fetchSender(
      (...a) => fetch(...a),
      () => authHeaders(),
    ),
    current: async (item) => {
      const r = await fetch(`/api/v1/incidents/${item.incidentId}`, { headers: authHeaders() });
      return r.ok ? r.json().then((c) => ({ status: c.status, version: c.version })) : null;
    },
    onChange: (change) => {
      for (const fn of changeListeners) fn(change);
      refresh();
    },
  });
  const changeListeners = new Set();

  async function run() {
    clearTimeout(timer);
    timer = null;
    if (!token()) return refresh({ stopped: 'login' }); // nothing leaves without a login
    await refresh({ syncing: true });
    let r;
    try {
      r = await sync.run();
    } finally {
      await refresh({ syncing: false, stopped: r?.stopped ?? null });
    }
    if (r?.stopped === 'retry') timer = setTimeout(run, r.retryIn * 1000);
    // the server ended the session: log out here too, so the next screen asks for the login, after
    // which the queue goes on (onSessionChange)
    if (r?.stopped === 'login') setSession(null);
  }

  globalThis.addEventListener?.('online', run);
  onSessionChange((s) => {
    if (s) run();
  });
  run();

  return {
    queue,
    /** Queues an item with a fresh Idempotency-Key (unless it has one) and tries to send it. */
    async enqueue(item) {
      const stored = await queue.add({ key: newIdempotencyKey(), ...item });
      await refresh();
      run();
      return stored;
    },
    run,
    state: () => ({ ...state }),
    /** fn(state) on every change of the count, the problems or the syncing flag. */
    subscribe(fn) {
      listeners.add(fn);
      fn({ ...state });
      return () => listeners.delete(fn);
    },
    /** fn({item, outcome, body, current}) after each item the server answered. */
    onItem(fn) {
      changeListeners.add(fn);
      return () => changeListeners.delete(fn);
    },
    async dismiss(seq) {
      await queue.dismiss(seq);
      await refresh();
    },
  };
}
