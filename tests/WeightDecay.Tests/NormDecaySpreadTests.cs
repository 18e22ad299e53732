using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spreads behind three claims of notebook 05 (norm decay), and one of its solutions, whose
/// tolerances rest on runs over seeds (issue 15). Each test runs the notebook's computation through the library —
/// the same recipes, <see cref="NormTrend"/> and conditions — at its quick-mode sizes (the cheapest sizes with
/// the same statistic) for <see cref="SpreadSeeds.Seeds"/> and asserts the claim for every seed. The
/// runs skip the notebook's per-epoch test-set evaluation and weight snapshots, which do not change
/// training. Measured over seeds 0–19 on 2026-11-30 (at commit b9cec3f, libtorch's default
/// two intra-op threads), quick sizes with this test, default sizes (epochs 10, normEpochs 12) with
/// the same code and the two epoch constants changed for one run:
/// <list type="bullet">
/// <item>"every λ with ηλT &lt; 0.1 still grows in the last epoch, at ≥ ½ the λ = 0 rate" (λ = 1e-4
/// and 1e-3 have ηλT &lt; 0.1 in both modes): last-epoch change / undecayed change — quick (ηλT
/// 0.003, 0.025) λ = 1e-4 [0.992, 0.993], λ = 1e-3 [0.923, 0.928]; default (ηλT 0.006, 0.063)
/// [0.980, 0.984] and [0.820, 0.833]. The undecayed norm grows in every run (quick 4.37–4.58 %,
/// default 1.59–1.73 % in the last epoch). Claimed &gt; 0.5: margin ≥ 0.32 below the smallest.</item>
/// <item>"the largest λ has levelled off" (λ = 3e-2): last-epoch change / undecayed change — quick
/// [−0.275, −0.184] (still falling slightly), default [−0.067, +0.055]. Claimed |ratio| &lt; 0.5:
/// 1.8× the largest |ratio| (quick).</item>
/// <item>"with decay both starts approach one equilibrium norm (within 15 %)": |a₀ − a₁| / max
/// of the final ‖W₁‖ from ×0.25 and ×4 — quick (10 epochs) 6.8–10.6 %, default (12 epochs)
/// 2.4–6.2 %. Claimed &lt; 15 %: 1.4× the largest gap (quick).</item>
/// </list>
/// Besides each claim, a test asserts a tighter margin the measured spread sits well inside
/// (ratio &gt; 0.85, |ratio| &lt; 0.35, gap &lt; 12.5 %), so that drift towards the claimed
/// tolerance is noticed before a notebook run fails. Cost: the 5-seed sample takes about 20 s of
/// test time (21 CPU-s); all 20 seeds at quick sizes about 80 s (65 CPU-s), at default sizes about
/// 160 s (133 CPU-s).
/// The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class NormDecaySpreadTests(ITestOutputHelper output)
{
    /// <summary>The notebook's quick-mode epochs of the λ sweep (<c>epochs</c>, quick: 4).</summary>
    private const int Epochs = 4;

    /// <summary>The notebook's quick-mode epochs of the scale-invariant runs (<c>normEpochs</c>,
    /// quick: 10).</summary>
    private const int NormEpochs = 10;

    private static readonly double[] Lambdas = [0, 1e-4, 1e-3, 1e-2, 3e-2];

    /// <summary>The λ sweep's trends per seed, shared by the first two tests (trained once).</summary>
    private static readonly Lazy<IReadOnlyDictionary<int, List<NormTrend>>> Sweeps =
        new(() => SpreadSeeds.Seeds.ToDictionary(s => s, Sweep));

    /// <summary>The notebook's λ sweep (Mlp, SGD η = 0.1, coupled decay, batch 128) and its trends.</summary>
    private static List<NormTrend> Sweep(int seed)
    {
        var mnist = Shared.Mnist;
        var recipe = new TrainingRecipe<Mlp>
        {
            NewModel = () => new Mlp(seed: seed), Train = mnist.Train, Loss = new CrossEntropy(),
            Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1),
            Method = DecayMethod.Coupled, Epochs = Epochs, BatchSize = 128, Seed = seed,
        };
        int stepsPerEpoch = new MinibatchSampler(mnist.Train.Count, 128, shuffle: true, seed: seed)
            .BatchesPerEpoch;
        return Lambdas.Select(l => NormTrend.Of(recipe.Fit(l), l, 0.1, stepsPerEpoch)).ToList();
    }

    /// <summary>The notebook's scale-invariant runs (lesson 05 and its solutions, exercise 1): NormalizedMlp,
    /// SGD η = 0.2, coupled decay, batch 128, quick-mode epochs.</summary>
    private static TrainingRecipe<NormalizedMlp> NormalizedRecipe(int seed) => new()
    {
        NewModel = () => new NormalizedMlp(seed: seed), Train = Shared.Mnist.Train,
        Loss = new CrossEntropy(), Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.2),
        Method = DecayMethod.Coupled, Epochs = NormEpochs, BatchSize = 128, Seed = seed,
    };

    /// <summary>"every λ with ηλT &lt; 0.1 still grows in the last epoch, at ≥ ½ the λ = 0 rate".</summary>
    [Fact]
    public void EveryWeaklyDecayedRunStillGrowsAtLeastHalfAsFastAsTheUndecayedOne()
    {
        foreach (var (seed, trends) in Sweeps.Value)
        {
            double growth0 = trends[0].LastEpochChange;
            var weak = trends.Where(t => t.Lambda > 0 && t.Exposure < 0.1).ToList();
            output.WriteLine($"seed {seed}: undecayed {growth0:P2}; " + string.Join(", ",
                weak.Select(t => $"λ = {t.Lambda} (ηλT {t.Exposure:F3}): ratio {t.LastEpochChange / growth0:F3}")));
            Assert.True(growth0 > 0, $"seed {seed}: undecayed last-epoch change {growth0}");
            Assert.NotEmpty(weak);   // the claim must test something: 1e-4 and 1e-3 at these sizes
            Assert.All(weak, t => Assert.True(t.LastEpochChange > 0.5 * growth0,
                $"seed {seed}, λ = {t.Lambda}: ratio {t.LastEpochChange / growth0:F3}"));
            Assert.All(weak, t => Assert.True(t.LastEpochChange > 0.85 * growth0,   // margin (measured ≥ 0.92)
                $"seed {seed}, λ = {t.Lambda}: ratio {t.LastEpochChange / growth0:F3} near the claim's 0.5"));
        }
    }

    /// <summary>"the largest λ has levelled off: |last-epoch change| &lt; half the undecayed growth".</summary>
    [Fact]
    public void TheLargestLambdaHasLevelledOff()
    {
        foreach (var (seed, trends) in Sweeps.Value)
        {
            double growth0 = trends[0].LastEpochChange, last = trends[^1].LastEpochChange;
            output.WriteLine($"seed {seed}: λ = {trends[^1].Lambda}: {last:P2} vs {growth0:P2}, " +
                $"ratio {last / growth0:F3}");
            Assert.True(Math.Abs(last) < 0.5 * growth0, $"seed {seed}: ratio {last / growth0:F3}");
            Assert.True(Math.Abs(last) < 0.35 * growth0,   // margin (measured |ratio| ≤ 0.28)
                $"seed {seed}: ratio {last / growth0:F3} near the claim's 0.5");
        }
    }

    /// <summary>"with decay both starts approach one equilibrium norm (within 15 %)": the notebook's
    /// NormalizedMlp runs from ×0.25 and ×4 (SGD η = 0.2, λ = 0.02, batch 128). The notebook's runs
    /// without decay do not enter this claim and are not trained here.</summary>
    [Fact]
    public void WithDecayBothStartsApproachOneEquilibriumNorm()
    {
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var recipe = NormalizedRecipe(seed);
            NormalizedMlp Scaled(double scale)
            {
                var m = new NormalizedMlp(seed: seed);
                using (no_grad()) { using var s = scale.ToScalar(); m.Hidden.weight!.mul_(s); }
                return m;
            }
            double Final(double scale) => (recipe with { NewModel = () => Scaled(scale) }).Fit(0.02)
                .Final.LayerNorms["fc1.weight"];
            double a0 = Final(0.25), a1 = Final(4.0);
            double gap = Math.Abs(a0 - a1) / Math.Max(a0, a1);
            output.WriteLine($"seed {seed}: ‖W₁‖ from ×0.25 {a0:F3}, from ×4 {a1:F3}, apart {gap:P2}");
            Assert.True(gap < 0.15, $"seed {seed}: {a0:F3} vs {a1:F3}, {gap:P2} apart");
            Assert.True(gap < 0.125, $"seed {seed}: {gap:P2} apart, near the claim's 15 %");   // measured ≤ 10.7 %
        }
    }

    /// <summary>Solutions 05, exercise 1: "doubling λ divides the equilibrium norm by about 2^¼ (within 10 %)" — the
    /// final ‖W₁‖ of the notebook's NormalizedMlp (SGD η = 0.2, coupled decay, batch 128, quick: 10 epochs) at
    /// λ = 0.02 over that at λ = 0.04, against 2^¼. Measured over seeds 0–19 on 2026-11-30 (libtorch's default two
    /// intra-op threads): quick (10 epochs) −4.98 … +1.67 % off 2^¼, default (12 epochs, the same code with the epochs
    /// changed for one run) −3.59 … +1.44 %. Claimed within 10 %: 2× the largest deviation. The notebook cites this
    /// test. Cost: two trainings per seed, ≈ 2.6 s of test time per seed.</summary>
    [Fact]
    public void SolutionsDoublingLambdaDividesTheEquilibriumNormByAboutTheFourthRootOfTwo()
    {
        var offs = new List<double>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var recipe = NormalizedRecipe(seed);
            double n1 = recipe.Fit(0.02).Final.LayerNorms["fc1.weight"];
            double n2 = recipe.Fit(0.04).Final.LayerNorms["fc1.weight"];
            double off = n1 / n2 / Math.Pow(2, 0.25) - 1;
            offs.Add(off);
            output.WriteLine($"seed {seed}: ‖W₁‖ {n1:F3} at λ = 0.02, {n2:F3} at λ = 0.04, {off:P2} off 2^¼");
            Assert.True(Math.Abs(off) < 0.1, $"seed {seed}: ratio {n1 / n2:F3}, {off:P2} off 2^¼");
        }
        output.WriteLine($"range {offs.Min():P2} … {offs.Max():P2}");
    }
}
