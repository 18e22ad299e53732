// Report self-check: records script errors and, once the page has settled, as attributes of <html> (read by the browser
// tests; harmless for readers): how many charts were expected and drawn, how much math was rendered, which resources the
// page requested over the network (resource timing lists http(s) requests, failed ones too, never file: ones), whether its
// CSS applied and which web fonts loaded or failed, whether the page is wider than the window, and — when opened as
// page.html#wd-selftest — whether the code folding works: set-up cells start folded, the header button hides and then
// shows every code cell.
(function () {
  var errors = [];
  window.__wdErrors = errors;
  window.addEventListener('error', function (e) { errors.push(String(e.message || e)); });
  var original = console.error;
  console.error = function () { errors.push(Array.prototype.slice.call(arguments).join(' ')); return original.apply(console, arguments); };
  function count(selector) { return document.querySelectorAll(selector).length; }
  function foldTest() {
    var button = document.querySelector('.wd-code-toggle');
    var result = {
      cells: count('details.wd-code-cell'), setup: count('details.wd-setup'), setupFolded: count('details.wd-setup:not([open])'),
      openAtStart: count('details.wd-code-cell[open]'), button: !!button && !button.hidden
    };
    if (result.button) {
      button.click();
      result.openAfterFirstClick = count('details.wd-code-cell[open]');
      result.stateAfterFirstClick = document.documentElement.getAttribute('data-wd-code');
      button.click();
      result.openAfterSecondClick = count('details.wd-code-cell[open]');
      result.stateAfterSecondClick = document.documentElement.getAttribute('data-wd-code');
      result.label = button.textContent;
    }
    return result;
  }
  function record() {
    var root = document.documentElement;
    var text = document.body ? document.body.innerText : '';
    root.setAttribute('data-wd-charts-expected', String(count('.wd-plot')));
    root.setAttribute('data-wd-charts-rendered', String(Array.prototype.filter.call(document.querySelectorAll('.wd-plot'),
      function (el) { return el.querySelector('svg.main-svg'); }).length));
    root.setAttribute('data-wd-math-expected', String(count('.math')));
    root.setAttribute('data-wd-math-rendered', String(count('.math .katex')));
    root.setAttribute('data-wd-math-errors', String(count('.katex-error')));
    root.setAttribute('data-wd-raw-math', String((text.match(/\$\$|\\\[|\\\(/g) || []).length));
    var resources = (window.performance && performance.getEntriesByType ? performance.getEntriesByType('resource') : [])
      .map(function (e) { return e.name; });
    root.setAttribute('data-wd-resources', JSON.stringify(resources));
    root.setAttribute('data-wd-css', getComputedStyle(root).getPropertyValue('--accent').trim() ? '1' : '0');
    var fonts = [];
    if (document.fonts) document.fonts.forEach(function (f) { fonts.push(f.family.replace(/"/g, '') + ':' + f.status); });
    root.setAttribute('data-wd-fonts', JSON.stringify(fonts.filter(function (f) { return !/:unloaded$/.test(f); })));
    root.setAttribute('data-wd-scroll-width', String(root.scrollWidth));
    root.setAttribute('data-wd-client-width', String(root.clientWidth));
    if (location.hash === '#wd-selftest') root.setAttribute('data-wd-fold-test', JSON.stringify(foldTest()));
    root.setAttribute('data-wd-errors', JSON.stringify(errors));
    root.setAttribute('data-wd-ready', '1');
  }
  window.addEventListener('load', function () { setTimeout(record, 1500); });
})();
