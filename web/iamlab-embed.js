/*! iamlab-embed.js: embeds iamlab playgrounds in a documentation page. One script tag:
 *   <script src="https://example.org/iamlab/iamlab-embed.js" defer></script>
 * turns every <pre data-iamlab="exoscale|scaleway|outscale|aws">policy</pre> (optional
 * data-request, data-readonly, data-tests, data-height, data-theme, or a following
 * <pre data-iamlab-request> block) and every <iamlab-playground provider="…"> element (same
 * attributes without "data-", the policy as its text) into an <iframe> of the playground that
 * lives next to this script. Without JavaScript the <pre> stays as it is, readable.
 * The host page's CSP needs: script-src <playground origin>; frame-src <playground origin>.
 * The policy travels in the iframe URL's fragment, which is never sent to any server. */
(function () {
    'use strict';
    var script = document.currentScript;
    var base = new URL('./', script && script.src ? script.src : location.href);
    var frames = [];
    var PROVIDERS = ['exoscale', 'scaleway', 'outscale', 'aws'];

    function base64url(text) {
        var bytes = new TextEncoder().encode(text), binary = '';
        for (var i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
        return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }

    // An option, from "data-name" on a <pre> or "name" on the element.
    function option(element, name) {
        var value = element.getAttribute(element.tagName === 'PRE' ? 'data-' + name : name);
        return value === null ? null : value;
    }

    function frameFor(element, provider, policy, request) {
        if (PROVIDERS.indexOf(provider) < 0) return null;
        // Format 4 of the share links (web/src/share/link.rs), uncompressed under #share=.
        var link = { v: 4, provider: provider, documents: [{ role: 'policy', text: policy }] };
        if (request) link.documents.push({ role: 'request', text: request });
        var tests = option(element, 'tests');
        if (tests) {
            try { link.tests = JSON.parse(tests); } catch (error) { console.warn('iamlab-embed: data-tests is not JSON', error); }
        }
        var query = '?embed&provider=' + provider + '&origin=' + encodeURIComponent(location.origin);
        var readonly = option(element, 'readonly');
        if (readonly !== null && readonly !== 'false') query += '&readonly';
        var theme = option(element, 'theme');
        if (theme) query += '&theme=' + encodeURIComponent(theme);
        var height = option(element, 'height');
        if (height) query += '&height=' + encodeURIComponent(height);
        var frame = document.createElement('iframe');
        frame.src = new URL(query + '#share=' + base64url(JSON.stringify(link)), base).href;
        frame.title = 'iamlab playground: ' + provider + ' policy';
        frame.loading = 'lazy';
        frame.className = 'iamlab-frame';
        frame.style.width = '100%';
        frame.style.height = '420px';
        frame.style.border = '1px solid #d9dee6';
        frame.style.borderRadius = '6px';
        frames.push(frame);
        return frame;
    }

    function fromPre(pre) {
        if (pre.hasAttribute('data-iamlab-done')) return;
        var request = pre.getAttribute('data-request');
        var next = pre.nextElementSibling;
        if (request === null && next && next.hasAttribute('data-iamlab-request')) {
            request = next.textContent;
            next.hidden = true;
        }
        var frame = frameFor(pre, pre.getAttribute('data-iamlab'), pre.textContent, request);
        if (!frame) return;
        pre.setAttribute('data-iamlab-done', '');
        pre.hidden = true;
        pre.parentNode.insertBefore(frame, pre.nextSibling);
    }

    if (window.customElements && !customElements.get('iamlab-playground')) {
        customElements.define('iamlab-playground', class extends HTMLElement {
            connectedCallback() {
                if (this.querySelector('iframe')) return;
                // The text may not be parsed yet when the element is defined before it.
                var self = this;
                requestAnimationFrame(function () {
                    var frame = frameFor(self, self.getAttribute('provider'), self.textContent.trim(), self.getAttribute('request'));
                    if (!frame) return;
                    self.textContent = '';
                    self.style.display = 'block';
                    self.appendChild(frame);
                });
            }
        });
    }

    // The embeds post their height (a ResizeObserver on their side, so every change of their
    // content comes through); only messages from the playground's origin and from one of our
    // own frames are read. The embed posts only to the origin named in its URL.
    window.addEventListener('message', function (event) {
        if (event.origin !== base.origin || !event.data || event.data.type !== 'iamlab:height') return;
        for (var i = 0; i < frames.length; i++) {
            if (frames[i].contentWindow === event.source) {
                var height = Math.min(Math.max(Number(event.data.height) || 0, 120), 4000);
                frames[i].style.height = Math.ceil(height) + 2 + 'px';
            }
        }
    });

    function start() {
        var blocks = document.querySelectorAll('pre[data-iamlab]');
        for (var i = 0; i < blocks.length; i++) fromPre(blocks[i]);
    }
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
})();
