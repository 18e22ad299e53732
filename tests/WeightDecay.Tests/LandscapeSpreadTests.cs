using WeightDecay.Landscape;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind lesson 06's (06-seeing-the-landscape) seed-dependent claims, run through the library as the
/// notebook runs them: <see cref="Mlp"/> 784 → 64 → 10 on the bundled 8,000 digits, SGD η = 0.1, batch 128 (and
/// 1024), coupled decay λ = 5e-3 (the lesson's default <c>lambda</c>; the ends of its range are below), the
/// 2,000-digit landscape subset (every 4th training digit), the 1,000-digit Hessian subset (every 8th), 16 random
/// directions, raw radius 0.02, c = 4, unit spread 4.
/// Cells without a seed-dependent claim (the planes, the interpolation) are not recomputed; the sweep's rises at
/// λ = 0 and λ = 5e-3 are the batch runs' filter-normalized rises (the same 16 directions on the same models, so the
/// same numbers up to summation order), and λ = 0 and λ = 5e-3 are not trained twice.
/// <para>Measured over seeds 0–19 on 2026-11-30 with one intra-op thread (as the runner runs notebooks), quick mode
/// (3 epochs, λ ∈ {0, 5e-3, 3e-2}, 15 line points) / default mode (8 epochs, λ ∈ {0, 5e-3, 1e-2, 3e-2}, 41 line
/// points); each claim's statistic, its range, and the claimed tolerance:</para>
/// <list type="bullet">
/// <item>"both networks learned": the lower test accuracy of λ = 0 and λ = 5e-3, 86.65–87.85 % / 88.50–90.25 %
/// (claimed &gt; 50 %); the higher training loss over ln 10, 0.182–0.191 / 0.129–0.144 (claimed &lt; 0.5).</item>
/// <item>raw sharpness changes with the uniform rescaling (c = 4). Since session 14 (2026-12-01) the claim averages
/// the rise at ±rawRadius (0.02) over the notebook's 16 raw directions; the ratio rescaled / original was 3.94–6.66
/// (mean 5.37, s.d. 0.50) over seeds 0–299 in quick mode and 3.57–6.12 (mean 4.73, s.d. 0.50) over seeds 0–149 in
/// default mode (claimed &gt; 2 or &lt; 0.5; margin 1.79×, 3.1 s.d. of the default-mode spread). The claim used to
/// take the one plotted direction at a quarter of the ±0.05 line, |rise − rise'| / min: 1.16–8.70 / 1.01–9.66 over
/// seeds 0–19, but down to 0.73 at seed 103 in default mode (claimed &gt; 0.5): one direction is a lottery here
/// too.</item>
/// <item>a per-unit rescaling changes the filter-normalized rise, averaged over the notebook's 16 directions: ratio
/// 4.47–14.7 over seeds 0–9 and 100–229 in quick mode, 5.33–16.1 over seeds 20–39 in default mode (claimed &gt; 2 or
/// &lt; 0.5; margin 2.2×; re-measured 2026-12-01). The claim used to take the one plotted direction: its ratio was
/// 4.59–26.6 / 4.66–33.0 over seeds 0–19, but 1.82 at seed 110 (seeds 100–159), so one direction is too much of a
/// lottery for a claim.</item>
/// <item>the path's PC 1 share minus the random walk's (0.750 for 3 points, 0.626 for 8): 0.229–0.232 /
/// 0.301–0.308 (claimed &gt; 0).</item>
/// <item>power iteration converged (tolerance 1e-3): 7–48 / 8–44 iterations of the 100 allowed.</item>
/// <item>hₘₐₓ is not invariant to the rescaling: |h' − h| / h, 8.44–10.29 / 7.04–9.41 (claimed &gt; 0.2).</item>
/// <item>the filter-normalized rise falls with every step of λ: the largest step ratio rise(λₖ₊₁) / rise(λₖ),
/// 0.932–0.944 / 0.886–0.915 (claimed &lt; 1; margin 0.056, several times the spread).</item>
/// <item>at matched training loss the largest λ is still flatter: its rise over the λ = 0 path's rise at the same
/// training loss, 0.742–0.855 / 0.680–0.758 (claimed &lt; 1; margin 0.145). Not claimed: λ = 5e-3, 0.942–0.967 /
/// 0.833–0.979 — the earlier claim "every λ &gt; 0" held with a margin of only 0.021; λ = 1e-2 (default only),
/// 0.777–0.868.</item>
/// <item>at equal epochs the small batch has the higher test accuracy: the smaller of the two gaps (λ = 0 and
/// λ = 5e-3), 14.4–25.2 / 6.45–8.90 points (claimed &gt; 3 points; the earlier claim, "the small batch generalizes
/// better", rested on one seed).</item>
/// <item>raw: decay makes the small batch look sharper: paired mean / s.e. over the 16 directions, 13.5–32.6 /
/// 11.2–23.5 (claimed &gt; 2), with ‖θ‖ ratio 0.944 / 0.882 (claimed &lt; 1).</item>
/// <item>filter-normalized: decay flattens both batch sizes: the larger of the two paired t, −11.7…−5.88 /
/// −11.5…−5.28 (claimed &lt; −2).</item>
/// <item>the under-trained large batch looks flatter (λ = 0): paired t −12.1…−7.09 / −9.44…−5.07 (claimed
/// &lt; −2).</item>
/// </list>
/// Measured for the prose, not claimed: hₘₐₓ's spread over the grid (max / min − 1), 1.7–13.1 % / 1.0–19.8 %,
/// against the rise's fall, 26.7–31.0 % / 37.3–44.3 %; hₘₐₓ fell monotonically with λ for 18 seeds in quick mode,
/// rose for 12 (no monotone trend for 7) in default mode; the training loss rose with every step of λ (by ≥ 0.0167 /
/// ≥ 0.0242); test accuracy at matched training loss minus the λ = 0 path's, per seed the smallest −0.11…+0.43 /
/// −0.60…+1.06 points and the largest +0.27…+2.44 / −0.44…+2.45 points (mostly, not always, in the decayed network's
/// favour); the large batch's training loss above the small batch's, 1.25–1.34 / 0.49–0.54.
/// <para>Default mode over seeds 20–39 (2026-12-01, session 12), at λ = 5e-3 and at both ends of its range: every
/// claim holds at every seed. The statistics that move with λ (5e-3 / 1e-3 / 2e-2): lower test accuracy ≥ 88.70 /
/// 88.95 / 87.55 %; raw t ≥ 11.8 / 6.44 / 17.0 with ‖θ‖ ratio 0.882 / 0.973 / 0.684; filter-normalized t ≤ −5.90 /
/// −4.46 / −6.07.</para>
/// <para>The ends of the lesson's range for <c>lambda</c>, [1e-3, 2e-2], in quick mode: measured over seeds 0–19
/// on 2026-12-01 with OMP_NUM_THREADS=1, λ = 1e-3 / λ = 2e-2 (the λ = 5e-3 case, run beside them, reproduced the
/// quick-mode ranges above). λ is the decayed network's and the batch runs' decay; the grid stays {0, 5e-3, 3e-2}
/// (5e-3 is then trained as a grid point, as the notebook does), so the rescaling, sweep and matched-loss statistics
/// are those above, as is the λ = 0 comparison across batch sizes (−12.1…−7.09). The claims that move:</para>
/// <list type="bullet">
/// <item>"both networks learned": lower test accuracy 86.75–87.95 % / 85.90–87.75 % (claimed &gt; 50 %); higher
/// training loss over ln 10, 0.175–0.186 / 0.208–0.217 (claimed &lt; 0.5).</item>
/// <item>the path's PC 1 share minus the random walk's: 0.2297–0.2327 / 0.2273–0.2306 (claimed &gt; 0).</item>
/// <item>power iteration converged: 7–36 / 11–35 iterations of the 100 allowed.</item>
/// <item>the small batch ahead at equal epochs: the smaller gap 14.4–25.2 / 14.05–25.2 points (claimed &gt; 3).</item>
/// <item>raw: decay makes the small batch look sharper: paired t 10.5–26.6 / 13.9–37.5 (claimed &gt; 2), ‖θ‖ ratio
/// 0.988 / 0.809–0.810 (claimed &lt; 1; at 1e-3 the margin is 0.012, but its spread over seeds is 0.0001).</item>
/// <item>filter-normalized: decay flattens both batch sizes: the larger paired t, −11.0…−5.44 / −12.1…−5.91
/// (claimed &lt; −2).</item>
/// </list>
/// Not claimed: the large batch's training loss above the small batch's, 1.26–1.34 / 1.22–1.30. The default sizes
/// were not measured at the ends.
/// <para>Quick mode over seeds 200–299 (2026-12-01, session 13) at all three λ: every claim holds at every seed. The
/// least room: per-unit ratio ≥ 5.26; raw change (the one-direction statistic then) ≥ 1.31; sweep ratio ≤ 0.944;
/// matched ratio ≤ 0.875; the smaller batch gap ≥ 12.5 points; raw t ≥ 10.7 / 8.43 / 10.9 (λ = 5e-3 / 1e-3 / 2e-2);
/// filter-normalized t ≤ −4.96; λ = 0 across batch sizes ≤ −5.56; lower test accuracy ≥ 83.75 %. About 6 minutes
/// per λ for the 100 seeds.</para>
/// <para>Default mode over seeds 40–119 (2026-12-01, session 14) at all three λ, before the raw claim averaged 16
/// directions: every claim held; the one-direction raw change fell to 0.73 (seed 103), which led to the change above.
/// The least room otherwise: per-unit ratio ≥ 4.63; rescaled hₘₐₓ change ≥ 6.92; sweep ratio ≤ 0.915; matched ratio
/// of the largest λ ≤ 0.748; the smaller batch gap ≥ 5.0 points (λ = 2e-2; claimed &gt; 3); raw t ≥ 9.78 / 6.99 /
/// 12.2 (λ = 5e-3 / 1e-3 / 2e-2); filter-normalized t ≤ −5.03; λ = 0 across batch sizes ≤ −4.33; lower test
/// accuracy ≥ 87.15 %; power iteration 6–48 iterations.</para>
/// <para>Default mode over seeds 120–159 (2026-12-01, session 15) at all three λ, with the raw claim over 16
/// directions: every claim held. Raw ratio 3.57–5.62 (claimed &gt; 2 or &lt; 0.5); per-unit ratio ≥ 5.85; rescaled
/// hₘₐₓ change ≥ 6.43; sweep ratio ≤ 0.912; the smaller batch gap ≥ 6.05 points; raw t ≥ 10.7 / 5.69 / 12.5 (λ =
/// 5e-3 / 1e-3 / 2e-2; claimed &gt; 2); filter-normalized t ≤ −5.16; λ = 0 across batch sizes ≤ −4.71; lower test
/// accuracy ≥ 86.9 %; power iteration 7–48 iterations. 38 minutes for the three λ beside other runs.</para>
/// <para>Default mode over seeds 160–259 (2026-12-02, session 17) at the default λ = 5e-3 only: every claim held.
/// Raw ratio 4.04–6.35; per-unit ratio ≥ 4.38; rescaled hₘₐₓ change ≥ 6.44; sweep ratio ≤ 0.915; matched ratio of
/// the largest λ ≤ 0.744 (of 5e-3 up to 1.011, which no claim reads); the smaller batch gap ≥ 6.2 points; raw t ≥
/// 10.7; filter-normalized t ≤ −4.59; λ = 0 across batch sizes ≤ −4.29; test accuracy ≥ 88.8 %; power iteration
/// 6–47 iterations. 43 minutes beside other runs.</para>
/// <para>Cost (one intra-op thread): about 4 s per seed in quick mode on an idle machine, 7 s in default mode; on
/// 2026-12-01 (load average about 15 on 2 cores) the 20 seeds took 63 s at λ = 5e-3, 69 s at 2e-2 and 73 s at 1e-3
/// (an end trains λ = 5e-3 as a sixth network). The test command runs the quick-mode sample
/// (<see cref="SpreadSeeds"/>) at the three λ, 11 s each on that machine (the ends add about 22 s); the default
/// sizes are a skipped fact, run on demand by removing its Skip.</para>
/// </summary>
public class LandscapeSpreadTests(ITestOutputHelper output)
{
    private const double Lambda = 5e-3, RawRadius = 0.02, UnitSpread = 4, C = 4;
    private const int LargeBatch = 1024, Directions = 16;

