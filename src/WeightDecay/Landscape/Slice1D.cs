namespace WeightDecay.Landscape;

/// <summary>
/// A 1-D slice of the loss landscape: at each coordinate <see cref="Alpha"/>[i] the mean data loss (the
/// <see cref="Losses.Loss"/>'s mean over all examples) and, for classification, the accuracy in [0, 1], on the training
/// and (if given) test set. A grid point where a loss is NaN or ±∞ is recorded with NaN loss and NaN accuracy on that
/// set (counted in <see cref="NonFiniteCount"/>); test arrays are null without a test set and accuracy arrays null for
/// regression.
/// </summary>
/// <param name="Kind">Interpolation (θ₀ at α = 0, θ₁ at α = 1) or a direction (the center at α = 0).</param>
/// <param name="Alpha">The coordinates.</param>
/// <param name="TrainLoss">Training loss per coordinate.</param>
/// <param name="TrainAccuracy">Training accuracy per coordinate (classification), else null.</param>
/// <param name="TestLoss">Test loss per coordinate, or null without a test set.</param>
/// <param name="TestAccuracy">Test accuracy per coordinate (classification with a test set), else null.</param>
public sealed record Slice1D(
    Slice1DKind Kind, double[] Alpha, double[] TrainLoss, double[]? TrainAccuracy, double[]? TestLoss,
    double[]? TestAccuracy)
{
    /// <summary>Number of coordinates at which a loss was NaN or ±∞ (recorded as NaN).</summary>
    public int NonFiniteCount => Enumerable.Range(0, Alpha.Length)
        .Count(i => double.IsNaN(TrainLoss[i]) || (TestLoss is not null && double.IsNaN(TestLoss[i])));

    /// <summary>Whether any loss on the grid was NaN or ±∞.</summary>
    public bool HasNonFinite => NonFiniteCount > 0;

    /// <summary>The values of one metric (null when the slice lacks it).</summary>
    public double[]? Get(LandscapeMetric metric) => metric switch
    {
        LandscapeMetric.TrainLoss => TrainLoss,
        LandscapeMetric.TrainAccuracy => TrainAccuracy,
        LandscapeMetric.TestLoss => TestLoss,
        LandscapeMetric.TestAccuracy => TestAccuracy,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };
}
