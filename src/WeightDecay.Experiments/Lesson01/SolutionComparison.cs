using Microsoft.Data.Analysis;
using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>Compares linear solutions (weights and bias) with a reference one.</summary>
/// <remarks>Lesson 01: 01-what-weight-decay-is and its solutions.</remarks>
public static class SolutionComparison
{
    /// <summary>max |estimate − reference| over the weights and the bias, divided by the reference's largest
    /// |entry|.</summary>
    public static double RelativeDeviation(LinearSolution estimate, LinearSolution reference)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(reference);
        if (estimate.Weights.Length != reference.Weights.Length)
            throw new ArgumentException($"{estimate.Weights.Length} weights against {reference.Weights.Length}.",
                nameof(estimate));
        var e = estimate.Weights.Append(estimate.Bias).ToArray();
        var r = reference.Weights.Append(reference.Bias).ToArray();
        double scale = r.Max(Math.Abs);
        return e.Zip(r, (a, b) => Math.Abs(a - b)).Max() / (scale > 0 ? scale : 1);
    }

    /// <summary>‖w‖₂ (bias excluded).</summary>
    public static double WeightNorm(LinearSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        return Math.Sqrt(solution.Weights.Sum(v => v * v));
    }

    /// <summary>A table with one row per estimate: its name, ‖w‖₂ and its <see cref="RelativeDeviation"/> from the
    /// reference.</summary>
    public static DataFrame Table(LinearSolution reference, IEnumerable<(string Name,
        LinearSolution Solution)> estimates, string referenceName = "the reference")
    {
        ArgumentNullException.ThrowIfNull(estimates);
        var rows = estimates.ToList();
        return new DataFrame(
            new StringDataFrameColumn("estimate", rows.Select(r => r.Name)),
            new DoubleDataFrameColumn("‖w‖₂", rows.Select(r => WeightNorm(r.Solution))),
            new DoubleDataFrameColumn($"relative deviation from {referenceName}",
                rows.Select(r => RelativeDeviation(r.Solution, reference))));
    }
}
