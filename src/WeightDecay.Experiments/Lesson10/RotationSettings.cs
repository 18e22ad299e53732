namespace WeightDecay.Experiments;

/// <summary>
/// How <see cref="RotationTraining"/> trains a <see cref="Models.BatchNormMlp"/>: SGD (optional heavy-ball momentum,
/// PyTorch's convention) with coupled L2 decay at λ on the scale-invariant hidden weight W₁, optionally also on the
/// one-dimensional parameters (BatchNorm's γ and β, the output bias); the output weight matrix is never decayed, so
/// that λ acts only through the scale-invariant layer.
/// </summary>
/// <remarks>Lesson 10: 10-weight-decay-with-normalization.</remarks>
public sealed record RotationSettings
{
    /// <summary>Hidden units (≥ 1).</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Minibatch size (≥ 2: BatchNorm needs more than one example).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>SGD steps (≥ 1).</summary>
    public int Steps { get; init; } = 1_500;

    /// <summary>Learning rate η (&gt; 0).</summary>
    public double LearningRate { get; init; } = 0.2;

    /// <summary>Weight decay λ (≥ 0; 0 = none).</summary>
    public double Lambda { get; init; } = 0.02;

    /// <summary>SGD momentum μ ∈ [0, 1).</summary>
    public double Momentum { get; init; }

    /// <summary>BatchNorm with learned scale γ and shift β.</summary>
    public bool Affine { get; init; }

    /// <summary>Decay the one-dimensional parameters (γ, β, output bias) as well as W₁.</summary>
    public bool DecayOneDimensional { get; init; }

    /// <summary>Record ‖W₁‖, the angle W₁ turns by and ‖∇L(W₁)‖ at every step (costs a float64 copy of W₁ per
    /// step).</summary>
    public bool Record { get; init; } = true;

    /// <summary>Seed of the initialization and of the minibatch order.</summary>
    public int Seed { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Hidden < 1) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "Need ≥ 1 hidden unit.");
        if (BatchSize < 2)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchNorm needs batches of ≥ 2.");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Need ≥ 1 step.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "η must be finite and > 0.");
        if (!(Lambda >= 0) || !double.IsFinite(Lambda))
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "λ must be finite and ≥ 0.");
        if (!(Momentum >= 0 && Momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (Seed < 0) throw new ArgumentOutOfRangeException(nameof(Seed), Seed, "The seed must be ≥ 0.");
    }
}
