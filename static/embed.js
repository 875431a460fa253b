// <backend-playground>: the playground in a blog post from one script tag (docs/embedding.md).
//
//   <script defer src="https://you.example/playground/embed.js"></script>
//   <backend-playground lesson="01-paid-twice" charts="side-effects" switches="api.idempotency">
//   </backend-playground>
//
// Each element holds an iframe of the embed's preview (embed.html) from the playground's own
// origin, so the host page runs none of the simulation's code and needs no 'wasm-unsafe-eval';
// a crash in one embed cannot touch the page or the others. The element sizes its frame to the
// height the frame reports, passes its attributes as the embed's options (changing one reloads
// the frame with the new options), turns the frame's messages into DOM events (goal, ended,
// goals, refused) and offers play(), pause(), reset(), set(path, value) and askGoals(). Removed
// from the page, it removes its frame: the run stops and its memory goes with it.
//
// A classic script, not a module: a cross-origin module needs the playground's host to send CORS
// headers, a classic script does not. (It also runs as a module, where the host allows that.)
(function () {
'use strict';
if (typeof customElements === 'undefined' || customElements.get('backend-playground')) return;
const script = document.currentScript || [...document.querySelectorAll('script[src]')].reverse().find((s) => /(^|\/)embed\.js([?#]|$)/.test(s.src));
const BASE = new URL('./', script ? script.src : location.href);
const OPTIONS = ['lesson', 's', 'charts', 'component', 'seed', 'autoplay', 'speed', 'until', 'theme', 'controls', 'switches', 'report'];
const EVENTS = ['goal', 'ended', 'goals', 'refused'];

class BackendPlayground extends HTMLElement {
  static get observedAttributes() {
    return [...OPTIONS, 'title', 'height'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML =
      '<style>:host{display:block;margin:1rem 0}iframe{display:block;width:100%;border:0;border-radius:8px}</style>';
    this.frame = null;
    this.queued = false;
    this.onMessage = (event) => this.receive(event);
  }

  connectedCallback() {
    window.addEventListener('message', this.onMessage);
    this.build();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.onMessage);
    if (this.frame) this.frame.remove();
    this.frame = null;
  }

  attributeChangedCallback() {
    // Several attributes set in one go reload the frame once.
    if (!this.frame || this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      if (this.isConnected) this.build();
    });
  }

  /// The embed's options from the attributes, in its fragment's form.
  fragment() {
    const parts = [];
    for (const name of OPTIONS) {
      if (!this.hasAttribute(name)) continue;
      const value = this.getAttribute(name);
      parts.push(value === '' ? name : `${name}=${encodeURIComponent(value).replace(/%2C/g, ',')}`);
    }
    return parts.join('&');
  }

  build() {
    if (this.frame) this.frame.remove();
    const frame = document.createElement('iframe');
    frame.src = new URL(`embed.html#${this.fragment()}`, BASE).href;
    frame.title = this.getAttribute('title') || `Backend Playground: ${this.getAttribute('lesson') || 'a live simulation'}`;
    frame.loading = 'lazy';
    const fixed = Number(this.getAttribute('height'));
    frame.style.height = `${fixed > 0 ? fixed : 380}px`;
    this.fixedHeight = fixed > 0;
    this.shadowRoot.appendChild(frame);
    this.frame = frame;
  }

  receive(event) {
    if (!this.frame || event.source !== this.frame.contentWindow || event.origin !== BASE.origin) return;
    const d = event.data;
    if (!d || typeof d !== 'object' || d.source !== 'backend-playground' || d.version !== 1) return;
    if (d.type === 'height') {
      if (!this.fixedHeight && typeof d.height === 'number' && d.height >= 40 && d.height <= 20000) {
        this.frame.style.height = `${Math.ceil(d.height)}px`;
      }
    } else if (EVENTS.includes(d.type)) {
      this.dispatchEvent(new CustomEvent(d.type, { detail: d, bubbles: true, composed: true }));
    }
  }

  send(message) {
    if (this.frame && this.frame.contentWindow) {
      this.frame.contentWindow.postMessage({ target: 'backend-playground', version: 1, ...message }, BASE.origin);
    }
  }

  play() { this.send({ type: 'play' }); }
  pause() { this.send({ type: 'pause' }); }
  reset() { this.send({ type: 'reset' }); }
  set(path, value) { this.send({ type: 'set', path, value }); }
  askGoals() { this.send({ type: 'goals' }); }
}

customElements.define('backend-playground', BackendPlayground);
})();
