using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>One closed-form ridge fit of a λ sweep.</summary>
/// <param name="Lambda">λ.</param>
/// <param name="Solution">The minimizer of L(w, b) + (λ/2)‖w‖² on the training set.</param>
/// <param name="TrainLoss">Its data loss (1/n) Σ ½ (ŷ − y)² on the training set.</param>
/// <param name="TestLoss">Its data loss on the test set.</param>
/// <remarks>Lesson 01: 01-what-weight-decay-is.</remarks>
public sealed record RidgeFit(double Lambda, LinearSolution Solution, double TrainLoss, double TestLoss)
{
    /// <summary>‖w‖₂ (the unpenalized bias excluded).</summary>
    public double WeightNorm => Math.Sqrt(Solution.Weights.Sum(v => v * v));
}
