using WeightDecay.Experiments;
using System.Globalization;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using WeightDecay.Optimization;
using WeightDecay.Training;
using Chart = Plotly.NET.CSharp.Chart;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts of learning rate × λ grids (<see cref="GridResult"/>).</summary>
public static class GridCharts
{
    /// <summary>
    /// One heatmap panel per grid (two columns), axes log₂ η and log₂ λ, on one shared colour scale with one
    /// colour bar: the same colour means the same value in every panel. Each panel's best cell (lowest test
    /// loss) is marked with a star; with <paramref name="edgeTolerance"/> the upper edge of its good region
    /// (<see cref="GridResult.EdgeLog2LambdaPerLearningRate"/>) is drawn as a white line, with a gap at learning
    /// rates that have no edge (above the grid, or a rate that does not train). Values above
    /// <paramref name="zmax"/> (or below <paramref name="zmin"/>) saturate; NaN (diverged) cells are blank.
    /// <paramref name="percent"/> labels the colour bar in percent (for accuracies, stored as fractions).
    /// <paramref name="trainingTolerance"/> leaves out the edge at learning rates whose best cell is more than
    /// (1 + it)× the panel's best (∞: none).
    /// </summary>
    public static GenericChart Panels(IReadOnlyList<GridResult> grids, Func<GridCell, double> metric, string title,
        string colorTitle, double? zmin = null, double? zmax = null, double? edgeTolerance = null,
        bool reverseScale = false, bool percent = false, double trainingTolerance = double.PositiveInfinity)
    {
        ArgumentNullException.ThrowIfNull(grids);
        ArgumentNullException.ThrowIfNull(metric);
        if (grids.Count == 0) throw new ArgumentException("Give at least one grid.", nameof(grids));
        var all = grids.SelectMany(g => g.Cells).Select(metric).Where(double.IsFinite).ToList();
        double lo = zmin ?? (all.Count > 0 ? all.Min() : 0), hi = zmax ?? (all.Count > 0 ? all.Max() : 1);
        int columns = Math.Min(2, grids.Count), rows = (grids.Count + columns - 1) / columns;
        string valueFormat = percent ? ":.1%" : ":.4f";
        var panels = grids.Select(g => Panel(g, metric, colorTitle, valueFormat, edgeTolerance, trainingTolerance))
            .ToList();
        var colorBar = new ColorBar().With("title", Plot.TitleOf(colorTitle));
        if (percent) colorBar.With("tickformat", ".0%");
        var axis = new ColorAxis().With("colorscale", Plot.Scale(StyleParam.Colorscale.Viridis))
            .With("reversescale", reverseScale).With("cmin", lo).With("cmax", hi).With("colorbar", colorBar);
        var titles = grids.Select(g => $"<b>{Plot.Text(g.Label)}</b>").ToArray();
        return Chart.Grid(panels, rows, columns, SubPlotTitles: titles, YGap: 0.35, XGap: 0.2).WithColorAxis(axis)
            .Titled(title).WithLayout(("showlegend", false), ("height", 380 * rows + 80));
    }

    private static GenericChart Panel(GridResult g, Func<GridCell, double> metric, string colorTitle,
        string valueFormat, double? edgeTolerance, double trainingTolerance)
    {
        var lx = g.LearningRates.Select(Math.Log2).ToList();
        var ly = g.Lambdas.Select(Math.Log2).ToList();
        string hover = $"{Plot.Text(g.Label)}<br>log₂ η = %{{x:.2f}}<br>log₂ λ = %{{y:.2f}}<br>" +
            $"{Plot.Text(colorTitle)} = %{{z{valueFormat}}}<extra></extra>";
        var heatmap = SweepCharts.HeatmapTrace(lx, ly, g.Matrix(metric), null).OnColorAxis()
            .WithTraceInfo(Name: Plot.Text(g.Label)).WithTraceAttribute("hovertemplate", hover);
        var layers = new List<GenericChart> { heatmap };
        if (edgeTolerance is { } tol)
        {
            var edge = new Curve($"{g.Label}: edge", lx, g.EdgeLog2LambdaPerLearningRate(tol, trainingTolerance))
            {
                Color = "#FFFFFF", Dash = "dot", Markers = true, MarkerSize = 5,
                Hover = string.Create(CultureInfo.InvariantCulture,
                    $"edge of the good region (loss ≤ best·{1 + tol:0.##})<br>log₂ λ = %{{y:.2f}}<extra></extra>"),
            };
            layers.Add(Plot.Curves("", [edge], new Axis(""), new Axis("")));
        }
        var best = g.Best;
        var star = SweepCharts.Star($"{g.Label}: best", [Math.Log2(best.LearningRate)], [Math.Log2(best.Lambda)])
            with
        {
            Color = Charts.Palette[1],
            Hover = string.Create(CultureInfo.InvariantCulture,
                $"best: test loss {best.TestLoss:F4}, accuracy {best.TestAccuracy:P1}<extra></extra>"),
        };
        layers.Add(Plot.Curves("", [star], new Axis(""), new Axis("")));
        return Chart.Combine(layers)
            .WithXAxisStyle<double, double, string>(TitleText: $"log₂ {Rate(g)}")
            .WithYAxisStyle<double, double, string>(TitleText: $"log₂ λ ({Convention(g)})");
    }

    /// <summary>A short statement of what λ means in a grid: the coefficient of ½‖θ‖² (coupled/penalty), or
    /// the decoupled step.</summary>
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
