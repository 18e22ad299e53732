// The page script. Math: Markdig marks formulas as <span class="math">\(…\)</span> and <div class="math">\[…\]</div>; KaTeX
// renders those in place. Code: every code cell is a <details> element (set-up cells start folded); the header's button
// shows or hides all of them at once, and its label — and <html data-wd-code="shown|hidden|mixed"> — follow their state.
(function () {
  if (window.renderMathInElement) {
    document.querySelectorAll('.math').forEach(function (el) {
      window.renderMathInElement(el, {
        delimiters: [{ left: '\\[', right: '\\]', display: true }, { left: '\\(', right: '\\)', display: false }],
        throwOnError: false
      });
    });
  } else if (document.querySelector('.math')) {
    console.error('KaTeX auto-render is missing');
  }

  var cells = Array.prototype.slice.call(document.querySelectorAll('details.wd-code-cell'));
  var button = document.querySelector('.wd-code-toggle');
  function state() {
    var open = cells.filter(function (c) { return c.open; }).length;
    return open === 0 ? 'hidden' : open === cells.length ? 'shown' : 'mixed';
  }
  function update() {
    var s = state();
    document.documentElement.setAttribute('data-wd-code', s);
    if (button) button.textContent = s === 'hidden' ? 'Show all code' : 'Hide all code';
  }
  if (button && cells.length > 0) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var show = state() === 'hidden';
      cells.forEach(function (c) { c.open = show; });
      update();
    });
    cells.forEach(function (c) { c.addEventListener('toggle', update); });
  }
  if (cells.length > 0) update();
})();
