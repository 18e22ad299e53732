using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using WeightDecay.Training;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts of weights as images and as distributions.</summary>
public static class ImageCharts
{
    /// <summary>
    /// The diverging colour scale of weight images: red for negative, exactly white at 0, blue for positive
    /// (the ends of ColorBrewer's RdBu). plotly.js's own RdBu has a light grey (#F7F7F7 at best) at its
    /// middle, so "white = 0" would be false.
    /// </summary>
    public static StyleParam.Colorscale Diverging { get; } =
        Plot.CustomScale((0, "#B2182B"), (0.25, "#EF8A62"), (0.5, "#FFFFFF"), (0.75, "#67A9CF"), (1, "#2166AC"));

    /// <summary>The colour of the gaps between the tiles of a <see cref="WeightMosaic"/> (distinct from white
    /// = 0).</summary>
    public const string TileGap = "#8C8C8C";

    /// <summary>
    /// The incoming weights of each hidden unit drawn as an image (e.g. 64 units × 784 = 28 × 28 pixels) in a
    /// grid of tiles separated by grey lines. Each tile is scaled by its own largest |w| so that shapes, not
    /// sizes, are compared, on the <see cref="Diverging"/> scale: blue positive, red negative, white exactly
    /// 0.
    /// </summary>
    public static GenericChart WeightMosaic(IReadOnlyList<double> weights, int units, string title, int height = 28,
        int width = 28, int columns = 8)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (units < 1 || weights.Count != units * height * width)
            throw new ArgumentException(
                $"Expected {units} × {height} × {width} = {units * height * width} weights, got {weights.Count}.",
                nameof(weights));
        int rows = (units + columns - 1) / columns, gap = 1;
        int H = rows * (height + gap) - gap, W = columns * (width + gap) - gap;
        var z = new double[H][];
        for (int r = 0; r < H; r++) z[r] = Enumerable.Repeat(double.NaN, W).ToArray();
        for (int u = 0; u < units; u++)
        {
            int r0 = u / columns * (height + gap), c0 = u % columns * (width + gap);
            double scale = 0;
            for (int k = 0; k < height * width; k++)
                scale = Math.Max(scale, Math.Abs(weights[u * height * width + k]));
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    z[r0 + y][c0 + x] = scale == 0 ? 0 : weights[u * height * width + y * width + x] / scale;
        }
        static List<double> Range(int n) => Enumerable.Range(0, n).Select(i => (double)i).ToList();
        // three significant digits of max|w| = 1: 2,000 levels on the colour bar, more than the eye tells apart
        var chart = SweepCharts.Heatmap(Range(W), Range(H), Plot.Rounded(z, significantDigits: 3), title, "", "",
            "w / max|w| of the unit", Diverging, -1, 1)
            .WithTraceAttribute("zmid", 0).WithTraceAttribute("hoverongaps", false);
        // equal pixel sizes, the plotting area shrunk to the image so that the grey shows only between tiles
        var xAxis = new LinearAxis().With("visible", false).With("scaleanchor", "y").With("constrain", "domain");
        var yAxis = new LinearAxis().With("visible", false).With("autorange", "reversed").With("constrain", "domain");
        return chart.WithXAxis(xAxis).WithYAxis(yAxis).WithLayout(("height", 520), ("plot_bgcolor", TileGap));
    }

    /// <summary>
    /// Histograms (as densities) of several sets of values on shared bins, drawn as outlines (steps through
    /// the bin edges, no fill) in distinct colours and dash styles so that overlapping distributions stay
    /// distinguishable; on a log axis, empty bins drop to the axis's floor tick "0".
    /// </summary>
    public static GenericChart Histograms(IEnumerable<(string Label, IReadOnlyList<double> Values)> sets, int bins,
        double min, double max, string title, string xTitle, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(sets);
        string?[] dashes = [null, "dash", "dot", "dashdot"];
        var curves = sets.Select((s, i) =>
        {
            var h = WeightStatistics.Histogram(s.Values, bins, min, max);
            return new Curve(s.Label, h.Centers, h.Density(s.Values.Count))
                { Color = Charts.Color(i), Dash = dashes[i % dashes.Length], LineShape = "hvh", FloorMarkers = false };
        }).ToList();
        return Plot.Curves(title, curves, new Axis(xTitle), new Axis("density") { Log = logY });
    }
}
