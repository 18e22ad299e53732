using System.Text.Json.Nodes;
using WeightDecay.Training;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts of weights as images and as distributions.</summary>
public static class ImageCharts
{
    /// <summary>
    /// The incoming weights of each hidden unit drawn as an image (e.g. 64 units × 784 = 28 × 28 pixels) in a grid of
    /// tiles. Each tile is scaled by its own largest |w| so that shapes, not sizes, are compared; blue positive, red
    /// negative. Values are drawn to steps of 0.01 of that maximum (200 levels on the color bar, more than the eye
    /// tells apart).
    /// </summary>
    public static Figure WeightMosaic(IReadOnlyList<double> weights, int units, string title, int height = 28,
        int width = 28, int columns = 8)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (units < 1 || weights.Count != units * height * width)
            throw new ArgumentException($"Expected {units} × {height} × {width} = {units * height * width} weights, " +
                $"got {weights.Count}.", nameof(weights));
        int rows = (units + columns - 1) / columns, gap = 1;
        int H = rows * (height + gap) - gap, W = columns * (width + gap) - gap;
        var z = new double?[H][];
        for (int r = 0; r < H; r++) z[r] = new double?[W];
        for (int u = 0; u < units; u++)
        {
            int r0 = u / columns * (height + gap), c0 = u % columns * (width + gap);
            double scale = 0;
            for (int k = 0; k < height * width; k++) scale = Math.Max(scale, Math.Abs(weights[u * height * width + k]));
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    z[r0 + y][c0 + x] = scale == 0 ? 0 : weights[u * height * width + y * width + x] / scale;
        }
        var fig = new Figure().WithTitle(title);
        fig.Add(new JsonObject
        {
            ["type"] = "heatmap", ["z"] = Figure.Matrix(z, significantDigits: 3),
            ["colorscale"] = "RdBu", ["reversescale"] = true, ["zmin"] = -1, ["zmax"] = 1, ["hoverongaps"] = false,
            ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "w / max|w| of the unit" } },
        });
        fig.Layout["xaxis"] = new JsonObject { ["visible"] = false, ["scaleanchor"] = "y" };
        fig.Layout["yaxis"] = new JsonObject { ["visible"] = false, ["autorange"] = "reversed" };
        fig.Layout["height"] = 520;
        return fig;
    }

    /// <summary>Overlaid histograms (as densities) of several sets of values on shared bins.</summary>
    public static Figure Histograms(IEnumerable<(string Label, IReadOnlyList<double> Values)> sets, int bins,
        double min, double max, string title, string xTitle, bool logY = false)
    {
        var fig = new Figure().WithTitle(title).WithXAxis(xTitle).WithYAxis("density", logY);
        int i = 0;
        foreach (var (label, values) in sets)
        {
            var h = WeightStatistics.Histogram(values, bins, min, max);
            fig.Add(new JsonObject
            {
                ["type"] = "bar", ["name"] = label, ["x"] = Figure.Numbers(h.Centers),
                ["y"] = Figure.Numbers(h.Density(values.Count)), ["opacity"] = 0.6,
                ["marker"] = new JsonObject { ["color"] = Charts.Palette[i++ % Charts.Palette.Length] },
            });
        }
        fig.Layout["barmode"] = "overlay";
        fig.Layout["bargap"] = 0;
        return fig;
    }
}