    /// <summary>The parameters quick mode changes that a claim depends on: epochs and the λ grid (the 1-D slices'
    /// points, which quick mode also changes, enter no claim since session 14).</summary>
    private sealed record Sizes(int Epochs, double[] Lambdas);

    private static readonly Sizes Quick = new(3, [0, 5e-3, 3e-2]);
    private static readonly Sizes Default = new(8, [0, 5e-3, 1e-2, 3e-2]);

    /// <summary>One seed's statistics, one per claim.</summary>
    private sealed record Stats(int Seed, double MinAccuracy, double MaxTrainOverLn10, double RawRatio,
        double UnitRatio, double Pc1Margin, int HessianIterations, bool Converged, double RescaledChange,
        double MaxSweepRatio, double MaxMatchedRatio, double BatchAccuracyGap, double RawT, double NormRatio,
        double FilterT, double AcrossT, double HSpread, int HTrend, double RiseFall, double MinTrainRise,
        double MinMatchedAccuracyGain, double MaxMatchedAccuracyGain, double LargeBatchTrainExcess,
        double[] MatchedRatios)
    {
        public override string ToString() =>
            $"seed {Seed}: accuracy ≥ {MinAccuracy:F4}, train/ln10 ≤ {MaxTrainOverLn10:F3}; raw ratio " +
            $"{RawRatio:F2}; unit ratio {UnitRatio:F2}; PC1 − walk {Pc1Margin:F4}; hessian its {HessianIterations}" +
            $" ({Converged}); rescaled change {RescaledChange:F2}; sweep ratio ≤ {MaxSweepRatio:F3}; matched " +
            $"ratio ≤ {MaxMatchedRatio:F3}; batch accuracy gap ≥ {BatchAccuracyGap:F4}; raw t {RawT:F1}, norm " +
            $"ratio {NormRatio:F3}; filter t ≤ {FilterT:F1}; across t {AcrossT:F1}; h spread {HSpread:P1} " +
            $"trend {HTrend}; rise fall {RiseFall:P1}; training loss rise ≥ {MinTrainRise:F4}; matched " +
            $"accuracy gain {MinMatchedAccuracyGain:F4} … {MaxMatchedAccuracyGain:F4}; large-batch training loss " +
            $"excess {LargeBatchTrainExcess:F4}; matched ratios " +
            $"{string.Join(" ", MatchedRatios.Select(r => r.ToString("F3")))}";
    }

