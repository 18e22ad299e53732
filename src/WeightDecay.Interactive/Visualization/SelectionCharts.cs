using System.Text.Json.Nodes;
using WeightDecay.Training;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts for choosing λ: cross-validation curves with error bars.</summary>
public static class SelectionCharts
{
    /// <summary>
    /// Lines with symmetric error bars: each series gives a mean and a half-width (e.g. ± one standard deviation) per
    /// x. Series without error bars pass null as <c>Error</c>.
    /// </summary>
    public static Figure ErrorBarLines(IReadOnlyList<double> x,
        IEnumerable<(string Label, IReadOnlyList<double> Mean, IReadOnlyList<double>? Error)> series,
        string title, string xTitle, string yTitle, bool logX = false, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        var fig = new Figure().WithTitle(title).WithXAxis(xTitle, logX).WithYAxis(yTitle, logY);
        int i = 0;
        foreach (var (label, mean, error) in series)
        {
            if (mean.Count != x.Count || (error is not null && error.Count != x.Count))
                throw new ArgumentException($"Series '{label}' has {mean.Count} means and {error?.Count} errors for " +
                    $"{x.Count} x values.", nameof(series));
            string color = Charts.Palette[i++ % Charts.Palette.Length];
            var trace = new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = label,
                ["x"] = Figure.Numbers(x), ["y"] = Figure.Numbers(mean),
                ["line"] = new JsonObject { ["color"] = color },
            };
            if (error is not null)
                trace["error_y"] = new JsonObject
                {
                    ["type"] = "data", ["array"] = Figure.Numbers(error), ["visible"] = true, ["color"] = color,
                };
            fig.Add(trace);
        }
        return fig;
    }

    /// <summary>A cross-validation curve: mean validation loss ± one standard deviation over the folds against λ (log
    /// x), with optional extra curves (e.g. the test loss, closed-form LOO/GCV) on the same grid.</summary>
    public static Figure CrossValidationLoss(CrossValidationResult result, string title, bool logY = true,
        IEnumerable<(string Label, IReadOnlyList<double> Values)>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var x = result.Rows.Select(r => r.Lambda).ToList();
        var series = new List<(string, IReadOnlyList<double>, IReadOnlyList<double>?)>
        {
            ($"{result.K}-fold CV loss (mean ± std)", result.Rows.Select(r => r.MeanLoss).ToList(),
                result.Rows.Select(r => r.StdLoss).ToList()),
        };
        if (extra is not null) series.AddRange(extra.Select(e => (e.Label, e.Values, (IReadOnlyList<double>?)null)));
        return ErrorBarLines(x, series, title, "λ", "loss", logX: true, logY: logY);
    }
}
