using WeightDecay.Data;
using WeightDecay.Optimization;

namespace WeightDecay.Experiments;

/// <summary>
/// Decoupled decay under a learning-rate schedule, following it (θ ← (1 − η_tλ)θ) or fixed at the base rate
/// (θ ← (1 − η₀λ)θ): one <see cref="TimescaleTraining.Run"/> per λ, coupling and seed on the same data.
/// </summary>
/// <param name="Settings">The training settings (their <see cref="TimescaleSettings.DecayFollowsSchedule"/> is
/// overridden).</param>
/// <param name="Log2Lambdas">The λ grid as log₂ λ.</param>
/// <param name="Seeds">The seeds.</param>
/// <param name="Follows">[seed][λ] runs with decay following η_t (per-step records at every λ).</param>
/// <param name="Fixed">[seed][λ] runs with decay fixed at η₀.</param>
/// <remarks>Lesson 11: 11-the-timescale.</remarks>
public sealed record ScheduleComparison(TimescaleSettings Settings, IReadOnlyList<double> Log2Lambdas,
    IReadOnlyList<int> Seeds, TimescaleRun[][] Follows, TimescaleRun[][] Fixed)
{
    /// <summary>Runs both couplings for every seed and λ on <paramref name="trainCount"/> digits with
    /// <paramref name="validationCount"/> validation digits (<see cref="TimescaleData"/>), recording every step;
    /// <paramref name="progress"/> gets the number of runs done.</summary>
    public static ScheduleComparison Run(TimescaleSettings settings, IReadOnlyList<double> log2Lambdas,
        IReadOnlyList<int> seeds, MnistSubset mnist, int trainCount, int validationCount,
        Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log2Lambdas);
        ArgumentNullException.ThrowIfNull(seeds);
        settings.Validate();
        if (log2Lambdas.Count < 1) throw new ArgumentException("Need at least one λ.", nameof(log2Lambdas));
        if (seeds.Count < 1) throw new ArgumentException("Need at least one seed.", nameof(seeds));
        int done = 0;
        var follows = new TimescaleRun[seeds.Count][];
        var fixedRuns = new TimescaleRun[seeds.Count][];
        for (int s = 0; s < seeds.Count; s++)
        {
            using var data = new TimescaleData(mnist, validationCount, seeds[s]);
            using var train = data.TrainSubset(trainCount);
            TimescaleRun[] Sweep(bool follow) => log2Lambdas.Select(l =>
            {
                var run = TimescaleTraining.Run(settings with { DecayFollowsSchedule = follow }, Math.Pow(2, l),
                    train, data.Validation, data.Test, seeds[s], recordSteps: true);
                progress?.Invoke(++done);
                return run;
            }).ToArray();
            follows[s] = Sweep(true);
            fixedRuns[s] = Sweep(false);
        }
        return new ScheduleComparison(settings, log2Lambdas, seeds, follows, fixedRuns);
    }

    /// <summary>What fixing the decay costs at seed index <paramref name="s"/> and λ index <paramref name="k"/>: the
    /// fixed run's validation loss minus the following run's.</summary>
    public double ValidationGap(int s, int k) => Fixed[s][k].ValidationLoss - Follows[s][k].ValidationLoss;

    /// <summary>At seed index <paramref name="s"/>, the smallest rise of <see cref="ValidationGap"/> from a λ of the
    /// grid to any λ′ with log₂ λ′ − log₂ λ ≥ <paramref name="minLog2Ratio"/> (2: λ′ ≥ 4λ); NaN when the grid has no
    /// such pair. Positive means the gap grows with λ over every such pair (lesson 11's claim).</summary>
    public double SmallestGapRise(int s, double minLog2Ratio = 2)
    {
        var rises = Log2Lambdas.SelectMany((a, i) => Log2Lambdas.Select((b, j) => (i, j, b - a)))
            .Where(p => p.Item3 >= minLog2Ratio).Select(p => ValidationGap(s, p.j) - ValidationGap(s, p.i)).ToList();
        return rises.Count == 0 ? double.NaN : rises.Min();
    }

    /// <summary>The decay kernel (<see cref="DecayKernel"/>) of these runs at λ index <paramref name="k"/>, from the
    /// learning rates the trainer recorded.</summary>
    public DecayKernel Kernel(bool follows, int k)
    {
        var run = (follows ? Follows : Fixed)[0][k];
        return DecayKernel.Compute(run.History.Steps.Select(x => x.LearningRate).ToList(), run.Lambda,
            Settings.LearningRate, follows);
    }
}