    private static double T(MeanError e) => e.Mean / e.Error;

    /// <summary>The notebook's cells, from training to the batch-size claims, for one seed.</summary>
    private static Stats Run(int seed, Sizes sizes, double lambda, TensorDataset subset, TensorDataset hessianSet)
    {
        var mnist = Shared.Mnist;
        var loss = new CrossEntropy();
        var sgd = new TrainingRecipe<Mlp>
        {
            NewModel = () => new Mlp(seed: seed), Train = mnist.Train, Test = mnist.Test, Loss = loss,
            Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1),
            Method = DecayMethod.Coupled, Epochs = sizes.Epochs, BatchSize = 128, Seed = seed,
            SnapshotEveryEpochs = 1,
        };
        using var plainRun = sgd.FitModel(0);
        using var decayedRun = sgd.FitModel(lambda);
        var (plain, plainHistory) = plainRun;
        var (decayed, decayedHistory) = decayedRun;
        var (fp, fd) = (plainHistory.Final, decayedHistory.Final);

        // the scale-invariance trap
        using var rescaled = ReluRescaling.Uniform(plain, C);
        using var perUnit = ReluRescaling.PerUnit(plain, ReluRescaling.RandomFactors(plain.HiddenSizes[0],
            UnitSpread, seed));
        // the notebook's raw claim averages the rise at ±rawRadius over its `directions` (16) raw directions (since
        // session 14); along the one plotted direction the change ranged 0.73–13.5 over seeds 0–119 in default mode
        double rawA = Flatness.Rise(plain, subset, loss, DirectionNormalization.None, RawRadius, Directions, seed);
        double rawB = Flatness.Rise(rescaled, subset, loss, DirectionNormalization.None, RawRadius, Directions, seed);
        // the notebook's per-unit claim averages the rise over its `directions` (16) filter-normalized directions;
        // along one direction the ratio ranged 1.82–33 over seeds 0–159 (1.82 at seed 110)
        double filA = Flatness.Rise(plain, subset, loss, DirectionNormalization.Filter, 0.5, Directions, seed);
        double filC = Flatness.Rise(perUnit, subset, loss, DirectionNormalization.Filter, 0.5, Directions, seed);

