using WeightDecay.Optimization;

namespace WeightDecay.Experiments;

/// <summary>
/// One optimizer set-up of the per-coordinate shrinkage experiment (<see cref="AdamShrinkage"/>): one weight per
/// gradient scale, trained with Adam on pure gradient noise plus decay.
/// </summary>
/// <param name="GradientScales">sᵢ, the size of each weight's data gradient.</param>
/// <param name="Method">Coupled (Adam+L2), Decoupled (AdamW, PyTorch's form θ ← θ − ηλθ) or None (the
/// reference).</param>
/// <param name="LearningRate">η.</param>
/// <param name="Lambda">λ.</param>
/// <param name="Weights">Weights[t][i]: weight i after t steps (t = 0 is the start, 1 for every weight).</param>
/// <param name="AdaptiveScales">AdaptiveScales[i]: 1/(√v̂ + ε) of weight i after the last step — the factor by which
/// Adam multiplies a gradient term, and therefore a coupled decay term λθ, of that weight.</param>
/// <remarks>Lessons 02 and 07 (02-the-gradient-derived-and-verified, 07-l2-is-not-weight-decay-for-adam and their
/// solutions).</remarks>
public sealed record ShrinkageTrajectory(IReadOnlyList<double> GradientScales, DecayMethod Method,
    double LearningRate, double Lambda, IReadOnlyList<double[]> Weights, IReadOnlyList<double> AdaptiveScales)
{
    /// <summary>Number of steps taken.</summary>
    public int Steps => Weights.Count - 1;

    /// <summary>Weight <paramref name="i"/> after 0, 1, …, <see cref="Steps"/> steps.</summary>
    public double[] this[int i] => Weights.Select(w => w[i]).ToArray();

    /// <summary>
    /// Runs the experiment with Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) for <paramref name="steps"/> steps: each weight
    /// starts at 1 and receives the data gradient sᵢ·(−1)ᵗ (pure noise of scale sᵢ with mean zero), plus decay
    /// (<see cref="DecayDynamics.Simulate"/>: float64, the library's optimizer).
    /// </summary>
    /// <exception cref="ArgumentException">No scales, a scale ≤ 0, steps &lt; 1, or a method other than None,
    /// Coupled and Decoupled.</exception>
    public static ShrinkageTrajectory Simulate(IReadOnlyList<double> gradientScales, DecayMethod method,
        double learningRate, double lambda, int steps)
    {
        ArgumentNullException.ThrowIfNull(gradientScales);
        foreach (var s in gradientScales)
            if (!(s > 0) || double.IsInfinity(s))
                throw new ArgumentOutOfRangeException(nameof(gradientScales), s, "Scales must be finite and > 0.");
        if (method is not (DecayMethod.None or DecayMethod.Coupled or DecayMethod.Decoupled))
            throw new ArgumentException($"Method {method}: the experiment compares Coupled (Adam+L2) and Decoupled " +
                "(AdamW), against None.", nameof(method));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Need at least one step.");
        var (trajectories, scales) = DecayDynamics.Simulate(OptimizerKind.Adam, method, learningRate, lambda,
            gradientScales, steps);
        var weights = Enumerable.Range(0, steps + 1).Select(t => trajectories.Select(w => w[t]).ToArray()).ToList();
        return new ShrinkageTrajectory(gradientScales.ToArray(), method, learningRate, lambda, weights, scales);
    }

    /// <summary>
    /// The measured decay rate of weight <paramref name="i"/> per step from step <paramref name="from"/> to the last:
    /// the least-squares slope of −ln θ_t over those steps. Pure decay by a factor (1 − r) per step gives
    /// −ln(1 − r) ≈ r. The data gradient alternates in sign, so the small back-and-forth it causes averages out of the
    /// fit.
    /// </summary>
    public double DecayRate(int i, int from)
    {
        if (i < 0 || i >= GradientScales.Count)
            throw new ArgumentOutOfRangeException(nameof(i), i, $"Need 0 ≤ i < {GradientScales.Count}.");
        if (from < 0 || from >= Steps - 1)
            throw new ArgumentOutOfRangeException(nameof(from), from, $"Need 0 ≤ from < {Steps - 1}.");
        var t = Enumerable.Range(from, Steps - from + 1).Select(k => (double)k).ToArray();
        return -GridStatistics.Slope(t, t.Select(k => Math.Log(Weights[(int)k][i])).ToArray());
    }

    /// <summary>
    /// The closed-form decay rate of weight i: decoupled, −ln(1 − ηλ) for every weight; coupled, ηλ/(√v̂ᵢ + ε) — the
    /// decay term λθᵢ goes through Adam's normalization, and √v̂ᵢ ≈ sᵢ is set by the data gradient (valid while
    /// λθᵢ ≪ sᵢ); 0 without decay.
    /// </summary>
    public double PredictedDecayRate(int i) => Method switch
    {
        DecayMethod.Decoupled => -Math.Log(1 - LearningRate * Lambda),
        DecayMethod.Coupled => LearningRate * Lambda * AdaptiveScales[i],
        _ => 0,
    };
}
