using WeightDecay.Training;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts of training histories: titled, labelled axes, legends and hover, log scales where values span
/// decades.</summary>
public static class Charts
{
    /// <summary>A qualitative palette (colour-blind friendly, Okabe–Ito).</summary>
    public static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
        "#F0E442", "#000000"];

    /// <summary>Training (solid) and test (dashed) data loss against epoch for one or more labelled runs.</summary>
    public static Figure LearningCurves(IEnumerable<(string Label, TrainingHistory History)> runs, bool logY = true,
        string title = "Learning curves")
    {
        var fig = new Figure().WithTitle(title).WithXAxis("epoch").WithYAxis("data loss L(θ)", logY);
        int i = 0;
        foreach (var (label, h) in runs)
        {
            string color = Palette[i++ % Palette.Length];
            var x = h.Epochs.Select(e => (double)e.Epoch).ToArray();
            fig.AddLine(x, h.Epochs.Select(e => e.TrainLoss), $"{label} · train", color: color, legendGroup: label);
            if (h.Epochs.Any(e => e.TestLoss.HasValue))
                fig.AddLine(x, h.Epochs.Select(e => e.TestLoss), $"{label} · test", dash: "dash", color: color,
                    legendGroup: label);
        }
        return fig;
    }

    /// <summary>Global ‖θ‖₂ against epoch for one or more labelled runs.</summary>
    public static Figure NormCurves(IEnumerable<(string Label, TrainingHistory History)> runs, bool logY = false,
        string title = "Parameter norm ‖θ‖₂")
    {
        var fig = new Figure().WithTitle(title).WithXAxis("epoch").WithYAxis("‖θ‖₂", logY);
        int i = 0;
        foreach (var (label, h) in runs)
            fig.AddLine(h.Epochs.Select(e => (double)e.Epoch), h.Epochs.Select(e => e.ParameterNorm), label,
                color: Palette[i++ % Palette.Length]);
        return fig;
    }

    /// <summary>The standard summary of one run: loss curves (log y) and ‖θ‖₂ on a second axis.</summary>
    public static Figure Summary(TrainingHistory h, string title = "Training")
    {
        var x = h.Epochs.Select(e => (double)e.Epoch).ToArray();
        var fig = new Figure().WithTitle(title).WithXAxis("epoch").WithYAxis("data loss L(θ)", log: true);
        fig.AddLine(x, h.Epochs.Select(e => e.TrainLoss), "train loss", color: Palette[0]);
        if (h.Epochs.Any(e => e.TestLoss.HasValue))
            fig.AddLine(x, h.Epochs.Select(e => e.TestLoss), "test loss", dash: "dash", color: Palette[0]);
        var norm = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines", ["name"] = "‖θ‖₂", ["yaxis"] = "y2",
            ["x"] = Figure.Numbers(x), ["y"] = Figure.Numbers(h.Epochs.Select(e => (double?)e.ParameterNorm)),
            ["line"] = new System.Text.Json.Nodes.JsonObject { ["color"] = Palette[1] },
        };
        fig.Add(norm);
        fig.Layout["yaxis2"] = new System.Text.Json.Nodes.JsonObject
        {
            ["title"] = new System.Text.Json.Nodes.JsonObject { ["text"] = "‖θ‖₂" }, ["overlaying"] = "y", ["side"] =
                "right", ["showgrid"] = false,
        };
        fig.Layout["legend"] = new System.Text.Json.Nodes.JsonObject { ["orientation"] = "h", ["y"] = -0.2 };
        return fig;
    }
}

/// <summary>Charts of sweeps and grids.</summary>
public static class SweepCharts
{
    /// <summary>One line per labelled series over a shared x grid (e.g. loss against λ), markers on.</summary>
    public static Figure Lines(IReadOnlyList<double> x, IEnumerable<(string Label, IReadOnlyList<double> Y)> series,
        string title,
        string xTitle, string yTitle, bool logX = false, bool logY = false, IEnumerable<string?>? dashes = null)
    {
        var fig = new Figure().WithTitle(title).WithXAxis(xTitle, logX).WithYAxis(yTitle, logY);
        var dashList = dashes?.ToList();
        int i = 0;
        foreach (var (label, y) in series)
        {
            fig.AddLine(x, y, label, markers: true, dash: dashList is not null
                && i < dashList.Count ? dashList[i] : null, color: Charts.Palette[i % Charts.Palette.Length]);
            i++;
        }
        return fig;
    }

    /// <summary>One line per labelled series over categorical x values (e.g. a λ grid that includes 0, which a log axis
    /// cannot show).</summary>
    public static Figure CategoryLines(IReadOnlyList<string> categories,
        IEnumerable<(string Label, IReadOnlyList<double> Y)> series, string title,
        string xTitle, string yTitle, bool logY = false)
    {
        var fig = new Figure().WithTitle(title).WithYAxis(yTitle, logY);
        fig.Layout["xaxis"] =
            new System.Text.Json.Nodes.JsonObject { ["title"] =
            new System.Text.Json.Nodes.JsonObject { ["text"] = xTitle }, ["type"] = "category" };
        int i = 0;
        foreach (var (label, y) in series)
            fig.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = label,
                ["x"] = new System.Text.Json.Nodes.JsonArray(categories.Select(c => (System.Text.Json.Nodes.JsonNode?)c)
                    .ToArray()),
                ["y"] = Figure.Numbers(y),
                ["line"] =
                    new System.Text.Json.Nodes.JsonObject { ["color"] = Charts.Palette[i++ % Charts.Palette.Length] },
            });
        return fig;
    }

    /// <summary>Learning curves of several runs with a slider that shows one run at a time (e.g. one per λ).</summary>
    public static Figure LearningCurvesSlider(IReadOnlyList<(string Label,
        WeightDecay.Training.TrainingHistory History)> runs, string prefix,
        string title = "Learning curves", int active = 0, bool logY = true)
    {
        var fig = Charts.LearningCurves(runs, logY, title);
        var groups = new List<IReadOnlyCollection<int>>();
        int trace = 0;
        foreach (var (_, h) in runs)
        {
            int n = h.Epochs.Any(e => e.TestLoss.HasValue) ? 2 : 1;
            groups.Add(Enumerable.Range(trace, n).ToArray());
            trace += n;
        }
        return fig.WithSlider(prefix, runs.Select(r => r.Label).ToList(), groups, active);
    }

    /// <summary>A heatmap of z[row][col] with axis coordinates, a titled color bar and optional log color scale
    /// values.</summary>
    public static Figure Heatmap(IReadOnlyList<double> x, IReadOnlyList<double> y, double[][] z, string title,
        string xTitle, string yTitle, string colorTitle, string colorscale = "Viridis")
    {
        var fig = new Figure().WithTitle(title).WithXAxis(xTitle).WithYAxis(yTitle);
        var rows = Figure.Matrix(z);
        fig.Add(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "heatmap", ["x"] = Figure.Numbers(x), ["y"] = Figure.Numbers(y), ["z"] = rows,
            ["colorscale"] = colorscale, ["colorbar"] =
                new System.Text.Json.Nodes.JsonObject { ["title"] =
                new System.Text.Json.Nodes.JsonObject { ["text"] = colorTitle } },
        });
        return fig;
    }
}
