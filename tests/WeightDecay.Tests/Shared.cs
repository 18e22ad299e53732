namespace WeightDecay.Tests;

/// <summary>Data shared by tests (loaded once; read-only).</summary>
internal static class Shared
{
    private static readonly Lazy<MnistSubset> LazyMnist = new(() => Data.Mnist.Load());

    /// <summary>The bundled MNIST subset with the default 8,000 / 2,000 split.</summary>
    public static MnistSubset Mnist => LazyMnist.Value;

    public static double MaxAbs(IEnumerable<double> a, IEnumerable<double> b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}

/// <summary>Tests that measure process memory or rely on global torch state run alone.</summary>
[CollectionDefinition(nameof(Serial), DisableParallelization = true)]
public sealed class Serial;
