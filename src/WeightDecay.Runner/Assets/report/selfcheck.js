// Report self-check: records script errors and, once the page has settled, how many charts were expected and drawn and how much
// math was rendered, as attributes of <html> (read by the browser test; harmless for readers).
(function () {
  var errors = [];
  window.__wdErrors = errors;
  window.addEventListener('error', function (e) { errors.push(String(e.message || e)); });
  var original = console.error;
  console.error = function () { errors.push(Array.prototype.slice.call(arguments).join(' ')); return original.apply(console, arguments); };
  function record() {
    var root = document.documentElement;
    var text = document.body ? document.body.innerText : '';
    root.setAttribute('data-wd-charts-expected', String(document.querySelectorAll('.wd-plot').length));
    root.setAttribute('data-wd-charts-rendered', String(Array.prototype.filter.call(document.querySelectorAll('.wd-plot'),
      function (el) { return el.querySelector('svg.main-svg'); }).length));
    root.setAttribute('data-wd-math-expected', String(document.querySelectorAll('.math').length));
    root.setAttribute('data-wd-math-rendered', String(document.querySelectorAll('.math .katex').length));
    root.setAttribute('data-wd-math-errors', String(document.querySelectorAll('.katex-error').length));
    root.setAttribute('data-wd-raw-math', String((text.match(/\$\$|\\\[|\\\(/g) || []).length));
    root.setAttribute('data-wd-errors', JSON.stringify(errors));
    root.setAttribute('data-wd-ready', '1');
  }
  window.addEventListener('load', function () { setTimeout(record, 1500); });
})();
