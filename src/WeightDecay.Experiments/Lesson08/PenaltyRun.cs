namespace WeightDecay.Experiments;

/// <summary>One (penalty, λ) of <see cref="PenaltyComparison"/>.</summary>
/// <param name="Zeros">Exact and near zeros of the first layer.</param>
/// <param name="TestAccuracy">Final test accuracy.</param>
/// <param name="Weights">The first layer's weights, flattened.</param>
/// <remarks>Lesson 08: 08-choosing-lambda-and-the-alternatives.</remarks>
public sealed record PenaltyRun(Sparsity Zeros, double TestAccuracy, double[] Weights);
