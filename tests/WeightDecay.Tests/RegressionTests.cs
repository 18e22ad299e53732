namespace WeightDecay.Tests;

/// <summary>d2l's high-dimensional linear regression and the closed-form ridge solution.</summary>
public class RegressionTests
{
    [Fact]
    public void SyntheticDataFollowsTheD2lGenerativeModel()
    {
        using var data = SyntheticRegression.Create(trainCount: 2000, testCount: 10, seed: 5, dtype: ScalarType.Float64);
        Assert.Equal([2000L, 200L], data.Train.Features.shape);
        Assert.Equal([10L, 200L], data.Test.Features.shape);
        // residual y − (0.05 + Σ 0.01·x) is the noise ε ~ N(0, 0.01²): its std over 2000 draws is within 10% of 0.01.
        using var scope = NewDisposeScope();
        var residual = data.Train.Targets - data.Train.Features.sum(1).Mul(0.01).Add(0.05);
        double std = residual.std().item<double>(), mean = residual.mean().item<double>();
        Assert.InRange(std, 0.009, 0.011);
        Assert.InRange(Math.Abs(mean), 0, 4 * 0.01 / Math.Sqrt(2000));
        // x ~ N(0, I): overall std within 1%.
        Assert.InRange(data.Train.Features.std().item<double>(), 0.99, 1.01);
    }

    [Fact]
    public void SameSeedSameDataDifferentSeedDifferentData()
    {
        using var a = SyntheticRegression.Create(seed: 7);
        using var b = SyntheticRegression.Create(seed: 7);
        using var c = SyntheticRegression.Create(seed: 8);
        Assert.Equal(a.Train.Features.data<float>().ToArray(), b.Train.Features.data<float>().ToArray());
        Assert.Equal(a.Test.Targets.data<float>().ToArray(), b.Test.Targets.data<float>().ToArray());
        Assert.NotEqual(a.Train.Features.data<float>().ToArray(), c.Train.Features.data<float>().ToArray());
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(1.0)]
    public void GradientDescentWithL2ConvergesToClosedFormRidge(double lambda)
    {
        using var data = SyntheticRegression.Create(seed: 11, dtype: ScalarType.Float64);
        using var model = new LinearRegression(200, initStd: 0.01, seed: 1, dtype: ScalarType.Float64);
        var history = Trainer.Fit(model, data.Train, null, new HalfSquaredError(), new TrainerOptions
        {
            Epochs = 4000, BatchSize = 20, // full batch: exact gradient descent on L'
            Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.05),
            Decay = new WeightDecayOptions(DecayMethod.Penalty, lambda),
        });
        var ridge = Ridge.Solve(data.Train, lambda);
        var w = model.Weight.data<double>().ToArray();
        double num = Math.Sqrt(w.Zip(ridge.Weights, (a, b) => (a - b) * (a - b)).Sum() + Math.Pow(model.Bias.item<double>() - ridge.Bias, 2));
        double den = Math.Sqrt(ridge.Weights.Sum(v => v * v) + ridge.Bias * ridge.Bias);
        Assert.True(num / den <= 1e-4, $"relative error {num / den:E2} (tolerance 1e-4) for λ = {lambda}");
        // and the recorded objective is the closed-form minimum
        Assert.True(history.Final.TotalLoss >= Objective(data.Train, ridge, lambda) - 1e-12);
    }

    [Fact]
    public void RidgeSolutionZeroesTheGradientOfTheObjective()
    {
        using var data = SyntheticRegression.Create(seed: 2, dtype: ScalarType.Float64);
        const double lambda = 0.7;
        var sol = Ridge.Solve(data.Train, lambda);
        using var scope = NewDisposeScope();
        var x = data.Train.Features;
        var r = x.matmul(tensor(sol.Weights)).Add(sol.Bias) - data.Train.Targets;
        var gw = x.t().matmul(r).Div(20L).Add(tensor(sol.Weights).Mul(lambda)); // ∂L'/∂w
        var gb = r.mean();                                              // ∂L'/∂b
        Assert.True(gw.abs().max().item<double>() <= 1e-12);
        Assert.True(Math.Abs(gb.item<double>()) <= 1e-12);
    }

    [Fact]
    public void RidgeRejectsNegativeLambdaAndSingularUnregularizedSystem()
    {
        using var data = SyntheticRegression.Create(seed: 2, dtype: ScalarType.Float64);
        Assert.Contains("λ", Assert.Throws<ArgumentOutOfRangeException>(() => Ridge.Solve(data.Train, -1)).Message);
        Assert.Contains("singular", Assert.Throws<ArgumentException>(() => Ridge.Solve(data.Train, 0)).Message);
    }

    [Fact]
    public void D2lReproductionWeightDecayShrinksWAndLowersTestLoss()
    {
        // d2l (older edition): w ~ N(0, 1), lr 0.003, batch 5, 100 epochs, λ = 0 vs λ = 3.
        (TrainingHistory H, double W) Train(double lambda)
        {
            using var data = SyntheticRegression.Create(seed: 0);
            using var model = new LinearRegression(200, initStd: 1, seed: 0);
            var h = Trainer.Fit(model, data.Train, data.Test, new HalfSquaredError(), new TrainerOptions
            {
                Epochs = 100, BatchSize = 5, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.003),
                Decay = WeightDecayOptions.For(DecayMethod.Penalty, lambda),
            });
            return (h, h.Final.LayerNorms["weight"]);
        }
        var (none, wNone) = Train(0);
        var (decay, wDecay) = Train(3);
        Assert.True(none.Final.TrainLoss < 0.01 * none.Final.TestLoss!.Value,
            $"λ = 0 overfits: train {none.Final.TrainLoss:E2} ≪ test {none.Final.TestLoss:E2}");
        Assert.True(decay.Final.TestLoss < 0.1 * none.Final.TestLoss,
            $"λ = 3 test loss {decay.Final.TestLoss:E2} vs λ = 0 {none.Final.TestLoss:E2}");
        Assert.True(wNone / wDecay > 5, $"‖w‖ shrinks several-fold: {wNone:F2} → {wDecay:F3}");
    }

    private static double Objective(TensorDataset d, LinearSolution s, double lambda)
    {
        using var scope = NewDisposeScope();
        var r = d.Features.matmul(tensor(s.Weights)).Add(s.Bias) - d.Targets;
        return r.Square().mean().Mul(0.5).item<double>() + 0.5 * lambda * s.Weights.Sum(v => v * v);
    }
}

