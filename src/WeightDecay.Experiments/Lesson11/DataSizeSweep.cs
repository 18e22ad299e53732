using WeightDecay.Data;

namespace WeightDecay.Experiments;

/// <summary>
/// Best λ against the number of training digits N: for every seed, every N and every λ of a log₂ grid one
/// <see cref="TimescaleTraining.Run"/> (same epochs and batch size for every N, so a larger N means more updates).
/// Per seed and N it finds the refined argmin and the upper edge of the good region of the validation loss
/// (<see cref="CurveStatistics"/>), and per seed the slopes of both on log₂ N.
/// </summary>
/// <param name="Settings">The training settings.</param>
/// <param name="Sizes">N, increasing.</param>
/// <param name="Log2Lambdas">The λ grid as log₂ λ, increasing.</param>
/// <param name="Seeds">The seeds.</param>
/// <param name="Runs">[seed][N][λ] runs.</param>
/// <param name="EdgeTolerance">The good region: validation loss within (1 + this) of the best.</param>
/// <remarks>Lesson 11: 11-the-timescale.</remarks>
public sealed record DataSizeSweep(TimescaleSettings Settings, IReadOnlyList<int> Sizes,
    IReadOnlyList<double> Log2Lambdas, IReadOnlyList<int> Seeds, TimescaleRun[][][] Runs, double EdgeTolerance)
{
    /// <summary>Runs the sweep on <paramref name="mnist"/> with <paramref name="validationCount"/> validation
    /// digits per seed, calling <paramref name="progress"/> with the number of runs done.</summary>
    /// <exception cref="ArgumentException">Sizes or grid not increasing, or a size larger than the pool.</exception>
    public static DataSizeSweep Run(TimescaleSettings settings, IReadOnlyList<int> sizes,
        IReadOnlyList<double> log2Lambdas, IReadOnlyList<int> seeds, MnistSubset mnist, int validationCount,
        double edgeTolerance = 0.1, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(log2Lambdas);
        ArgumentNullException.ThrowIfNull(seeds);
        settings.Validate();
        Increasing(sizes.Select(n => (double)n).ToList(), nameof(sizes), 1);
        Increasing(log2Lambdas, nameof(log2Lambdas), 2);
        if (seeds.Count < 1) throw new ArgumentException("Need at least one seed.", nameof(seeds));
        if (!(edgeTolerance > 0))
            throw new ArgumentOutOfRangeException(nameof(edgeTolerance), edgeTolerance, "Must be > 0.");
        int done = 0;
        var runs = new TimescaleRun[seeds.Count][][];
        for (int s = 0; s < seeds.Count; s++)
        {
            using var data = new TimescaleData(mnist, validationCount, seeds[s]);
            if (sizes[^1] > data.PoolCount)
                throw new ArgumentOutOfRangeException(nameof(sizes), sizes[^1],
                    $"N must be ≤ {data.PoolCount} (the training digits left after the validation set).");
            runs[s] = new TimescaleRun[sizes.Count][];
            for (int n = 0; n < sizes.Count; n++)
            {
                using var train = data.TrainSubset(sizes[n]);
                runs[s][n] = log2Lambdas.Select(l =>
                {
                    var run = TimescaleTraining.Run(settings, Math.Pow(2, l), train, data.Validation, data.Test,
                        seeds[s]);
                    progress?.Invoke(++done);
                    return run;
                }).ToArray();
            }
        }
        return new DataSizeSweep(settings, sizes, log2Lambdas, seeds, runs, edgeTolerance);
    }

    /// <summary>Validation losses of seed index <paramref name="s"/> at size index <paramref name="n"/>.</summary>
    public IReadOnlyList<double> ValidationLosses(int s, int n) => Runs[s][n].Select(r => r.ValidationLoss).ToList();

    /// <summary>Validation losses at size index <paramref name="n"/>, averaged over the seeds.</summary>
    public IReadOnlyList<double> MeanValidationLosses(int n) =>
        Log2Lambdas.Select((_, k) => Runs.Average(seed => seed[n][k].ValidationLoss)).ToList();

    /// <summary>log₂ λ at the upper edge of seed <paramref name="s"/>'s good region at size index
    /// <paramref name="n"/>.</summary>
    public double Edge(int s, int n) => CurveStatistics.Edge(Log2Lambdas, ValidationLosses(s, n), EdgeTolerance,
        out _);

    /// <summary>Whether that edge is the grid's top (the curve never left the good region).</summary>
    public bool EdgeCensored(int s, int n)
    {
        CurveStatistics.Edge(Log2Lambdas, ValidationLosses(s, n), EdgeTolerance, out bool censored);
        return censored;
    }

    /// <summary>
    /// The edge of seed <paramref name="s"/> at size index <paramref name="n"/> with the same absolute margin at every
    /// N: the largest log₂ λ whose loss is within <see cref="EdgeTolerance"/> × (that seed's best loss at the
    /// smallest N) of this curve's best, and whether it is the grid's top. <see cref="Edge"/>'s relative margin is a
    /// smaller absolute one where the best loss is lower, which by itself lowers the edge at a larger N.
    /// </summary>
    public (double Log2Lambda, bool Censored) AbsoluteMarginEdge(int s, int n)
    {
        var losses = ValidationLosses(s, n);
        double margin = EdgeTolerance * ValidationLosses(s, 0).Min();
        double edge = CurveStatistics.Edge(Log2Lambdas, losses, margin / losses.Min(), out bool censored);
        return (edge, censored);
    }

    /// <summary>Per seed: the slope of <see cref="AbsoluteMarginEdge"/> on log₂ N.</summary>
    public IReadOnlyList<double> AbsoluteMarginEdgeSlopes => SeedSlopes((s, n) => AbsoluteMarginEdge(s, n).Log2Lambda);

    /// <summary>The refined log₂ argmin of seed <paramref name="s"/> at size index <paramref name="n"/>.</summary>
    public double ArgMin(int s, int n) => CurveStatistics.RefinedArgMin(Log2Lambdas, ValidationLosses(s, n));

    /// <summary>Per seed: the slope of log₂ λ_edge on log₂ N (the exponent p of λ_edge ∝ N^p; needs two or more
    /// sizes).</summary>
    public IReadOnlyList<double> EdgeSlopes => SeedSlopes(Edge);

    /// <summary>Per seed: the slope of the refined log₂ argmin on log₂ N.</summary>
    public IReadOnlyList<double> ArgMinSlopes => SeedSlopes(ArgMin);

    /// <summary>log₂ N of every size.</summary>
    public IReadOnlyList<double> Log2Sizes => Sizes.Select(n => Math.Log2(n)).ToList();

    /// <summary>The timescale in epochs, τ_epoch = B/(ηλN), at log₂ λ = <paramref name="log2Lambda"/> and size
    /// index <paramref name="n"/>.</summary>
    public double TimescaleEpochs(double log2Lambda, int n) =>
        Settings.TimescaleEpochs(Math.Pow(2, log2Lambda), Sizes[n]);

    private IReadOnlyList<double> SeedSlopes(Func<int, int, double> statistic) =>
        Seeds.Select((_, s) => CurveStatistics.Slope(Log2Sizes,
            Sizes.Select((_, n) => statistic(s, n)).ToList())).ToList();

    private static void Increasing(IReadOnlyList<double> v, string name, int least)
    {
        if (v.Count < least) throw new ArgumentException($"Need at least {least} value(s) of {name}.", name);
        for (int i = 1; i < v.Count; i++)
            if (!(v[i] > v[i - 1]))
                throw new ArgumentException($"{name} must be increasing; value {i} = {v[i]} follows {v[i - 1]}.",
                    name);
    }
}
