// Sizes the playground's embed iframes to their content. Add it to a page that embeds the
// playground: <script src="https://you.example/playground/embed-resize.js"></script>
// A frame posts { source: "backend-playground", version: 1, type: "height", height } to its
// parent whenever its content's height changes (docs/embedding.md). This script believes a
// message only when it comes from one of the page's own iframes, and only the height that
// iframe reports for itself, within sane bounds; anything else is ignored. An iframe with the
// attribute data-fixed-height keeps the height its page gave it.
(function () {
  'use strict';
  window.addEventListener('message', function (event) {
    var d = event.data;
    if (!d || typeof d !== 'object' || d.source !== 'backend-playground') return;
    if (d.version !== 1 || d.type !== 'height') return;
    if (typeof d.height !== 'number' || !isFinite(d.height) || d.height < 40 || d.height > 20000) return;
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source && !frames[i].hasAttribute('data-fixed-height')) {
        frames[i].style.height = Math.ceil(d.height) + 'px';
      }
    }
  });
})();
