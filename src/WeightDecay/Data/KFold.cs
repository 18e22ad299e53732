namespace WeightDecay.Data;

/// <summary>k-fold cross-validation splits.</summary>
public static class KFold
{
    /// <summary>
    /// Splits <paramref name="count"/> examples into <paramref name="k"/> folds of sizes differing by at most one,
    /// after a seeded shuffle; each example is in exactly one validation set.
    /// </summary>
    public static IReadOnlyList<Fold> Split(long count, int k, int seed = 0, bool shuffle = true)
    {
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(k), k, "k-fold cross-validation needs k ≥ 2.");
        if (count < k) throw new ArgumentOutOfRangeException(nameof(count), count, $"Need at least k = {k} examples.");
        long[] order = new long[count];
        for (long i = 0; i < count; i++) order[i] = i;
        if (shuffle) new Random(Seeds.DeriveInt(seed, "kfold")).Shuffle(order);
        var folds = new List<Fold>(k);
        long start = 0;
        for (int f = 0; f < k; f++)
        {
            long size = count / k + (f < count % k ? 1 : 0);
            var validation = order[(int)start..(int)(start + size)];
            var train = order[..(int)start].Concat(order[(int)(start + size)..]).ToArray();
            folds.Add(new Fold(f, train, validation));
            start += size;
        }
        return folds;
    }
}
