using System.Globalization;
using static TorchSharp.torch;

namespace WeightDecay.Data;

/// <summary>
/// Modular addition, the grokking task of Power et al. (2022, arXiv 2201.02177): every pair (a, b) with
/// a, b ∈ {0, …, p − 1} labelled (a + b) mod p, p² examples in all, split at random (seeded) into a training set of
/// round(fraction · p²) pairs and a test set of the rest. Features are the pairs themselves, int64 [n, 2] (columns a
/// and b); targets the int64 labels [n]. <see cref="OneHot"/> turns pairs into the 2p one-hot inputs an MLP takes.
/// </summary>
public sealed class ModularAddition : IDisposable
{
    /// <summary>The modulus p.</summary>
    public int Modulus { get; }

    /// <summary>The fraction of all p² pairs asked for the training set.</summary>
    public double TrainFraction { get; }

    /// <summary>Training pairs: features int64 [n_train, 2], targets int64 [n_train].</summary>
    public TensorDataset Train { get; }

    /// <summary>Test pairs (every pair not in <see cref="Train"/>): features int64 [n_test, 2], targets int64
    /// [n_test].</summary>
    public TensorDataset Test { get; }

    /// <summary>The training pairs as indices a·p + b, ascending.</summary>
    public IReadOnlyList<long> TrainIndices { get; }

    /// <summary>The test pairs as indices a·p + b, ascending.</summary>
    public IReadOnlyList<long> TestIndices { get; }

    /// <summary>Chance accuracy 1/p: every label is equally frequent over all pairs.</summary>
    public double Chance => 1.0 / Modulus;

    private ModularAddition(int p, double fraction, long[] train, long[] test)
    {
        (Modulus, TrainFraction, TrainIndices, TestIndices) = (p, fraction, train, test);
        Train = Build(p, train);
        Test = Build(p, test);
    }

    /// <summary>
    /// All p² pairs (a, b) labelled (a + b) mod p, round(<paramref name="trainFraction"/> · p²) of them (drawn
    /// without replacement from the seed's <c>modular-split</c> stream) for training, the rest for testing. The
    /// same seed gives the same split.
    /// </summary>
    /// <exception cref="ArgumentException">A modulus below 2 or above 1,000, a fraction outside (0, 1), or one
    /// that leaves the training or the test set empty.</exception>
    public static ModularAddition Create(int modulus, double trainFraction, long seed = 0)
    {
        if (modulus < 2 || modulus > 1_000)
            throw new ArgumentOutOfRangeException(nameof(modulus), modulus,
                "The modulus p must be in [2, 1000] (p² pairs are materialized).");
        if (!(trainFraction > 0 && trainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction,
                "The training fraction must be in (0, 1).");
        long total = (long)modulus * modulus;
        long count = (long)Math.Round(trainFraction * total, MidpointRounding.AwayFromZero);
        if (count < 1 || count >= total)
            throw new ArgumentException(
                $"A training fraction of {trainFraction.ToString(CultureInfo.InvariantCulture)} of {total} pairs " +
                $"gives {count} training pairs; need between 1 and {total - 1} so that neither set is empty.",
                nameof(trainFraction));
        var order = Enumerable.Range(0, (int)total).Select(i => (long)i).ToArray();
        new Random(Seeds.DeriveInt(seed, "modular-split")).Shuffle(order);
        var train = order.Take((int)count).Order().ToArray();
        var test = order.Skip((int)count).Order().ToArray();
        return new ModularAddition(modulus, trainFraction, train, test);
    }

    /// <summary>One-hot encodings of pairs [n, 2] (int64): [n, 2p] with a 1 at column a and at column p + b.</summary>
    /// <exception cref="ArgumentException">Pairs that are not int64 [n, 2], or a value outside [0, p).</exception>
    public static Tensor OneHot(Tensor pairs, int modulus, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (modulus < 2) throw new ArgumentOutOfRangeException(nameof(modulus), modulus, "The modulus must be ≥ 2.");
        if (pairs.dtype != ScalarType.Int64 || pairs.dim() != 2 || pairs.shape[1] != 2)
            throw new ArgumentException(
                $"Expected int64 pairs of shape [n, 2], got {pairs.dtype} [{string.Join(", ", pairs.shape)}].",
                nameof(pairs));
        using var scope = NewDisposeScope();
        if (pairs.numel() > 0)
        {
            long min = pairs.min().ItemAsInt64(), max = pairs.max().ItemAsInt64();
            if (min < 0 || max >= modulus)
                throw new ArgumentException(
                    $"Pair values must be in [0, {modulus}), got values in [{min}, {max}].", nameof(pairs));
        }
        using var offset = tensor(new long[] { 0, modulus });
        var columns = pairs.add(offset, Scalars.One);
        var hot = zeros(pairs.shape[0], 2L * modulus, dtype: dtype);
        hot.scatter_(1, columns, ones(pairs.shape[0], 2, dtype: dtype));
        return hot.MoveToOuterDisposeScope();
    }

    private static TensorDataset Build(int p, long[] indices)
    {
        var pairs = new long[indices.Length * 2];
        var labels = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            long a = indices[i] / p, b = indices[i] % p;
            (pairs[2 * i], pairs[2 * i + 1], labels[i]) = (a, b, (a + b) % p);
        }
        return new TensorDataset(tensor(pairs, [indices.Length, 2]), tensor(labels));
    }

    /// <summary>Frees the tensors of both sets.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
