using System.Text.Json.Nodes;
using WeightDecay.Landscape;

namespace WeightDecay.Interactive.Visualization;

/// <summary>
/// Charts of lesson 06: two loss landscapes side by side on one color (or y) scale, so that equal colors (heights) mean
/// equal losses in both panels. Values above the scale's maximum are clipped to it (drawn as the top color), never
/// dropped.
/// </summary>
public static class LandscapeCharts
{
    private static JsonArray Rows(Slice2D s, LandscapeMetric metric, double zmax) =>
        Figure.Matrix(s.ContourZ(metric).Select(r => r.Select(v => Math.Min(v, zmax))));

    private static JsonObject Title(string text) => new() { ["text"] = text };

    private static void Check(IReadOnlyList<(string Label, Slice2D Slice)> panels, double zmax)
    {
        if (panels.Count != 2) throw new ArgumentException($"Expected 2 panels, got {panels.Count}.", nameof(panels));
        if (!(zmax > 0) || !double.IsFinite(zmax))
            throw new ArgumentOutOfRangeException(nameof(zmax), zmax,
                "The color scale maximum must be finite and > 0.");
    }

    /// <summary>One contour plot of a plane on the color scale [0, <paramref name="zmax"/>] (values above it
    /// clipped).</summary>
    /// <exception cref="ArgumentOutOfRangeException">zmax not finite and &gt; 0.</exception>
    public static Figure Contour(Slice2D slice, double zmax, string title, string xTitle, string yTitle,
        LandscapeMetric metric = LandscapeMetric.TrainLoss, string colorTitle = "training loss", int levels = 30)
    {
        ArgumentNullException.ThrowIfNull(slice);
        if (!(zmax > 0) || !double.IsFinite(zmax))
            throw new ArgumentOutOfRangeException(nameof(zmax), zmax,
                "The color scale maximum must be finite and > 0.");
        return new Figure().WithTitle(title).WithXAxis(xTitle).WithYAxis(yTitle).Add(new JsonObject
        {
            ["type"] = "contour", ["x"] = Figure.Numbers(slice.Alpha), ["y"] = Figure.Numbers(slice.Beta),
            ["z"] = Rows(slice, metric, zmax), ["zmin"] = 0, ["zmax"] = zmax, ["zauto"] = false, ["colorscale"] =
                "Viridis",
            ["contours"] = new JsonObject { ["start"] = 0, ["end"] = zmax, ["size"] = zmax / levels },
            ["colorbar"] = new JsonObject { ["title"] = Title(colorTitle) },
        });
    }

    /// <summary>
    /// Two contour plots side by side (x axes x and x2 on [0, 0.45] and [0.55, 1]) with one color scale [0,
    /// <paramref name="zmax"/>], the same contour levels (<paramref name="levels"/> evenly spaced) and one color bar.
    /// </summary>
    /// <exception cref="ArgumentException">Not exactly two panels, or zmax not finite and &gt; 0.</exception>
    public static Figure ContourPair(IReadOnlyList<(string Label, Slice2D Slice)> panels, double zmax, string title,
        string xTitle, string yTitle,
        LandscapeMetric metric = LandscapeMetric.TrainLoss, string colorTitle = "training loss", int levels = 30)
    {
        Check(panels, zmax);
        var fig = new Figure().WithTitle(title);
        for (int k = 0; k < 2; k++)
        {
            var (label, s) = panels[k];
            string sx = k == 0 ? "" : "2";
            fig.Add(new JsonObject
            {
                ["type"] = "contour", ["name"] = label, ["x"] = Figure.Numbers(s.Alpha), ["y"] = Figure.Numbers(s.Beta),
                ["z"] = Rows(s, metric, zmax), ["xaxis"] = "x" + sx, ["yaxis"] = "y" + sx,
                ["zmin"] = 0, ["zmax"] = zmax, ["zauto"] = false, ["colorscale"] = "Viridis", ["showscale"] = k == 0,
                ["contours"] = new JsonObject { ["start"] = 0, ["end"] = zmax, ["size"] = zmax / levels },
                ["colorbar"] = new JsonObject { ["title"] = Title(colorTitle) },
            });
            fig.Layout["xaxis" + sx] =
                new JsonObject { ["domain"] = k == 0 ? new JsonArray(0, 0.45)
                : new JsonArray(0.55, 1), ["title"] = Title(xTitle), ["anchor"] = "y" + sx };
            fig.Layout["yaxis" + sx] = new JsonObject { ["title"] = Title(k == 0 ? yTitle : ""), ["anchor"] = "x" +
                sx };
        }
        fig.Layout["annotations"] = Labels(panels.Select(p => p.Label).ToList(), 1.0);
        return fig;
    }

