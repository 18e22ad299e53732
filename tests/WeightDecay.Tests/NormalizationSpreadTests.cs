using WeightDecay.Experiments;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spreads behind the claims of notebook 10 and its solutions, measured with this library's <see
/// cref="ScaleInvariance"/>, <see cref="RotationTraining"/> and <see cref="EtaLambdaGrid"/> (BatchNormMlp, 128 hidden
/// units, batch 128, seeds 0–19). Each test runs the notebook's computation at its quick-mode sizes (the cheapest sizes
/// with the same statistic) for 20 seeds and asserts the notebook's tolerance; the default-mode ranges below were
/// measured with the same code for 20 seeds outside the suite (2026-11-30, at commit 5dec8f2). Training runs on one
/// intra-op thread (<see cref="RotationTraining"/>); another thread count changes single runs (seed 0's 400-step grid
/// with two threads: R²(ηλ) 0.844, R²(η/λ) 0.279, a difference of 0.565), not the claims.
/// <list type="bullet">
/// <item>Scale probe (float64, first 512 training digits, c ∈ {0.5, 1, 2, 4, 10}; no quick value): relative loss change
/// ≤ 1.9e-4, |cos(∇L, W₁)| ≤ 4.0e-4, |c‖∇L(cW₁)‖/‖∇L(W₁)‖ − 1| ≤ 9.4e-4. The notebook claims &lt; 1e-3, &lt; 2e-3 and
/// &lt; 5e-3 (margins 5×, 5×, 5×).</item>
/// <item>With decay, RMS angle per step over the last window / √(2ηλ) (η = 0.2): quick (λ = 0.04, 600 steps, last 200)
/// [1.000, 1.018]; default (λ = 0.02, 1,500 steps, last 300) [0.990, 1.019]. The notebook claims ±5 %.</item>
/// <item>Without decay: late RMS / RMS of the first 100 steps: quick [0.529, 0.571], default [0.213, 0.238] (claimed
/// &lt; 0.75); late RMS / √(2ηλ) of the decayed run: quick [0.117, 0.125], default [0.066, 0.073] (claimed &lt; 1/4);
/// ‖W₁‖ grows in every run (end / start: quick [1.126, 1.130], default [1.165, 1.173]).</item>
/// <item>(η, λ) grid η ∈ {0.05 … 0.4} × λ ∈ {0.02 … 0.16}, 6,000 / 2,000 train / validation split by seed, validation
/// accuracy: quick (200 steps) R²(ηλ) ∈ [0.938, 0.996], R²(η/λ) ∈ [0.047, 0.194], difference ≥ 0.747; default (400
/// steps) R²(ηλ) ∈ [0.845, 0.989], R²(η/λ) ∈ [0.051, 0.219], difference ≥ 0.688. Session 6 measured seeds 20–119 too
/// (one intra-op thread, as in the notebook): default R²(ηλ) ∈ [0.797, 0.997], R²(η/λ) ∈ [0.014, 0.236], difference
/// ≥ 0.561; quick R²(ηλ) ∈ [0.671, 0.994], R²(η/λ) ∈ [0.018, 0.292], difference ≥ 0.379 (below the former claim's
/// 0.4 as well). A default run with seed 26278, tried by hand, gave R²(ηλ) = 0.695, R²(η/λ) = 0.344, a difference of
/// 0.351 — the tail is longer than 120 seeds show — and failed the notebook's former claim (R²(ηλ) ≥ 0.6, difference
/// ≥ 0.4). The notebook now claims R²(ηλ) ≥ 0.5 and a difference ≥ 0.15, below every seed measured.</item>
/// <item>γ, β and biases decayed vs excluded (BatchNorm affine, η = 0.2): the training loss is higher with them decayed
/// for every seed — quick (λ = 0.04, 300 steps) by 0.065 … 0.264 (ratio ≥ 1.20), default (λ = 0.02, 600 steps) by 0.047
/// … 0.170 (ratio ≥ 1.32) — so the mean over the notebook's three seeds is higher for any first seed (the claim).
/// Validation accuracy is lower with them decayed in 17 of 20 seeds (quick and default alike), so the notebook claims
/// nothing about it.</item>
/// <item>Solutions, exercise 1 (SGD momentum 0.9, η = λ = 0.02): RMS angle / √(2ηλ/(1+μ)): quick (1,000 steps, last
/// 200) [0.977, 1.031] (600 steps gave [0.950, 0.984]: not yet in equilibrium, too close to the tolerance, so the
/// solutions' quick mode trains 1,000), default (1,500, last 300) [0.989, 1.020]; claimed ±5 % (margin 1.6× the largest
/// deviation in quick mode, 2.5× in default mode). The solutions' second claim, "the momentum-free √(2ηλ) is off by
/// more than 15 %", is this ratio divided by √(1 + μ) = √1.9 (quick [0.709, 0.748], default [0.717, 0.740]), and
/// any ratio within the ±5 % above gives 0.689 … 0.762, at least 24 % off — it follows from the first claim (the
/// test asserts it too).</item>
/// <item>Solutions, exercise 2 ((0.4, 0.01) vs (0.2, 0.02)): RMS angle ratio quick [0.986, 1.016], default [0.987,
/// 1.026] (claimed ±5 %, margin 1.9×); late-norm ratio / √2 quick [1.022, 1.040], default [1.026, 1.046] (claimed
/// ±10 %, margin 2.2×). The solutions notebook cites this test for its four claims.</item>
/// </list>
/// The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class NormalizationSpreadTests(ITestOutputHelper output)
{
    private static string Range(IReadOnlyCollection<double> v) => $"[{v.Min():F4}, {v.Max():F4}]";

    [Fact]
    public void ScaleProbeClosedFormsHoldForTheSpreadSeeds()
    {
        var (x, y) = Shared.Mnist.Train.Batch(Enumerable.Range(0, 512).Select(i => (long)i).ToArray());
        using var x64 = x.to_type(ScalarType.Float64);
        var (loss, cos, grad) = (new List<double>(), new List<double>(), new List<double>());
        foreach (int seed in SpreadSeeds.Seeds)
        {
            using var model = new BatchNormMlp(hidden: 128, seed: seed, dtype: ScalarType.Float64);
            model.train();
            var probes = ScaleInvariance.Probe(model, model.Hidden.weight!,
                () => nn.functional.cross_entropy(model.forward(x64), y), [0.5, 1, 2, 4, 10]);
            var at1 = probes.Single(p => p.Scale == 1);
            loss.Add(probes.Max(p => Math.Abs(p.Loss - at1.Loss) / at1.Loss));
            cos.Add(probes.Max(p => Math.Abs(p.Cosine)));
            grad.Add(probes.Max(p => Math.Abs(p.GradientNorm * p.Scale / at1.GradientNorm - 1)));
        }
        output.WriteLine($"loss {Range(loss)}, |cos| {Range(cos)}, gradient scaling {Range(grad)}");
        Assert.All(loss, v => Assert.True(v < 1e-3, $"relative loss change {v}"));
        Assert.All(cos, v => Assert.True(v < 2e-3, $"|cos| {v}"));
        Assert.All(grad, v => Assert.True(v < 5e-3, $"gradient scaling off by {v}"));
    }

    [Fact]
    public void QuickSizeAngleSettlesAtTheEquilibriumForTheSpreadSeeds()
    {
        var mnist = Shared.Mnist;
        var (ratios, lateEarly, latePred) = (new List<double>(), new List<double>(), new List<double>());
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var s = new RotationSettings { Steps = 600, Lambda = 0.04, Seed = seed };
            var run = RotationTraining.Run(s, mnist.Train, null, mnist.Test);
            ratios.Add(run.RmsAngle(200) / run.Predicted);
            var free = RotationTraining.Run(s with { Lambda = 0 }, mnist.Train, null, mnist.Test);
            double early = Math.Sqrt(free.Angle.Take(100).Average(a => a * a));
            lateEarly.Add(free.RmsAngle(200) / early);
            latePred.Add(free.RmsAngle(200) / run.Predicted);
            Assert.True(free.WeightNorm[^1] > free.WeightNorm[0], $"seed {seed}: ‖W₁‖ did not grow");
        }
        output.WriteLine($"ratio {Range(ratios)}, late/early {Range(lateEarly)}, late/pred {Range(latePred)}");
        Assert.All(ratios, r => Assert.InRange(r, 0.95, 1.05));
        Assert.All(lateEarly, r => Assert.True(r < 0.75, $"late / early = {r}"));
        Assert.All(latePred, r => Assert.True(r < 0.25, $"late / √(2ηλ) = {r}"));
    }

    [Fact]
    public void QuickSizeGridAccuracyIsExplainedByTheProductForTheSpreadSeeds()
    {
        var mnist = Shared.Mnist;
        var (product, ratio) = (new List<double>(), new List<double>());
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var (train, validation) = RotationTraining.Split(mnist.Train, 2_000, seed);
            using (train)
            using (validation)
            {
                var grid = EtaLambdaGrid.Run([0.05, 0.1, 0.2, 0.4], [0.02, 0.04, 0.08, 0.16],
                    new RotationSettings { Steps = 200, Seed = seed }, train, validation, mnist.Test);
                product.Add(grid.R2ByProduct());
                ratio.Add(grid.R2ByRatio());
            }
        }
        output.WriteLine($"R²(ηλ) {Range(product)}, R²(η/λ) {Range(ratio)}");
        Assert.All(product, r => Assert.True(r >= 0.5, $"R²(ηλ) = {r}"));
        Assert.All(product.Zip(ratio), p => Assert.True(p.First - p.Second >= 0.15,
            $"R²(ηλ) = {p.First}, R²(η/λ) = {p.Second}"));
    }

    [Fact]
    public void QuickSizeDecayingGainsAndBiasesRaisesTheTrainingLossForTheSpreadSeeds()
    {
        var mnist = Shared.Mnist;
        var diffs = new List<double>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var (train, validation) = RotationTraining.Split(mnist.Train, 2_000, seed);
            using (train)
            using (validation)
            {
                var s = new RotationSettings
                {
                    Steps = 300, Lambda = 0.04, Affine = true, Record = false, Seed = seed,
                };
                var keep = RotationTraining.Run(s, train, validation, mnist.Test);
                var decay = RotationTraining.Run(s with { DecayOneDimensional = true }, train, validation,
                    mnist.Test);
                diffs.Add(decay.TrainLoss - keep.TrainLoss);
            }
        }
        output.WriteLine($"train loss decayed − excluded {Range(diffs)}");
        Assert.All(diffs, d => Assert.True(d > 0, $"decayed − excluded = {d}"));
    }

    [Fact]
    public void QuickSizeSolutionsHoldForTheSpreadSeeds()
    {
        var mnist = Shared.Mnist;
        var (momentum, angle, norm) = (new List<double>(), new List<double>(), new List<double>());
        var momentumFree = new List<double>();
        static double NormLate(RotationRun r) => r.WeightNorm.Skip(r.WeightNorm.Count - 200).Average();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var m = RotationTraining.Run(new RotationSettings
            {
                Steps = 1_000, LearningRate = 0.02, Lambda = 0.02, Momentum = 0.9, Seed = seed,
            }, mnist.Train, null, mnist.Test);
            momentum.Add(m.RmsAngle(200) / m.Predicted);
            momentumFree.Add(m.RmsAngle(200) / RotationRun.PredictedAngle(0.02, 0.02));
            var a = RotationTraining.Run(new RotationSettings { Steps = 1_000, Seed = seed }, mnist.Train, null,
                mnist.Test);
            var b = RotationTraining.Run(new RotationSettings
            {
                Steps = 1_000, LearningRate = 0.4, Lambda = 0.01, Seed = seed,
            }, mnist.Train, null, mnist.Test);
            angle.Add(b.RmsAngle(200) / a.RmsAngle(200));
            norm.Add(NormLate(b) / NormLate(a) / Math.Sqrt(2));
        }
        output.WriteLine($"momentum {Range(momentum)}, momentum-free {Range(momentumFree)}, same-product angle " +
            $"{Range(angle)}, norm/√2 {Range(norm)}");
        Assert.All(momentum, r => Assert.InRange(r, 0.95, 1.05));
        Assert.All(momentumFree, r => Assert.True(Math.Abs(r - 1) > 0.15, $"measured / √(2ηλ) = {r}"));
        Assert.All(angle, r => Assert.InRange(r, 0.95, 1.05));
        Assert.All(norm, r => Assert.InRange(r, 0.9, 1.1));
    }
}
