using Microsoft.Data.Analysis;

namespace WeightDecay.Experiments;

/// <summary>
/// Test-set comparison of settings chosen on a validation grid, each retrained with several fresh seeds: means ±
/// standard errors, next to the null baselines (the constant predictor's cross-entropy ln 10 and chance accuracy 10 %
/// for ten balanced classes).
/// </summary>
/// <remarks>Lesson 07: 07-l2-is-not-weight-decay-for-adam.</remarks>
public static class SeedComparison
{
    /// <summary>Mean and standard error of <paramref name="values"/>.</summary>
    public static MeanError MeanAndError(IEnumerable<double> values) => MeanError.Of(values);

    /// <summary>One row per setting (its η, λ, test loss and accuracy as mean ± s.e. over its cells, one cell per
    /// seed), then the null baselines.</summary>
    public static DataFrame Table(IEnumerable<(string Label, GridCell[] Cells)> runs, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var rows = runs.ToList();
        if (rows.Any(r => r.Cells is not { Length: > 0 }))
            throw new ArgumentException("Every setting needs at least one cell.", nameof(runs));
        var loss = rows.Select(r => MeanError.Of(r.Cells.Select(c => c.TestLoss))).ToList();
        var acc = rows.Select(r => MeanError.Of(r.Cells.Select(c => c.TestAccuracy))).ToList();
        string[] labels = [.. rows.Select(r => r.Label), "constant predictor / chance"];
        double? R(double x) => double.IsNaN(x) ? null : Math.Round(x, 4);
        return new DataFrame(
            new StringDataFrameColumn("setting", labels),
            new DoubleDataFrameColumn("η", [.. rows.Select(r => (double?)r.Cells[0].LearningRate), null]),
            new DoubleDataFrameColumn("λ", [.. rows.Select(r => (double?)r.Cells[0].Lambda), null]),
            new DoubleDataFrameColumn("seeds", [.. rows.Select(r => (double?)r.Cells.Length), null]),
            new DoubleDataFrameColumn("test loss (mean)", [.. loss.Select(m => R(m.Mean)), R(Math.Log(classes))]),
            new DoubleDataFrameColumn("± s.e.", [.. loss.Select(m => R(m.Error)), null]),
            new DoubleDataFrameColumn("test accuracy (mean)", [.. acc.Select(m => R(m.Mean)), R(1.0 / classes)]),
            new DoubleDataFrameColumn("± s.e. ", [.. acc.Select(m => R(m.Error)), null]));
    }

    /// <summary>
    /// A sentence reading a paired difference (<paramref name="worse"/> − <paramref name="better"/>, in loss): which
    /// is ahead by more than two standard errors, or that the run cannot tell them apart.
    /// </summary>
    public static string Verdict(MeanError difference, string better, string worse)
    {
        ArgumentNullException.ThrowIfNull(difference);
        if (!double.IsFinite(difference.Error))
            return "With one seed there is no standard error: no conclusion.";
        if (difference.Mean > 2 * difference.Error)
            return $"{better} is ahead by more than two standard errors in this run.";
        if (difference.Mean < -2 * difference.Error)
            return $"{worse} is ahead by more than two standard errors in this run.";
        return "The difference is within two standard errors: this run cannot tell the two apart.";
    }
}
