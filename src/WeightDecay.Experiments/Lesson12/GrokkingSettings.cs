namespace WeightDecay.Experiments;

/// <summary>
/// How <see cref="GrokkingTraining"/> trains <see cref="Models.QuadraticMlp"/>s on modular addition
/// (<see cref="Data.ModularAddition"/>): full batch (every training pair every step), cross-entropy, Adam with
/// decoupled weight decay (AdamW, θ ← (1 − ηλ)θ on both weight matrices), β₁ = 0.9, β₂ = <see cref="Beta2"/>.
/// The defaults are the configuration that grokked for every seed tried (research log of lesson 12).
/// </summary>
/// <remarks>Lesson 12: 12-grokking.</remarks>
public sealed record GrokkingSettings
{
    /// <summary>The modulus p (≥ 2).</summary>
    public int Modulus { get; init; } = 31;

    /// <summary>Fraction of the p² pairs used for training, in (0, 1).</summary>
    public double TrainFraction { get; init; } = 0.6;

    /// <summary>Hidden width N (≥ 1).</summary>
    public int Width { get; init; } = 128;

    /// <summary>Initialization scale α (&gt; 0): both weight matrices start α times PyTorch's default draw.</summary>
    public double InitScale { get; init; } = 10;

    /// <summary>Learning rate η (&gt; 0).</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Decoupled weight decay λ (≥ 0; 0 = none).</summary>
    public double Lambda { get; init; } = 1;

    /// <summary>Adam's β₂ ∈ [0, 1).</summary>
    public double Beta2 { get; init; } = 0.98;

    /// <summary>Full-batch steps (≥ 1).</summary>
    public int Steps { get; init; } = 1_000;

    /// <summary>Accuracies and ‖θ‖ are recorded at step 0, every this many steps (≥ 1) and after the
    /// last.</summary>
    public int EvalEvery { get; init; } = 10;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Modulus < 2) throw new ArgumentOutOfRangeException(nameof(Modulus), Modulus, "The modulus must be ≥ 2.");
        if (!(TrainFraction > 0 && TrainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(TrainFraction), TrainFraction, "Must be in (0, 1).");
        if (Width < 1) throw new ArgumentOutOfRangeException(nameof(Width), Width, "Need ≥ 1 hidden unit.");
        if (!(InitScale > 0) || !double.IsFinite(InitScale))
            throw new ArgumentOutOfRangeException(nameof(InitScale), InitScale, "α must be finite and > 0.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "η must be finite and > 0.");
        if (!(Lambda >= 0) || !double.IsFinite(Lambda))
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "λ must be finite and ≥ 0.");
        if (!(Beta2 >= 0 && Beta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "β₂ must be in [0, 1).");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Need ≥ 1 step.");
        if (EvalEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(EvalEvery), EvalEvery, "Evaluate every ≥ 1 step.");
    }

    /// <summary>
    /// These settings at decay <paramref name="lambda"/> with a budget of ⌈<paramref name="timescales"/>/(ηλ)⌉ +
    /// <paramref name="extra"/> steps. The delay before grokking shrinks as λ grows (lesson 12 measured a few
    /// timescales 1/(ηλ) at η = 0.01 and λ ∈ {0.5, 1}, not a law), so a budget counted in timescales grows as λ
    /// shrinks.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">λ not finite and &gt; 0, timescales not &gt; 0 or
    /// extra &lt; 0.</exception>
    public GrokkingSettings ForLambda(double lambda, double timescales = 6, int extra = 100)
    {
        if (!(lambda > 0) || !double.IsFinite(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be finite and > 0.");
        if (!(timescales > 0) || !double.IsFinite(timescales))
            throw new ArgumentOutOfRangeException(nameof(timescales), timescales, "Must be finite and > 0.");
        if (extra < 0) throw new ArgumentOutOfRangeException(nameof(extra), extra, "Must be ≥ 0.");
        return this with { Lambda = lambda, Steps = (int)Math.Ceiling(timescales / (LearningRate * lambda)) + extra };
    }

    /// <summary>The decay timescale 1/(ηλ) in steps (∞ without decay).</summary>
    public double Timescale => Lambda == 0 ? double.PositiveInfinity : 1 / (LearningRate * Lambda);
}
