using System.Globalization;
using WeightDecay.Optimization;

namespace WeightDecay.Experiments;

/// <summary>
/// One AdamW training of the 784 → <see cref="Hidden"/> → 10 MLP on MNIST digits, as lesson 11's experiments run it:
/// PyTorch's λ convention (θ ← (1 − η_tλ)θ), a fixed batch size, a fixed number of epochs.
/// </summary>
/// <param name="Epochs">Epochs (≥ 1).</param>
/// <param name="BatchSize">Minibatch size B (≥ 1).</param>
/// <param name="LearningRate">η₀ &gt; 0.</param>
/// <param name="Hidden">Hidden units (≥ 1).</param>
/// <param name="Schedule">The learning-rate schedule (null = constant).</param>
/// <param name="DecayFollowsSchedule">Whether the decay uses η_t (true) or η₀ (false).</param>
/// <remarks>Lesson 11: 11-the-timescale.</remarks>
public sealed record TimescaleSettings(int Epochs = 20, int BatchSize = 50, double LearningRate = 3e-3,
    int Hidden = 64, LearningRateSchedule? Schedule = null, bool DecayFollowsSchedule = true)
{
    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be ≥ 1.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be ≥ 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "η must be finite and > 0.");
        if (Hidden < 1) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "Hidden units must be ≥ 1.");
    }

    /// <summary>τ_iter = 1/(ηλ) in updates.</summary>
    public double TimescaleSteps(double lambda) => 1 / (LearningRate * lambda);

    /// <summary>τ_epoch = τ_iter/(N/B) in epochs for <paramref name="trainCount"/> = N digits.</summary>
    public double TimescaleEpochs(double lambda, int trainCount) =>
        TimescaleSteps(lambda) / ((double)trainCount / BatchSize);

    /// <summary>A short label.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Epochs} epochs, B = {BatchSize}, η = {LearningRate}, 784 → {Hidden} → 10, " +
        $"{(Schedule ?? LearningRateSchedule.Constant).Label}");
}
