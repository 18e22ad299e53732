using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using WeightDecay.Training;
using Chart = Plotly.NET.CSharp.Chart;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts of sweeps (a quantity against λ, η or another setting) and of grids of values.</summary>
public static class SweepCharts
{
    /// <summary>
    /// One line per labelled series over a shared x grid (e.g. loss against λ), with markers unless
    /// <paramref name="markers"/> is false; optional dash styles per series, horizontal reference lines (dotted
    /// grey) and marked points (<paramref name="marks"/>, black stars, e.g. each curve's best).
    /// </summary>
    public static GenericChart Lines(IReadOnlyList<double> x,
        IEnumerable<(string Label, IReadOnlyList<double> Y)> series, string title, string xTitle, string yTitle,
        bool logX = false, bool logY = false,
        IEnumerable<string?>? dashes = null, IEnumerable<(string Label, double Y)>? references = null,
        (string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y)? marks = null, bool markers = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        var dashList = dashes?.ToList();
        var curves = series.Select((s, i) => new Curve(s.Label, x, s.Y)
        {
            Markers = markers, Color = Charts.Color(i),
            Dash = dashList is not null && i < dashList.Count ? dashList[i] : null,
        }).ToList();
        curves.AddRange(Charts.ReferenceLines(curves, references));
        if (marks is { } m) curves.Add(Star(m.Label, m.X, m.Y));
        return Plot.Curves(title, curves, new Axis(xTitle) { Log = logX }, new Axis(yTitle) { Log = logY });
    }

    /// <summary>
    /// One line per labelled series against a λ grid on a log axis. λ = 0, which a log axis cannot show, is
    /// drawn on the axis's floor tick "0" below the smallest positive λ, so the grid's real spacing is visible
    /// (a category axis would space 0, 10⁻⁴, 10⁻³ and 3·10⁻³ evenly). <paramref name="percent"/> shows
    /// fractions (accuracies) as percentages; optional horizontal reference lines (dotted grey, e.g. chance
    /// accuracy).
    /// </summary>
    /// <exception cref="ArgumentException">A λ that is negative or not finite.</exception>
    public static GenericChart LambdaLines(IReadOnlyList<double> lambdas,
        IEnumerable<(string Label, IReadOnlyList<double> Y)> series, string title, string yTitle, bool logY = false,
        bool percent = false, string xTitle = "weight decay λ (log scale)",
        IEnumerable<(string Label, double Y)>? references = null)
    {
        ArgumentNullException.ThrowIfNull(lambdas);
        ArgumentNullException.ThrowIfNull(series);
        if (lambdas.Any(l => l < 0 || !double.IsFinite(l)))
            throw new ArgumentException($"λ values must be finite and ≥ 0, got {string.Join(", ", lambdas)}.",
                nameof(lambdas));
        var curves = series.Select((s, i) => new Curve(s.Label, lambdas, s.Y)
            { Markers = true, Color = Charts.Color(i) }).ToList();
        curves.AddRange(Charts.ReferenceLines(curves, references));
        return Plot.Curves(title, curves, new Axis(xTitle) { Log = true },
            new Axis(yTitle) { Log = logY, Percent = percent });
    }

    /// <summary>
    /// Pairs of lines over a shared x grid: each pair in one colour, its first series solid and its second
    /// dashed (legend entries "label · <paramref name="solidName"/>" and "label · <paramref name="dashedName"/>",
    /// toggled together), with optional marked points (black stars); <paramref name="percent"/> shows fractions
    /// as percentages.
    /// </summary>
    public static GenericChart PairedLines(IReadOnlyList<double> x,
        IEnumerable<(string Label, IReadOnlyList<double> Solid, IReadOnlyList<double> Dashed)> pairs,
        string solidName, string dashedName, string title, string xTitle, string yTitle, bool logX = false,
        bool logY = false, bool markers = false,
        (string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y)? marks = null, bool percent = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(pairs);
        var curves = pairs.SelectMany((p, i) => new[]
        {
            new Curve($"{p.Label} · {solidName}", x, p.Solid)
                { Color = Charts.Color(i), Group = p.Label, Markers = markers },
            new Curve($"{p.Label} · {dashedName}", x, p.Dashed)
                { Color = Charts.Color(i), Group = p.Label, Markers = markers, Dash = "dash" },
        }).ToList();
        if (marks is { } m) curves.Add(Star(m.Label, m.X, m.Y));
        return Plot.Curves(title, curves, new Axis(xTitle) { Log = logX },
            new Axis(yTitle) { Log = logY, Percent = percent });
    }