        // the path of training
        var pca = Trajectory.Pca(decayedHistory.Snapshots, decayed);
        var walk = RandomWalkPca.ExplainedVarianceRatio(decayedHistory.Snapshots.Count - 1);

        // sharpness
        var hessian = new HessianOptions { MaxIterations = 100, Tolerance = 1e-3 };
        var sharpPlain = Sharpness.Estimate(plain, hessianSet, loss, hessian).Max;
        var sharpDecayed = Sharpness.Estimate(decayed, hessianSet, loss, hessian).Max;
        var rescaledSharp = Sharpness.Estimate(rescaled, hessianSet, loss, hessian with { MaxIterations = 30 }).Max;

        // batch size × decay (its filter-normalized rises at B = 128 are the sweep's at λ = 0 and λ = lambda)
        var runs = new List<BatchRun>
        {
            BatchRun.Measure("B = 128, λ = 0", plain, fp, subset, loss, RawRadius, Directions, seed),
            BatchRun.Measure("B = 128, λ", decayed, fd, subset, loss, RawRadius, Directions, seed),
        };
        foreach (double l in new[] { 0, lambda })
        {
            using var large = (sgd with { BatchSize = LargeBatch }).FitModel(l);
            runs.Add(BatchRun.Measure($"B = {LargeBatch}", large.Model, large.History.Final, subset, loss,
                RawRadius, Directions, seed));
        }
        var (s0, sl, l0, ll) = (runs[0], runs[1], runs[2], runs[3]);

