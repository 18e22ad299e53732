using Plotly.NET;
using WeightDecay.Training;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts for choosing λ and its alternatives (lesson 08): cross-validation curves with error bars,
/// early stopping, the ridge path against gradient descent.</summary>
public static class SelectionCharts
{
    /// <summary>
    /// Lines with symmetric error bars: each series gives a mean and a half-width (e.g. ± one standard
    /// deviation) per x. Series without error bars pass null as <c>Error</c>. <paramref name="percent"/>
    /// shows fractions (accuracies) as percentages.
    /// </summary>
    public static GenericChart ErrorBarLines(IReadOnlyList<double> x,
        IEnumerable<(string Label, IReadOnlyList<double> Mean, IReadOnlyList<double>? Error)> series,
        string title, string xTitle, string yTitle, bool logX = false, bool logY = false, bool percent = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        var curves = series.Select((s, i) =>
        {
            if (s.Mean.Count != x.Count || (s.Error is not null && s.Error.Count != x.Count))
                throw new ArgumentException(
                    $"Series '{s.Label}' has {s.Mean.Count} means and {s.Error?.Count} errors for {x.Count} x values.",
                    nameof(series));
            return new Curve(s.Label, x, s.Mean) { Markers = true, Color = Charts.Color(i), ErrorY = s.Error };
        }).ToList();
        return Plot.Curves(title, curves, new Axis(xTitle) { Log = logX },
            new Axis(yTitle) { Log = logY, Percent = percent });
    }

    /// <summary>A cross-validation curve: mean validation loss ± one standard deviation over the folds
    /// against λ (log x), with optional extra curves (e.g. the test loss, closed-form LOO/GCV) on the same
    /// grid.</summary>
    public static GenericChart CrossValidationLoss(CrossValidationResult result, string title, bool logY = true,
        IEnumerable<(string Label, IReadOnlyList<double> Values)>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var x = result.Rows.Select(r => r.Lambda).ToList();
        var series = new List<(string, IReadOnlyList<double>, IReadOnlyList<double>?)>
        {
            ($"{result.K}-fold CV loss (mean ± std)", result.Rows.Select(r => r.MeanLoss).ToList(),
                result.Rows.Select(r => r.StdLoss).ToList()),
        };
        if (extra is not null)
            series.AddRange(extra.Select(e => (e.Label, e.Values, (IReadOnlyList<double>?)null)));
        return ErrorBarLines(x, series, title, "λ (log scale)", "loss", logX: true, logY: logY);
    }

    /// <summary>
    /// Training (solid) and test (dashed) loss per epoch for several regimes, one colour per regime (log y),
    /// with the early-stopping epochs marked as black stars on the test curves.
    /// </summary>
    /// <param name="runs">Per regime: label, training and test loss per epoch (epoch 0 first).</param>
    /// <param name="stops">Per early-stopped regime: the chosen epoch and the test loss there.</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart EarlyStopping(
        IReadOnlyList<(string Label, IReadOnlyList<double> Train, IReadOnlyList<double> Test)> runs,
        IReadOnlyList<(int Epoch, double TestLoss)> stops,
        string title = "Training (solid) and test (dashed) loss; stars: the early-stopping epochs")
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(stops);
        if (runs.Count == 0) throw new ArgumentException("Give at least one run.", nameof(runs));
        var epochs = Enumerable.Range(0, runs[0].Train.Count).Select(e => (double)e).ToList();
        var star = ("early-stopping epoch", (IReadOnlyList<double>)stops.Select(s => (double)s.Epoch).ToList(),
            (IReadOnlyList<double>)stops.Select(s => s.TestLoss).ToList());
        return SweepCharts.PairedLines(epochs, runs.Select(r => (r.Label, r.Train, r.Test)), "train", "test", title,
            "epoch", "data loss (log scale)", logY: true, marks: star);
    }

    /// <summary>
    /// The ridge path w(λ) of selected coordinates (lines) against gradient descent from 0 after τ steps,
    /// drawn at λ = 1/(τη) (markers joined by dotted lines), one colour per coordinate: early stopping as L2
    /// (lesson 08).
    /// </summary>
    public static GenericChart RidgeAndGradientDescentPaths(
        IReadOnlyList<(double Lambda, LinearSolution Solution)> ridge,
        IReadOnlyList<(double Lambda, LinearSolution Solution)> gradientDescent, IReadOnlyList<int> coordinates,
        string title = "Ridge path (lines) and gradient descent after τ steps at λ = 1/(τη) (markers)")
    {
        ArgumentNullException.ThrowIfNull(ridge);
        ArgumentNullException.ThrowIfNull(gradientDescent);
        ArgumentNullException.ThrowIfNull(coordinates);
        var curves = coordinates.SelectMany((j, k) => new[]
        {
            new Curve($"w_{j} ridge", ridge.Select(p => p.Lambda).ToList(),
                ridge.Select(p => p.Solution.Weights[j]).ToList()) { Color = Charts.Color(k), Group = $"w{j}" },
            new Curve($"w_{j} gradient descent", gradientDescent.Select(p => p.Lambda).ToList(),
                gradientDescent.Select(p => p.Solution.Weights[j]).ToList())
                { Color = Charts.Color(k), Group = $"w{j}", Markers = true, Dash = "dot" },
        }).ToList();
        return Plot.Curves(title, curves, new Axis("λ (for gradient descent: 1/(τη); log scale)") { Log = true },
            new Axis("weight w_j"));
    }
}
