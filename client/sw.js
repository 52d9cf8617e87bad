// Innom's service worker: keeps an app's shell (its index.html and the
// hashed wasm, JS and CSS it names) so the app opens with no network. The
// same script is registered twice: for scope `/` by the advisor's app and
// for scope `/fadder` by the mentor's app (a bundle of its own under
// /fadder/). Each registration keeps only its own app, so a mentor's phone
// never downloads the advisor's app. The API is never cached: records live
// in IndexedDB, not here. The office app under /kontor is a desk app; it
// is left to the network.
'use strict';

const MENTOR_APP = '/fadder';
// The app this registration serves: '/' or '/fadder'.
const APP = new URL(self.registration.scope).pathname;
const CACHE = `innom-shell-v2 ${APP}`;

// Whether `path` belongs to another app than this registration's.
function elsewhere(path) {
  const mentor = path === MENTOR_APP || path.startsWith(`${MENTOR_APP}/`);
  const office = path === '/kontor' || path.startsWith('/kontor/');
  return office || (APP === '/' ? mentor : !mentor);
}

// The same-origin files an index.html names: in attributes, quoted or not
// (Trunk minifies the HTML), and in the inline script that starts the wasm.
function assetsOf(html) {
  const named = [...html.matchAll(/(?:=|["'])(\/[^"'\s>]+\.(?:js|wasm|css|png|webmanifest))/g)].map((m) => m[1]);
  // A Set: `addAll` refuses the whole list if one address is named twice
  // (the icon is both the favicon and the touch icon).
  return [...new Set(named)].filter((url) => !url.startsWith('/api/'));
}

// Fetches this app's index.html and every asset it names.
async function cacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch(APP, { cache: 'no-cache' });
  const html = await response.clone().text();
  await cache.put(APP, response);
  await cache.addAll(assetsOf(html));
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    // Older versions of this app's cache; the other registration's cache
    // is not this worker's to delete.
    for (const key of await caches.keys()) {
      const old = key === 'innom-shell-v1' ? APP === '/' : key.endsWith(` ${APP}`) && key !== CACHE;
      if (old) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  if (request.mode === 'navigate') {
    if (elsewhere(url.pathname)) return;
    // Network first, so a new version is picked up; the cached shell offline.
    event.respondWith((async () => {
      try {
        const fresh = await fetch(request);
        if (fresh.ok) {
          const cache = await caches.open(CACHE);
          await cache.put(APP, fresh.clone());
          // A new index.html may name new assets: cache them in the background.
          cacheShell().catch(() => {});
        }
        return fresh;
      } catch {
        return (await caches.match(APP, { cacheName: CACHE })) ?? Response.error();
      }
    })());
    return;
  }
  // Hashed assets never change: cache first. (A page of one app may load
  // shared files, such as the icon, through the other's worker.)
  event.respondWith((async () => {
    const cached = await caches.match(request);
    if (cached) return cached;
    const fresh = await fetch(request);
    if (fresh.ok && !elsewhere(url.pathname)) (await caches.open(CACHE)).put(request, fresh.clone());
    return fresh;
  })());
});
