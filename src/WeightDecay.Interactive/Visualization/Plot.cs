using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;
using Chart = Plotly.NET.CSharp.Chart;
using FChart = Plotly.NET.Chart;

namespace WeightDecay.Interactive.Visualization;

/// <summary>
/// The shared mechanics of the chart builders: every 2-D line or marker chart of the workbook is composed
/// here from <see cref="Curve"/>s and <see cref="Axis"/> settings, so that the rules a reader relies on hold
/// for every chart:
/// <list type="bullet">
/// <item>exact zeros on a log axis are drawn on a floor tick labelled "0" (with a marker), never
/// dropped;</item>
/// <item>log axes are labelled with powers of ten or with full values (1, 2, 5 × 10ᵏ, or a linear step below
/// a decade), never with plotly.js's bare minor digits ("3" meaning 0.03);</item>
/// <item>"x_sub" and "x_{sub}" in any title, axis title or legend entry become real subscripts;</item>
/// <item>the <see cref="Charts.Palette"/> is readable on white and by colour-blind readers.</item>
/// </list>
/// Charts are built with Plotly.NET.CSharp (trace constructors, <c>Chart.Combine</c>, <c>Chart.Grid</c>,
/// axis, legend and size styling) and Plotly.NET's own functions (<c>Chart.withTitle</c>, <c>withXAxis</c>,
/// <c>withSlider</c>, <c>withAnnotations</c>, <c>withColorAxis</c>, <c>withAxisAnchor</c>, …) on Plotly.NET's
/// layout and trace objects. Plotly.NET 6 moved its C# interface to Plotly.NET.CSharp, which has no
/// parameters for tick values and texts, hover templates, slider steps, annotation fields, colour-axis limits
/// or contour levels, and the F# <c>init</c> functions of those objects take 20–90 non-optional parameters
/// from C#; such plotly.js attributes are set on the Plotly.NET object by name with <see cref="With{T}"/>
/// (<c>DynamicObj.SetProperty</c>, the mechanism Plotly.NET itself uses to store them).
/// </summary>
internal static partial class Plot
{
    /// <summary>Sets one plotly.js attribute on a Plotly.NET object (see the class remarks for why) and
    /// returns the object.</summary>
    internal static T With<T>(this T obj, string attribute, object value) where T : DynamicObj.DynamicObj
    {
        obj.SetProperty(attribute, value);
        return obj;
    }

    /// <summary>A Plotly.NET title object.</summary>
    internal static Title TitleOf(string text) => new Title().With("text", Text(text));

