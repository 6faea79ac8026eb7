// Starts the playground. Trunk's own start-up is an inline <script type="module">, which a
// Content-Security-Policy without 'unsafe-inline' refuses; Trunk.toml's `pattern_script` writes
// this external script instead, with the hashed file names in data attributes.
(function () {
    'use strict';
    const script = document.currentScript;
    // A colour scheme chosen with the header's toggle (web/src/hooks/use_theme.rs), applied
    // before the first paint so that a dark choice never flashes light. Embeds take theme=
    // from their page instead, like they leave the playground's autosave alone.
    try {
        const theme = localStorage.getItem('iamlab.theme');
        const embedded = new URLSearchParams(location.search).has('embed');
        if (!embedded && (theme === 'light' || theme === 'dark')) document.documentElement.dataset.theme = theme;
    } catch (error) { /* no storage: the system's scheme applies */ }
    import(script.dataset.js)
        .then((bindings) => bindings.default({ module_or_path: script.dataset.wasm }))
        .catch((error) => {
            console.error('iamlab did not start:', error);
            document.body.insertAdjacentHTML('beforeend', '<p class="boot-error">The iamlab playground could not start in this browser.</p>');
        });

    // Offline after one visit: sw.js precaches the site. A new version is fetched in the
    // background and takes effect on the next load; say so when it is ready.
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker.register('./sw.js').then((registration) => {
        registration.addEventListener('updatefound', () => {
            const worker = registration.installing;
            // No controller yet: this is the first worker, not a new version.
            if (!worker || !navigator.serviceWorker.controller) return;
            worker.addEventListener('statechange', () => {
                if (worker.state === 'activated') showUpdateNotice();
            });
        });
    }).catch(() => {});

    function showUpdateNotice() {
        if (document.getElementById('update-notice')) return;
        const notice = document.createElement('div');
        notice.id = 'update-notice';
        notice.className = 'update-notice';
        notice.setAttribute('role', 'status');
        notice.textContent = 'A new version of iamlab is ready: it takes effect when you reload the page. ';
        const reload = document.createElement('button');
        reload.type = 'button';
        reload.textContent = 'Reload';
        reload.addEventListener('click', () => location.reload());
        notice.appendChild(reload);
        document.body.appendChild(notice);
    }
})();
