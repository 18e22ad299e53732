using WeightDecay.Data;
using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>Experiments on d2l's high-dimensional regression solved in closed form (fast enough for dense
/// grids).</summary>
/// <remarks>Lesson 03: 03-high-dimensional-linear-regression and its solutions.</remarks>
public static class RidgeStudy
{
    /// <summary>
    /// For each noise level, the test loss of the ridge solution against λ, averaged over <paramref name="seeds"/> data
    /// sets (each seed draws new training and test data with <see cref="SyntheticRegression"/>). Krogh &amp; Hertz
    /// (1992): the best λ grows with the noise.
    /// </summary>
    /// <param name="noiseLevels">Label-noise standard deviations σ.</param>
    /// <param name="lambdas">The λ grid.</param>
    /// <param name="seeds">Data sets averaged per noise level (seeds firstSeed, firstSeed + 1, …).</param>
    /// <param name="inputs">Dimension d.</param>
    /// <param name="trainCount">Training examples n.</param>
    /// <param name="testCount">Test examples per data set.</param>
    /// <param name="firstSeed">Seed of the first data set (a notebook passes its <c>seed</c>).</param>
    public static IReadOnlyList<NoiseCurve> NoiseSweep(IReadOnlyList<double> noiseLevels, IReadOnlyList<double> lambdas,
        int seeds = 5, int inputs = 200, int trainCount = 20, int testCount = 1000,
        long firstSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(noiseLevels);
        ArgumentNullException.ThrowIfNull(lambdas);
        if (noiseLevels.Count == 0) throw new ArgumentException("Give at least one noise level.", nameof(noiseLevels));
        if (lambdas.Count == 0) throw new ArgumentException("Give at least one λ.", nameof(lambdas));
        if (seeds < 1) throw new ArgumentOutOfRangeException(nameof(seeds), seeds, "Need at least one seed.");
        if (firstSeed < 0) throw new ArgumentOutOfRangeException(nameof(firstSeed), firstSeed, "Seeds are ≥ 0.");
        // hundreds of small solves: one intra-op thread avoids stalls on a busy machine
        using var threads = TorchThreads.Limit(1);
        var curves = new List<NoiseCurve>();
        foreach (var noise in noiseLevels)
        {
            var sum = new double[lambdas.Count];
            double constant = 0;
            for (int s = 0; s < seeds; s++)
            {
                using var data = SyntheticRegression.Create(inputs, trainCount, testCount, noise, seed: firstSeed + s,
                    dtype: TorchSharp.torch.ScalarType.Float64);
                constant += D2lRegression.ConstantPredictorLoss(data);
                for (int k = 0; k < lambdas.Count; k++)
                    sum[k] += Ridge.Loss(data.Test, Ridge.Solve(data.Train, lambdas[k]));
            }
            var mean = sum.Select(v => v / seeds).ToArray();
            int best = Array.IndexOf(mean, mean.Min());
            curves.Add(new NoiseCurve(noise, lambdas.ToArray(), mean, lambdas[best], constant / seeds));
        }
        return curves;
    }

    /// <summary>A log-spaced grid of <paramref name="count"/> values from <paramref name="from"/> to
    /// <paramref name="to"/> (both &gt; 0).</summary>
    public static double[] LogGrid(double from, double to, int count)
    {
        if (!(from > 0) || !(to > from))
            throw new ArgumentException($"Expected 0 < from < to, got from = {from}, to = {to}.");
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, "Need at least two points.");
        return Enumerable.Range(0, count).Select(i => from * Math.Pow(to / from, i / (double)(count - 1))).ToArray();
    }
}