    /// <summary>"x_sub" and "x_{sub}" as x<sub>sub</sub> (plotly.js renders &lt;sub&gt; in titles, labels and
    /// legends).</summary>
    internal static string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = BracedSubscript.Replace(text, "<sub>$1</sub>");
        return PlainSubscript.Replace(text, "<sub>$1</sub>");
    }

    // Plain compiled regexes rather than [GeneratedRegex]: the scalar guard test compiles this project with
    // Roslyn alone, without the regex source generator.
    private static readonly Regex BracedSubscript = new(@"_\{([^{}]*)\}", RegexOptions.Compiled);

    private static readonly Regex PlainSubscript = new(@"(?<=\S)_([\p{L}\p{N}]+)", RegexOptions.Compiled);

    /// <summary>A colour given as #rrggbb.</summary>
    internal static Color Color(string hex) => Plotly.NET.Color.fromHex(hex);

    /// <summary>A Plotly.NET colour scale as its plotly.js value (a name or [[position, colour],
    /// …]).</summary>
    internal static object Scale(StyleParam.Colorscale scale) => StyleParam.Colorscale.convert.Invoke(scale);

    /// <summary>A colour scale through the given #rrggbb colours at the given positions in [0, 1].</summary>
    internal static StyleParam.Colorscale CustomScale(params (double Position, string Color)[] stops) =>
        StyleParam.Colorscale.NewCustom(stops.Select(s => Tuple.Create(s.Position, Color(s.Color))));

    /// <summary>Values for a trace: NaN and ±∞ become null, which plotly.js draws as gaps.</summary>
    /// <remarks>Typed as non-null for Plotly.NET's <c>IConvertible</c> constraint; the gaps are null
    /// entries.</remarks>
    /// <summary>
    /// Rows of numbers (a heatmap's, contour's or surface's z) rounded to what a colour scale can show: to
    /// <paramref name="significantDigits"/> digits of the largest |value| (4: steps of 1/1000 to 1/10000 of the
    /// range, finer than any colour or contour a reader can tell apart), so that a 50 000-cell mosaic is not 1 MB of
    /// digits in the notebook and the report. NaN and ±∞ stay as they are (drawn as gaps).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="significantDigits"/> not in 1…15.</exception>
    public static double[][] Rounded(IEnumerable<IEnumerable<double>> rows, int significantDigits = 4)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (significantDigits is < 1 or > 15)
            throw new ArgumentOutOfRangeException(nameof(significantDigits), significantDigits,
                "Expected 1 to 15 significant digits.");
        var values = rows.Select(r => r.ToArray()).ToArray();
        double maxAbs = values.SelectMany(r => r).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        // decimals > 0: round to that many decimals; decimals <= 0: to a multiple of 10^-decimals (exact for integers).
        int decimals = maxAbs == 0 ? 0 : significantDigits - 1 - (int)Math.Floor(Math.Log10(maxAbs));
        double step = decimals < 0 ? Math.Pow(10, -decimals) : 1;
        double Round(double d) => !double.IsFinite(d) ? d
            : decimals >= 0 ? Math.Round(d, Math.Min(decimals, 15)) : Math.Round(d / step) * step;
        return values.Select(r => r.Select(Round).ToArray()).ToArray();
    }

    /// <summary><see cref="Rounded"/> rows as Plotly.NET values (NaN and ±∞ as gaps).</summary>
    internal static IEnumerable<IConvertible[]> Grid(IEnumerable<IEnumerable<double>> rows,
        int significantDigits = 4) =>
        Rounded(rows, significantDigits).Select(Values);

    internal static IConvertible[] Values(IEnumerable<double> values) =>
        values.Select(v => double.IsFinite(v) ? (IConvertible)v : null!).ToArray();

    /// <summary>plotly.js dash names (<c>dash</c>, <c>dot</c>, <c>dashdot</c>, <c>longdash</c>, <c>solid</c>)
    /// as Plotly.NET styles.</summary>
    internal static StyleParam.DrawingStyle? Dash(string? dash) => dash switch
    {
        null or "" or "solid" => null,
        "dash" => StyleParam.DrawingStyle.Dash,
        "dot" => StyleParam.DrawingStyle.Dot,
        "dashdot" => StyleParam.DrawingStyle.DashDot,
        "longdash" => StyleParam.DrawingStyle.LongDash,
        _ => throw new ArgumentException(
            $"Unknown dash style '{dash}'; expected solid, dash, dot, dashdot or longdash.", nameof(dash)),
    };

    /// <summary>A Plotly.NET.CSharp optional argument: given when not null.</summary>
    internal static Optional<T> Opt<T>(T? value) where T : class =>
        value is null ? default : new Optional<T>(value, true);

    /// <summary>Sets the chart's title.</summary>
    internal static GenericChart Titled(this GenericChart chart, string title) =>
        FChart.withTitle(Text(title), FSharpOption<Font>.None).Invoke(chart);

    /// <summary>Adds plotly.js layout attributes (height, hovermode, barmode, …) to the chart.</summary>
    internal static GenericChart WithLayout(this GenericChart chart,
        params (string Attribute, object Value)[] attributes)
    {
        var layout = new Layout();
        foreach (var (name, value) in attributes) layout.SetProperty(name, value);
        return FChart.withLayout(layout).Invoke(chart);
    }

    /// <summary>Sets one plotly.js attribute on every trace of the chart (e.g. <c>zmin</c>,
    /// <c>hovertemplate</c>).</summary>
    internal static GenericChart WithTraceAttribute(this GenericChart chart, string attribute, object value)
    {
        foreach (var trace in chart.GetTraces()) trace.SetProperty(attribute, value);
        return chart;
    }

    /// <summary>Merges a Plotly.NET axis object into the chart's x axis.</summary>
    internal static GenericChart WithXAxis(this GenericChart chart, LinearAxis axis) =>
        FChart.withXAxis(axis, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);

    /// <summary>Merges a Plotly.NET axis object into the chart's y axis number <paramref name="id"/>.</summary>
    internal static GenericChart WithYAxis(this GenericChart chart, LinearAxis axis, int id = 1) =>
        FChart.withYAxis(axis, id == 1 ? FSharpOption<StyleParam.SubPlotId>.None
            : FSharpOption<StyleParam.SubPlotId>.Some(StyleParam.SubPlotId.NewYAxis(id))).Invoke(chart);

    /// <summary>Sets the chart's colour axis, which the traces anchored by <see cref="OnColorAxis"/> share.</summary>
    internal static GenericChart WithColorAxis(this GenericChart chart, ColorAxis axis) =>
        FChart.withColorAxis(axis, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);

    /// <summary>Draws the chart's traces on the layout's shared colour axis.</summary>
    internal static GenericChart OnColorAxis(this GenericChart chart) => FChart.withColorAxisAnchor(1).Invoke(chart);

    /// <summary>Adds shapes (lines, rectangles) to the chart.</summary>
    internal static GenericChart WithShapes(this GenericChart chart, IEnumerable<Shape> shapes) =>
        FChart.withShapes(shapes, FSharpOption<bool>.Some(true)).Invoke(chart);

    /// <summary>A dotted vertical line at x (data units) across the plot.</summary>
    internal static Shape Vertical(double x, string color = "#777777") =>
        new Shape().With("type", "line").With("xref", "x").With("yref", "paper").With("x0", x).With("x1", x)
            .With("y0", 0).With("y1", 1)
            .With("line", new Line().With("color", color).With("dash", "dot").With("width", 1));

    /// <summary>A legend laid out horizontally below the plot.</summary>
    internal static GenericChart LegendBelow(this GenericChart chart, double y = -0.2) =>
        chart.WithLegendStyle(Orientation: StyleParam.Orientation.Horizontal, Y: y);

    /// <summary>Annotations placed relative to the plotting area (paper coordinates).</summary>
    internal static GenericChart WithNotes(this GenericChart chart, IEnumerable<Annotation> notes) =>
        FChart.withAnnotations(notes, FSharpOption<bool>.Some(true)).Invoke(chart);

    /// <summary>A text note at (x, y) in the given reference frames (e.g. <c>paper</c>, <c>x</c>, <c>x2
    /// domain</c>).</summary>
    internal static Annotation Note(string text, double x, double y, string xref = "paper", string yref = "paper",
        string xanchor = "center", string yanchor = "bottom") =>
        new Annotation().With("text", Text(text)).With("x", x).With("y", y).With("xref", xref)
            .With("yref", yref).With("xanchor", xanchor).With("yanchor", yanchor).With("showarrow", false);

    /// <summary>
    /// A slider that shows one group of traces at a time: position k shows the traces whose entry in
    /// <paramref name="stepOf"/> is k, and always the traces whose entry is null.
    /// </summary>
    internal static GenericChart WithSlider(this GenericChart chart, string prefix, IReadOnlyList<string> labels,
        IReadOnlyList<int?> stepOf, int active)
    {
        if (active < 0 || active >= labels.Count)
            throw new ArgumentOutOfRangeException(nameof(active), active,
                $"Need 0 ≤ active < {labels.Count} slider positions.");
        var traces = chart.GetTraces();
        if (traces.Length != stepOf.Count)
            throw new InvalidOperationException($"{traces.Length} traces but {stepOf.Count} slider assignments.");
        bool[] Visible(int k) => stepOf.Select(s => s is null || s == k).ToArray();
        for (int i = 0; i < traces.Length; i++) traces[i].SetProperty("visible", Visible(active)[i]);
        var steps = labels.Select((label, k) => new SliderStep()
            .With("label", Text(label)).With("method", "restyle")
            .With("args", new object[] { new Dictionary<string, object> { ["visible"] = Visible(k) } })).ToArray();
        var slider = new Slider().With("active", active).With("steps", steps)
            .With("pad", new Padding().With("t", 40))
            .With("currentvalue", new SliderCurrentValue().With("prefix", Text(prefix)));
        return FChart.withSlider(slider, FSharpOption<bool>.None).Invoke(chart);
    }

    /// <summary>
    /// The chart of a set of curves on an x axis, a y axis and optionally a right-hand y axis: one trace per
    /// curve, log axes through <see cref="LogScale"/> (exact zeros on the floor tick "0", full-value ticks),
    /// percent axes formatted as percentages, and with a slider when any curve has a <see
    /// cref="Curve.Step"/>.
    /// </summary>
    internal static GenericChart Curves(string title, IReadOnlyList<Curve> curves, Axis x, Axis y, Axis? y2 = null,
        string sliderPrefix = "", IReadOnlyList<string>? sliderLabels = null, int active = 0)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("Give at least one curve.", nameof(curves));
        foreach (var c in curves)
            if (c.X.Count != c.Y.Count || (c.ErrorY is { } e && e.Count != c.Y.Count))
                throw new ArgumentException(
                    $"Curve '{c.Name}' has {c.X.Count} x, {c.Y.Count} y and {c.ErrorY?.Count} error values.",
                    nameof(curves));
        var xScale = x.Log ? LogScale.Of(curves.SelectMany(c => c.X)) : null;
        var yScale = y.Log ? LogScale.Of(curves.Where(c => !c.RightAxis).SelectMany(Extent)) : null;
        var y2Scale = y2 is { Log: true } ? LogScale.Of(curves.Where(c => c.RightAxis).SelectMany(Extent)) : null;
        var traces = curves.Select(c => Trace(c, xScale, c.RightAxis ? y2Scale : yScale)).ToList();
        var chart = Chart.Combine(traces).Titled(title);
        chart = chart.WithXAxis(AxisObject(x, xScale, null));
        var yRange = sliderLabels is null ? null : LinearRange(curves.Where(c => !c.RightAxis).SelectMany(Extent));
        chart = chart.WithYAxis(AxisObject(y, yScale, yRange));
        if (y2 is not null)
        {
            var axis = AxisObject(y2, y2Scale, null).With("overlaying", "y").With("side", "right")
                .With("showgrid", false);
            chart = chart.WithYAxis(axis, 2);
        }
        if (sliderLabels is not null)
            chart = chart.WithSlider(sliderPrefix, sliderLabels, curves.Select(c => c.Step).ToList(), active);
        return chart;
    }

    private static IEnumerable<double> Extent(Curve c) => c.ErrorY is null ? c.Y
        : c.Y.Zip(c.ErrorY, (v, e) => new[] { v, v - e, v + e }).SelectMany(v => v);

    private static double[]? LinearRange(IEnumerable<double> values)
    {
        var all = values.Where(double.IsFinite).ToList();
        if (all.Count == 0) return null;
        double lo = all.Min(), hi = all.Max(), pad = 0.04 * Math.Max(hi - lo, 1e-12);
        return [lo - pad, hi + pad];
    }

    /// <summary>
    /// A Plotly.NET axis object for the settings. A log axis gets the scale's ticks; its range is set only
    /// where the automatic one would be wrong: with a floor for zeros, or under a slider (<paramref
    /// name="fixRange"/>), whose hidden traces plotly.js's autorange ignores. A linear axis under a slider
    /// gets the range of all its curves.
    /// </summary>
    internal static LinearAxis AxisObject(Axis axis, LogScale? scale, double[]? fixRange)
    {
        var a = new LinearAxis().With("title", TitleOf(axis.Title)).With("type", axis.Log ? "log" : "linear");
        if (!axis.Visible) a.With("visible", false);
        if (axis.Percent) a.With("tickformat", ".0%").With("hoverformat", ".2%");
        if (scale is not null)
        {
            a.With("tickmode", "array").With("tickvals", scale.TickValues).With("ticktext", scale.TickTexts)
                .With("hoverformat", ".4~g");
            if (axis.Range is { } given) a.With("range", given.Select(Math.Log10).ToArray());
            else if (scale.Floor is not null || fixRange is not null) a.With("range", scale.Range);
        }
        else if (axis.Range is { } r) a.With("range", r);
        else if (fixRange is not null) a.With("range", fixRange);
        return a;
    }

    private static GenericChart Trace(Curve c, LogScale? xs, LogScale? ys)
    {
        var x = c.X.Select(v => xs?.Place(v) ?? v).ToList();
        var y = c.Y.Select(v => ys?.Place(v) ?? v).ToList();
        var floored = Enumerable.Range(0, c.X.Count)
            .Select(i => (xs is not null && c.X[i] == 0) || (ys is not null && c.Y[i] == 0)).ToArray();
        bool anyFloored = floored.Any(f => f), floorMarkers = anyFloored && c.FloorMarkers;
        var mode = (c.Line, c.Markers || floorMarkers) switch
        {
            (true, true) => StyleParam.Mode.Lines_Markers,
            (true, false) => StyleParam.Mode.Lines,
            _ => StyleParam.Mode.Markers,
        };
        var marker = new Marker().With("color", c.Color);
        if (c.Markers || floorMarkers)
            marker.With("size", c.Markers ? c.MarkerSize : floored.Select(f => f ? c.MarkerSize : 0.0).ToArray());
        if (c.Symbol is { } symbol) marker.With("symbol", symbol);
        if (c.MarkerLine is { } outline) marker.With("line", new Line().With("color", outline).With("width", 1.5));
        var chart = Chart.Scatter<IConvertible, IConvertible, string>(Values(x), Values(y), mode,
            Name: Text(c.Name), ShowLegend: c.ShowLegend, Marker: marker, LineColor: Color(c.Color),
            LineWidth: c.Width, LineDash: Opt(Dash(c.Dash)), UseDefaults: false);
        if (c.Group is not null) chart = chart.WithTraceInfo(LegendGroup: c.Group);
        if (c.RightAxis)
            chart = FChart.withAxisAnchor(FSharpOption<int>.None, FSharpOption<int>.Some(2)).Invoke(chart);
        var trace = chart.GetTraces()[0];
        if (c.LineShape is not null)
            ((DynamicObj.DynamicObj)trace.GetPropertyValue("line")).SetProperty("shape", c.LineShape);
        if (c.ErrorY is { } err)
            chart = FChart.withYError(new Error().With("type", "data").With("array", Values(err))
                .With("visible", true).With("color", c.Color)).Invoke(chart);
        if (c.CustomData is not null) trace.SetProperty("customdata", Values(c.CustomData));
        if (c.Hover is not null) trace.SetProperty("hovertemplate", c.Hover);
        else if (anyFloored)
        {
            // the drawn coordinate of a zero is the floor: show the true values on hover
            trace.SetProperty("text", Enumerable.Range(0, c.X.Count)
                .Select(i => $"({Format(c.X[i])}, {Format(c.Y[i])})" + (floored[i] ? " — exactly 0" : ""))
                .ToArray());
            trace.SetProperty("hovertemplate", "%{text}");
        }
        return chart;
    }

    /// <summary>A number for labels and hover text: 4 significant digits, invariant culture.</summary>
    internal static string Format(double v) =>
        double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "n/a";
}
