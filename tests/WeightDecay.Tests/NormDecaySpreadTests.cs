using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spreads behind six claims of notebook 05 (norm decay), and one of its solutions, whose
/// tolerances rest on runs over seeds (issue 15). Each test runs the notebook's computation through the library —
/// the same recipes, <see cref="NormTrend"/> and conditions — at its quick-mode sizes (the cheapest sizes with
/// the same statistic) for <see cref="SpreadSeeds.Seeds"/> and asserts the claim for every seed. The
/// runs skip the notebook's per-epoch test-set evaluation and all weight snapshots but the last epoch's, which
/// do not change training. Measured over seeds 0–19 on 2026-11-30 (at commit b9cec3f, libtorch's default
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
/// <item>"with decay both starts approach one equilibrium norm (within 20 %)": |a₀ − a₁| / max
/// of the final ‖W₁‖ from ×0.25 and ×4 — quick (10 epochs) 6.8–10.6 %, default (12 epochs)
/// 2.4–6.2 %. Claimed &lt; 15 % until session 14: 1.4× the largest gap (quick). Measured again with the runs shared
/// below (OMP_NUM_THREADS=1, 2026-12-01): quick 6.8–10.6 %, default 1.8–6.2 %. Quick sizes over seeds 300–399
/// (session 14): 6.8–12.6 % (mean 9.3 %, s.d. 0.9 %), the largest at seed 385, 3.5 s.d. above the mean and 1.19×
/// below the claimed 15 %: the upper tail is longer than the s.d. suggests, so the notebook now claims 20 % (1.59×
/// the largest gap of seeds 0–19 and 200–399; seeds 200–299 passed the former 12.5 % margin in session 13), and the
/// tighter margin below is 15 %. Session 15 (quick sizes, 2026-12-01): seeds 20–199 6.1–11.1 % (mean 9.1 %), seeds
/// 400–499 5.7–12.4 % (mean 9.3 %); with them seeds 0–499 are all measured, largest gap 12.6 % (seed 385), and every
/// other claim of this class held over 20–199 and 400–499.</item>
/// </list>
/// Three more claims, measured over seeds 0–19 on 2026-12-01 (OMP_NUM_THREADS=1) from the same shared runs, quick
/// sizes with this test, default sizes with the epoch constants changed for one run:
/// <list type="bullet">
/// <item>"the final ‖θ‖₂ decreases monotonically with λ" (0, 1e-4, 1e-3, 1e-2, 3e-2): every step of the grid lowers
/// the final norm for every seed; the smallest relative drop is the first (0 → 1e-4): quick 0.148–0.151 %, default
/// 0.328–0.346 % (the next: quick 1.33 %, default 2.88 % and more). The drop is systematic (it grows with ηλT), its
/// spread over seeds under 0.02 percentage points: the smallest drop is more than 100 seed-spreads above 0.</item>
/// <item>"decay moves ≥ 1.4× as large a share of first-layer weights close to 0 (|w| &lt; 0.005)", λ = 3e-2
/// against λ = 0: share ratio quick 1.885–1.946 (12.7–13.3 % → 24.5–25.2 %), default 4.25–4.56 (12.2–12.8 % →
/// 53.2–56.6 %). The notebook claimed 1.5× until this measurement, 1.26× below the smallest quick ratio; it now
/// claims 1.4×, 1.35× below it.</item>
/// <item>"decay keeps the effective learning rate of the large start more than 10× higher": (‖W₁‖ without decay /
/// ‖W₁‖ with λ = 0.02)² after the ×4 start — quick 30.6–33.6 (‖W₁‖ 18.6–18.7 vs 3.22–3.39), default 34.0–37.5.
/// Claimed &gt; 10: 3.1× below the smallest. The run without decay never lowers ‖W₁‖ from one epoch to the next
/// for any seed (the notebook's "without decay ‖W₁‖ never decreases", a theorem for a scale-invariant layer, for
/// this start).</item>
/// </list>
/// Besides each claim, a test asserts a tighter margin the measured spread sits well inside
/// (ratio &gt; 0.85, |ratio| &lt; 0.35, gap &lt; 15 %, drop &gt; 0.1 %, share ratio &gt; 1.7, effective-rate
/// ratio &gt; 20; all at quick sizes), so that drift towards the claimed
/// tolerance is noticed before a notebook run fails. Cost (2026-12-01, one thread): the three-seed sample
/// trains about 210 epoch-equivalents, ≈ 17 CPU-s; the three claims added that day share the sweep's runs
/// (a last-epoch snapshot) and add one run per seed (×4 without decay), ≈ 2.4 CPU-s of it. All 20 seeds at quick
/// sizes: about 4 min of test time on a heavily loaded machine (earlier, unloaded: 80 s, 65 CPU-s, before the
/// added run); at default sizes about 8 min loaded (earlier 160 s, 133 CPU-s).
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

    /// <summary>The λ sweep's runs per seed, shared by the sweep's tests (trained once).</summary>
    private static readonly Lazy<IReadOnlyDictionary<int, List<SweepRun>>> Sweeps =
        new(() => SpreadSeeds.Seeds.ToDictionary(s => s, Sweep));

    /// <summary>One run of the λ sweep: its norm trend, its final ‖θ‖₂ and the share of its final first-layer
    /// weights with |w| &lt; 0.005 (the notebook's "close to 0").</summary>
    private sealed record SweepRun(NormTrend Trend, double FinalNorm, double SmallShare);

    /// <summary>The notebook's λ sweep (Mlp, SGD η = 0.1, coupled decay, batch 128): per λ, its trend, final norm
    /// and share of small first-layer weights (from a snapshot at the last epoch, as the notebook's heatmaps; the
    /// snapshot does not change training).</summary>
    private static List<SweepRun> Sweep(int seed)
    {
        var mnist = Shared.Mnist;
        var recipe = new TrainingRecipe<Mlp>
        {
            NewModel = () => new Mlp(seed: seed), Train = mnist.Train, Loss = new CrossEntropy(),
            Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1),
            Method = DecayMethod.Coupled, Epochs = Epochs, BatchSize = 128, Seed = seed,
            SnapshotEveryEpochs = Epochs,
        };
        int stepsPerEpoch = new MinibatchSampler(mnist.Train.Count, 128, shuffle: true, seed: seed)
            .BatchesPerEpoch;
        return Lambdas.Select(l =>
        {
            var h = recipe.Fit(l);
            var w = h.Snapshots[^1].Values.Single(v => v.Key == "fc1.weight").Value;
            return new SweepRun(NormTrend.Of(h, l, 0.1, stepsPerEpoch), h.Final.ParameterNorm,
                w.Count(v => Math.Abs(v) < 0.005) / (double)w.Length);
        }).ToList();
    }

    /// <summary>The notebook's scale-invariant runs per seed, shared by their tests (trained once): the final
    /// ‖W₁‖ with λ = 0.02 from ×0.25 and from ×4, and ‖W₁‖ after every epoch without decay from ×4. The notebook's
    /// fourth run (×0.25 without decay) enters no claim with a seed tolerance and is not trained here.</summary>
    private static readonly Lazy<IReadOnlyDictionary<int, NormalizedRuns>> Normalized =
        new(() => SpreadSeeds.Seeds.ToDictionary(s => s, TrainNormalized));

    /// <summary>The scale-invariant runs of one seed (see <see cref="Normalized"/>).</summary>
    private sealed record NormalizedRuns(double FromSmall, double FromLarge, IReadOnlyList<double> LargeNoDecay);

    private static NormalizedRuns TrainNormalized(int seed)
    {
        var recipe = NormalizedRecipe(seed);
        NormalizedMlp Scaled(double scale)
        {
            var m = new NormalizedMlp(seed: seed);
            using (no_grad()) { using var s = scale.ToScalar(); m.Hidden.weight!.mul_(s); }
            return m;
        }
        IReadOnlyList<double> W1(double scale, double lambda) => (recipe with { NewModel = () => Scaled(scale) })
            .Fit(lambda).Epochs.Select(e => e.LayerNorms["fc1.weight"]).ToList();
        return new NormalizedRuns(W1(0.25, 0.02)[^1], W1(4.0, 0.02)[^1], W1(4.0, 0));
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
        foreach (var (seed, runs) in Sweeps.Value)
        {
            var trends = runs.Select(r => r.Trend).ToList();
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
        foreach (var (seed, runs) in Sweeps.Value)
        {
            var trends = runs.Select(r => r.Trend).ToList();
            double growth0 = trends[0].LastEpochChange, last = trends[^1].LastEpochChange;
            output.WriteLine($"seed {seed}: λ = {trends[^1].Lambda}: {last:P2} vs {growth0:P2}, " +
                $"ratio {last / growth0:F3}");
            Assert.True(Math.Abs(last) < 0.5 * growth0, $"seed {seed}: ratio {last / growth0:F3}");
            Assert.True(Math.Abs(last) < 0.35 * growth0,   // margin (measured |ratio| ≤ 0.28)
                $"seed {seed}: ratio {last / growth0:F3} near the claim's 0.5");
        }
    }

    /// <summary>"the final ‖θ‖₂ decreases monotonically with λ" (λ ∈ {0, 1e-4, 1e-3, 1e-2, 3e-2}).</summary>
    [Fact]
    public void TheFinalNormDecreasesMonotonicallyWithLambda()
    {
        var steps = new List<double>();
        foreach (var (seed, runs) in Sweeps.Value)
        {
            var finals = runs.Select(r => r.FinalNorm).ToList();
            var drops = finals.Zip(finals.Skip(1), (a, b) => (a - b) / a).ToList();   // relative drop per λ step
            steps.Add(drops.Min());
            output.WriteLine($"seed {seed}: ‖θ‖₂ {string.Join(" → ", finals.Select(v => v.ToString("F3")))}; " +
                $"relative drops {string.Join(", ", drops.Select(d => d.ToString("P3")))}");
            Assert.All(drops, d => Assert.True(d > 0, $"seed {seed}: drop {d:P3}"));
            Assert.All(drops, d => Assert.True(d > 0.001,   // margin (measured ≥ 0.148 %)
                $"seed {seed}: drop {d:P3} near the claim's 0"));
        }
        output.WriteLine($"smallest relative drop {steps.Min():P3}");
    }

    /// <summary>"decay moves ≥ 1.4× as large a share of first-layer weights close to 0 (|w| &lt; 0.005)": the share
    /// at λ = 3e-2 over the share at λ = 0.</summary>
    [Fact]
    public void DecayMovesALargerShareOfFirstLayerWeightsCloseToZero()
    {
        var ratios = new List<double>();
        foreach (var (seed, runs) in Sweeps.Value)
        {
            double small0 = runs[0].SmallShare, smallBig = runs[^1].SmallShare;
            ratios.Add(smallBig / small0);
            output.WriteLine($"seed {seed}: {small0:P2} at λ = 0, {smallBig:P2} at λ = {Lambdas[^1]}, " +
                $"ratio {smallBig / small0:F3}");
            Assert.True(smallBig > 1.4 * small0, $"seed {seed}: ratio {smallBig / small0:F3}");
            Assert.True(smallBig > 1.7 * small0,   // margin (measured ≥ 1.885)
                $"seed {seed}: ratio {smallBig / small0:F3} near the claim's 1.4");
        }
        output.WriteLine($"ratio {ratios.Min():F3} … {ratios.Max():F3}");
    }

    /// <summary>"decay keeps the effective learning rate of the large start more than 10× higher": η/‖W₁‖² at
    /// the end of the ×4 run with λ = 0.02 over that without decay, i.e. (‖W₁‖ without / ‖W₁‖ with)². The
    /// same no-decay run also checks the notebook's "without decay ‖W₁‖ never decreases" for the ×4 start.</summary>
    [Fact]
    public void DecayKeepsTheEffectiveLearningRateOfTheLargeStartHigher()
    {
        var ratios = new List<double>();
        foreach (var (seed, runs) in Normalized.Value)
        {
            double without = runs.LargeNoDecay[^1], ratio = Math.Pow(without / runs.FromLarge, 2);
            ratios.Add(ratio);
            output.WriteLine($"seed {seed}: ‖W₁‖ from ×4 {without:F3} without decay, {runs.FromLarge:F3} with; " +
                $"effective learning rate ×{ratio:F2}");
            Assert.True(ratio > 10, $"seed {seed}: ×{ratio:F2}");
            Assert.True(ratio > 20, $"seed {seed}: ×{ratio:F2} near the claim's 10");   // margin (measured ≥ 30.6)
            var w = runs.LargeNoDecay;
            Assert.All(w.Zip(w.Skip(1)), p => Assert.True(p.Second >= p.First, $"seed {seed}: {p.First} → {p.Second}"));
        }
        output.WriteLine($"ratio {ratios.Min():F2} … {ratios.Max():F2}");
    }

    /// <summary>"with decay both starts approach one equilibrium norm (within 20 %)": the notebook's
    /// NormalizedMlp runs from ×0.25 and ×4 (SGD η = 0.2, λ = 0.02, batch 128). The notebook's runs
    /// without decay do not enter this claim and are not trained here.</summary>
    [Fact]
    public void WithDecayBothStartsApproachOneEquilibriumNorm()
    {
        foreach (var (seed, runs) in Normalized.Value)
        {
            double a0 = runs.FromSmall, a1 = runs.FromLarge;
            double gap = Math.Abs(a0 - a1) / Math.Max(a0, a1);
            output.WriteLine($"seed {seed}: ‖W₁‖ from ×0.25 {a0:F3}, from ×4 {a1:F3}, apart {gap:P2}");
            Assert.True(gap < 0.2, $"seed {seed}: {a0:F3} vs {a1:F3}, {gap:P2} apart");
            Assert.True(gap < 0.15, $"seed {seed}: {gap:P2} apart, near the claim's 20 %");   // measured ≤ 12.6 %
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
