namespace WeightDecay.Optimization;

/// <summary>
/// Decoupled decay as an exponential moving average. Write one update of a decayed weight as
/// θ_t = (1 − d_tλ)θ_{t−1} − η_t u_t (u_t the optimizer's direction: the gradient for SGD, m̂/(√v̂ + ε) for Adam;
/// d_t = η_t when decay follows the schedule, η₀ when it stays at the base rate) and let q_t = −u_t/λ. Unrolled,
/// θ_T = a₀θ₀ + Σ_s w_s q_s with a₀ = ∏_t (1 − d_tλ) (what is left of the initialization) and
/// w_s = η_sλ ∏_{r&gt;s} (1 − d_rλ). When d = η the weights telescope, a₀ + Σ_s w_s = 1: θ_T is a weighted average of
/// θ₀ and the q_s whose weights fall off like e^(−(T−s)/τ) with τ = 1/(ηλ) updates at a constant η. When d_t = η₀ and
/// η_t &lt; η₀ somewhere, the sum is &lt; 1: the average leaks mass and pulls θ towards 0.
/// </summary>
/// <param name="Initial">a₀, the weight of θ₀ after the last update.</param>
/// <param name="Weights">w_s, the weight of update s's target q_s (s = 0 … T − 1).</param>
public sealed record DecayKernel(double Initial, IReadOnlyList<double> Weights)
{
    /// <summary>a₀ + Σ w_s: 1 when decay follows the learning rate.</summary>
    public double Mass => Initial + Weights.Sum();

    /// <summary>
    /// The kernel of a run with learning rates <paramref name="learningRates"/> (η_0 … η_{T−1}) and decay
    /// coefficient <paramref name="lambda"/> &gt; 0; the decay uses η_t (<paramref name="followsSchedule"/>) or
    /// <paramref name="baseLearningRate"/> η₀ at every update.
    /// </summary>
    /// <exception cref="ArgumentException">A rate ≤ 0 or not finite, λ ≤ 0, or a step whose decay factor
    /// 1 − dλ is outside [0, 1).</exception>
    public static DecayKernel Compute(IReadOnlyList<double> learningRates, double lambda, double baseLearningRate,
        bool followsSchedule)
    {
        ArgumentNullException.ThrowIfNull(learningRates);
        if (!(lambda > 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be finite and > 0.");
        if (!(baseLearningRate > 0) || double.IsInfinity(baseLearningRate))
            throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate,
                "The base learning rate must be finite and > 0.");
        for (int t = 0; t < learningRates.Count; t++)
        {
            double eta = learningRates[t], d = followsSchedule ? eta : baseLearningRate;
            if (!(eta >= 0) || double.IsInfinity(eta))
                throw new ArgumentOutOfRangeException(nameof(learningRates), eta,
                    $"Learning rate {t} must be finite and ≥ 0.");
            if (!(d * lambda < 1))
                throw new ArgumentException(
                    $"At update {t} the decay rate dλ = {d * lambda} is ≥ 1, so 1 − dλ is not a decay factor in " +
                    "[0, 1).", nameof(lambda));
        }
        var weights = new double[learningRates.Count];
        double survive = 1; // ∏_{r>s} (1 − d_rλ), built from the last update backwards
        for (int s = learningRates.Count - 1; s >= 0; s--)
        {
            weights[s] = learningRates[s] * lambda * survive;
            survive *= 1 - (followsSchedule ? learningRates[s] : baseLearningRate) * lambda;
        }
        return new DecayKernel(survive, weights);
    }
}