        // sharpness and flatness against λ
        var sweep = sizes.Lambdas.Select(l =>
        {
            if (l == 0) return (l, h: sharpPlain.Value, rise: s0.FilterMean, train: fp.TrainLoss, acc: s0.Accuracy);
            if (l == lambda)   // otherwise, as in the notebook, the grid's λ is trained on its own
                return (l, h: sharpDecayed.Value, rise: sl.FilterMean, train: fd.TrainLoss, acc: sl.Accuracy);
            using var run = sgd.FitModel(l);
            return (l, h: Sharpness.Estimate(run.Model, hessianSet, loss, hessian).Max.Value,
                rise: Flatness.Rise(run.Model, subset, loss, DirectionNormalization.Filter, 0.5, Directions, seed),
                train: run.History.Final.TrainLoss, acc: run.History.Final.TestAccuracy!.Value);
        }).ToList();
        var pathLoss = plainHistory.Epochs.Skip(1).Select(e => e.TrainLoss).ToList();
        var pathRise = plainHistory.Snapshots.Skip(1).Select(s =>
        {
            using var m = SnapshotModel.From(plain, s);
            return Flatness.Rise(m, subset, loss, DirectionNormalization.Filter, 0.5, Directions, seed);
        }).ToList();
        var matched = sweep.Where(r => r.l > 0)
            .Select(r => r.rise / PathInterpolation.AtLoss(pathLoss, pathRise, r.train))
            .Select(x => double.IsNaN(x) ? double.PositiveInfinity : x).ToArray();
        var pathAcc = plainHistory.Epochs.Skip(1).Select(e => e.TestAccuracy!.Value).ToList();
        var accGain = sweep.Where(r => r.l > 0)
            .Select(r => r.acc - PathInterpolation.AtLoss(pathLoss, pathAcc, r.train)).ToList();
        var hs = sweep.Select(r => r.h).ToList();
        int trend = hs.Zip(hs.Skip(1), (a, b) => b > a).All(x => x) ? 1
            : hs.Zip(hs.Skip(1), (a, b) => b < a).All(x => x) ? -1 : 0;

