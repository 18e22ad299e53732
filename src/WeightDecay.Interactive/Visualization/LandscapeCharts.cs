using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;
using WeightDecay.Landscape;
using Chart = Plotly.NET.CSharp.Chart;

namespace WeightDecay.Interactive.Visualization;

/// <summary>
/// Charts of lesson 06 (and the landscape thumbnail of lesson 09): loss landscapes side by side on one colour (or
/// y) scale, so that equal colours (heights) mean equal losses in both panels. Values above the scale's maximum
/// are clipped to it (drawn as the top colour), never dropped.
/// </summary>
public static class LandscapeCharts
{
    private static double[][] Rows(Slice2D s, LandscapeMetric metric, double zmax) =>
        s.ContourZ(metric).Select(r => r.Select(v => Math.Min(v, zmax)).ToArray()).ToArray();

    private static void CheckMax(double zmax, string name)
    {
        if (!(zmax > 0) || !double.IsFinite(zmax))
            throw new ArgumentOutOfRangeException(name, zmax, "The scale maximum must be finite and > 0.");
    }

    private static void CheckPair<T>(IReadOnlyList<(string Label, T Slice)> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count != 2) throw new ArgumentException($"Expected 2 panels, got {panels.Count}.", nameof(panels));
    }

    private static string[] Labels<T>(IReadOnlyList<(string Label, T Slice)> panels) =>
        panels.Select(p => Plot.Text(p.Label)).ToArray();

    private static GenericChart ContourTrace(Slice2D s, LandscapeMetric metric, double zmax, string colorTitle,
        int levels, bool showScale)
    {
        var contours = new Contours().With("start", 0).With("end", zmax).With("size", zmax / levels);
        return Chart.Contour<IConvertible, double, double, string>(Plot.Grid(Rows(s, metric, zmax)),
                X: s.Alpha, Y: s.Beta, ColorBar: new ColorBar().With("title", Plot.TitleOf(colorTitle)),
                ColorScale: StyleParam.Colorscale.Viridis, ShowScale: showScale, Contours: contours, UseDefaults: false)
            .WithTraceAttribute("zmin", 0).WithTraceAttribute("zmax", zmax).WithTraceAttribute("zauto", false);
    }

    /// <summary>One contour plot of a plane on the colour scale [0, <paramref name="zmax"/>] (values above it
    /// clipped).</summary>
    /// <exception cref="ArgumentOutOfRangeException">zmax not finite and &gt; 0.</exception>
    public static GenericChart Contour(Slice2D slice, double zmax, string title, string xTitle, string yTitle,
        LandscapeMetric metric = LandscapeMetric.TrainLoss, string colorTitle = "training loss", int levels = 30)
    {
        ArgumentNullException.ThrowIfNull(slice);
        CheckMax(zmax, nameof(zmax));
        return ContourTrace(slice, metric, zmax, colorTitle, levels, true).Titled(title)
            .WithXAxisStyle<double, double, string>(TitleText: Plot.Text(xTitle))
            .WithYAxisStyle<double, double, string>(TitleText: Plot.Text(yTitle));
    }

    /// <summary>
    /// Two contour plots side by side with one colour scale [0, <paramref name="zmax"/>], the same contour levels
    /// (<paramref name="levels"/> evenly spaced) and one colour bar.
    /// </summary>
    /// <exception cref="ArgumentException">Not exactly two panels, or zmax not finite and &gt; 0.</exception>
    public static GenericChart ContourPair(IReadOnlyList<(string Label, Slice2D Slice)> panels, double zmax,
        string title, string xTitle, string yTitle, LandscapeMetric metric = LandscapeMetric.TrainLoss,
        string colorTitle = "training loss", int levels = 30)
    {
        CheckPair(panels);
        CheckMax(zmax, nameof(zmax));
        var charts = panels.Select((p, k) => ContourTrace(p.Slice, metric, zmax, colorTitle, levels, k == 0)
            .WithTraceInfo(Name: Plot.Text(p.Label))
            .WithXAxisStyle<double, double, string>(TitleText: Plot.Text(xTitle))
            .WithYAxisStyle<double, double, string>(TitleText: k == 0 ? Plot.Text(yTitle) : "")).ToList();
        return Chart.Grid(charts, 1, 2, SubPlotTitles: Labels(panels), XGap: 0.1).Titled(title);
    }

    /// <summary>
    /// Two 3-D surfaces side by side sharing one colour axis [0, <paramref name="zmax"/>] with one colour bar,
    /// and the same z range in both scenes.
    /// </summary>
    /// <exception cref="ArgumentException">Not exactly two panels, or zmax not finite and &gt; 0.</exception>
    public static GenericChart SurfacePair(IReadOnlyList<(string Label, Slice2D Slice)> panels, double zmax,
        string title, string xTitle, string yTitle, LandscapeMetric metric = LandscapeMetric.TrainLoss,
        string zTitle = "training loss")
    {
        CheckPair(panels);
        CheckMax(zmax, nameof(zmax));
        LinearAxis Titled(string t) => new LinearAxis().With("title", Plot.TitleOf(t));
        var charts = panels.Select(p =>
        {
            var surface = Chart.Surface<IConvertible, double, double, string>(
                Plot.Grid(Rows(p.Slice, metric, zmax)), X: p.Slice.Alpha, Y: p.Slice.Beta,
                Name: Plot.Text(p.Label), UseDefaults: false).OnColorAxis();
            var scene = new Scene().With("xaxis", Titled(xTitle)).With("yaxis", Titled(yTitle))
                .With("zaxis", Titled(zTitle).With("range", new[] { 0.0, zmax })).With("aspectmode", "cube");
            return Plotly.NET.Chart.withScene(scene, FSharpOption<int>.None).Invoke(surface);
        }).ToList();
        var axis = new ColorAxis().With("cmin", 0).With("cmax", zmax)
            .With("colorscale", Plot.Scale(StyleParam.Colorscale.Viridis))
            .With("colorbar", new ColorBar().With("title", Plot.TitleOf(zTitle)));
        return Chart.Grid(charts, 1, 2, SubPlotTitles: Labels(panels)).WithColorAxis(axis).Titled(title)
            .WithLayout(("height", 480));
    }

    /// <summary>
    /// Two panels of 1-D slices side by side with the same y range [0, <paramref name="ymax"/>]: in each panel
    /// the training loss (solid) and, when the slice has it, the test loss (dashed).
    /// </summary>
    /// <exception cref="ArgumentException">Not exactly two panels, or ymax not finite and &gt; 0.</exception>
    public static GenericChart SlicePair(IReadOnlyList<(string Label, Slice1D Slice)> panels, double ymax, string title,
        string xTitle, string yTitle = "loss")
    {
        CheckPair(panels);
        CheckMax(ymax, nameof(ymax));
        var charts = panels.Select((p, k) =>
        {
            var curves = new List<Curve>
                { new("train loss", p.Slice.Alpha, p.Slice.TrainLoss) { Group = "train", ShowLegend = k == 0 } };
            if (p.Slice.TestLoss is { } test)
                curves.Add(new Curve("test loss", p.Slice.Alpha, test)
                    { Color = Charts.Palette[1], Dash = "dash", Group = "test", ShowLegend = k == 0 });
            return Plot.Curves("", curves, new Axis(xTitle), new Axis(k == 0 ? yTitle : "") { Range = [0, ymax] });
        }).ToList();
        return Chart.Grid(charts, 1, 2, SubPlotTitles: Labels(panels), XGap: 0.1).Titled(title);
    }

    /// <summary>
    /// The training path on the plane of its two principal directions (lesson 06): the loss contours of
    /// <paramref name="plane"/> (sliced through the path's last point, see <see cref="PcaTrajectory.Center"/>),
    /// the path with one point per snapshot, its start marked with a circle and its end (the trained model, at
    /// the origin) with a star.
    /// </summary>
    public static GenericChart TrainingPath(Slice2D plane, PcaTrajectory path, double zmax, string title,
        string xTitle, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(plane);
        ArgumentNullException.ThrowIfNull(path);
        CheckMax(zmax, nameof(zmax));
        if (path.PathX.Length == 0) throw new ArgumentException("The path has no snapshots.", nameof(path));
        int last = path.PathX.Length - 1;
        var curves = new List<Curve>
        {
            new("path (one point per epoch)", path.PathX, path.PathY)
            {
                Markers = true, MarkerSize = 6, Color = Charts.Palette[1],
                CustomData = path.Epochs.Select(e => (double)e).ToList(),
                Hover = "epoch %{customdata}<br>(%{x:.3g}, %{y:.3g})<extra></extra>",
            },
            new($"start (epoch {path.Epochs[0]})", [path.PathX[0]], [path.PathY[0]])
                { Line = false, Markers = true, MarkerSize = 13, Color = "#FFFFFF", MarkerLine = "#000000" },
            new($"end: the trained model (epoch {path.Epochs[last]})", [path.PathX[last]], [path.PathY[last]])
            {
                Line = false, Markers = true, Symbol = "star", MarkerSize = 16, Color = "#000000",
                MarkerLine = "#FFFFFF",
            },
        };
        var contours = ContourTrace(plane, LandscapeMetric.TrainLoss, zmax, "training loss", 30, true);
        return Chart.Combine([contours, Plot.Curves(title, curves, new Axis(xTitle), new Axis(yTitle))]).LegendBelow();
    }

    /// <summary>
    /// The linear interpolation θ(α) = (1 − α)θ₀ + αθ₁ between two trained models (train loss solid, test loss
    /// dashed, log scale), with the two models marked: dotted verticals and labels at α = 0
    /// (<paramref name="from"/>) and α = 1 (<paramref name="to"/>), and markers where the curves pass them.
    /// </summary>
    public static GenericChart Interpolation(Slice1D slice, string from, string to,
        string title = "Linear interpolation between two solutions")
    {
        ArgumentNullException.ThrowIfNull(slice);
        var curves = new List<Curve> { new("train loss", slice.Alpha, slice.TrainLoss) };
        if (slice.TestLoss is { } test)
            curves.Add(new Curve("test loss", slice.Alpha, test) { Dash = "dash", Color = Charts.Palette[1] });
        var ends = new[] { 0.0, 1.0 }.Select(a => Array.IndexOf(slice.Alpha, slice.Alpha.MinBy(v => Math.Abs(v - a))))
            .ToArray();
        foreach (var (c, k) in curves.ToList().Select((c, k) => (c, k)))
            curves.Add(new Curve($"{c.Name} at the two models", ends.Select(i => slice.Alpha[i]).ToList(),
                ends.Select(i => c.Y[i]).ToList())
            {
                Line = false, Markers = true, MarkerSize = 10, Color = c.Color, ShowLegend = false,
                Symbol = k == 0 ? "circle" : "square",
            });
        var chart = Plot.Curves(title, curves, new Axis("α (0 and 1: the two trained models)"),
            new Axis("loss (log scale)") { Log = true });
        return Verticals(chart, [(0.0, $"α = 0: {from}"), (1.0, $"α = 1: {to}")]);
    }

    /// <summary>
    /// A small chart of the loss along one direction through a trained model (α = 0, marked): train loss solid,
    /// test loss dashed. It keeps the page's width (a fixed width clips the title) and a compact height.
    /// </summary>
    public static GenericChart Thumbnail(Slice1D slice, string title, string xTitle = "α (filter-normalized direction)")
    {
        ArgumentNullException.ThrowIfNull(slice);
        var curves = new List<Curve> { new("train", slice.Alpha, slice.TrainLoss) { Markers = true } };
        if (slice.TestLoss is { } test)
            curves.Add(new Curve("test", slice.Alpha, test)
                { Markers = true, Dash = "dash", Color = Charts.Palette[1] });
        var chart = Plot.Curves(title, curves, new Axis(xTitle), new Axis("data loss"));
        return Verticals(chart, [(0.0, "trained model")]).WithSize(Height: 360);
    }

    private static GenericChart Verticals(GenericChart chart, IReadOnlyList<(double X, string Label)> marks) =>
        chart.WithShapes(marks.Select(m => Plot.Vertical(m.X)))
            .WithNotes(marks.Select(m => Plot.Note(m.Label, m.X, 1, xref: "x")));
}
