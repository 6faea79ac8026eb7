// The service worker: after one visit, the playground and its embed page load with the
// network off. `cargo xtask build` fills in BUILD and PRECACHE (every file of dist/) after
// Trunk has written them; a plain `trunk build` leaves them empty and the worker caches what
// the page loads as it goes.
'use strict';
const BUILD = 'dev';
const PRECACHE = [];
const CACHE = 'iamlab-' + BUILD;

self.addEventListener('install', (event) => {
    // A new version takes over at once; the page that is open keeps the code it has loaded
    // and the next load gets the new files.
    event.waitUntil(
        caches.open(CACHE).then((cache) => cache.addAll(['./', ...PRECACHE])).then(() => self.skipWaiting())
    );
});

self.addEventListener('activate', (event) => {
    event.waitUntil(
        caches.keys()
            .then((keys) => Promise.all(keys.filter((key) => key.startsWith('iamlab-') && key !== CACHE).map((key) => caches.delete(key))))
            .then(() => self.clients.claim())
    );
});

self.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
    // The page itself with any query (`?embed&…`) is the one cached index.html.
    const navigation = request.mode === 'navigate';
    event.respondWith(
        caches.open(CACHE).then((cache) =>
            cache.match(request, { ignoreSearch: navigation }).then((cached) => {
                if (cached) return cached;
                return fetch(request).then((response) => {
                    if (response.ok && response.type === 'basic') cache.put(request, response.clone());
                    return response;
                }).catch((error) => (navigation ? cache.match('./') : Promise.reject(error)).then((fallback) => fallback || Promise.reject(error)));
            })
        )
    );
});
