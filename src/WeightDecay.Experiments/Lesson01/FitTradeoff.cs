using WeightDecay.Data;
using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>The fit–simplicity trade-off: closed-form ridge solutions over a grid of λ.</summary>
/// <remarks>Lesson 01: 01-what-weight-decay-is and its solutions.</remarks>
public static class FitTradeoff
{
    /// <summary>Solves ridge (<see cref="Ridge.Solve"/>, bias unpenalized) for each λ and measures training and test
    /// loss.</summary>
    public static IReadOnlyList<RidgeFit> Sweep(TensorDataset train, TensorDataset test, IEnumerable<double> lambdas)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(lambdas);
        using var threads = TorchThreads.Limit(1);
        return lambdas.Select(l =>
        {
            var s = Ridge.Solve(train, l);
            return new RidgeFit(l, s, HalfSquaredError(train, s), HalfSquaredError(test, s));
        }).ToList(); // materialized inside the thread limit
    }

    /// <summary>The data loss (1/n) Σᵢ ½ (xᵢ·w + b − yᵢ)² of a linear solution, in float64
    /// (<see cref="Ridge.Loss"/>).</summary>
    public static double HalfSquaredError(TensorDataset data, LinearSolution solution) => Ridge.Loss(data, solution);
}
