namespace WeightDecay.Landscape;

/// <summary>
/// A 2-D slice θ + α·d₁ + β·d₂ of the loss landscape. Values are indexed [i, j] for (<see cref="Alpha"/>[i],
/// <see cref="Beta"/>[j]). Same conventions as <see cref="Slice1D"/> (mean losses, accuracy in [0, 1], non-finite
/// losses recorded as NaN).
/// </summary>
/// <param name="Alpha">Coordinates along d₁.</param>
/// <param name="Beta">Coordinates along d₂.</param>
/// <param name="TrainLoss">Training loss [α index, β index].</param>
/// <param name="TrainAccuracy">Training accuracy (classification), else null.</param>
/// <param name="TestLoss">Test loss, or null without a test set.</param>
/// <param name="TestAccuracy">Test accuracy (classification with a test set), else null.</param>
public sealed record Slice2D(
    double[] Alpha, double[] Beta, double[,] TrainLoss, double[,]? TrainAccuracy, double[,]? TestLoss,
    double[,]? TestAccuracy)
{
    /// <summary>Number of grid points at which a loss was NaN or ±∞ (recorded as NaN).</summary>
    public int NonFiniteCount
    {
        get
        {
            int count = 0;
            for (int i = 0; i < Alpha.Length; i++)
                for (int j = 0; j < Beta.Length; j++)
                    if (double.IsNaN(TrainLoss[i, j]) || (TestLoss is not null && double.IsNaN(TestLoss[i, j])))
                        count++;
            return count;
        }
    }

    /// <summary>Whether any loss on the grid was NaN or ±∞.</summary>
    public bool HasNonFinite => NonFiniteCount > 0;

    /// <summary>The values of one metric (null when the slice lacks it).</summary>
    public double[,]? Get(LandscapeMetric metric) => metric switch
    {
        LandscapeMetric.TrainLoss => TrainLoss,
        LandscapeMetric.TrainAccuracy => TrainAccuracy,
        LandscapeMetric.TestLoss => TestLoss,
        LandscapeMetric.TestAccuracy => TestAccuracy,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>
    /// One metric as rows z[j][i] = value at (Alpha[i], Beta[j]) — the layout of a contour or heatmap's z with
    /// x = <see cref="Alpha"/>, y = <see cref="Beta"/> (Plotly).
    /// </summary>
    /// <exception cref="InvalidOperationException">The slice lacks that metric.</exception>
    public double[][] ContourZ(LandscapeMetric metric)
    {
        var v = Get(metric)
            ?? throw new InvalidOperationException($"The slice has no {metric} (no test set, or not classification).");
        return Enumerable.Range(0, Beta.Length)
            .Select(j => Enumerable.Range(0, Alpha.Length).Select(i => v[i, j]).ToArray()).ToArray();
    }
}
