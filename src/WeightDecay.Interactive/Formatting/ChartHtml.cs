using System.Globalization;
using System.Net;
using System.Reflection;
using Plotly.NET;

namespace WeightDecay.Interactive.Formatting;

/// <summary>
/// Renders Plotly.NET charts as self-contained HTML that works offline. The first chart after <see cref="Reset"/>
/// carries the plotly.js bundled inside Plotly.NET (so a notebook or report includes it once); every chart waits for
/// <c>window.Plotly</c>. plotly.js is loaded with AMD's <c>define</c> hidden: where require.js is present (Jupyter, VS
/// Code) plotly.js would otherwise register as an AMD module and never set <c>window.Plotly</c>.
/// </summary>
public static class ChartHtml
{
    private static readonly Lazy<string> PlotlyJs = new(LoadPlotlyJs);
    private static int _emitted;
    private static int _counter;

    /// <summary>The version of the embedded plotly.js.</summary>
    public static string PlotlyJsVersion =>
        typeof(GenericChart).Assembly.GetManifestResourceNames()
            .Select(n => n.Replace("Plotly.NET.plotly-", "").Replace(".min.js", ""))
            .FirstOrDefault(n => char.IsDigit(n.FirstOrDefault())) ?? "unknown";

    /// <summary>Makes the next chart include plotly.js again (called by <see cref="Workbook.Init"/> at the start of a
    /// notebook).</summary>
    public static void Reset() => Interlocked.Exchange(ref _emitted, 0);

    /// <summary>The HTML of one Plotly.NET chart (see <see cref="RenderFigure"/>).</summary>
    public static string Render(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return RenderFigure(GenericChart.toFigureJson(chart));
    }

    /// <summary>The HTML of one chart given as plotly.js figure JSON: a div, plotly.js if not yet emitted, and a
    /// drawing script.</summary>
    public static string RenderFigure(string figure)
    {
        figure = figure.Replace("</", "<\\/", StringComparison.Ordinal);
        string id = $"wd-plot-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}-" +
                    $"{Guid.NewGuid().ToString("N")[..8]}";
        var html = new System.Text.StringBuilder();
        if (Interlocked.Exchange(ref _emitted, 1) == 0) html.Append(PlotlyScript());
        html.Append(
            $"<div id=\"{id}\" class=\"wd-plot\" style=\"width:100%;min-height:420px\"></div>\n<script>\n(function " +
            $"() {{\n  var fig = {figure};\n" +
            "  var config = Object.assign({responsive: true, displaylogo: false}, fig.config || {});\n" +
            $"  function draw() {{ var el = document.getElementById('{id}');\n" +
            "    if (el && window.Plotly) { window.Plotly.newPlot(el, fig.data, fig.layout || {}, config); } else { " +
            "setTimeout(draw, 30); } }\n  draw();\n})();\n</script>\n");
        return html.ToString();
    }

    /// <summary>
    /// plotly.js in a script element, with AMD's define hidden while it runs. The element carries
    /// <c>data-wd-plotly="&lt;version&gt;"</c> so that the runner's site writer can replace this inline copy by one
    /// shared file.
    /// </summary>
    public static string PlotlyScript() =>
        "<script>window.__wdDefine = window.define; window.define = undefined;</script>\n" +
        $"<script data-wd-plotly=\"{PlotlyJsVersion}\">\n" + PlotlyJs.Value + "\n</script>\n" +
        "<script>window.define = window.__wdDefine;</script>\n";

    private static string LoadPlotlyJs()
    {
        Assembly asm = typeof(GenericChart).Assembly;
        string name =
            asm.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal)
            && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = asm.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        // "</script" inside the bundle would end the element early.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }

    internal static string Encode(object? value) =>
        WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
}