    /// <summary>
    /// Small multiples for unlike quantities measured on the same runs: one panel per quantity (own y axis, from
    /// 0), the runs as categories on x, markers only (the runs are not a sequence, so no line joins them); each
    /// run keeps its colour in every panel.
    /// </summary>
    public static GenericChart Panels(IReadOnlyList<string> runs,
        IEnumerable<(string Title, IReadOnlyList<double> Values, bool Percent)> panels, string title)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(panels);
        var list = panels.ToList();
        if (list.Count == 0) throw new ArgumentException("Give at least one panel.", nameof(panels));
        var colors = runs.Select((_, i) => Charts.Color(i)).ToArray();
        var charts = list.Select(p =>
        {
            if (p.Values.Count != runs.Count)
                throw new ArgumentException($"Panel '{p.Title}' has {p.Values.Count} values for {runs.Count} runs.",
                    nameof(panels));
            var marker = new Plotly.NET.TraceObjects.Marker().With("color", colors).With("size", 12)
                .With("symbol", "diamond");
            var chart = Chart.Point<string, IConvertible, string>(runs.Select(Plot.Text), Plot.Values(p.Values),
                Name: Plot.Text(p.Title), ShowLegend: false, Marker: marker, UseDefaults: false);
            return chart.WithYAxis(Plot.AxisObject(new Axis(p.Title) { Percent = p.Percent }, null, null)
                .With("rangemode", "tozero"));
        }).ToList();
        return Chart.Grid(charts, 1, list.Count, XGap: 0.3).Titled(title).WithLayout(("height", 460));
    }

    /// <summary>
    /// Learning curves of several runs with a slider that shows one run at a time (e.g. one per λ), on one y
    /// range.
    /// </summary>
    public static GenericChart LearningCurvesSlider(IReadOnlyList<(string Label, TrainingHistory History)> runs,
        string prefix, string title = "Learning curves", int active = 0, bool logY = true)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var curves = Charts.LossCurves(runs, i => i).ToList();
        return Plot.Curves(title, curves, new Axis("epoch"), new Axis("data loss L(θ)") { Log = logY },
            sliderPrefix: prefix, sliderLabels: runs.Select(r => r.Label).ToList(), active: active);
    }

    /// <summary>
    /// A heatmap of z[row][col] (row ↔ y, column ↔ x) with axis coordinates and a titled colour bar, on the
    /// colour range [<paramref name="zmin"/>, <paramref name="zmax"/>] when given.
    /// </summary>
    public static GenericChart Heatmap(IReadOnlyList<double> x, IReadOnlyList<double> y, double[][] z, string title,
        string xTitle, string yTitle, string colorTitle, StyleParam.Colorscale? colorscale = null, double? zmin = null,
        double? zmax = null)
    {
        var chart = HeatmapTrace(x, y, z, colorscale).Titled(title)
            .WithXAxisStyle<double, double, string>(TitleText: Plot.Text(xTitle))
            .WithYAxisStyle<double, double, string>(TitleText: Plot.Text(yTitle));
        chart = Plotly.NET.Chart.withColorBar(new ColorBar().With("title", Plot.TitleOf(colorTitle))).Invoke(chart);
        if (zmin is { } lo) chart.WithTraceAttribute("zmin", lo);
        if (zmax is { } hi) chart.WithTraceAttribute("zmax", hi);
        return chart;
    }

    /// <summary>
    /// Heatmaps side by side on one shared colour scale (one colour bar, the range of all panels' values): the
    /// same colour means the same value in every panel.
    /// </summary>
    public static GenericChart Heatmaps(IReadOnlyList<(string Label, double[][] Z)> panels, IReadOnlyList<double> x,
        IReadOnlyList<double> y, string title, string xTitle, string yTitle, string colorTitle,
        StyleParam.Colorscale? colorscale = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("Give at least one panel.", nameof(panels));
        var all = panels.SelectMany(p => p.Z.SelectMany(r => r)).Where(double.IsFinite).ToList();
        double lo = all.Count > 0 ? all.Min() : 0, hi = all.Count > 0 ? all.Max() : 1;
        var charts = panels.Select(p => HeatmapTrace(x, y, p.Z, colorscale).OnColorAxis()
            .WithXAxisStyle<double, double, string>(TitleText: Plot.Text(xTitle))
            .WithYAxisStyle<double, double, string>(TitleText: Plot.Text(yTitle))).ToList();
        var axis = new ColorAxis().With("cmin", lo).With("cmax", hi)
            .With("colorscale", Plot.Scale(colorscale ?? StyleParam.Colorscale.Viridis))
            .With("colorbar", new ColorBar().With("title", Plot.TitleOf(colorTitle)));
        var titles = panels.Select(p => Plot.Text(p.Label)).ToArray();
        return Chart.Grid(charts, 1, panels.Count, SubPlotTitles: titles, XGap: 0.15).WithColorAxis(axis).Titled(title);
    }

    /// <summary>A heatmap trace of z[row][col] (NaN cells blank).</summary>
    internal static GenericChart HeatmapTrace(IReadOnlyList<double> x, IReadOnlyList<double> y, double[][] z,
        StyleParam.Colorscale? colorscale)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Length != y.Count || z.Any(r => r.Length != x.Count))
            throw new ArgumentException($"z must have {y.Count} rows (one per y) of {x.Count} values (one per x).",
                nameof(z));
        return Chart.Heatmap<IConvertible, double, double, string>(Plot.Grid(z), X: x.ToArray(),
            Y: y.ToArray(), ColorScale: colorscale ?? StyleParam.Colorscale.Viridis, UseDefaults: false);
    }

    /// <summary>Marked points: black stars with a white outline.</summary>
    internal static Curve Star(string label, IReadOnlyList<double> x, IReadOnlyList<double> y) => new(label, x, y)
    {
        Line = false, Markers = true, Symbol = "star", MarkerSize = 14, Color = "#000000", MarkerLine = "#FFFFFF",
    };
}
