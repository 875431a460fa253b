// The service worker of a live workshop room (registered by the room's screens only,
// app/src/screens/room.rs): it keeps the app's own files so a participant whose Wi-Fi drops can
// reload and keep working. The network comes first, so a rebuilt app is never hidden behind an
// old copy; the cache answers only when the network does not. The room's API is never cached:
// answers made offline wait in the page's own storage and are sent when the connection returns.
const CACHE = 'playground-offline-v1'; // the same name as OFFLINE_CACHE in room.rs

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.includes('/api/')) {
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && response.type === 'basic') {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() =>
        caches.match(request, { ignoreSearch: true }).then(
          (kept) => kept || new Response('Offline, and this file was not kept.', { status: 503 }),
        ),
      ),
  );
});
