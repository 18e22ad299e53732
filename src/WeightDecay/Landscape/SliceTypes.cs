using System.Globalization;

namespace WeightDecay.Landscape;

/// <summary>
/// Evenly spaced coordinates along one axis of a slice: <see cref="Points"/> values from <see cref="Min"/> to <see cref="Max"/>,
/// both included (like <c>linspace</c>; the last value is exactly <see cref="Max"/>).
/// </summary>
public sealed record GridAxis
{
    /// <summary>The interpolation default of Li et al.: α ∈ [−0.5, 1.5], 101 points (θ₀ at α = 0, θ₁ at α = 1).</summary>
    public static GridAxis InterpolationDefault { get; } = new(-0.5, 1.5, 101);

    /// <summary>The default of a random-direction slice: [−1, 1], 51 points (per axis for 2-D slices).</summary>
    public static GridAxis DirectionDefault { get; } = new(-1, 1, 51);

    /// <summary>Creates the axis.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="points"/> &lt; 2, a bound is not finite, or min ≥ max.</exception>
    public GridAxis(double min, double max, int points)
    {
        if (!double.IsFinite(min)) throw new ArgumentOutOfRangeException(nameof(min), min, "The axis minimum must be finite.");
        if (!double.IsFinite(max)) throw new ArgumentOutOfRangeException(nameof(max), max, "The axis maximum must be finite.");
        if (!(min < max))
            throw new ArgumentOutOfRangeException(nameof(min), min,
                string.Create(CultureInfo.InvariantCulture, $"The axis minimum {min} must be less than its maximum {max}."));
        if (points < 2)
            throw new ArgumentOutOfRangeException(nameof(points), points, "An axis needs at least 2 points.");
        (Min, Max, Points) = (min, max, points);
    }

    /// <summary>The first coordinate.</summary>
    public double Min { get; }

    /// <summary>The last coordinate.</summary>
    public double Max { get; }

    /// <summary>Number of coordinates (≥ 2).</summary>
    public int Points { get; }

    /// <summary>The coordinates Min + i·(Max − Min)/(Points − 1), i = 0 … Points − 1.</summary>
    public double[] Values()
    {
        var v = new double[Points];
        double step = (Max - Min) / (Points - 1);
        for (int i = 0; i < Points; i++) v[i] = Min + i * step;
        v[^1] = Max;
        return v;
    }
}

/// <summary>How the grid points of a slice are evaluated.</summary>
public enum EvaluationPath
{
    /// <summary><see cref="Batched"/> when the model is a <see cref="Models.Mlp"/> and the loss is cross-entropy or half
    /// squared error; <see cref="PerPoint"/> otherwise.</summary>
    Auto,

    /// <summary>The reference (Li et al.): set the model's parameters to each point, run its normal forward over the data,
    /// restore the parameters afterwards.</summary>
    PerPoint,

    /// <summary>Many points per pass for a <see cref="Models.Mlp"/>: the K points' weights are stacked into [K, out, in]
    /// tensors and multiplied with the shared input by batched matmul; the first layer, linear in the grid coordinates, is
    /// computed once per direction. Agrees with <see cref="PerPoint"/> to float rounding.</summary>
    Batched,
}

/// <summary>Progress of a slice evaluation.</summary>
/// <param name="Done">Grid points evaluated so far.</param>
/// <param name="Total">Grid points in the slice.</param>
public sealed record SliceProgress(int Done, int Total);

/// <summary>Settings of a slice evaluation.</summary>
public sealed record SliceOptions
{
    /// <summary>Which evaluation path to use (default <see cref="EvaluationPath.Auto"/>).</summary>
    public EvaluationPath Path { get; init; } = EvaluationPath.Auto;

    /// <summary>Examples per forward pass (≥ 1).</summary>
    public int BatchSize { get; init; } = 4096;

    /// <summary>Approximate bound on the working memory of one pass of the batched path (activations, loss temporaries and
    /// stacked weights of K points × R examples); K and R shrink to fit (at least 1 each). Default 64 MiB.</summary>
    public long MemoryBudgetBytes { get; init; } = 64L << 20;

    /// <summary>Grid points K per pass of the batched path; null = 64. The examples per pass R are then chosen so that one
    /// pass's widest activation block [K, width, R] stays near 2 MiB (cache-sized; at least 256 examples, at most
    /// <see cref="BatchSize"/>), and both are reduced to fit <see cref="MemoryBudgetBytes"/>.</summary>
    public int? PointsPerPass { get; init; }

    /// <summary>The parameters θ the slice is centered on (θ + α·d₁ + β·d₂); null = the model's current parameters.</summary>
    public ParameterDirection? Center { get; init; }

