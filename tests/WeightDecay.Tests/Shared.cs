namespace WeightDecay.Tests;

/// <summary>Data shared by tests (loaded once; read-only).</summary>
internal static class Shared
{
    private static readonly Lazy<MnistSubset> LazyMnist = new(() => Data.Mnist.Load());

    /// <summary>The bundled MNIST subset with the default 8,000 / 2,000 split.</summary>
    public static MnistSubset Mnist => LazyMnist.Value;

    /// <summary>Lesson 02's batch: the first <paramref name="n"/> training digits, features in float64.</summary>
    public static (Tensor X, Tensor Y) FirstDigitsFloat64(int n = 64)
    {
        var (x, y) = Mnist.Train.Batch(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        using (x) return (x.to_type(ScalarType.Float64), y);
    }

    /// <summary>The mean of every run of <paramref name="window"/> consecutive values, in order (empty when there are
    /// fewer values): what a claim about the mean over that many seeds sees, for each window of a spread test's seeds.
    /// </summary>
    public static List<double> WindowMeans(IReadOnlyList<double> values, int window) =>
        Enumerable.Range(0, Math.Max(0, values.Count - window + 1))
            .Select(i => values.Skip(i).Take(window).Average()).ToList();

    public static double MaxAbs(IEnumerable<double> a, IEnumerable<double> b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}

/// <summary>Tests that measure process memory or rely on global torch state run alone.</summary>
[CollectionDefinition(nameof(Serial), DisableParallelization = true)]
public sealed class Serial;
