using WeightDecay.Models;

namespace WeightDecay.Experiments;

/// <summary>Settings of the short MNIST training run behind each grid cell.</summary>
/// <param name="Epochs">Epochs (≥ 1).</param>
/// <param name="BatchSize">Minibatch size (≥ 1).</param>
/// <param name="Hidden">Hidden layer widths of the <see cref="Mlp"/>.</param>
/// <param name="Seed">Seed of the initialization and the minibatch order (the same for every cell).</param>
/// <remarks>Lesson 07: 07-l2-is-not-weight-decay-for-adam and its solutions.</remarks>
public sealed record GridTrainingOptions(int Epochs = 25, int BatchSize = 50, int[]? Hidden = null, int Seed = 0)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Need at least one epoch.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be ≥ 1.");
    }
}
