using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind lesson 01's seed-dependent claims and those of solutions/01 (issue 15). Everything here is
/// closed-form ridge or float64 gradient descent on tiny problems, so the tests run the notebooks' own sizes; quick
/// and default mode differ only in the λ grid (13 or 25 points from 1e-9 to 1e3, both run here) and in the
/// gradient-descent steps (600 or 2000). Measured over seeds 0–19 on 2026-11-30 (OMP_NUM_THREADS=1):
/// <list type="bullet">
/// <item>section 1 (degree 12, n = 15, σ = 0.2), "with the smallest λ the polynomial overfits: training loss below
/// half the test loss": train / test at λ = 1e-9 (the same in both modes). Over seeds 0–19 it was 2.2e-6 … 0.0458
/// and the notebook claimed &lt; 0.1 until session 11; over seeds 0–299 (2026-12-01) the ratio has a heavy upper tail,
/// up to 0.1276 within seeds 0–99 and 0.1948 within 0–299, at n = 15 for σ = 0.2 and 0.4, while at n = 10 it stays
/// ≤ 0.0051. The claim is now &lt; 0.5 (2.6× above the largest) and the notebook accepts n in [10, 15] and σ in
/// [0.2, 0.4], the set-ups measured here (<see cref="TheSmallestLambdaOverfitsAndTheTestLossIsUShaped"/>). Beyond
/// them the claims are not facts: at n = 20 the ratio reached 0.459, at n = 30 0.816, and at n = 30 seed 183's test
/// loss is lowest at the smallest λ (no U).</item>
/// <item>"the test loss is U-shaped: lowest at an interior λ, below both ends": over seeds 0–299 at n = 15, σ = 0.2,
/// the best λ lies at index 2 … 8 of 0 … 12 (quick) and 1 … 17 of 0 … 24 (default); the smallest λ's test loss is
/// 1.18 … 1.2e6 times the best, the largest λ's 1.5 … 16.7 times (both modes); at σ = 0.4 or n = 10 the same holds
/// with the ranges the test prints.</item>
/// <item>the two monotonicity claims are theorems for exact minimizers and the fits are closed-form: they held with
/// the notebook's rounding tolerance 1e-9 for every seed and both grids (asserted here too).</item>
/// <item>section 2 (n = 20, d = 10, σ = 1, τ = 0.5) and solutions/01, exercise 2 (n = 40): relative deviation from
/// the ridge solution at σ²/(nτ²) — closed-form posterior mean ≤ 8.5e-16 (n = 20) and ≤ 1.6e-15 (n = 40), claimed
/// ≤ 1e-10; gradient descent with 600 steps ≤ 6.6e-16 and ≤ 1.0e-15, claimed ≤ 1e-8 (2000 steps, measured once
/// with the same code, gave the same numbers: 600 steps already reach rounding, so the test runs 600 only).</item>
/// <item>"forgetting n (λ = σ²/τ²) over-shrinks: a different estimate with a smaller ‖w‖₂": relative deviation
/// 0.261 … 0.820, claimed &gt; 1e-2 (26× below the smallest); ‖w‖₂ ratio 0.18 … 0.32 (&lt; 1 is a theorem).</item>
/// <item>solutions/01, exercise 1: see <see cref="SolutionsNoisierDataNeverMoveTheBestLambdaDownAndMoreDataNeverUp"/>.
/// </item>
/// </list>
/// Section 3 of the lesson and exercises 3 and 4 of the solutions use fixed bowls: no seed enters them. Cost: the
/// three-seed sample took about 9 s of test time on the loaded machine (load average ≈ 20; 5 s of it exercise 1's
/// 36 draws × 3 set-ups, which three start seeds 3, 11, 19 need), all 20 seeds about 24 s. The test command runs a
/// sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class Lesson01SpreadTests(ITestOutputHelper output)
{
    /// <summary>The notebook's λ grid: <paramref name="count"/> points from 1e-9 to 1e3, evenly spaced in log λ
    /// (<c>lambdaCount</c>: 25, quick 13; solutions/01 uses 25 in both modes).</summary>
    private static double[] Grid(int count) =>
        Enumerable.Range(0, count).Select(i => Math.Pow(10, -9 + 12.0 * i / (count - 1))).ToArray();

    /// <summary>The notebook's gradient-descent steps (<c>gdSteps</c>: 2000, quick 600).</summary>
    private static readonly int[] GdSteps = [600];

    private static string Range(IEnumerable<double> values, string format = "G4")
    {
        var v = values.ToList();
        return $"{v.Min().ToString(format)} … {v.Max().ToString(format)}";
    }

    /// <summary>Lesson 01, section 1 (degree 12, 200 test points; n = 15, σ = 0.2 and the ends of the notebook's ranges
    /// n ∈ [10, 15], σ ∈ [0.2, 0.4]), with both grids: "with the smallest
    /// λ the polynomial overfits: training loss below half the test loss" and "the test loss is U-shaped: lowest
    /// at an interior λ, below both ends of the grid". Also the two theorems (training loss never falls, ‖w‖₂ never
    /// grows along the grid) with the notebook's rounding tolerance 1e-9, for the closed-form fits.</summary>
    [Theory]
    [InlineData(15, 0.2)]
    [InlineData(15, 0.4)]
    [InlineData(10, 0.2)]
    [InlineData(10, 0.4)]
    public void TheSmallestLambdaOverfitsAndTheTestLossIsUShaped(int trainCount, double noiseStd)
    {
        foreach (int count in new[] { 13, 25 })
        {
            var overfit = new List<double>();
            var leftRise = new List<double>();
            var rightRise = new List<double>();
            var bestIndex = new List<double>();
            foreach (int seed in SpreadSeeds.Seeds)
            {
                using var poly = PolynomialRegression.Create(12, trainCount, testCount: 200, noiseStd, seed);
                var fits = FitTradeoff.Sweep(poly.Train, poly.Test, Grid(count));
                var (first, best, last) = (fits[0], fits.MinBy(f => f.TestLoss)!, fits[^1]);
                int b = fits.ToList().IndexOf(best);
                overfit.Add(first.TrainLoss / first.TestLoss);
                leftRise.Add(first.TestLoss / best.TestLoss);
                rightRise.Add(last.TestLoss / best.TestLoss);
                bestIndex.Add(b);
                output.WriteLine($"{count} λ, seed {seed}: train/test at 1e-9 {first.TrainLoss / first.TestLoss:G3}; " +
                    $"test {first.TestLoss:G4} → {best.TestLoss:G4} (λ = {best.Lambda:0.#e0}, index {b}) → " +
                    $"{last.TestLoss:G4}");
                Assert.True(fits.Zip(fits.Skip(1)).All(p => p.Second.TrainLoss >= p.First.TrainLoss * (1 - 1e-9)),
                    $"seed {seed}: training loss fell");
                Assert.True(fits.Zip(fits.Skip(1)).All(p => p.Second.WeightNorm <= p.First.WeightNorm * (1 + 1e-9)),
                    $"seed {seed}: ‖w‖₂ grew");
                Assert.True(b > 0 && b < fits.Count - 1 && best.TestLoss < first.TestLoss
                    && best.TestLoss < last.TestLoss, $"seed {seed}: best at index {b}");
            }
            output.WriteLine($"n = {trainCount}, σ = {noiseStd}, {count} λ: train/test at the smallest λ " +
                $"{Range(overfit)}; first/best test loss {Range(leftRise)}; last/best {Range(rightRise)}; " +
                $"best index {Range(bestIndex)}");
            Assert.All(overfit, r => Assert.True(r < 0.5, $"train/test {r:G3}"));
        }
    }

    /// <summary>Lesson 01, section 2 (n = 20, d = 10, σ = 1, τ = 0.5) and solutions/01, exercise 2 (n = 40): the
    /// closed-form posterior mean equals the ridge solution at σ²/(nτ²) within 1e-10, gradient descent within 1e-8 (600
    /// steps), and, at n = 20, "forgetting n over-shrinks": relative deviation above 1e-2, smaller ‖w‖₂.</summary>
    [Fact]
    public void ThePosteriorModeIsTheRidgeSolutionAndForgettingNOverShrinks()
    {
        foreach (int n in new[] { 20, 40 })
        {
            var closed = new List<double>();
            var descent = GdSteps.ToDictionary(s => s, _ => new List<double>());
            var forgot = new List<double>();
            var normRatio = new List<double>();
            foreach (int seed in SpreadSeeds.Seeds)
            {
                using var sample = BayesianLinearRegression.Sample(n, 10, 1.0, 0.5, seed: seed);
                double σ2 = sample.NoiseVariance, τ2 = sample.PriorVariance;
                var ridge = Ridge.Solve(sample.Data, BayesianLinearRegression.LambdaFromPrior(σ2, τ2, n));
                double Deviation(LinearSolution s) => SolutionComparison.RelativeDeviation(s, ridge);
                closed.Add(Deviation(BayesianLinearRegression.PosteriorMean(sample.Data, σ2, τ2)));
                foreach (int steps in GdSteps)
                    descent[steps].Add(Deviation(
                        BayesianLinearRegression.PosteriorModeByGradientDescent(sample.Data, σ2, τ2, steps).Mode));
                var forgotN = Ridge.Solve(sample.Data, σ2 / τ2);
                forgot.Add(Deviation(forgotN));
                normRatio.Add(SolutionComparison.WeightNorm(forgotN) / SolutionComparison.WeightNorm(ridge));
            }
            output.WriteLine($"n = {n}: closed form {Range(closed, "E2")}; " + string.Join("; ",
                GdSteps.Select(s => $"GD {s} steps {Range(descent[s], "E2")}")) +
                $"; forgetting n: deviation {Range(forgot)}, norm ratio {Range(normRatio)}");
            Assert.All(closed, v => Assert.True(v <= 1e-10, $"n = {n}: closed form {v:E2}"));
            Assert.All(descent.Values.SelectMany(v => v), v => Assert.True(v <= 1e-8, $"n = {n}: GD {v:E2}"));
            if (n != 20) continue;
            Assert.All(forgot, v => Assert.True(v > 1e-2, $"forgetting n: deviation {v:G3}"));
            Assert.All(normRatio, v => Assert.True(v < 1, $"forgetting n: norm ratio {v:G3}"));
        }
    }

    /// <summary>Solutions/01, exercise 1: the λ of lowest geometric-mean test loss over 20 draws (seed … seed + 19)
    /// of the lesson's data (n = 15, σ = 0.2), of noisier data (σ = 0.4) and of more data (n = 60), on the lesson's
    /// 25-point grid: "noisier data never move the best λ down", "more data never move it up". Also measured: the
    /// shift in grid steps, and how much higher the lowest geometric-mean test loss strictly on the wrong side is
    /// than the best (the margin of the claim). Measured over start seeds 0–19 (the same in both modes: `seeds` = 20
    /// and the 25-point grid do not change): noisier data move the best λ up by 1 … 2 grid steps (half a decade
    /// each), more data move it down by 2 … 3; the wrong side's best is 14.4 … 60.0 % (noisier) and 7.5 … 30.0 %
    /// (more data) above the best. The earlier claims "moves up" and "moves down" (strict) held for seeds 0–19
    /// but, measured once over 205 start seeds (0–199, 1000, 12345, 24646, 31337, 99999), the best λ stayed on
    /// the same grid point for 11 (noisier, e.g. seed 22 and 1000) and 17 (more data, e.g. seeds 69 and 12345);
    /// it never moved the wrong way, and the wrong side's best was at least 13.7 % (noisier) and 3.9 % (more data)
    /// above the best. Claimed since: never the wrong way (≥ / ≤ on the grid). Session 11 measured 2,000 start seeds
    /// (0–1999) with 20 draws: more data moved the best λ up by one grid step at 31 of them (1.5 %); the n = 15
    /// curve's best is itself spread over 1.5 decades between windows. With 50 draws no window of 0–999 failed
    /// (5 ties), with 100 draws none of 0–2999 did: noisier − lesson 0 … 3 steps (22 ties), lesson − more data 0 … 3
    /// (1 tie), the wrong side's best ≥ 11.8 % (noisier) and ≥ 4.9 % (more data) above the best. The notebook now
    /// averages 100 draws (<c>seeds</c>, range ≥ 100), and this test with it.</summary>
    [Fact]
    public void SolutionsNoisierDataNeverMoveTheBestLambdaDownAndMoreDataNeverUp()
    {
        const int draws = 100;   // the notebook's seeds (20 until session 11)
        var grid = Grid(25);
        var setUps = new (int N, double Noise)[] { (15, 0.2), (15, 0.4), (60, 0.2) };
        var logLoss = new Dictionary<(int Draw, int SetUp), double[]>();
        double[] LogLoss(int draw, int setUp)
        {
            if (logLoss.TryGetValue((draw, setUp), out var v)) return v;
            using var data = PolynomialRegression.Create(12, setUps[setUp].N, testCount: 200, setUps[setUp].Noise,
                draw);
            return logLoss[(draw, setUp)] = FitTradeoff.Sweep(data.Train, data.Test, grid)
                .Select(f => Math.Log(f.TestLoss)).ToArray();
        }
        var up = new List<double>();
        var down = new List<double>();
        var upGap = new List<double>();
        var downGap = new List<double>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var mean = Enumerable.Range(0, setUps.Length).Select(s => Enumerable.Range(0, grid.Length)
                .Select(i => Enumerable.Range(seed, draws).Average(d => LogLoss(d, s)[i])).ToArray()).ToArray();
            var best = mean.Select(m => Array.IndexOf(m, m.Min())).ToArray();
            up.Add(best[1] - best[0]);
            down.Add(best[0] - best[2]);
            // the lowest geometric-mean test loss strictly on the wrong side of the lesson's best λ, over the best
            if (best[0] > 0) upGap.Add(Math.Exp(mean[1].Take(best[0]).Min() - mean[1].Min()) - 1);
            if (best[0] < grid.Length - 1) downGap.Add(Math.Exp(mean[2].Skip(best[0] + 1).Min() - mean[2].Min()) - 1);
            output.WriteLine($"seed {seed}: best λ {string.Join(", ", best.Select(i => grid[i].ToString("0.#e0")))}");
        }
        output.WriteLine($"grid steps (half a decade each): noisier − lesson {Range(up)} ({up.Count(v => v == 0)} " +
            $"ties); lesson − more data {Range(down)} ({down.Count(v => v == 0)} ties); the wrong side's best is " +
            $"{Range(upGap, "P2")} (noisier), {Range(downGap, "P2")} (more data) above the best");
        Assert.All(up, v => Assert.True(v >= 0, $"noisier: {v} grid steps"));
        Assert.All(down, v => Assert.True(v >= 0, $"more data: {v} grid steps"));
    }
}
