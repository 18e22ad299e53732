namespace WeightDecay.Data;

/// <summary>
/// Splits example indices into minibatches, reshuffled every epoch by a seeded generator (System.Random with a seed,
/// whose sequence is stable across runs and platforms), so that the same seed always gives the same batches.
/// </summary>
public sealed class MinibatchSampler
{
    private readonly long _count;
    private readonly int _batchSize;
    private readonly bool _shuffle;
    private readonly bool _dropLast;
    private readonly Random _random;

    /// <summary>Creates a sampler over <paramref name="count"/> examples.</summary>
    /// <param name="count">Number of examples (≥ 1).</param>
    /// <param name="batchSize">Examples per batch (≥ 1); the last batch may be smaller unless
    /// <paramref name="dropLast"/>.</param>
    /// <param name="shuffle">Whether each epoch visits the examples in a new random order.</param>
    /// <param name="seed">Seed of the shuffling.</param>
    /// <param name="dropLast">Whether to drop a final incomplete batch.</param>
    public MinibatchSampler(long count, int batchSize, bool shuffle = true, int seed = 0, bool dropLast = false)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The dataset must have at least one example.");
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be at least 1.");
        if (dropLast && batchSize > count)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                $"With dropLast the batch size must be at most the {count} examples.");
        _count = count;
        _batchSize = batchSize;
        _shuffle = shuffle;
        _dropLast = dropLast;
        _random = new Random(Seeds.DeriveInt(seed, "minibatches"));
    }

    /// <summary>Number of batches per epoch.</summary>
    public int BatchesPerEpoch => (int)(_dropLast ? _count / _batchSize : (_count + _batchSize - 1) / _batchSize);

    /// <summary>The batches of the next epoch (each call advances the shuffling).</summary>
    public IEnumerable<long[]> NextEpoch()
    {
        long[] order = new long[_count];
        for (long i = 0; i < _count; i++) order[i] = i;
        if (_shuffle) _random.Shuffle(order);
        int batches = BatchesPerEpoch;
        for (int b = 0; b < batches; b++)
        {
            long start = (long)b * _batchSize;
            long end = Math.Min(start + _batchSize, _count);
            yield return order[(int)start..(int)end];
        }
    }
}
