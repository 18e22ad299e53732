using WeightDecay.Data;
using WeightDecay.Landscape;
using WeightDecay.Losses;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// <see cref="Flatness.Rise"/> direction by direction: the loss rise at ±radius along each of
/// <c>count</c> random directions (direction k from seed + k), so that two models can be compared
/// direction by direction (paired) with a standard error over directions instead of one mean of a
/// few directions.
/// </summary>
/// <remarks>Lesson 06: 06-seeing-the-landscape.</remarks>
public static class DirectionRises
{
    /// <summary>The rise along each direction k = 0 … count − 1.</summary>
    public static double[] Of(nn.Module<Tensor, Tensor> model, TensorDataset data, Loss loss,
        DirectionNormalization normalization, double radius, int count, long seed = 0)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Need at least 1 direction.");
        return Enumerable.Range(0, count)
            .Select(k => Flatness.Rise(model, data, loss, normalization, radius, 1, seed + k)).ToArray();
    }

    /// <summary>Mean ± standard error of the paired differences b − a, direction by direction.</summary>
    public static MeanError Difference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"{a.Count} vs {b.Count} directions.", nameof(b));
        return MeanError.Of(a.Zip(b, (x, y) => y - x));
    }
}
