using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// Seed spreads behind lesson 03's norm and baseline claims (d2l's run, issue 15); a class of its own so that
/// xunit runs it beside the other spread tests.
/// The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class D2lNormSpreadTests(ITestOutputHelper output)
{
    private static IReadOnlyList<int> Seeds => SpreadSeeds.Seeds;

    /// <summary>
    /// Lessons 00 and 03: d2l's run (n = 20, d = 200, w₀ ~ N(0, I), SGD batch 5, η = 0.003, 100 epochs as lesson 03
    /// runs in both modes), 20 seeds. Measured: without decay ‖w‖₂ = 13.08 ± 0.72 (mean ± sd), from 11.68 to
    /// 14.27, against √(d − n) = 13.42: largest distance 1.74; lesson 03 allows ± 3 (about 4 sd). The predicted norm
    /// √(‖w₀⊥‖²(1 − ηλ)^{2T} + ‖w_λ‖²) is met within 1.3e-4 (relative) at λ = 0 and 4.6 % at λ = 3 (mean 1.1 %,
    /// sd 1.3 %); lesson 03 allows 10 %. At λ = 3, ‖w‖₂ = 0.357 ± 0.019 (0.321 to 0.392: d2l's printed range
    /// 0.34–0.39 holds for most seeds, not all). Test loss over the constant predictor's: 5,752× to 11,160× at λ =
    /// 0, 5.5× to 18.8× at λ = 3 (never below the baseline), 0.87× to 1.08× at λ = 100 (lesson 03 allowed ± 25 %,
    /// now ± 50 %: over seeds 500–1099 the ratio ranged 0.703–1.224, see Lesson03ClaimSpreadTests).
    /// <para>The norm prediction depends on λ (lesson 03 checks it at its parameter <c>lambda</c>): measured once over
    /// seeds 0–19 at 100 epochs (2026-11-30, with a temporary test of this class; about 1 minute), the relative error
    /// ‖w‖₂ / prediction − 1 was at most 1e-4 … 9e-4 for λ ∈ {0.01, 0.03, 0.1, 0.3, 1}, 0.047 at λ = 3, but 0.02 …
    /// 1.17 at λ = 10, 0.01 … 0.40 at λ = 30, −0.10 … +0.23 at λ = 100, −0.52 … +1.27 at λ = 300: once (1 − ηλ)^T removed
    /// the orthogonal part of w₀, ‖w‖₂ is the in-span part alone, and SGD's minibatch noise around w_λ (which the
    /// prediction ignores) is no longer small beside it. Lesson 03's 10 % claim is therefore measured for λ ≤ 3 at
    /// 100 epochs only; for λ ≥ 10 it fails for some seeds, so lesson 03 limits its parameter
    /// <c>lambda</c> to [0, 3] (the runner refuses a larger value before any work).</para>
    /// </summary>
    [Fact]
    public void D2lNormAndBaselineSpread()
    {
        var plainNorm = new List<double>();
        var plainDev = new List<double>();
        var decayDev = new List<double>();
        var decayNorm = new List<double>();
        var vsConstant3 = new List<double>();
        var vsConstant100 = new List<double>();
        var vsConstant0 = new List<double>();
        var shrink = new List<double>();
        foreach (int epochs in new[] { 100 })
            foreach (int seed in Seeds)
            {
                using var data = SyntheticRegression.Create(seed: seed);
                var recipe = D2lRegression.Recipe(data, epochs, seed);
                int steps = D2lRegression.Steps(epochs, data.Train.Count);
                double constant = D2lRegression.ConstantPredictorLoss(data);
                double Norm(TrainingHistory h) => h.Final.LayerNorms["weight"];
                double[] W0(TrainingHistory h) => h.Snapshots[0].Values.Single(v => v.Key == "weight").Value;
                var plain = recipe.Fit(0);
                var decayed = recipe.Fit(3);
                var huge = recipe.Fit(100);
                plainNorm.Add(Norm(plain));
                plainDev.Add(Norm(plain) / D2lRegression.PredictedNorm(data, W0(plain), 0, steps) - 1);
                decayDev.Add(Norm(decayed) / D2lRegression.PredictedNorm(data, W0(decayed), 3, steps) - 1);
                if (epochs == 100) decayNorm.Add(Norm(decayed));
                shrink.Add(Norm(plain) / Norm(decayed));
                vsConstant0.Add(plain.Final.TestLoss!.Value / constant);
                vsConstant3.Add(decayed.Final.TestLoss!.Value / constant);
                vsConstant100.Add(huge.Final.TestLoss!.Value / constant);
            }
        static string R(List<double> v) => $"min {v.Min():G4} max {v.Max():G4} mean {v.Average():G4} " +
            $"sd {Math.Sqrt(v.Select(a => (a - v.Average()) * (a - v.Average())).Sum() / (v.Count - 1)):G3}";
        output.WriteLine($"‖w‖ λ=0: {R(plainNorm)}; √180 = {Math.Sqrt(180):F3}");
        output.WriteLine($"rel dev from prediction λ=0: {R(plainDev)}");
        output.WriteLine($"rel dev from prediction λ=3: {R(decayDev)}");
        output.WriteLine($"‖w‖ λ=3 (100 epochs): {R(decayNorm)}");
        output.WriteLine($"shrink: {R(shrink)}");
        output.WriteLine($"test/constant λ=0: {R(vsConstant0)}");
        output.WriteLine($"test/constant λ=3: {R(vsConstant3)}");
        output.WriteLine($"test/constant λ=100: {R(vsConstant100)}");
        Assert.All(plainNorm, v => Assert.InRange(v, Math.Sqrt(180) - 3, Math.Sqrt(180) + 3));
        Assert.All(plainDev.Concat(decayDev), v => Assert.True(Math.Abs(v) <= 0.1, $"{v}"));
        Assert.All(vsConstant3, v => Assert.True(v > 1, $"{v}"));
        Assert.All(vsConstant100, v => Assert.InRange(v, 0.5, 1.5));
    }
}
