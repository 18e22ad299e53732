
namespace WeightDecay.Tests;

/// <summary>The experiments of notebook 08 (choosing λ and the alternatives) on the notebook's settings, for two seeds.</summary>
internal static class ChoosingLambda
{
    /// <summary>The notebook's ridge grid: 10^−4 … 10^2 in half decades.</summary>
    public static readonly double[] RidgeGrid = Enumerable.Range(0, 13).Select(i => Math.Pow(10, -4 + 0.5 * i)).ToArray();

    /// <summary>d2l's generator (d = 200, wᵢ = 0.01, b = 0.05) with n = 200 and σ = 0.3, as in the notebook.</summary>
    public static SyntheticRegression RidgeData(long seed) => SyntheticRegression.Create(trainCount: 200, noiseStd: 0.3, seed: seed, dtype: ScalarType.Float64);

    /// <summary>count digits of the training pool, every (8000/count)-th from offset (the pool is ordered by class).</summary>
    public static TensorDataset Digits(int offset, int count) =>
        Shared.Mnist.Train.Subset(Enumerable.Range(0, count).Select(i => (long)(i * (8000 / count) + offset)).ToArray());

    public static TrainerOptions MnistOptions(int epochs, WeightDecayOptions decay, int seed, int batch = 64, double lr = 0.1) => new()
    {
        Epochs = epochs, BatchSize = batch, Seed = seed, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, lr), Decay = decay,
    };

    public static WeightDecayOptions L2(double l) => WeightDecayOptions.For(DecayMethod.Coupled, l);

    public static int ArgMin(IReadOnlyList<double> v) => Enumerable.Range(0, v.Count).MinBy(i => v[i]);
}

