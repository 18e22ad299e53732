namespace WeightDecay.Experiments;

/// <summary>Mean test loss of closed-form ridge for one label-noise level over a λ grid.</summary>
/// <param name="NoiseStd">σ of the label noise.</param>
/// <param name="Lambdas">The λ grid.</param>
/// <param name="MeanTestLoss">Test loss (mean ½-squared error) per λ, averaged over the seeds.</param>
/// <param name="BestLambda">The grid λ with the lowest mean test loss.</param>
/// <param name="ConstantPredictorLoss">The baseline: the test loss of predicting the training targets' mean
/// (<see cref="D2lRegression.ConstantPredictorLoss"/>), averaged over the same seeds — the limit of every curve as
/// λ → ∞.</param>
/// <remarks>Lesson 03: 03-high-dimensional-linear-regression.</remarks>
public sealed record NoiseCurve(double NoiseStd, double[] Lambdas, double[] MeanTestLoss, double BestLambda,
    double ConstantPredictorLoss);
