// Innom's service worker: keeps the app shell (index.html and the hashed
// wasm, JS and CSS it names) so the app opens with no network. The API is
// never cached: records live in IndexedDB, not here. The office app under
// /kontor is a desk app with its own bundle; it is left to the network.
'use strict';

const CACHE = 'innom-shell-v1';

// Fetches index.html and every same-origin asset it references.
async function cacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch('/', { cache: 'no-cache' });
  const html = await response.clone().text();
  // A Set: `addAll` refuses the whole list if one address is named twice
  // (the icon is both the favicon and the touch icon).
  const assets = [...new Set([...html.matchAll(/(?:href|src)="(\/[^"]+)"/g)].map((m) => m[1]))];
  await cache.put('/', response);
  await cache.addAll(assets.filter((url) => !url.startsWith('/api/')));
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const office = url.pathname === '/kontor' || url.pathname.startsWith('/kontor/');
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/') || office) {
    return;
  }
  if (request.mode === 'navigate') {
    // Network first, so a new version is picked up; the cached shell offline.
    event.respondWith((async () => {
      try {
        const fresh = await fetch(request);
        if (fresh.ok) {
          const cache = await caches.open(CACHE);
          await cache.put('/', fresh.clone());
          // A new index.html may name new assets: cache them in the background.
          cacheShell().catch(() => {});
        }
        return fresh;
      } catch {
        return (await caches.match('/')) ?? Response.error();
      }
    })());
    return;
  }
  // Hashed assets never change: cache first.
  event.respondWith((async () => {
    const cached = await caches.match(request);
    if (cached) return cached;
    const fresh = await fetch(request);
    if (fresh.ok) (await caches.open(CACHE)).put(request, fresh.clone());
    return fresh;
  })());
});