/// <summary>The claims of notebook 08, each a real computation with the notebook's tolerance.</summary>
public class ChoosingLambdaClaimTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void RidgeCrossValidationChoosesANearlyOptimalLambda(long seed)
    {
        using var d = ChoosingLambda.RidgeData(seed);
        var grid = ChoosingLambda.RidgeGrid;
        var cv = CrossValidation.Run(d.Train, grid, 5, CrossValidation.RidgeScore(), seed: (int)seed);
        var test = grid.Select(l => Ridge.Loss(d.Test, Ridge.Solve(d.Train, l))).ToArray();
        var closed = grid.Select(l => Ridge.CrossValidation(d.Train, l)).ToArray();
        double best = test.Min();
        double atCv = test[Array.IndexOf(grid, cv.Best.Lambda)];
        double atLoo = test[ChoosingLambda.ArgMin(closed.Select(c => c.LeaveOneOut).ToList())];
        double atGcv = test[ChoosingLambda.ArgMin(closed.Select(c => c.Gcv).ToList())];
        // notebook: within 10% of the best test loss on the grid
        Assert.True(atCv <= 1.10 * best, $"5-fold: {atCv} vs best {best}");
        Assert.True(atLoo <= 1.10 * best, $"LOO: {atLoo} vs best {best}");
        Assert.True(atGcv <= 1.10 * best, $"GCV: {atGcv} vs best {best}");
        // the test loss has a U: the smallest λ is clearly worse than the best
        Assert.True(test[0] > 1.5 * best, $"λ = 1e-4: {test[0]} vs best {best}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void SolutionOneStandardErrorRuleStaysNearTheBest(long seed)
    {
        using var d = ChoosingLambda.RidgeData(seed);
        var grid = ChoosingLambda.RidgeGrid;
        var cv = CrossValidation.Run(d.Train, grid, 5, CrossValidation.RidgeScore(), seed: (int)seed);
        var test = grid.Select(l => Ridge.Loss(d.Test, Ridge.Solve(d.Train, l))).ToArray();
        Assert.True(cv.OneStandardError.Lambda >= cv.Best.Lambda);
        Assert.True(test[Array.IndexOf(grid, cv.OneStandardError.Lambda)] <= 1.10 * test.Min()); // solutions: within 10%
    }

    [Fact]
    public void SolutionInD2lsSettingCvMissesTheOptimumButItHardlyMatters()
    {
        using var d = SyntheticRegression.Create(seed: 0, dtype: ScalarType.Float64);
        var grid = ChoosingLambda.RidgeGrid;
        var cv = CrossValidation.Run(d.Train, grid, 5, CrossValidation.RidgeScore(), seed: 0);
        var test = grid.Select(l => Ridge.Loss(d.Test, Ridge.Solve(d.Train, l))).ToArray();
        Assert.NotEqual(ChoosingLambda.ArgMin(test), Array.IndexOf(grid, cv.Best.Lambda));
        Assert.True(test.Max() <= 1.5 * test.Min());
    }

    [Fact]
    public void ClosedFormLeaveOneOutEqualsNFoldCrossValidationByRefitting()
    {
        using var d = ChoosingLambda.RidgeData(0);
        int n = (int)d.Train.Count;
        double[] grid = [0.1, 1, 10];
        var brute = CrossValidation.Run(d.Train, grid, n, CrossValidation.RidgeScore(n / (n - 1.0)));
        foreach (var (row, l) in brute.Rows.Zip(grid))
        {
            double closed = Ridge.CrossValidation(d.Train, l).LeaveOneOut;
            Assert.True(Math.Abs(row.MeanLoss - closed) <= 1e-9 * closed, $"λ = {l}: refits {row.MeanLoss:R}, closed form {closed:R}"); // notebook: 1e-9
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void MnistCrossValidationChoiceIsWithinOnePointOfTheBestTestAccuracy(int seed)
    {
        using var threads = TorchThreads.Limit(1);
        using var digits = ChoosingLambda.Digits(seed, 2000);
        double[] grid = [1e-4, 1e-3, 1e-2, 3e-2, 1e-1];
        var cv = CrossValidation.Run(digits, grid, 5, CrossValidation.TrainedScore((l, f) => new Mlp(hidden: [32], seed: seed), new CrossEntropy(),
            l => ChoosingLambda.MnistOptions(3, ChoosingLambda.L2(l), seed)), seed);
        var testAcc = grid.Select(l =>
        {
            using var m = new Mlp(hidden: [32], seed: seed);
            return Trainer.Fit(m, digits, Shared.Mnist.Test, new CrossEntropy(), ChoosingLambda.MnistOptions(3, ChoosingLambda.L2(l), seed)).Final.TestAccuracy!.Value;
        }).ToArray();
        double atCv = testAcc[Array.IndexOf(grid, cv.Best.Lambda)];
        Assert.True(atCv >= testAcc.Max() - 0.01, $"CV choice λ = {cv.Best.Lambda}: {atCv} vs best {testAcc.Max()}");
        Assert.All(cv.Rows, r => Assert.True(r.StdAccuracy > 0 && r.StdLoss > 0));
    }

    private sealed record Regime(string Name, double Dropout, double Lambda, bool EarlyStop);

    internal static Dictionary<string, (double FinalTest, double MinTest)> Regimes(int seed, int epochs, double lr = 0.1)
    {
        using var threads = TorchThreads.Limit(1);
        using var train = ChoosingLambda.Digits(seed, 1000);
        using var validation = ChoosingLambda.Digits(seed + 3, 1000);
        var result = new Dictionary<string, (double, double)>();
        foreach (var (name, dropout, lambda) in new[] { ("none", 0.0, 0.0), ("weight decay", 0.0, 3e-3), ("dropout", 0.5, 0.0), ("weight decay + dropout", 0.5, 3e-3) })
        {
            using var m = new Mlp(hidden: [64], dropout: dropout, seed: seed);
            var h = Trainer.Fit(m, train, validation, new CrossEntropy(), ChoosingLambda.MnistOptions(epochs, ChoosingLambda.L2(lambda), seed, batch: 32, lr: lr) with { SnapshotEveryEpochs = 1 });
            var test = EarlyStopping.EvaluateSnapshots(m, h.Snapshots, Shared.Mnist.Test, new CrossEntropy()).Select(t => t.Loss).ToList();
            int best = EarlyStopping.BestEpoch(h.Epochs.Select(e => e.TestLoss!.Value).ToList());
            result[name] = (test[^1], test.Min());
            if (dropout == 0 && lambda == 0) result["early stopping"] = (test[best], test.Min());
            if (dropout > 0 && lambda == 0) result["dropout + early stopping"] = (test[best], test.Min());
        }
        return result;
    }

    [Theory]
    [InlineData(0, 40)]
    [InlineData(1, 40)]
    [InlineData(0, 25)] // quick mode
    public void EveryRegularizerBeatsTrainingWithoutOneAndTheUnregularizedTestLossRises(int seed, int epochs)
    {
        var r = Regimes(seed, epochs);
        var none = r["none"];
        Assert.True(none.FinalTest >= 1.05 * none.MinTest, $"no regularization: final {none.FinalTest} vs its minimum {none.MinTest}"); // notebook: ≥ 5% above
        foreach (var (name, v) in r.Where(kv => kv.Key != "none"))
            Assert.True(v.FinalTest < none.FinalTest, $"{name}: {v.FinalTest} vs none {none.FinalTest}");
    }

    private static (double[] Taus, double[] AtLambda, double[] AtTenLambda) EarlyStoppingVsRidge()
    {
        using var d = SyntheticRegression.Create(inputs: 10, trainCount: 200, noiseStd: 0.5, weight: 1, seed: 0, dtype: ScalarType.Float64);
        using var scope = NewDisposeScope();
        var scales = tensor(Enumerable.Range(0, 10).Select(j => Math.Pow(10, -j / 6.0)).ToArray());
        using var q = new TensorDataset(d.Train.Features * scales, d.Train.Targets.clone());
        int[] taus = [3, 10, 30, 100, 300, 1000, 3000, 10000];
        const double eta = 0.9;
        var path = EarlyStopping.GradientDescentPath(q, eta, taus);
        double Dist(LinearSolution s, double l) { var r = Ridge.Solve(q, l); return Math.Sqrt(s.Weights.Zip(r.Weights, (a, b) => (a - b) * (a - b)).Sum()) / r.WeightNorm; }
        return (taus.Select(t => (double)t).ToArray(),
            path.Select(p => Dist(p.Solution, EarlyStopping.EquivalentLambda(eta, p.Steps))).ToArray(),
            path.Select(p => Dist(p.Solution, 10 * EarlyStopping.EquivalentLambda(eta, p.Steps))).ToArray());
    }

    [Fact]
    public void GradientDescentAfterTauStepsTracksRidgeAtOneOverTauEta()
    {
        var (_, at, ten) = EarlyStoppingVsRidge();
        Assert.All(at, v => Assert.True(v <= 0.35, $"‖w_GD − w_ridge‖/‖w_ridge‖ = {v}")); // notebook: ≤ 0.35
        Assert.All(at.Zip(ten), p => Assert.True(p.Second >= 2 * p.First, $"{p.First} vs 10λ: {p.Second}"));
    }

    [Fact]
    public void GradientDescentPathIsPlainGradientDescent()
    {
        using var d = SyntheticRegression.Create(inputs: 5, trainCount: 50, seed: 1, dtype: ScalarType.Float64);
        var path = EarlyStopping.GradientDescentPath(d.Train, 0.5, [1, 2, 5000]);
        // one step from 0 is η·Xcᵀyc/n
        using var scope = NewDisposeScope();
        var x = d.Train.Features; var y = d.Train.Targets;
        var g = (x - x.mean([0])).t().matmul(y - y.mean()).Div(50L).Mul(0.5);
        Assert.True(Shared.MaxAbs(path[0].Solution.Weights, g.data<double>().ToArray()) < 1e-12);
        Assert.True(Shared.MaxAbs(path[2].Solution.Weights, Ridge.Solve(d.Train, 0).Weights) < 1e-8, "converges to least squares");
        Assert.Throws<ArgumentException>(() => EarlyStopping.GradientDescentPath(d.Train, 0.5, [2, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EarlyStopping.GradientDescentPath(d.Train, 100, [1]));
    }

    private static Dictionary<(string Reg, double Lambda), Sparsity> L1VersusL2(int seed)
    {
        using var threads = TorchThreads.Limit(1);
        using var digits = ChoosingLambda.Digits(seed, 2000);
        var result = new Dictionary<(string, double), Sparsity>();
        foreach (var lam in new[] { 1e-4, 3e-4, 1e-3, 3e-3 })
            foreach (var (name, reg, method) in new[] { ("l1", Regularizer.L1, DecayMethod.Proximal), ("en", Regularizer.ElasticNet(0.5), DecayMethod.Proximal),
                ("l2", Regularizer.L2, DecayMethod.Proximal), ("l1 subgradient", Regularizer.L1, DecayMethod.Coupled) })
            {
                using var m = new Mlp(hidden: [32], seed: seed);
                Trainer.Fit(m, digits, null, new CrossEntropy(), ChoosingLambda.MnistOptions(3, new WeightDecayOptions(method, lam, reg), seed));
                result[(name, lam)] = Sparsity.Of(m.Layers[0].weight!.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray(), 1e-3);
            }
        return result;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ProximalL1GivesExactZerosGrowingWithLambdaL2NoneElasticNetInBetween(int seed)
    {
        var s = L1VersusL2(seed);
        double[] grid = [1e-4, 3e-4, 1e-3, 3e-3];
        Assert.All(grid, l => Assert.Equal(0, s[("l2", l)].ExactZeros));
        Assert.All(grid, l => Assert.Equal(0, s[("l1 subgradient", l)].ExactZeros));
        var l1 = grid.Select(l => s[("l1", l)].ExactFraction).ToList();
        Assert.All(l1.Zip(l1.Skip(1)), p => Assert.True(p.Second > p.First, $"{p.First} → {p.Second}"));
        Assert.True(l1[^1] >= 0.4, $"L1 at the largest λ: {l1[^1]}");
        Assert.All(grid, l => Assert.True(s[("en", l)].ExactZeros > 0 && s[("en", l)].ExactZeros < s[("l1", l)].ExactZeros, $"λ = {l}"));
        // the subgradient step leaves as many weights near zero (|w| ≤ 1e-3) as the prox, within 5 points, just never exactly zero
        Assert.All(grid, l => Assert.True(Math.Abs(s[("l1 subgradient", l)].NearFraction - s[("l1", l)].NearFraction) <= 0.05, $"λ = {l}"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void OnNeverInkedPixelsProximalL1IsExactlySoftThresholdingOfTheInitialWeights(int seed)
    {
        using var threads = TorchThreads.Limit(1);
        using var digits = ChoosingLambda.Digits(seed, 2000);
        const double lambda = 3e-3;
        using var m = new Mlp(hidden: [32], seed: seed);
        var w0 = m.Layers[0].weight!.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        Trainer.Fit(m, digits, null, new CrossEntropy(), ChoosingLambda.MnistOptions(3, new WeightDecayOptions(DecayMethod.Proximal, lambda, Regularizer.L1), seed));
        var w = m.Layers[0].weight!.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        using var scope = NewDisposeScope();
        var inked = digits.Features.amax([0]).data<float>().ToArray();
        var dead = Enumerable.Range(0, 784).Where(j => inked[j] == 0).ToList();
        Assert.True(dead.Count > 50, $"{dead.Count} never-inked pixels");
        double t = 3 * 32 * 0.1 * lambda; // T·η·λ with T = 3 epochs × ⌈2000/64⌉ steps
        var idx = Enumerable.Range(0, 32).SelectMany(u => dead.Select(j => u * 784 + j)).ToList();
        double worst = idx.Max(i => Math.Abs(w[i] - Math.Sign(w0[i]) * Math.Max(Math.Abs(w0[i]) - t, 0)));
        Assert.True(worst < 1e-6, $"largest deviation {worst}"); // notebook: 1e-6
        Assert.True(idx.Count(i => w[i] == 0) > 0.7 * idx.Count);
    }
}

/// <summary>The helpers notebook 08 added to the library.</summary>
public class CrossValidationHelperTests
{
    [Fact]
    public void RunScoresEveryFoldForEveryLambdaAndSummarizes()
    {
        using var d = SyntheticRegression.Create(inputs: 3, trainCount: 23, seed: 2, dtype: ScalarType.Float64);
        var seen = new List<(long Train, long Validation, double Lambda, int Fold)>();
        var r = CrossValidation.Run(d.Train, [0.5, 2], 4, (t, v, l, f) => { seen.Add((t.Count, v.Count, l, f)); return new FoldScore(l + f, f / 10.0); });
        Assert.Equal(8, seen.Count);
        Assert.All(seen, s => Assert.Equal(23, s.Train + s.Validation));
        Assert.Equal(new long[] { 6, 6, 6, 5 }, seen.Take(4).Select(s => s.Validation));
        var row = r.Rows[0];
        Assert.Equal(0.5 + 1.5, row.MeanLoss, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), row.StdLoss, 12); // sample std of 0, 1, 2, 3
        Assert.Equal(row.StdLoss / 2, row.StandardErrorLoss, 12);
        Assert.Equal(0.15, row.MeanAccuracy!.Value, 12);
        Assert.Equal(0.5, r.Best.Lambda);
        Assert.Equal(0.5, r.OneStandardError.Lambda); // 2's mean 3.5 is more than one standard error above 2.0
        Assert.Throws<ArgumentException>(() => CrossValidation.Run(d.Train, [], 4, (t, v, l, f) => new FoldScore(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidation.Run(d.Train, [-1], 4, (t, v, l, f) => new FoldScore(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidation.Run(d.Train, [1], 1, (t, v, l, f) => new FoldScore(0)));
    }

    [Fact]
    public void SparsityCountsExactAndNearZeros()
    {
        var s = Sparsity.Of([0, -0.0, 1e-4, -2e-3, 1], 1e-3);
        Assert.Equal((5L, 2L, 3L), (s.Count, s.ExactZeros, s.NearZeros));
        Assert.Equal(0.4, s.ExactFraction, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sparsity.Of([1], -1));
    }

    [Fact]
    public void RestoreAndBestEpochRecoverTheBestCheckpoint()
    {
        using var m = new Mlp(inputs: 4, hidden: [3], outputs: 2, seed: 1);
        var before = Evaluation.Snapshot(m, 0, 0);
        using (no_grad()) foreach (var p in m.parameters()) p.add_(Scalars.One, Scalars.One);
        EarlyStopping.Restore(m, before);
        Assert.Equal(before.Flatten(), Evaluation.Snapshot(m, 0, 0).Flatten());
        Assert.Equal(1, EarlyStopping.BestEpoch([3, 1, 2, 1]));
        using var other = new Mlp(inputs: 5, hidden: [3], outputs: 2);
        Assert.Throws<ArgumentException>(() => EarlyStopping.Restore(other, before));
    }
}
