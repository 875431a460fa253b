// The embed's preview (embed.html#lesson=...&charts=...): draws the scenario's topology, its
// title and a Play button without loading the simulation. Pressing Play (or a host's "play"
// message, or an autoplaying frame coming into view) turns this frame into the app's embed view
// with the same options (./#embed?...&play), which downloads the app once; the browser's cache
// serves every other embed on the page. The options are the embed view's (docs/embedding.md);
// this script reads only the few it needs and passes all of them on.
(function () {
  'use strict';
  var MAX_INFLATED = 2 * 1024 * 1024; // as the app's share links (app/src/share.rs)
  var CARD_W = 190, CARD_H = 74; // as the app's canvas (app/src/components/canvas.rs)
  // Kind -> [label, badge letters], as the registry (format/src/kinds.rs) has them.
  var KINDS = { // generated from the registry of kinds by `cargo xtask gen`
    client: ['Users', 'U'],
    load_balancer: ['Load balancer', 'LB'],
    rate_limiter: ['Rate limiter', 'RL'],
    service: ['Service', 'S'],
    cache: ['Cache', 'C'],
    database: ['Database', 'DB'],
    replica: ['Read replica', 'R'],
    queue: ['Queue', 'Q'],
    workers: ['Workers', 'W'],
    dead_letter: ['Dead-letter queue', 'DLQ'],
    provider: ['Provider', '$']
  }; // end of generated kinds

  var SVG = 'http://www.w3.org/2000/svg';

  // The options the app reads (OPTIONS in app/src/embed.rs; a test keeps the two lists equal),
  // so an author sees a misspelt option in the preview, before anyone presses Play.
  var OPTIONS = ['lesson', 's', 'charts', 'component', 'seed', 'autoplay', 'play', 'speed', 'until', 'theme', 'controls', 'switches', 'report'];
  var SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 25, 100];
  var clip = function (t) { return t.length > 40 ? t.slice(0, 40) + '…' : t; };
  var problems = [];
  var options = location.hash.replace(/^#/, '').replace(/^embed\??/, '');
  var read = {};
  options.split('&').slice(0, 32).forEach(function (pair) {
    var i = pair.indexOf('=');
    var key = i < 0 ? pair : pair.slice(0, i);
    var value = i < 0 ? '' : pair.slice(i + 1);
    try { value = decodeURIComponent(value); } catch (e) { /* the app names a bad escape */ }
    if (!key) return;
    if (OPTIONS.indexOf(key) < 0) problems.push('unknown option "' + clip(key) + '"');
    else if (!(key in read)) read[key] = value;
  });
  // The values the app would refuse, in its words (lesson and s are checked as they load).
  var number = function (v) { return v.trim() === '' ? NaN : Number(v); };
  var checks = {
    theme: ['expected light, dark or auto', function (v) { return /^(light|dark|auto)$/.test(v); }],
    controls: ['expected full, minimal or none', function (v) { return /^(full|minimal|none)$/.test(v); }],
    speed: ['expected one of ' + SPEEDS.join(', '), function (v) { return SPEEDS.indexOf(number(v)) >= 0; }],
    seed: ['expected a whole number', function (v) { return /^\+?[0-9]{1,20}$/.test(v) && BigInt(v.replace('+', '')) <= 18446744073709551615n; }],
    until: ['expected a number of simulated seconds', function (v) { var t = number(v); return isFinite(t) && t > 0; }]
  };
  Object.keys(checks).forEach(function (key) {
    if (key in read && !checks[key][1](read[key])) problems.push(key + ': ' + checks[key][0]);
  });
  var $ = function (id) { return document.getElementById(id); };

  if (read.theme === 'light' || read.theme === 'dark') {
    document.documentElement.setAttribute('data-theme', read.theme);
  }

  var going = false;
  function go() {
    if (going) return;
    going = true;
    $('play').disabled = true;
    $('play').textContent = 'Loading…';
    var rest = options.split('&').filter(function (p) { return p && p !== 'play'; });
    rest.push('play');
    // replace(): the frame's preview leaves no entry in the reader's history.
    location.replace('./play.html#embed?' + rest.join('&'));
  }
  // New options in the address (a page that changes only the fragment of the frame's src, as
  // the app's Embed dialog does) draw the preview afresh.
  window.addEventListener('hashchange', function () { location.reload(); });
  $('play').addEventListener('click', go);
  $('canvas').addEventListener('click', go);

  function note(text) {
    $('note').textContent = text;
    $('note').hidden = false;
  }
  if (problems.length) note(problems.join('; ') + '.');

  function sendHeight() {
    if (window.parent === window) return;
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ source: 'backend-playground', version: 1, type: 'height', height: height }, '*');
  }
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(sendHeight).observe(document.documentElement);
  } else {
    window.addEventListener('load', sendHeight);
  }

  // A host may press Play for the reader (the custom element's play(), or its own button).
  window.addEventListener('message', function (event) {
    if (event.source !== window.parent) return;
    var d = event.data;
    if (d && typeof d === 'object' && d.target === 'backend-playground' && d.version === 1 && d.type === 'play') go();
  });

  // An autoplaying embed loads when it first comes into view, unless the reader asked for less
  // motion (then it waits for Play, as the app would).
  var autoplay = 'autoplay' in read && (read.autoplay === '' || read.autoplay === 'true' || read.autoplay === '1');
  var reduced = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  if (autoplay && !reduced && typeof IntersectionObserver === 'function') {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) go();
    }).observe($('canvas'));
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function draw(scenario) {
    var cs = (scenario && Array.isArray(scenario.components) ? scenario.components : []).slice(0, 500);
    var at = {};
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    cs.forEach(function (c) {
      var x = Number(c.x) || 0, y = Number(c.y) || 0;
      at[c.id] = [x, y];
      x0 = Math.min(x0, x); y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + CARD_W); y1 = Math.max(y1, y + CARD_H);
    });
    if (!cs.length) return;
    // Fitted as the app fits its canvas: every card with a margin, at most 1.2 times life size.
    var box = $('canvas').getBoundingClientRect();
    var w = Math.max(x1 - x0 + 60, (box.width || 600) / 1.2);
    var h = Math.max(y1 - y0 + 60, (box.height || 260) / 1.2);
    var svg = el('svg', {
      viewBox: [(x0 + x1 - w) / 2, (y0 + y1 - h) / 2, w, h].join(' '),
      role: 'img',
      'aria-label': 'The system: ' + cs.map(function (c) { return String(c.name || c.id); }).join(', ')
    });
    var defs = el('defs', {});
    var marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '11', markerHeight: '11', markerUnits: 'userSpaceOnUse', orient: 'auto' });
    marker.appendChild(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', 'class': 'head' }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    (Array.isArray(scenario.wires) ? scenario.wires : []).slice(0, 5000).forEach(function (w) {
      var a = at[w.from], b = at[w.to];
      if (!a || !b) return;
      var ax = a[0] + CARD_W, ay = a[1] + CARD_H / 2, bx = b[0] - 6, by = b[1] + CARD_H / 2;
      var bend = Math.max(Math.abs(bx - ax) / 2, 40);
      svg.appendChild(el('path', {
        'class': 'wire', 'marker-end': 'url(#arrow)',
        d: 'M ' + ax + ' ' + ay + ' C ' + (ax + bend) + ' ' + ay + ', ' + (bx - bend) + ' ' + by + ', ' + bx + ' ' + by
      }));
    });
    cs.forEach(function (c) {
      var kind = c.spec && KINDS[c.spec.kind] || ['', '?'];
      var g = el('g', { transform: 'translate(' + at[c.id][0] + ' ' + at[c.id][1] + ')' });
      g.appendChild(el('rect', { 'class': 'body', width: CARD_W, height: CARD_H, rx: 10 }));
      g.appendChild(el('circle', { 'class': 'badge', cx: 22, cy: 24, r: 15 }));
      g.appendChild(el('text', { 'class': 'glyph', x: 22, y: 28, 'text-anchor': 'middle' }, kind[1]));
      g.appendChild(el('text', { 'class': 'name', x: 44, y: 22 }, String(c.name || c.id).slice(0, 22)));
      g.appendChild(el('text', { 'class': 'kind', x: 44, y: 38 }, kind[0]));
      svg.appendChild(g);
    });
    $('canvas').appendChild(svg);
  }

  function json(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ' answered ' + r.status);
      return r.json();
    });
  }

  // A share payload: URL-safe base64 of raw DEFLATE, as app/src/share.rs writes it; inflated at
  // most to the app's cap.
  function inflate(payload) {
    if (typeof DecompressionStream !== 'function') return Promise.reject(new Error('this browser cannot unpack it before Play'));
    var text = payload.trim().replace(/-/g, '+').replace(/_/g, '/');
    var bytes;
    try {
      bytes = Uint8Array.from(atob(text + '==='.slice((text.length + 3) % 4)), function (ch) { return ch.charCodeAt(0); });
    } catch (e) {
      return Promise.reject(new Error('this share link is damaged: it is not valid base64'));
    }
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    var parts = [], size = 0;
    function pump() {
      return reader.read().then(function (step) {
        if (step.done) return new Blob(parts).text().then(JSON.parse);
        size += step.value.length;
        if (size > MAX_INFLATED) {
          reader.cancel();
          throw new Error('this share link is too large');
        }
        parts.push(step.value);
        return pump();
      });
    }
    return pump().catch(function (e) {
      throw /too large|damaged/.test(e.message) ? e : new Error('this share link is damaged: its data does not decompress');
    });
  }

  var shown;
  if (read.lesson !== undefined) {
    if (!/^[0-9a-z-]{1,64}$/.test(read.lesson)) {
      shown = Promise.reject(new Error('lesson: no lesson has this name'));
    } else {
      var base = 'lessons/' + read.lesson + '/';
      $('open').href = './#lesson=' + read.lesson;
      shown = Promise.all([json(base + 'lesson.json'), json(base + 'start.json')]).then(function (both) {
        $('title').textContent = String(both[0].title || read.lesson);
        return both[1];
      }, function () { throw new Error('lesson: no lesson has this name'); });
    }
  } else if (read.s !== undefined) {
    $('open').href = './#s=' + read.s;
    shown = inflate(read.s).catch(function (e) { throw new Error('s: ' + e.message); }).then(function (scenario) {
      $('title').textContent = String(scenario && scenario.name || 'A shared scenario');
      return scenario;
    });
  } else {
    $('open').href = './#sandbox';
    shown = json('starter.json').then(function (scenario) {
      $('title').textContent = String(scenario.name || 'Backend Playground');
      return scenario;
    });
  }
  shown.then(draw).catch(function (e) {
    // The app shows the same problems, in its own words, once loaded.
    note(problems.concat([e.message]).join('; ') + '.');
  });
})();
