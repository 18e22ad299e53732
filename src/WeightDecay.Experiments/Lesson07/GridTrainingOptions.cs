using WeightDecay.Models;

namespace WeightDecay.Experiments;

/// <summary>Settings of the short MNIST training run behind each grid cell.</summary>
/// <param name="Epochs">Epochs (≥ 1).</param>
/// <param name="BatchSize">Minibatch size (≥ 1).</param>
/// <param name="Hidden">Hidden layer widths of the <see cref="Mlp"/>.</param>
/// <param name="Seed">Seed of the initialization and the minibatch order (the same for every cell).</param>
/// <param name="CosineSchedule">Anneal the learning rate per step, η_t = η·½(1 + cos(π(t − 1)/T)) over the T steps
/// of the run (Loshchilov &amp; Hutter 2019, Sec. 4.1, whose Fig. 2 grids use it). Decoupled decay follows η_t, as
/// in PyTorch. Without it η is constant and the final iterate at large η is noisy.</param>
/// <remarks>Lesson 07: 07-l2-is-not-weight-decay-for-adam and its solutions.</remarks>
public sealed record GridTrainingOptions(int Epochs = 25, int BatchSize = 50, int[]? Hidden = null, int Seed = 0,
    bool CosineSchedule = false)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Need at least one epoch.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be ≥ 1.");
    }
}
