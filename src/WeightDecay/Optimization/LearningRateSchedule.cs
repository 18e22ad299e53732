using System.Globalization;

namespace WeightDecay.Optimization;

/// <summary>
/// A learning-rate schedule as a closed form of the step index: the learning rate of update t (0-based, t = 0 … T − 1
/// of T updates in the run) is η_t = η₀·<see cref="Factor"/>(t, T). Milestones and the warm-up are fractions of T,
/// so one schedule fits runs of any length (quick and default mode alike).
/// </summary>
/// <remarks>
/// <para><see cref="WarmupCosine"/>: W = ⌊w·T⌋ warm-up updates with factor (t + 1)/W (the first update already moves),
/// then Loshchilov &amp; Hutter's cosine annealing (2019, Appendix B.2; the formula is their SGDR's, T_cur counted
/// in updates as they do): m_t = m_min + ½(1 − m_min)(1 + cos(π(t − W)/(T − W))), so m_W = 1 and m_t falls to m_min
/// at t = T.</para>
/// <para><see cref="StepDrops"/>: m_t = γ^k with k the number of milestones f with t ≥ ⌊f·T⌋ (e.g. γ = 0.1 at ½ and ¾
/// of the run: ×1, ×0.1, ×0.01, the shape of L&amp;H's step-drop runs).</para>
/// </remarks>
public sealed class LearningRateSchedule
{
    private readonly double[] _milestones;

    private LearningRateSchedule(ScheduleKind kind, double warmupFraction, double finalFactor, double dropFactor,
        double[] milestones) =>
        (Kind, WarmupFraction, FinalFactor, DropFactor, _milestones) =
        (kind, warmupFraction, finalFactor, dropFactor, milestones);

    /// <summary>The shape.</summary>
    public ScheduleKind Kind { get; }

    /// <summary>Warm-up length as a fraction of the run (<see cref="ScheduleKind.WarmupCosine"/>; else 0).</summary>
    public double WarmupFraction { get; }

    /// <summary>m_min, the factor the cosine ends at (<see cref="ScheduleKind.WarmupCosine"/>; else 1).</summary>
    public double FinalFactor { get; }

    /// <summary>γ, the factor applied at each milestone (<see cref="ScheduleKind.StepDrops"/>; else 1).</summary>
    public double DropFactor { get; }

    /// <summary>The milestones as fractions of the run (<see cref="ScheduleKind.StepDrops"/>; else empty).</summary>
    public IReadOnlyList<double> Milestones => _milestones;

    /// <summary>η_t = η₀ throughout.</summary>
    public static LearningRateSchedule Constant { get; } = new(ScheduleKind.Constant, 0, 1, 1, []);

    /// <summary>
    /// Linear warm-up over the first <paramref name="warmupFraction"/> of the updates (in [0, 1): the warm-up must end
    /// before the run does), then cosine annealing from η₀ to <paramref name="finalFactor"/>·η₀ (in [0, 1]).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public static LearningRateSchedule WarmupCosine(double warmupFraction = 0.05, double finalFactor = 0)
    {
        if (!(warmupFraction >= 0 && warmupFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction,
                "The warm-up fraction must be in [0, 1): the warm-up must end before the last update.");
        if (!(finalFactor >= 0 && finalFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(finalFactor), finalFactor,
                "The final factor m_min must be in [0, 1].");
        return new(ScheduleKind.WarmupCosine, warmupFraction, finalFactor, 1, []);
    }

    /// <summary>
    /// Multiplies η by <paramref name="factor"/> (in (0, 1]) at each of <paramref name="milestones"/> (fractions of the
    /// run, strictly increasing, each in (0, 1)).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    /// <exception cref="ArgumentException">Milestones not strictly increasing.</exception>
    public static LearningRateSchedule StepDrops(double factor, params double[] milestones)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        if (!(factor > 0 && factor <= 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The drop factor γ must be in (0, 1].");
        for (int i = 0; i < milestones.Length; i++)
        {
            if (!(milestones[i] > 0 && milestones[i] < 1))
                throw new ArgumentOutOfRangeException(nameof(milestones), milestones[i],
                    $"Milestone {i} must be a fraction of the run in (0, 1).");
            if (i > 0 && !(milestones[i] > milestones[i - 1]))
                throw new ArgumentException(
                    $"The milestones must be strictly increasing; milestone {i} = {Format(milestones[i])} follows " +
                    $"{Format(milestones[i - 1])}.", nameof(milestones));
        }
        return new(ScheduleKind.StepDrops, 0, 1, factor, (double[])milestones.Clone());
    }

    /// <summary>Warm-up length in updates for a run of <paramref name="totalSteps"/>: ⌊w·T⌋.</summary>
    public long WarmupSteps(long totalSteps) => (long)Math.Floor(WarmupFraction * CheckTotal(totalSteps));

    /// <summary>m_t = η_t/η₀ for update <paramref name="step"/> (0-based, in [0, T)) of a run of
    /// <paramref name="totalSteps"/> = T ≥ 1 updates.</summary>
    /// <exception cref="ArgumentOutOfRangeException">T &lt; 1 or t outside [0, T).</exception>
    public double Factor(long step, long totalSteps)
    {
        CheckTotal(totalSteps);
        if (step < 0 || step >= totalSteps)
            throw new ArgumentOutOfRangeException(nameof(step), step,
                $"The step must be in [0, {totalSteps}) for a run of {totalSteps} updates.");
        switch (Kind)
        {
            case ScheduleKind.WarmupCosine:
                long w = WarmupSteps(totalSteps);
                if (step < w) return (step + 1) / (double)w;
                double progress = (step - w) / (double)(totalSteps - w);
                return FinalFactor + 0.5 * (1 - FinalFactor) * (1 + Math.Cos(Math.PI * progress));
            case ScheduleKind.StepDrops:
                int drops = _milestones.Count(f => step >= (long)Math.Floor(f * totalSteps));
                return Math.Pow(DropFactor, drops);
            default:
                return 1;
        }
    }

    /// <summary>m_0 … m_{T−1} for a run of <paramref name="totalSteps"/> updates.</summary>
    public double[] Factors(long totalSteps)
    {
        CheckTotal(totalSteps);
        var m = new double[totalSteps];
        for (long t = 0; t < totalSteps; t++) m[t] = Factor(t, totalSteps);
        return m;
    }

    /// <summary>A short label: <c>constant</c>, <c>warmup 5 % + cosine</c>, <c>step ×0.1 at 50 %, 75 %</c>.</summary>
    public string Label => Kind switch
    {
        ScheduleKind.WarmupCosine => $"warmup {Format(100 * WarmupFraction)} % + cosine" +
            (FinalFactor > 0 ? $" to ×{Format(FinalFactor)}" : ""),
        ScheduleKind.StepDrops => $"step ×{Format(DropFactor)} at " +
            string.Join(", ", _milestones.Select(f => $"{Format(100 * f)} %")),
        _ => "constant",
    };

    /// <inheritdoc/>
    public override string ToString() => Label;

    private static long CheckTotal(long totalSteps) => totalSteps >= 1 ? totalSteps
        : throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "A run has ≥ 1 update.");

    private static string Format(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
}
