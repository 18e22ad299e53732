// Markdig wraps math as <span class="math">\(…\)</span> and <div class="math">\[…\]</div>; KaTeX renders those in place.
(function () {
  if (!window.renderMathInElement) { console.error('KaTeX auto-render is missing'); return; }
  document.querySelectorAll('.math').forEach(function (el) {
    window.renderMathInElement(el, {
      delimiters: [{ left: '\\[', right: '\\]', display: true }, { left: '\\(', right: '\\)', display: false }],
      throwOnError: false
    });
  });
})();
