// gridgov's service worker (docs/field-app.md): caches the app shell so the phone screen (#/m)
// opens without a network. The page (/) is network-first, its cached copy the fallback offline;
// Vite's /assets/ are named by content, so cache-first and kept as they are fetched (the lazily
// loaded screens too); the server's own paths (API, tiles, OGC) are never cached — they carry
// tokens and live data, and the phone queues its writes itself (IndexedDB).
const SHELL = 'gridgov-shell-v1';
const PRECACHE = ['/', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png'];
// hashed assets of past releases are dropped past this many entries, the oldest first
const MAX_ENTRIES = 150;
const SERVER = ['/api/', '/tiles/', '/ows', '/ogc', '/open311/', '/health', '/openapi.json'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(PRECACHE);
      // the entry's script and style, named in the page
      const page = await (await cache.match('/')).text();
      const assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll(assets);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

function serverPath(path) {
  return SERVER.some(
    (p) => path === p.replace(/\/$/, '') || path.startsWith(p.endsWith('/') ? p : `${p}/`) || path.startsWith(`${p}?`),
  );
}

async function networkFirst(request, key) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw e;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    const keys = await cache.keys(); // in the order they were put
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) {
      if (new URL(old.url).pathname.startsWith('/assets/')) await cache.delete(old);
    }
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || serverPath(url.pathname)) return;
  if (request.mode === 'navigate') event.respondWith(networkFirst(request, '/'));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
  else event.respondWith(networkFirst(request, request));
});