    /// <summary>
    /// Two 3-D surfaces side by side (scenes scene and scene2 on [0, 0.5] and [0.5, 1]) sharing one color axis
    /// [0, <paramref name="zmax"/>] with one color bar, and the same z range in both scenes.
    /// </summary>
    /// <exception cref="ArgumentException">Not exactly two panels, or zmax not finite and &gt; 0.</exception>
    public static Figure SurfacePair(IReadOnlyList<(string Label, Slice2D Slice)> panels, double zmax, string title,
        string xTitle, string yTitle,
        LandscapeMetric metric = LandscapeMetric.TrainLoss, string zTitle = "training loss")
    {
        Check(panels, zmax);
        var fig = new Figure().WithTitle(title);
        for (int k = 0; k < 2; k++)
        {
            var (label, s) = panels[k];
            string scene = k == 0 ? "scene" : "scene2";
            fig.Add(new JsonObject
            {
                ["type"] = "surface", ["name"] = label, ["x"] = Figure.Numbers(s.Alpha), ["y"] = Figure.Numbers(s.Beta),
                ["z"] = Rows(s, metric, zmax), ["scene"] = scene, ["coloraxis"] = "coloraxis",
            });
            fig.Layout[scene] = new JsonObject
            {
                ["domain"] = new JsonObject { ["x"] = k == 0 ? new JsonArray(0, 0.5) : new JsonArray(0.5, 1),
                    ["y"] = new JsonArray(0, 0.92) },
                ["xaxis"] = new JsonObject { ["title"] = Title(xTitle) }, ["yaxis"] =
                    new JsonObject { ["title"] = Title(yTitle) },
                ["zaxis"] = new JsonObject { ["title"] = Title(zTitle), ["range"] = new JsonArray(0, zmax) },
                ["aspectmode"] = "cube",
            };
        }
        fig.Layout["coloraxis"] = new JsonObject
        {
            ["cmin"] = 0, ["cmax"] = zmax, ["colorscale"] = "Viridis", ["colorbar"] =
                new JsonObject { ["title"] = Title(zTitle) },
        };
        fig.Layout["height"] = 480;
        fig.Layout["annotations"] = Labels(panels.Select(p => p.Label).ToList(), 0.97);
        return fig;
    }

    /// <summary>
    /// Two panels of 1-D slices side by side (x axes x and x2) with the same y range [0, <paramref name="ymax"/>]: in
    /// each panel the training loss (solid) and, when the slice has it, the test loss (dashed).
    /// </summary>
    /// <exception cref="ArgumentException">Not exactly two panels, or ymax not finite and &gt; 0.</exception>
    public static Figure SlicePair(IReadOnlyList<(string Label, Slice1D Slice)> panels, double ymax, string title,
        string xTitle, string yTitle = "loss")
    {
        if (panels.Count != 2) throw new ArgumentException($"Expected 2 panels, got {panels.Count}.", nameof(panels));
        if (!(ymax > 0) || !double.IsFinite(ymax))
            throw new ArgumentOutOfRangeException(nameof(ymax), ymax, "The y maximum must be finite and > 0.");
        var fig = new Figure().WithTitle(title);
        for (int k = 0; k < 2; k++)
        {
            var (label, s) = panels[k];
            string sx = k == 0 ? "" : "2";
            foreach (var (values, name, dash) in new[] { (s.TrainLoss, "train loss", "solid"),
                (s.TestLoss, "test loss", "dash") })
            {
                if (values is null) continue;
                fig.Add(new JsonObject
                {
                    ["type"] = "scatter", ["mode"] = "lines", ["name"] = name, ["legendgroup"] = name, ["showlegend"] =
                        k == 0,
                    ["x"] = Figure.Numbers(s.Alpha), ["y"] = Figure.Numbers(values),
                    ["xaxis"] = "x" + sx, ["yaxis"] = "y" + sx,
                    ["line"] = new JsonObject { ["dash"] = dash, ["color"] = Charts.Palette[dash == "solid" ? 0 : 1] },
                });
            }
            fig.Layout["xaxis" + sx] =
                new JsonObject { ["domain"] = k == 0 ? new JsonArray(0, 0.45)
                : new JsonArray(0.55, 1), ["title"] = Title(xTitle), ["anchor"] = "y" + sx };
            fig.Layout["yaxis" + sx] = new JsonObject { ["title"] = Title(k == 0 ? yTitle : ""),
                ["range"] = new JsonArray(0, ymax), ["anchor"] = "x" + sx };
        }
        fig.Layout["annotations"] = Labels(panels.Select(p => p.Label).ToList(), 1.0);
        return fig;
    }

    private static JsonArray Labels(IReadOnlyList<string> labels, double y) => new(
        labels.Select((l, k) => (JsonNode?)new JsonObject
        {
            ["text"] = l, ["showarrow"] = false, ["xref"] = "paper", ["yref"] = "paper", ["x"] =
                k == 0 ? 0.225 : 0.775, ["y"] = y,
            ["xanchor"] = "center", ["yanchor"] = "bottom",
        }).ToArray());
}
