using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// Seed spreads behind claims of lesson 03 and solutions/02 (issue 15): each test runs the notebook's computation
/// for 20 seeds at the notebook's sizes (they are small already) and asserts the tolerance the notebook uses, with
/// the measured spread stated in the test's doc comment.
/// The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class EarlyLessonSpreadTests(ITestOutputHelper output)
{
    private static IReadOnlyList<int> Seeds => SpreadSeeds.Seeds;
    private static readonly double[] Steps = Enumerable.Range(1, 11).Select(e => Math.Pow(10, -e)).ToArray();

    private static double[] FdErrors(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, int entries, int seed,
        double lambda) =>
        Steps.Select(h => GradientCheck.Run(model, new CrossEntropy(), x, y, lambda, coordinatesPerTensor: entries,
            step: h, seed: seed).MaxFiniteDifferenceError).ToArray();

    /// <summary>
    /// solutions/02, exercise 3 (64 digits, λ = 0.1, 5 and 10 entries per tensor as in quick and default mode; 20
    /// seeds each). Measured: softmax regression's truncation slope between h = 1e-3 and 0.1 is 2.000 for all 40
    /// runs (to three decimals) — the notebook allows 2 ± 0.05; the MLP's rounding slope between h = 1e-7 and 1e-11
    /// lies in [0.96, 1.11] (allowed [0.7, 1.3]); the MLP's minimum is at h = 1e-5 in every run (allowed [1e-7,
    /// 1e-3]) and both ends exceed it by at least 6.3e5× (allowed 1000×); 120 to 178 of the 4,096 fc1
    /// pre-activations (2.9 % to 4.3 %) lie within 1e-2 of zero (the notebook claims at least 1 %, 2.9× below the
    /// smallest; it no longer claims that the large steps cross the kink, which this test does not measure). The
    /// MLP's own slope above the minimum is NOT asserted: it depends on which pre-activations sit near the kink (seed
    /// 1 gave a jump of about 100× from h = 1e-4 to 1e-3, seed 3 a fall to 0.57×). At both ends of the notebook's λ
    /// range (0.01 and 0.3, seeds 0–19, 2026-12-02): smooth slope 2.000, rounding slope 0.954–1.089 and 0.959–1.053,
    /// the minimum at h = 1e-5 in every run, both ends ≥ 7.1e5× and ≥ 5.0e5× above it; the kink count does not
    /// depend on λ.
    /// </summary>
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.01)]
    [InlineData(0.3)]
    public void FiniteDifferenceStepSpread(double lambda)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Shared.FirstDigitsFloat64(64);
        var smoothSlopes = new List<double>();
        var roundingSlopes = new List<double>();
        var kinks = new List<int>();
        var vRatio = new List<double>();
        var bestH = new List<double>();
        foreach (int entries in new[] { 5, 10 })
            foreach (int seed in Seeds)
            {
                using var smooth = new Mlp(hidden: [], seed: seed, dtype: ScalarType.Float64);
                var s = FdErrors(smooth, x, y, entries, seed, lambda);
                smoothSlopes.Add(Math.Log10(s[0] / s[2]) / 2);
                using var mlp = new Mlp(seed: seed, dtype: ScalarType.Float64);
                var e = FdErrors(mlp, x, y, entries, seed, lambda);
                int best = Array.IndexOf(e, e.Min());
                bestH.Add(Steps[best]);
                vRatio.Add(Math.Min(e[0], e[^1]) / e[best]);
                roundingSlopes.Add(Math.Log10(e[^1] / e[^5]) / 4);
                using (no_grad())
                using (var threshold = 1e-2.ToScalar())
                    kinks.Add((int)mlp.Layers[0].forward(x).abs().lt(threshold).sum().ItemAsInt64());
            }
        output.WriteLine($"λ = {lambda}: smooth slope 1e-1..1e-3: min {smoothSlopes.Min():F3} " +
            $"max {smoothSlopes.Max():F3}");
        output.WriteLine($"rounding slope: min {roundingSlopes.Min():F3} max {roundingSlopes.Max():F3}");
        output.WriteLine($"|z| < 1e-2 count: min {kinks.Min()} max {kinks.Max()}");
        output.WriteLine($"V ratio min {vRatio.Min():E2}; best h from {bestH.Min():E0} to {bestH.Max():E0}");
        Assert.All(smoothSlopes, v => Assert.InRange(v, 1.95, 2.05));
        Assert.All(roundingSlopes, v => Assert.InRange(v, 0.7, 1.3));
        Assert.All(kinks, v => Assert.True(v >= 0.01 * 64 * 64, $"{v} of 4,096 pre-activations near the kink"));
        Assert.All(vRatio, v => Assert.True(v > 1000, $"{v}"));
        Assert.All(bestH, v => Assert.InRange(v, 1e-7 * 0.999, 1e-3 * 1.001));
    }

    /// <summary>
    /// Lesson 03, "More noise, more decay": the best λ of the noise sweep (n = d = 200, grid 1e-4…1e2 with 31
    /// points, σ ∈ {0.01, 0.05, 0.1, 0.2}) against lesson 01's σ²/(nτ²) with τ² = ‖w*‖²/d, averaged over 2 (quick)
    /// and 3 (default) data sets starting at 20 different seeds. Measured: the largest factor between best and
    /// predicted λ is 2.0 (|log10| = 0.301) in both modes, about one and a half grid steps (a grid step is 10^0.2);
    /// lesson 03 allows a factor 4. The same runs measure lesson 03's "the best λ grows with the label noise": the
    /// best λ never decreases from one noise level to the next (all 20 seeds, both modes), and from σ = 0.01 to
    /// σ = 0.2 it grows by at least 251× (lesson 03 claims > 4×; the prior's σ² alone predicts 400×). Session 11
    /// sampled seeds 100–399: with quick mode's 2 data sets the factor reached 7.92 at one seed of 250–399 (3.15 at
    /// most over 100–249, σ = 0.01 the worst level), so quick mode now averages 3 data sets like the default; with 3,
    /// the factor stayed ≤ 2.00 over seeds 100–249 and 250–399 (see the session's note), growth ≥ 158×.
    /// </summary>
    [Fact]
    public void BestLambdaAgainstPriorSpread()
    {
        var noise = new[] { 0.01, 0.05, 0.1, 0.2 };
        var grid = RidgeStudy.LogGrid(1e-4, 1e2, 31);
        const int count = 3;   // noiseSeeds, both modes (quick used 2 until session 11)
        double growth = double.PositiveInfinity;
        var perSeed = new List<(int Seed, double Worst, double Sigma)>();
        foreach (int seed in Seeds)
        {
            var curves = RidgeStudy.NoiseSweep(noise, grid, seeds: count, trainCount: 200, firstSeed: seed);
            var best = curves.Select(c => c.BestLambda).ToList();
            Assert.True(best.Zip(best.Skip(1), (a, b) => b >= a).All(x => x),
                $"{count} data sets, seed {seed}: best λ {string.Join(", ", best)} is not non-decreasing");
            growth = Math.Min(growth, best[^1] / best[0]);
            foreach (var c in curves)
            {
                double predicted = BayesianLinearRegression.LambdaFromPrior(c.NoiseStd * c.NoiseStd, 1e-4, 200);
                perSeed.Add((seed, Math.Abs(Math.Log10(c.BestLambda / predicted)), c.NoiseStd));
            }
        }
        foreach (var g in perSeed.GroupBy(p => p.Sigma))
            output.WriteLine($"{count} data sets, σ = {g.Key}: factor > 2 at {g.Count(p => p.Worst > 0.302)}, " +
                $"> 4 at {g.Count(p => p.Worst > Math.Log10(4))} of {g.Count()} seeds; max factor " +
                $"{Math.Pow(10, g.Max(p => p.Worst)):F2} (seed {g.MaxBy(p => p.Worst).Seed})");
        double worst = perSeed.Max(p => p.Worst);
        output.WriteLine($"{count} data sets: max |log10(best/predicted)| = {worst:F3}; " +
            $"smallest best λ(σ = 0.2) / best λ(σ = 0.01) = {growth:G3}");
        Assert.True(growth > 4, $"{count} data sets: best λ grows only {growth:G3}× from σ = 0.01 to 0.2");
        Assert.True(worst <= Math.Log10(4), $"{count} data sets: factor {Math.Pow(10, worst):F2}");
    }
}
