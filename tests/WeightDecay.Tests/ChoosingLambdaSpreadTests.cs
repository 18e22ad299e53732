using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// Lesson 08's claims over 20 seeds (0 … 19): the spread of each statistic the notebook checks, printed, and the
/// margin the notebook uses asserted (the measured extremes are in comments beside each assert). Sizes are the
/// notebook's quick-mode sizes (the ridge and quadratic sections have no quick mode). Slow: minutes on a loaded
/// 2-core machine (the MNIST case trains 80 networks).
/// The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class ChoosingLambdaSpreadTests(ITestOutputHelper output)
{
    private static IReadOnlyList<int> Seeds => SpreadSeeds.Seeds;

    private void Report(string name, IEnumerable<double> values)
    {
        var v = values.ToArray();
        var sorted = v.Order().ToArray();
        double Q(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
        output.WriteLine($"{name}: min {v.Min():G4}, 1 % {Q(0.01):G4}, 5 % {Q(0.05):G4}, mean {v.Average():G4}, "
            + $"95 % {Q(0.95):G4}, 99 % {Q(0.99):G4}, max {v.Max():G4}");
    }

    /// <summary>
    /// Section 1 (ridge, n = d = 200, σ = 0.3, true weights 0.05, 1,000 test points). Per data set (the notebook's
    /// seed): the U (test loss at λ = 1e-4 over the best) and the signal (constant predictor over the best). The
    /// selection claims average over the notebook's <c>ridgeDraws</c> = 10 data sets (seed … seed + 9): CV's and
    /// leave-one-out's choices (lesson 08), CV's rise at the smallest λ (lesson 08) and the one-SE rule's choice
    /// (solutions/08). Until session 10 those were per-data-set claims with tolerances from seeds 0–19; over 401 seeds
    /// (20–419, 11172) one data set's choice has a heavy tail: CV/best up to 1.321 (claimed ≤ 1.25), LOO/best up to
    /// 4.552 (claimed ≤ 1.5), the one-SE rule up to 2.179 (claimed ≤ 1.75), CV's rise down to 1.172 (claimed ≥ 1.2) —
    /// each beyond its claim at about 1 % of the seeds or fewer, while the medians were 1. The per-data-set statistics
    /// over those 401 seeds: U ≥ 3.96 (claimed &gt; 3: 1.32×), constant/best ≥ 1.78 (claimed &gt; 1.5: 1.19×). The
    /// ten-draw means, measured on 2026-12-01 over windows starting at seeds 0–419 and 11172: CV/best ≤ 1.061
    /// (claimed ≤ 1.25), LOO/best ≤ 1.416 (then claimed ≤ 1.5), one-SE/best ≤ 1.233 (claimed ≤ 1.75),
    /// one-SE/constant ≤ 0.554 (claimed &lt; 1), CV's rise ≥ 1.459 (claimed ≥ 1.2); GCV/best up to 1.99 (no claim).
    /// Session 11 measured windows starting at seeds 0–1999: LOO's ten-draw mean exceeded 1.5 in 50 of 1,580 windows
    /// (up to 1.689: one draw in a hundred picks a λ with more than 1.5× the best test loss, up to 7.7×, and two such
    /// draws in ten pull the mean over 1.5), so lesson 08 now claims LOO's ten-draw <em>median</em> ≤ 1.25 (measured
    /// ≤ 1.062); CV's mean stayed ≤ 1.069, its median ≤ 1.053; one-SE ≤ 1.233, one-SE/constant ≤ 0.561, CV's rise
    /// ≥ 1.459, U ≥ 3.68, constant/best ≥ 1.68.
    /// </summary>
    [Fact]
    public void RidgeSelectionOverTheSpreadSeeds()
    {
        const int draws = 10;   // the notebooks' ridgeDraws
        var grid = RidgeSelection.HalfDecades(-4, 2);
        var cache = new Dictionary<int, RidgeSelection>();
        RidgeSelection At(int seed)
        {
            if (!cache.TryGetValue(seed, out var s))
                cache[seed] = s = RidgeSelection.OverDraws(200, 0.3, 0.05, grid, 5, seed, 1)[0];
            return s;
        }
        var rows = Seeds.Select(seed =>
        {
            var s = At(seed);
            var window = Enumerable.Range(seed, draws).Select(At).ToList();
            double Mean(Func<RidgeSelection, double> f) => window.Average(f);
            return (Seed: seed, LooOne: s.RatioToBest(s.LeaveOneOutIndex), CvOne: s.RatioToBest(s.CvIndex),
                LooMedian: RidgeSelection.MedianRatioToBest(window, r => r.LeaveOneOutIndex),
                CvMedian: RidgeSelection.MedianRatioToBest(window, r => r.CvIndex),
                U: s.TestLoss[0] / s.BestTestLoss, Const: s.ConstantTestLoss / s.BestTestLoss,
                Cv: Mean(r => r.RatioToBest(r.CvIndex)), Loo: Mean(r => r.RatioToBest(r.LeaveOneOutIndex)),
                Gcv: Mean(r => r.RatioToBest(r.GcvIndex)), OneSe: Mean(r => r.RatioToBest(r.OneStandardErrorIndex)),
                OneSeToConst: Mean(r => r.TestLoss[r.OneStandardErrorIndex] / r.ConstantTestLoss),
                CvSmall: Mean(r => r.CvRatioAtSmallestLambda), Oracle: grid[s.OracleIndex],
                OneSeGe: s.OneStandardErrorIndex >= s.CvIndex ? 1.0 : 0.0);
        }).ToList();
        Report("test(1e-4)/best (one data set)", rows.Select(r => r.U));
        Report("constant/best (one data set)", rows.Select(r => r.Const));
        Report("cv/best (mean of 10)", rows.Select(r => r.Cv));
        Report("loo/best (mean of 10)", rows.Select(r => r.Loo));
        Report("cv/best (one data set)", rows.Select(r => r.CvOne));
        Report("loo/best (one data set)", rows.Select(r => r.LooOne));
        Report("cv/best (median of 10)", rows.Select(r => r.CvMedian));
        Report("loo/best (median of 10)", rows.Select(r => r.LooMedian));
        output.WriteLine($"one data set: loo/best > 1.5 at {rows.Count(r => r.LooOne > 1.5)} of {rows.Count}, "
            + $"> 1.1 at {rows.Count(r => r.LooOne > 1.1)}; cv/best > 1.1 at {rows.Count(r => r.CvOne > 1.1)}");
        Report("gcv/best (mean of 10)", rows.Select(r => r.Gcv));
        Report("1se/best (mean of 10)", rows.Select(r => r.OneSe));
        Report("1se/constant (mean of 10)", rows.Select(r => r.OneSeToConst));
        Report("cv(1e-4)/cv best (mean of 10)", rows.Select(r => r.CvSmall));
        Report("oracle λ (one data set)", rows.Select(r => r.Oracle));
        Report("1se ≥ cv (one data set)", rows.Select(r => r.OneSeGe));
        // the notebooks' margins
        Assert.All(rows, r => Assert.True(r.U > 3 && r.Const > 1.5 && r.Cv <= 1.25 && r.LooMedian <= 1.25
            && r.CvSmall >= 1.2 && r.OneSe <= 1.75 && r.OneSeToConst < 1, r.ToString()));
    }

    /// <summary>Solutions 08, exercise 2 (d2l's n = 20, σ = 0.01) over seeds 0 … 19.</summary>
    [Fact]
    public void D2lSettingOverTheSpreadSeeds()
    {
        var grid = RidgeSelection.HalfDecades(-4, 2);
        var rows = Seeds.Select(seed =>
        {
            using var d = SyntheticRegression.Create(seed: seed, dtype: ScalarType.Float64);
            var s = RidgeSelection.Run(d.Train, d.Test, grid, 5, seed);
            return (Same: s.CvIndex == s.OracleIndex ? 1.0 : 0.0, Cv: s.RatioToBest(s.CvIndex),
                Spread: s.TestLoss.Max() / s.BestTestLoss, Const: s.ConstantTestLoss / s.BestTestLoss,
                CvStdOverMean: s.Cv.Best.StdLoss / s.Cv.Best.MeanLoss);
        }).ToList();
        Report("cv picks oracle", rows.Select(r => r.Same));
        Report("cv/best", rows.Select(r => r.Cv));
        Report("max/min test over grid", rows.Select(r => r.Spread));
        Report("constant/best", rows.Select(r => r.Const));
        Report("cv std/mean", rows.Select(r => r.CvStdOverMean));
        // measured: CV picks the oracle at 5 of 20 seeds; CV ≤ 1.29×, the whole grid ≤ 1.29×, constant ≤ 1.33× the best
        Assert.All(rows, r => Assert.True(r.Cv <= 1.5 && r.Spread <= 1.5 && r.Const <= 1.5, r.ToString()));
    }

    /// <summary>Early stopping vs ridge on the lesson's quadratic over the data seeds (the notebook's three claims of
    /// section 3, with its partition of τ by ηh_min·τ).</summary>
    [Fact]
    public void EarlyStoppingMatchOverTheSpreadSeeds()
    {
        int[] taus = [3, 10, 30, 100, 300, 1000, 3000, 10000];
        var rowsByX = new List<(int Seed, int Tau, double X, double Ratio)>();
        var all = Seeds.Select(seed =>
        {
            using var q = EarlyStoppingMatch.Quadratic(seed);
            var h = EarlyStoppingMatch.HessianEigenvalues(q);
            output.WriteLine($"seed {seed}: h {h.Min():G3} … {h.Max():G3}");
            var m = EarlyStoppingMatch.Compute(q, 0.9, taus);
            rowsByX.AddRange(m.Select(r => (seed, r.Steps, 0.9 * h.Min() * r.Steps, r.BestOverLambda)));
            return m;
        }).ToList();
        foreach (var (lo, hi) in new[] { (0.0, 0.3), (0.3, 1.0), (1.0, 2.0), (2.0, 3.0), (3.0, 10.0), (10.0, 1e9) })
        {
            var bin = rowsByX.Where(r => r.X >= lo && r.X < hi).ToList();
            if (bin.Count > 0)
                output.WriteLine($"ηh_min·τ in [{lo}, {hi}): {bin.Count} rows, best λ·τη {bin.Min(r => r.Ratio):F3} … "
                    + $"{bin.Max(r => r.Ratio):F3}");
        }
        for (int i = 0; i < taus.Length; i++)
        {
            Report($"τ = {taus[i]} at λ", all.Select(m => m[i].AtLambda));
            Report($"τ = {taus[i]} at 10λ", all.Select(m => m[i].AtTenLambda));
            Report($"τ = {taus[i]} at λ/10", all.Select(m => m[i].AtTenthLambda));
            Report($"τ = {taus[i]} best λ / λ", all.Select(m => m[i].BestOverLambda));
            Report($"τ = {taus[i]} at best", all.Select(m => m[i].AtBestLambda));
        }
        // the notebook's partition, by ηh_min·τ (until session 11 this split by τ ≤ 1000, which matched ηh_min·τ < 1
        // at seeds 0–19 only; default-mode seed 80769 has ηh_min·τ = 1.1 at τ = 1000 and best λ·τη = 0.51, which
        // failed the notebook's former "> 1 ⇒ ≤ 1/3"). Measured over seeds 0–399 and 80769 (2026-12-01): at best
        // ≤ 0.24; best λ·τη 0.438 … 0.854 where ηh_min·τ < 1, 0.270 … 0.506 in [1, 2), 0.131 … 0.312 in [2, 3),
        // ≤ 0.152 from 3 on. Every seed has a τ on each side.
        Assert.All(all.SelectMany(m => m), m => Assert.True(m.AtBestLambda <= 0.3));
        Assert.All(rowsByX.Where(r => r.X < 1), r => Assert.InRange(r.Ratio, 0.4, 1.2));
        Assert.All(rowsByX.Where(r => r.X > 3), r => Assert.True(r.Ratio <= 1 / 3.0, r.ToString()));
        Assert.All(Seeds, seed => Assert.True(rowsByX.Any(r => r.Seed == seed && r.X < 1)
            && rowsByX.Any(r => r.Seed == seed && r.X > 3), $"seed {seed}"));
    }

    /// <summary>
    /// Section 2 in quick mode (25 epochs) over seeds 0 … 19; the notebook cites this test for its three claims there.
    /// The default mode trains 40 epochs (<c>overfitEpochs</c>); measured once over seeds 0–19 with this code and the
    /// epochs set to 40 (2026-11-30, one intra-op thread): unregularized final test / training loss 17.7 … 20.1
    /// (claimed ≥ 2); early stopping's test loss / the test-best 1.000 … 1.032 (claimed ≤ 1.10, 3.1× the largest
    /// excess); unregularized final / dropout + early stopping 1.197 … 1.379, i.e. the combination ends 16 … 27 %
    /// below (claimed ≥ 5 %). At 40 epochs every alternative beat no regularization at every seed (final / regime:
    /// weight decay ≥ 1.060, dropout ≥ 1.130, early stopping ≥ 1.077, decay + dropout ≥ 1.079). At 25 epochs (this
    /// test, seeds 0–19, re-read on 2026-12-02) four of the five lose at some seed; final / regime, smallest (mean):
    /// weight decay 0.990 (1.031), dropout 0.922 (1.200), early stopping 0.995 (1.100), decay + dropout 0.948 (1.183),
    /// dropout + early stopping 1.129 (1.233) — every mean above 1, as the notebook's prose says. 40 epochs train 1.6×
    /// the quick run's steps (9 minutes for 20 seeds on the loaded 2-core machine), so the test command checks the
    /// quick sizes only.
    /// </summary>
    [Fact]
    public void OverfitRegimesOverTheSpreadSeeds()
    {
        using var threads = TorchThreads.Limit(1);
        var rows = new List<IReadOnlyList<RegimeResult>>();
        foreach (var seed in Seeds)
        {
            using var train = ChoosingLambda.Digits(0, 1000);
            using var validation = ChoosingLambda.Digits(3, 1000);
            var recipe = new TrainingRecipe<Mlp>
            {
                NewModel = () => new Mlp(hidden: [64], seed: seed), Train = train, Test = validation,
                Loss = new CrossEntropy(), Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1),
                Method = DecayMethod.Coupled, Epochs = 25, BatchSize = 32, Seed = seed, SnapshotEveryEpochs = 1,
            };
            var r = OverfitRegimes.Run(recipe, Shared.Mnist.Test, new CrossEntropy(), 64, 3e-3, seed);
            output.WriteLine($"seed {seed}: " + string.Join("; ", r.Select(x => $"{x.Name} {x.TestLoss:F4}@{x.Epoch}"))
                + $"; none min {r[0].MinTestLoss:F4} train {r[0].FinalTrainLoss:F4}");
            rows.Add(r);
        }
        Report("none final/min", rows.Select(r => r[0].FinalTestLoss / r[0].MinTestLoss));
        Report("none final test/train", rows.Select(r => r[0].FinalTestLoss / r[0].FinalTrainLoss));
        Report("stop test/min", rows.Select(r => r[3].TestLoss / r[3].MinTestLoss));
        Report("dropout stop test/min", rows.Select(r => r[5].TestLoss / r[5].MinTestLoss));
        for (int i = 1; i < 6; i++)
            Report($"none final / {rows[0][i].Name}", rows.Select(r => r[0].FinalTestLoss / r[i].TestLoss));
        // measured: test/train ≥ 2.62; stop/min ≤ 1.032; none/(dropout + early stopping) ≥ 1.129. Final/min of no
        // regularization only ≥ 1.009, and every regime but dropout + early stopping loses to none at some seed: no
        // claim on those.
        Assert.All(rows, r => Assert.True(r[0].FinalTestLoss >= 2 * r[0].FinalTrainLoss
            && r[3].TestLoss <= 1.10 * r[3].MinTestLoss && r[5].TestLoss <= 0.95 * r[0].FinalTestLoss));
    }
}
