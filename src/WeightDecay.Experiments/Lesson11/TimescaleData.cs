using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>
/// Lesson 11's data: per seed a stratified validation set carved out of the training digits, and training subsets
/// nested inside the rest (the first N of one seeded order), so that the N of one seed differ only by the added digits.
/// </summary>
/// <remarks>Lesson 11: 11-the-timescale.</remarks>
public sealed class TimescaleData : IDisposable
{
    private readonly TensorDataset _pool;
    private readonly long[] _order;

    /// <summary>Carves <paramref name="validationCount"/> digits out of <paramref name="mnist"/>'s training set
    /// (seeded by <paramref name="seed"/>); the rest, shuffled by the seed, is the pool the subsets are taken from.
    /// </summary>
    public TimescaleData(MnistSubset mnist, int validationCount, int seed)
    {
        ArgumentNullException.ThrowIfNull(mnist);
        (_pool, Validation) = RotationTraining.Split(mnist.Train, validationCount, seed);
        Test = mnist.Test;
        var rng = new Random(Seeds.DeriveInt(seed, "lesson11-order"));
        _order = Enumerable.Range(0, (int)_pool.Count).Select(i => (long)i).ToArray();
        rng.Shuffle(_order);
        Seed = seed;
    }

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>The validation digits.</summary>
    public TensorDataset Validation { get; }

    /// <summary>The test digits (owned by the MNIST subset, not disposed here).</summary>
    public TensorDataset Test { get; }

    /// <summary>How many digits the subsets can draw from.</summary>
    public int PoolCount => (int)_pool.Count;

    /// <summary>The first <paramref name="count"/> digits of this seed's order (the caller disposes them).</summary>
    public TensorDataset TrainSubset(int count)
    {
        if (count < 1 || count > _pool.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Expected 1 ≤ N ≤ {_pool.Count}.");
        return _pool.Subset(_order[..count]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _pool.Dispose();
        Validation.Dispose();
    }
}
