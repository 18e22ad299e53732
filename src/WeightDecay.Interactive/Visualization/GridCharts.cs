using System.Text.Json.Nodes;
using WeightDecay.Experiments;
using WeightDecay.Optimization;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts of learning rate × λ grids (<see cref="GridResult"/>).</summary>
public static class GridCharts
{
    /// <summary>
    /// One heatmap panel per grid (two columns), axes log₂ η and log₂ λ, on one shared color scale with one color bar:
    /// the same color means the same value in every panel. Each panel's best cell (lowest test loss) is marked with a
    /// star; with <paramref name="edgeTolerance"/> the upper edge of its good region
    /// (<see cref="GridResult.EdgeLog2LambdaPerLearningRate"/>) is drawn as a white line. Values above
    /// <paramref name="zmax"/> (or below <paramref name="zmin"/>) saturate; NaN (diverged) cells are blank.
    /// </summary>
    public static Figure Panels(IReadOnlyList<GridResult> grids, Func<GridCell, double> metric, string title,
        string colorTitle,
        double? zmin = null, double? zmax = null, double? edgeTolerance = null, bool reverseScale = false)
    {
        ArgumentNullException.ThrowIfNull(grids);
        ArgumentNullException.ThrowIfNull(metric);
        if (grids.Count == 0) throw new ArgumentException("Give at least one grid.", nameof(grids));
        var all = grids.SelectMany(g => g.Cells).Select(metric).Where(double.IsFinite).ToList();
        double lo = zmin ?? (all.Count > 0 ? all.Min() : 0), hi = zmax ?? (all.Count > 0 ? all.Max() : 1);
        int columns = Math.Min(2, grids.Count), rows = (grids.Count + columns - 1) / columns;
        var fig = new Figure().WithTitle(title);
        fig.Layout["grid"] = new JsonObject { ["rows"] = rows, ["columns"] = columns, ["pattern"] = "independent",
            ["ygap"] = 0.35, ["xgap"] = 0.2 };
        fig.Layout["coloraxis"] = new JsonObject
        {
            ["colorscale"] = "Viridis", ["reversescale"] = reverseScale, ["cmin"] = lo, ["cmax"] = hi,
            ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = colorTitle } },
        };
        fig.Layout["showlegend"] = false;
        fig.Layout["height"] = 380 * rows + 80;
        var annotations = new JsonArray();
        for (int k = 0; k < grids.Count; k++)
        {
            var g = grids[k];
            string suffix = k == 0 ? "" : (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string xa = "x" + suffix, ya = "y" + suffix;
            var lx = g.LearningRates.Select(Math.Log2).ToList();
            var ly = g.Lambdas.Select(Math.Log2).ToList();
            var z = g.Matrix(metric);
            fig.Add(new JsonObject
            {
                ["type"] = "heatmap", ["x"] = Figure.Numbers(lx), ["y"] = Figure.Numbers(ly),
                ["z"] = Figure.Matrix(z),
                ["coloraxis"] = "coloraxis", ["xaxis"] = xa, ["yaxis"] = ya, ["name"] = g.Label,
                ["hovertemplate"] =
                    $"{g.Label}<br>log₂ η = %{{x:.2f}}<br>log₂ λ = %{{y:.2f}}<br>{colorTitle} = " +
                    $"%{{z:.4f}}<extra></extra>",
            });
            if (edgeTolerance is { } tol)
            {
                var edge = g.EdgeLog2LambdaPerLearningRate(tol);
                fig.Add(new JsonObject
                {
                    ["type"] = "scatter", ["mode"] = "lines+markers", ["x"] = Figure.Numbers(lx),
                    ["y"] = Figure.Numbers(edge), ["xaxis"] = xa, ["yaxis"] = ya, ["name"] = $"{g.Label}: edge",
                    ["line"] = new JsonObject { ["color"] = "white", ["dash"] = "dot" }, ["marker"] =
                        new JsonObject { ["color"] = "white", ["size"] = 5 },
                    ["hovertemplate"] =
                        $"edge of the good region (loss ≤ best·{1 + tol:0.##})<br>log₂ λ = %{{y:.2f}}<extra></extra>",
                });
            }
            var best = g.Best;
            fig.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["x"] = new JsonArray(Math.Log2(best.LearningRate)), ["y"] =
                    new JsonArray(Math.Log2(best.Lambda)),
                ["xaxis"] = xa, ["yaxis"] = ya, ["name"] = $"{g.Label}: best",
                ["marker"] = new JsonObject { ["symbol"] = "star", ["size"] = 16, ["color"] = "#D55E00",
                    ["line"] = new JsonObject { ["color"] = "white", ["width"] = 1.5 } },
                ["hovertemplate"] =
                    $"best: test loss {best.TestLoss:F4}, accuracy {best.TestAccuracy:P1}<extra></extra>",
            });
            fig.Layout["xaxis" + suffix] =
                new JsonObject { ["title"] = new JsonObject { ["text"] = $"log₂ {Rate(g)}" } };
            fig.Layout["yaxis" + suffix] =
                new JsonObject { ["title"] = new JsonObject { ["text"] = $"log₂ λ ({Convention(g)})" } };
            annotations.Add(new JsonObject
            {
                ["text"] = $"<b>{g.Label}</b>", ["showarrow"] = false, ["xref"] = $"{xa} domain", ["yref"] =
                    $"{ya} domain",
                ["x"] = 0.5, ["y"] = 1.0, ["yanchor"] = "bottom", ["xanchor"] = "center",
            });
        }
        fig.Layout["annotations"] = annotations;
        return fig;
    }

    /// <summary>A short statement of what λ means in a grid: the coefficient of ½‖θ‖² (coupled/penalty), or the
    /// decoupled step.</summary>
    public static string Convention(GridResult grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return grid.Decay.Method switch
        {
            DecayMethod.Decoupled when grid.Decay.DecoupledScalesWithLearningRate => "θ ← θ − ηλθ",
            DecayMethod.Decoupled => "θ ← θ − λθ",
            _ => "L2: + λθ in the gradient",
        };
    }

    private static string Rate(GridResult g) => g.Optimizer.Kind == OptimizerKind.Adam ? "η (Adam's α)" : "η";
}
