namespace WeightDecay.Experiments;

/// <summary>
/// Converts a weight-decay coefficient between the conventions found in papers and libraries and this library's:
/// penalty (λ/2)‖θ‖² added to a <em>mean</em>-reduced loss (gradient term λθ), decoupled decay θ ← θ − η·λ·θ (η the
/// learning rate, as in PyTorch's and TorchSharp's AdamW). Each pair of functions is exact and mutually inverse.
/// </summary>
/// <remarks>Lesson 02: 02-the-gradient-derived-and-verified and its solutions.</remarks>
public static class LambdaConversion
{
    /// <summary>Keras <c>regularizers.l2(l2)</c> adds l2·Σθ² to the loss (gradient 2·l2·θ): our λ = 2·l2.</summary>
    public static double FromKerasL2(double l2) => 2 * NonNegative(l2, nameof(l2));

    /// <summary>Our λ as a Keras <c>l2</c> coefficient: l2 = λ/2.</summary>
    public static double ToKerasL2(double lambda) => NonNegative(lambda, nameof(lambda)) / 2;

    /// <summary>
    /// A sum-reduced objective Σᵢ ℓᵢ + (λ_sum/2)‖θ‖² over a batch of n examples is n times our mean-reduced
    /// (1/n) Σᵢ ℓᵢ + (λ/2)‖θ‖² with λ = λ_sum / n: same minimizers, gradients parallel (n times larger).
    /// </summary>
    public static double FromSumReduction(double lambdaSum, long batchSize) =>
        NonNegative(lambdaSum, nameof(lambdaSum)) / Count(batchSize);

    /// <summary>Our λ for a mean-reduced loss as the coefficient of a sum-reduced one over n examples: λ_sum =
    /// n·λ.</summary>
    public static double ToSumReduction(double lambda, long batchSize) =>
        NonNegative(lambda, nameof(lambda)) * Count(batchSize);

    /// <summary>
    /// AdamW as in Loshchilov &amp; Hutter (2019), θ ← θ − η_t(α·adam_step + λ_paper·θ) with schedule multiplier η_t =
    /// 1, decays by λ_paper per step; PyTorch's and TorchSharp's <c>AdamW(lr, weight_decay)</c> decays by
    /// lr·weight_decay per step. The same per-step decay needs weight_decay = λ_paper / lr.
    /// </summary>
    public static double PyTorchFromPaper(double lambdaPaper, double learningRate) =>
        NonNegative(lambdaPaper, nameof(lambdaPaper)) / Rate(learningRate);

    /// <summary>The paper's λ for PyTorch's <c>weight_decay</c> at learning rate lr: λ_paper =
    /// lr·weight_decay.</summary>
    public static double PaperFromPyTorch(double weightDecay, double learningRate) =>
        NonNegative(weightDecay, nameof(weightDecay)) * Rate(learningRate);

    /// <summary>The fraction ηλ removed from a decayed weight per step by plain decay: θ ← (1 − ηλ)θ.</summary>
    public static double PerStepDecay(double lambda, double learningRate) =>
        NonNegative(lambda, nameof(lambda)) * Rate(learningRate);

    /// <summary>Steps after which pure decay θ_t = (1 − ηλ)ᵗθ₀ has halved a weight: ln 2 / (−ln(1 − ηλ)) ≈ ln 2 /
    /// (ηλ).</summary>
    /// <exception cref="ArgumentOutOfRangeException">ηλ is 0 (no decay) or ≥ 1 (the weight would not halve
    /// geometrically).</exception>
    public static double HalfLifeSteps(double lambda, double learningRate)
    {
        double r = PerStepDecay(lambda, learningRate);
        if (!(r > 0 && r < 1))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda,
                $"Need 0 < ηλ < 1 for a half-life; ηλ = {r}.");
        return Math.Log(2) / -Math.Log(1 - r);
    }

    private static double NonNegative(double v, string name) =>
        v >= 0 && !double.IsInfinity(v) ? v : throw new ArgumentOutOfRangeException(name, v,
            "A weight-decay coefficient must be finite and ≥ 0.");

    private static double Rate(double lr) =>
        lr > 0 && !double.IsInfinity(lr) ? lr : throw new ArgumentOutOfRangeException("learningRate", lr,
            "The learning rate must be finite and > 0.");

    private static long Count(long n) => n >= 1 ? n : throw new ArgumentOutOfRangeException("batchSize", n,
        "The batch size must be ≥ 1.");
}