    /// <summary>Called after every pass (batched) or point (per-point).</summary>
    public Action<SliceProgress>? Progress { get; init; }

    /// <summary>Checked between passes; cancellation throws <see cref="OperationCanceledException"/> (the model is restored).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Path)) throw new ArgumentOutOfRangeException(nameof(Path), Path, "Expected Auto, PerPoint or Batched.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be ≥ 1.");
        if (MemoryBudgetBytes < 1)
            throw new ArgumentOutOfRangeException(nameof(MemoryBudgetBytes), MemoryBudgetBytes, "The memory budget must be ≥ 1 byte.");
        if (PointsPerPass is < 1)
            throw new ArgumentOutOfRangeException(nameof(PointsPerPass), PointsPerPass, "Points per pass must be ≥ 1 (or null for automatic).");
    }
}

/// <summary>What a 1-D slice varies.</summary>
public enum Slice1DKind
{
    /// <summary>Linear interpolation θ(α) = (1 − α)·θ₀ + α·θ₁.</summary>
    Interpolation,

    /// <summary>A line θ + α·d along a direction.</summary>
    Direction,
}

/// <summary>Which metric of a slice.</summary>
public enum LandscapeMetric
{
    /// <summary>Mean data loss on the training set.</summary>
    TrainLoss,

    /// <summary>Training accuracy (classification).</summary>
    TrainAccuracy,

    /// <summary>Mean data loss on the test set.</summary>
    TestLoss,

    /// <summary>Test accuracy (classification).</summary>
    TestAccuracy,
}

/// <summary>
/// A 1-D slice of the loss landscape: at each coordinate <see cref="Alpha"/>[i] the mean data loss (the <see cref="Losses.Loss"/>'s
/// mean over all examples) and, for classification, the accuracy in [0, 1], on the training and (if given) test set.
/// A grid point where a loss is NaN or ±∞ is recorded with NaN loss and NaN accuracy on that set (counted in
/// <see cref="NonFiniteCount"/>); test arrays are null without a test set and accuracy arrays null for regression.
/// </summary>
/// <param name="Kind">Interpolation (θ₀ at α = 0, θ₁ at α = 1) or a direction (the center at α = 0).</param>
/// <param name="Alpha">The coordinates.</param>
/// <param name="TrainLoss">Training loss per coordinate.</param>
/// <param name="TrainAccuracy">Training accuracy per coordinate (classification), else null.</param>
/// <param name="TestLoss">Test loss per coordinate, or null without a test set.</param>
/// <param name="TestAccuracy">Test accuracy per coordinate (classification with a test set), else null.</param>
public sealed record Slice1D(
    Slice1DKind Kind, double[] Alpha, double[] TrainLoss, double[]? TrainAccuracy, double[]? TestLoss, double[]? TestAccuracy)
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

/// <summary>
/// A 2-D slice θ + α·d₁ + β·d₂ of the loss landscape. Values are indexed [i, j] for (<see cref="Alpha"/>[i], <see cref="Beta"/>[j]).
/// Same conventions as <see cref="Slice1D"/> (mean losses, accuracy in [0, 1], non-finite losses recorded as NaN).
/// </summary>
/// <param name="Alpha">Coordinates along d₁.</param>
/// <param name="Beta">Coordinates along d₂.</param>
/// <param name="TrainLoss">Training loss [α index, β index].</param>
/// <param name="TrainAccuracy">Training accuracy (classification), else null.</param>
/// <param name="TestLoss">Test loss, or null without a test set.</param>
/// <param name="TestAccuracy">Test accuracy (classification with a test set), else null.</param>
public sealed record Slice2D(
    double[] Alpha, double[] Beta, double[,] TrainLoss, double[,]? TrainAccuracy, double[,]? TestLoss, double[,]? TestAccuracy)
{
    /// <summary>Number of grid points at which a loss was NaN or ±∞ (recorded as NaN).</summary>
    public int NonFiniteCount
    {
        get
        {
            int count = 0;
            for (int i = 0; i < Alpha.Length; i++)
                for (int j = 0; j < Beta.Length; j++)
                    if (double.IsNaN(TrainLoss[i, j]) || (TestLoss is not null && double.IsNaN(TestLoss[i, j]))) count++;
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
        var v = Get(metric) ?? throw new InvalidOperationException($"The slice has no {metric} (no test set, or not classification).");
        return Enumerable.Range(0, Beta.Length).Select(j => Enumerable.Range(0, Alpha.Length).Select(i => v[i, j]).ToArray()).ToArray();
    }
}