/// <summary>The claims of notebook 03, as library tests.</summary>
public class D2lNotebookClaimTests
{
    private static (double W, TrainingHistory H) Train(double lambda, int seed = 0)
    {
        using var data = SyntheticRegression.Create(seed: seed);
        using var model = new LinearRegression(200, initStd: 1, seed: seed);
        var h = Trainer.Fit(model, data.Train, data.Test, new HalfSquaredError(), new TrainerOptions
        {
            Epochs = 100, BatchSize = 5, Seed = seed, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.003),
            Decay = WeightDecayOptions.For(DecayMethod.Penalty, lambda), SnapshotEveryEpochs = 100,
        });
        return (h.Final.LayerNorms["weight"], h);
    }

    [Fact]
    public void NormsLandInTheRangesTheOlderD2lEditionPrinted()
    {
        Assert.InRange(Train(0).W, 12.5, 14.2);
        Assert.InRange(Train(3).W, 0.34, 0.39);
    }

    [Fact]
    public void WithoutDecayTheComponentOrthogonalToTheDataSpanNeverMoves()
    {
        using var data = SyntheticRegression.Create(seed: 0);
        var (_, h) = Train(0);
        double[] w0 = h.Snapshots[0].Values.Single(v => v.Key == "weight").Value;
        double[] w1 = h.Snapshots[^1].Values.Single(v => v.Key == "weight").Value;
        var change = DataSpan.Split(data.Train, w0.Zip(w1, (a, b) => b - a).ToArray());
        Assert.True(change.Orthogonal < 1e-4 * change.InSpan, $"orthogonal change {change.Orthogonal:E2} vs in-span {change.InSpan:E2}");
        var init = DataSpan.Split(data.Train, w0);
        Assert.InRange(init.Orthogonal / Math.Sqrt(w0.Sum(v => v * v)), 0.85, 1.0); // ≈ √(180/200) of the norm is orthogonal
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(0.1)]
    [InlineData(3.0)]
    [InlineData(100.0)]
    public void CenteredGradientDescentReachesTheClosedFormForAnyLambda(double lambda)
    {
        using var data = SyntheticRegression.Create(seed: 4, dtype: ScalarType.Float64);
        var gd = Ridge.GradientDescent(data.Train, lambda, steps: 500);
        var cf = Ridge.Solve(data.Train, lambda);
        double err = Math.Sqrt(gd.Weights.Zip(cf.Weights, (a, b) => (a - b) * (a - b)).Sum()) / cf.WeightNorm;
        Assert.True(err <= 1e-8, $"relative error {err:E2} at λ = {lambda}");
        Assert.Equal(cf.Bias, gd.Bias, 8);
    }

    [Fact]
    public void RidgeNormShrinksMonotonicallyAlongThePath()
    {
        using var data = SyntheticRegression.Create(seed: 1, dtype: ScalarType.Float64);
        var norms = Ridge.Path(data.Train, RidgeStudy.LogGrid(1e-3, 1e3, 13)).Select(p => p.Solution.WeightNorm).ToList();
        for (int i = 1; i < norms.Count; i++) Assert.True(norms[i] < norms[i - 1], $"‖w‖ at step {i}: {norms[i]} ≥ {norms[i - 1]}");
    }

    [Fact]
    public void BestLambdaGrowsWithLabelNoise()
    {
        var curves = RidgeStudy.NoiseSweep([0.01, 0.05, 0.1, 0.2], RidgeStudy.LogGrid(1e-4, 1e2, 31), seeds: 3, trainCount: 200);
        var best = curves.Select(c => c.BestLambda).ToList();
        for (int i = 1; i < best.Count; i++) Assert.True(best[i] >= best[i - 1], $"best λ {string.Join(", ", best)} is not non-decreasing");
        Assert.True(best[^1] > 4 * best[0], $"best λ {best[0]} → {best[^1]}");
        Assert.True(best.All(b => b > 1e-4 && b < 1e2), "optima must be inside the grid");
    }

    [Fact]
    public void EachNoiseCurvesBaselineIsItsLimitAtAHugeLambdaAndLiesAboveItsMinimum()
    {
        // the ridge fit at λ = 10¹² predicts the training mean: the curve's λ → ∞ limit is its constant predictor
        var limit = RidgeStudy.NoiseSweep([0.05, 0.2], [1e12], seeds: 3, trainCount: 200);
        Assert.All(limit, c => Assert.Equal(c.ConstantPredictorLoss, c.MeanTestLoss[0], c.ConstantPredictorLoss * 1e-6));
        var curves = RidgeStudy.NoiseSweep([0.05, 0.2], RidgeStudy.LogGrid(1e-4, 1e2, 31), seeds: 3, trainCount: 200);
        Assert.All(curves.Zip(limit), p => Assert.Equal(p.Second.ConstantPredictorLoss, p.First.ConstantPredictorLoss));
        Assert.All(curves, c => Assert.True(c.MeanTestLoss.Min() < c.ConstantPredictorLoss,
            $"σ = {c.NoiseStd}: best {c.MeanTestLoss.Min()} vs constant {c.ConstantPredictorLoss}"));
    }

    [Fact]
    public void InD2lsSettingDecayMainlyRemovesTheInitialization()
    {
        // d2l's trained model (w ~ N(0, 1), 100 epochs): small λ keeps the initialization's 180 orthogonal dimensions, so the
        // test loss falls by orders of magnitude as λ grows; the closed-form ridge from the same data has no such effect — its
        // ridgeless limit (the minimum-norm interpolant) is already good: the damage is the initialization that gradient
        // descent cannot remove, not noise that the model memorized.
        var grid = RidgeStudy.LogGrid(1e-2, 1e2, 9);
        var trained = grid.Select(l => Train(l).H.Final.TestLoss!.Value).ToList();
        int best = trained.IndexOf(trained.Min());
        Assert.True(grid[best] >= 1, string.Join(", ", trained.Select(t => t.ToString("G3"))));
        Assert.True(trained[0] > 1000 * trained[best]);
        using var data = SyntheticRegression.Create(seed: 0);
        double ridgeless = Ridge.Loss(data.Test, Ridge.Solve(data.Train, 1e-6));
        Assert.True(Train(0).H.Final.TestLoss > 1000 * ridgeless);
    }

    [Fact]
    public void AtTheInterpolationThresholdTheTestLossIsUShapedInLambda()
    {
        // n = d = 200 and σ = 0.1: the ridgeless fit is dominated by variance, a huge λ by bias.
        using var data = SyntheticRegression.Create(trainCount: 200, testCount: 1000, noiseStd: 0.1, seed: 0, dtype: ScalarType.Float64);
        var grid = RidgeStudy.LogGrid(1e-4, 1e2, 25);
        var test = grid.Select(l => Ridge.Loss(data.Test, Ridge.Solve(data.Train, l))).ToList();
        var train = grid.Select(l => Ridge.Loss(data.Train, Ridge.Solve(data.Train, l))).ToList();
        int best = test.IndexOf(test.Min());
        Assert.InRange(best, 1, grid.Length - 2);
        Assert.True(test[0] > 5 * test[best] && test[^1] > 1.3 * test[best], string.Join(", ", test.Select(t => t.ToString("G3"))));
        for (int i = 1; i < train.Count; i++) Assert.True(train[i] >= train[i - 1] - 1e-15, "training loss must grow with λ");
    }
}