        return new Stats(seed,
            MinAccuracy: Math.Min(fp.TestAccuracy!.Value, fd.TestAccuracy!.Value),
            MaxTrainOverLn10: Math.Max(fp.TrainLoss, fd.TrainLoss) / Math.Log(10),
            RawRatio: rawB / rawA,
            UnitRatio: filC / filA,
            Pc1Margin: pca.ExplainedVarianceRatio[0] - walk[0],
            HessianIterations: Math.Max(sharpPlain.Iterations, sharpDecayed.Iterations),
            Converged: sharpPlain.Converged && sharpDecayed.Converged,
            RescaledChange: Math.Abs(rescaledSharp.Value - sharpPlain.Value) / sharpPlain.Value,
            MaxSweepRatio: sweep.Zip(sweep.Skip(1), (a, b) => b.rise / a.rise).Max(),
            MaxMatchedRatio: matched.Max(),
            BatchAccuracyGap: Math.Min(s0.Accuracy - l0.Accuracy, sl.Accuracy - ll.Accuracy),
            RawT: T(DirectionRises.Difference(s0.Raw, sl.Raw)),
            NormRatio: sl.Norm / s0.Norm,
            FilterT: Math.Max(T(DirectionRises.Difference(s0.Filter, sl.Filter)),
                T(DirectionRises.Difference(l0.Filter, ll.Filter))),
            AcrossT: T(DirectionRises.Difference(s0.Filter, l0.Filter)),
            HSpread: hs.Max() / hs.Min() - 1, HTrend: trend, RiseFall: 1 - sweep[^1].rise / sweep[0].rise,
            MinTrainRise: sweep.Zip(sweep.Skip(1), (a, b) => b.train - a.train).Min(),
            MinMatchedAccuracyGain: accGain.Min(), MaxMatchedAccuracyGain: accGain.Max(),
            LargeBatchTrainExcess: Math.Min(l0.TrainLoss - s0.TrainLoss, ll.TrainLoss - sl.TrainLoss),
            MatchedRatios: matched);
    }

    private List<Stats> RunAll(Sizes sizes, double lambda)
    {
        using var subset = Shared.Mnist.Train.Subset(Enumerable.Range(0, 2000).Select(i => (long)i * 4).ToArray());
        using var hessianSet = Shared.Mnist.Train.Subset(Enumerable.Range(0, 1000).Select(i => (long)i * 8).ToArray());
        var all = new List<Stats>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var s = Run(seed, sizes, lambda, subset, hessianSet);
            output.WriteLine(s.ToString());
            all.Add(s);
        }
        string R(Func<Stats, double> f) => $"{all.Min(f):G4} … {all.Max(f):G4}";
        output.WriteLine($"ranges: accuracy {R(s => s.MinAccuracy)}; train/ln10 {R(s => s.MaxTrainOverLn10)}; " +
            $"raw ratio {R(s => s.RawRatio)}; unit ratio {R(s => s.UnitRatio)}; PC1 − walk {R(s => s.Pc1Margin)};" +
            $" hessian its {R(s => s.HessianIterations)}; rescaled change {R(s => s.RescaledChange)}; sweep ratio " +
            $"{R(s => s.MaxSweepRatio)}; matched ratio {R(s => s.MaxMatchedRatio)}; batch accuracy gap " +
            $"{R(s => s.BatchAccuracyGap)}; raw t {R(s => s.RawT)}; norm ratio {R(s => s.NormRatio)}; filter t " +
            $"{R(s => s.FilterT)}; across t {R(s => s.AcrossT)}; h spread {R(s => s.HSpread)}; h trend " +
            $"{string.Join(" ", all.Select(s => s.HTrend))}; rise fall {R(s => s.RiseFall)}; training loss rise " +
            $"{R(s => s.MinTrainRise)}; matched accuracy gain {R(s => s.MinMatchedAccuracyGain)} / " +
            $"{R(s => s.MaxMatchedAccuracyGain)}; large-batch excess {R(s => s.LargeBatchTrainExcess)}; " +
            $"matched ratio per λ > 0: {string.Join(", ", Enumerable.Range(0, all[0].MatchedRatios.Length)
                .Select(i => R(s => s.MatchedRatios[i])))}");
        return all;
    }

    /// <summary>Each claim of the notebook, with the notebook's tolerance, asserted for every seed run.</summary>
    private static void AssertClaims(IReadOnlyList<Stats> all)
    {
        var claims = new (string Claim, Func<Stats, bool> Holds)[]
        {
            ("both networks learned", s => s.MinAccuracy > 0.5 && s.MaxTrainOverLn10 < 0.5),
            ("the raw rise, averaged over 16 directions, changes with the rescaling by more than 2×",
                s => s.RawRatio is > 2 or < 0.5),
            ("a per-unit rescaling changes the filter-normalized rise by more than 2×",
                s => s.UnitRatio is > 2 or < 0.5),
            ("PC 1 holds more than the random walk's", s => s.Pc1Margin > 0),
            ("power iteration converged", s => s.Converged),
            ("h_max is not invariant to the rescaling", s => s.RescaledChange > 0.2),
            ("the rise falls with every step of λ", s => s.MaxSweepRatio < 1),
            ("the largest λ is flatter at matched training loss", s => s.MatchedRatios[^1] < 1),
            ("the small batch is ahead on the test set at equal epochs by > 3 points",
                s => s.BatchAccuracyGap > 0.03),
            ("raw: decay makes the small batch look sharper", s => s.RawT > 2 && s.NormRatio < 1),
            ("filter-normalized: decay flattens both", s => s.FilterT < -2),
            ("the large batch looks flatter", s => s.AcrossT < -2),
        };
        var failures = claims.SelectMany(c => all.Where(s => !c.Holds(s)).Select(s => $"{c.Claim}: {s}")).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Quick mode at the lesson's <c>lambda</c>: its default and the two ends of its <c>range:</c>.</summary>
    [Theory]
    [InlineData(Lambda)]
    [InlineData(1e-3)]
    [InlineData(2e-2)]
    public void QuickModeClaimsHoldForTheSpreadSeeds(double lambda)
    {
        output.WriteLine($"quick mode, λ = {lambda}");
        AssertClaims(RunAll(Quick, lambda));
    }

    /// <summary>Default mode at the lesson's <c>lambda</c> and the two ends of its <c>range:</c>.</summary>
    [Theory(Skip = "default sizes: about 7 s per seed, over the test command's budget; run on demand")]
    [InlineData(Lambda)]
    [InlineData(1e-3)]
    [InlineData(2e-2)]
    public void DefaultModeClaimsHoldForTheSpreadSeeds(double lambda) => AssertClaims(RunAll(Default, lambda));
}
