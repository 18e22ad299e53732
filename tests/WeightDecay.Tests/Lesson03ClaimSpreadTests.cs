using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// Seed spreads behind lesson 03's claims on d2l's run and its λ sweep (n = 20, d = 200, w₀ ~ N(0, I), SGD batch 5,
/// η = 0.003, 100 epochs in both modes; the sweep's grid 1e-2…1e2 has 9 points by default and the 5 points 1e-2, 1e-1,
/// …, 1e2 in quick mode, a subset of the default grid) and on the closed-form experiment at n = d = 200. Each seed is
/// trained once (λ = 0, λ = 3 and the 9 grid points) and the runs are shared by the tests; the sample of three seeds
/// costs about 4 s. The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class Lesson03ClaimSpreadTests(ITestOutputHelper output)
{
    private static readonly double[] Grid = RidgeStudy.LogGrid(1e-2, 1e2, 9);

    private sealed record Run(int Seed, double TrainPlain, double TestPlain, double TestDecayed, double MoveRatio,
        double OrthogonalDeviation, double[] SweepTest, double Constant, double Ridgeless, double GdAgreement);

    private static readonly Lazy<IReadOnlyList<Run>> Runs = new(() => SpreadSeeds.Seeds.Select(Measure).ToList());

    private static Run Measure(int seed)
    {
        using var data = SyntheticRegression.Create(seed: seed);
        var recipe = D2lRegression.Recipe(data, 100, seed);
        var plain = recipe.Fit(0);
        var decayed = recipe.Fit(3);
        double[] W(int k) => plain.Snapshots[k].Values.Single(v => v.Key == "weight").Value;
        var move = DataSpan.Split(data.Train, W(1).Zip(W(0), (a, b) => a - b).ToArray());
        var init = DataSpan.Split(data.Train, W(0));
        double norm = plain.Final.LayerNorms["weight"];
        var sweep = Grid.Select(l => recipe.Fit(l).Final.TestLoss!.Value).ToArray();
        double ridgeless = Ridge.Loss(data.Test, Ridge.Solve(data.Train, 1e-6));
        double agreement = Grid.Max(l =>
        {
            var gd = Ridge.GradientDescent(data.Train, l, steps: 500);
            var cf = Ridge.Solve(data.Train, l);
            return Math.Sqrt(gd.Weights.Zip(cf.Weights, (a, b) => (a - b) * (a - b)).Sum()) / cf.WeightNorm;
        });
        return new Run(seed, plain.Final.TrainLoss, plain.Final.TestLoss!.Value, decayed.Final.TestLoss!.Value,
            move.Orthogonal / move.InSpan, Math.Abs(init.Orthogonal - norm) / norm, sweep,
            D2lRegression.ConstantPredictorLoss(data), ridgeless, agreement);
    }

    private static string Range(IEnumerable<double> values)
    {
        var v = values.ToList();
        return $"min {v.Min():G4}, max {v.Max():G4}, mean {v.Average():G4}";
    }

    /// <summary>
    /// Lesson 03, the cells after the first run and after "Why ‖w‖ barely moves without decay". Measured over seeds
    /// 0–19 (the same in both modes: the run does not depend on the mode): test over training loss without decay
    /// from 2.6e6 to 3.0e8 (lesson 03 claims > 100×); test loss without decay over with λ = 3 from 467× to 1,362×
    /// (claims > 100×); the orthogonal part of w's change over its in-span part from 9.4e-7 to 2.1e-6 (float32
    /// rounding; claims &lt; 1e-4); |‖w₀⊥‖ − ‖w_T‖| / ‖w_T‖ from 2.6e-6 to 1.4e-4 (claims &lt; 5 %).
    /// </summary>
    [Fact]
    public void D2lRunClaimsSpread()
    {
        var runs = Runs.Value;
        output.WriteLine($"test/train λ=0: {Range(runs.Select(r => r.TestPlain / r.TrainPlain))}");
        output.WriteLine($"test λ=0 / test λ=3: {Range(runs.Select(r => r.TestPlain / r.TestDecayed))}");
        output.WriteLine($"orthogonal/in-span change: {Range(runs.Select(r => r.MoveRatio))}");
        output.WriteLine($"|‖w₀⊥‖ − ‖w‖|/‖w‖: {Range(runs.Select(r => r.OrthogonalDeviation))}");
        Assert.All(runs, r => Assert.True(r.TrainPlain < 0.01 * r.TestPlain, $"seed {r.Seed}"));
        Assert.All(runs, r => Assert.True(r.TestDecayed < 0.01 * r.TestPlain, $"seed {r.Seed}"));
        Assert.All(runs, r => Assert.True(r.MoveRatio < 1e-4, $"seed {r.Seed}: {r.MoveRatio}"));
        Assert.All(runs, r => Assert.True(r.OrthogonalDeviation < 0.05, $"seed {r.Seed}: {r.OrthogonalDeviation}"));
    }

    /// <summary>
    /// Lesson 03, "A λ sweep" and "Gradient descent reaches the closed form". Measured over seeds 0–19: the test loss
    /// at λ = 1e-2 over the best λ's from 5,243× to 11,320× (both grids; lesson 03 claims > 1000×); the best λ is 10
    /// or 100 on the quick grid, 10, 31.6 or 100 on the default grid; the largest λ's test loss over the constant
    /// predictor's from 0.871 to 1.081 (claimed within 25 % until session 15; over seeds 500–1099, 2026-12-01, it
    /// ranged 0.703–1.224 — seed 992 failed lesson 03 in default mode — so the claim is now within 50 %, 1.68× the
    /// largest deviation; seeds 300–499 had passed the old band); SGD's test loss at λ = 0 over the minimum-norm
    /// interpolant's from 5,361× to 11,830× (claims > 1000×); gradient descent (500 steps) against the closed form,
    /// largest relative difference over the grid from 2.9e-13 to 5.1e-13 (claims &lt; 1e-6). Seeds 1100–1299
    /// (2026-12-02, session 16): every claim of the class held; largest λ / constant 0.737–1.109, smallest λ / best
    /// ≥ 4,745 (quick) and ≥ 4,912 (default), SGD λ = 0 / ridgeless ≥ 4,349, GD against the closed form ≤ 6.6e-13.
    /// </summary>
    [Fact]
    public void D2lSweepClaimsSpread()
    {
        var runs = Runs.Value;
        foreach (var (mode, idx) in new[] { ("quick", new[] { 0, 2, 4, 6, 8 }), ("default", Enumerable.Range(0, 9)
            .ToArray()) })
        {
            double Best(Run r) => idx.Min(i => r.SweepTest[i]);
            output.WriteLine($"{mode}: smallest λ / best: {Range(runs.Select(r => r.SweepTest[0] / Best(r)))}");
            output.WriteLine($"{mode}: best λ: {string.Join(", ", runs.Select(r => Grid[Array.IndexOf(r.SweepTest,
                Best(r))].ToString("G3")))}");
            Assert.All(runs, r => Assert.True(r.SweepTest[0] > 1000 * Best(r), $"{mode}, seed {r.Seed}"));
        }
        output.WriteLine($"largest λ / constant: {Range(runs.Select(r => r.SweepTest[^1] / r.Constant))}");
        output.WriteLine($"SGD λ=0 / ridgeless: {Range(runs.Select(r => r.TestPlain / r.Ridgeless))}");
        output.WriteLine($"GD vs closed form: {Range(runs.Select(r => r.GdAgreement))}");
        Assert.All(runs, r => Assert.InRange(r.SweepTest[^1] / r.Constant, 0.5, 1.5));
        Assert.All(runs, r => Assert.True(r.TestPlain > 1000 * r.Ridgeless, $"seed {r.Seed}"));
        Assert.All(runs, r => Assert.True(r.GdAgreement < 1e-6, $"seed {r.Seed}: {r.GdAgreement}"));
    }

    /// <summary>
    /// Lesson 03, "The classic U, at the interpolation threshold" (closed form, n = d = 200, 1,000 test points,
    /// σ = 0.1, 25 λ from 1e-4 to 1e2; the same in both modes). Measured over seeds 0–19: the minimum lies inside the
    /// grid for every seed, at λ from 0.32 to 0.56; the test loss at λ = 1e-4 over the minimum from 10.9× to 74.2×
    /// (lesson 03 claims > 5×); at λ = 1e2 over the minimum from 1.309× to 1.663×. Lesson 03 claimed > 1.3×, which
    /// left no margin (1.309 for one seed); it now claims > 1.15× (the measured excess 0.309 is twice
    /// the claimed 0.15).
    /// </summary>
    [Fact]
    public void UShapeAtInterpolationThresholdSpread()
    {
        var lo = new List<double>();
        var hi = new List<double>();
        var at = new List<double>();
        var grid = RidgeStudy.LogGrid(1e-4, 1e2, 25);
        foreach (int seed in SpreadSeeds.Seeds)
        {
            using var big = SyntheticRegression.Create(trainCount: 200, testCount: 1000, noiseStd: 0.1, seed: seed,
                dtype: ScalarType.Float64);
            var test = Ridge.Path(big.Train, grid).Select(p => Ridge.Loss(big.Test, p.Solution)).ToList();
            int best = test.IndexOf(test.Min());
            Assert.InRange(best, 1, grid.Length - 2);
            lo.Add(test[0] / test[best]);
            hi.Add(test[^1] / test[best]);
            at.Add(grid[best]);
        }
        output.WriteLine($"best λ: {Range(at)}; lo/min: {Range(lo)}; hi/min: {Range(hi)}");
        Assert.All(lo, v => Assert.True(v > 5, $"{v}"));
        Assert.All(hi, v => Assert.True(v > 1.15, $"{v}"));
    }
}
