// The device's outbox (docs/field-app.md): every action, report, photo and batch of positions made
// on the phone is put here first, in IndexedDB, with its Idempotency-Key, and sent from here in
// order (./sync.js). IndexedDB outlives the tab and the browser: what is queued is read again on
// start. Photos are kept as bytes ({name, type, bytes}), which every IndexedDB clones.
import { openDB } from 'idb';

export const DB_NAME = 'gridgov-field';
const VERSION = 1;

/**
 * Stores: queue (waiting items, in order of seq), results (what a done item answered, by its key:
 * a task photo's mediaId for the completion after it), problems (items the server refused or that
 * someone acted on first, kept for the user to read and dismiss), cache (last case lists, read
 * offline).
 */
export async function openQueue(name = DB_NAME) {
  const db = await openDB(name, VERSION, {
    upgrade(d) {
      d.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      d.createObjectStore('results', { keyPath: 'key' });
      d.createObjectStore('problems', { keyPath: 'seq' });
      d.createObjectStore('cache');
    },
  });
  return {
    db,
    /** item: {kind, key, …}; returns it with its seq. */
    async add(item) {
      const stored = { createdAt: new Date().toISOString(), attempts: 0, ...item };
      stored.seq = await db.add('queue', stored);
      return stored;
    },
    /** Waiting items, oldest first. */
    all: () => db.getAll('queue'),
    count: () => db.count('queue'),
    remove: (seq) => db.delete('queue', seq),
    update: (item) => db.put('queue', item),
    async saveResult(key, result) {
      await db.put('results', { key, ...result });
    },
    async results() {
      const map = new Map();
      for (const r of await db.getAll('results')) map.set(r.key, r);
      return map;
    },
    /** Moves an item out of the queue into problems, in one transaction. */
    async park(item, problem) {
      const tx = db.transaction(['queue', 'problems'], 'readwrite');
      await tx.objectStore('problems').put({ ...item, problem, at: new Date().toISOString() });
      await tx.objectStore('queue').delete(item.seq);
      await tx.done;
    },
    problems: () => db.getAll('problems'),
    dismiss: (seq) => db.delete('problems', seq),
    cacheGet: (key) => db.get('cache', key),
    cachePut: (key, value) => db.put('cache', value, key),
    close: () => db.close(),
  };
}

/** A File or Blob as what the queue keeps: {name, type, bytes}. */
export async function photoRecord(file) {
  return { name: file.name || 'photo.jpg', type: file.type || 'image/jpeg', bytes: await file.arrayBuffer() };
}
