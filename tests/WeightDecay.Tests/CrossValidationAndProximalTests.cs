namespace WeightDecay.Tests;

public class CrossValidationAndProximalTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(1.0)]
    [InlineData(30.0)]
    public void ClosedFormLeaveOneOutEqualsRefittingWithoutEachExample(double lambda)
    {
        using var data = SyntheticRegression.Create(inputs: 30, trainCount: 20, noiseStd: 0.1, seed: 3, dtype: ScalarType.Float64);
        var (loo, gcv) = Ridge.CrossValidation(data.Train, lambda);
        double brute = 0;
        for (int i = 0; i < 20; i++)
        {
            var rest = Enumerable.Range(0, 20).Where(j => j != i).Select(j => (long)j).ToArray();
            using var train = data.Train.Subset(rest);
            using var held = data.Train.Subset([i]);
            brute += Ridge.Loss(held, Ridge.Solve(train, lambda * 20 / 19)); // the same sum-of-squares penalty nλ
        }
        brute /= 20;
        Assert.True(Math.Abs(loo - brute) <= 1e-9 * brute, $"closed form {loo:R} vs refits {brute:R}");
        Assert.True(gcv > 0 && double.IsFinite(gcv));
    }

    [Fact]
    public void SoftThresholdingGivesExactZerosAndIsTheProxOfL1()
    {
        using var scope = NewDisposeScope();
        var v = tensor(new[] { -2.0, -0.3, 0.0, 0.2, 1.5 });
        Assert.Equal([-1.5, 0, 0, 0, 1.0], Proximal.SoftThreshold(v, 0.5).data<double>().ToArray());
        // prox minimizes ½(θ − v)² + t|θ|: check against a fine grid for one coordinate
        double t = 0.5, vi = 1.5, best = double.MaxValue, arg = 0;
        for (double th = -3; th <= 3; th += 1e-4) { double f = 0.5 * (th - vi) * (th - vi) + t * Math.Abs(th); if (f < best) (best, arg) = (f, th); }
        Assert.Equal(arg, Proximal.Apply(Regularizer.L1, tensor(new[] { vi }), t).item<double>(), 3);
        Assert.Equal(1.5 / 1.5, Proximal.Apply(Regularizer.L2, tensor(new[] { 1.5 }), 0.5).item<double>(), 12);
        Assert.Equal((1.5 - 0.25) / 1.25, Proximal.Apply(Regularizer.ElasticNet(0.5), tensor(new[] { 1.5 }), 0.5).item<double>(), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Proximal.SoftThreshold(v, -1));
    }

    [Fact]
    public void EarlyStoppingMatchesRidgeWithLambdaOneOverTauEta()
    {
        const double eta = 0.01;
        const int tau = 200;
        double lambda = EarlyStopping.EquivalentLambda(eta, tau);
        Assert.Equal(0.5, lambda, 12);
        foreach (var h in new[] { 1e-3, 1e-2, 0.1, 1, 10, 100, 150 })
        {
            double gd = EarlyStopping.GradientDescentFraction(h, eta, tau), ridge = EarlyStopping.RidgeFraction(h, lambda);
            double x = eta * h * tau;
            double tolerance = x < 0.05 || x > 1000 ? 0.02 * Math.Max(gd, 1e-12) + 1e-3 : 0.21;
            Assert.True(Math.Abs(gd - ridge) <= tolerance, $"h = {h}: GD {gd:F4} vs ridge {ridge:F4}");
        }
    }
}

public class ProximalOptimizerTests
{
    [Fact]
    public void ProximalL1SetsWeightsExactlyToZeroWhereTheSubgradientOnlyOscillates()
    {
        double[] Train(WeightDecay.Optimization.DecayMethod method)
        {
            using var model = new WeightDecay.Models.LinearRegression(30, initStd: 0.1, seed: 2, dtype: ScalarType.Float64);
            using var data = SyntheticRegression.Create(inputs: 30, trainCount: 50, seed: 2, dtype: ScalarType.Float64);
            var opt = new WeightDecay.Optimization.WeightDecayOptimizer(model, new WeightDecay.Optimization.OptimizerOptions(WeightDecay.Optimization.OptimizerKind.Sgd, 0.05),
                new WeightDecay.Optimization.WeightDecayOptions(method, 0.05, Regularizer.L1));
            for (int t = 0; t < 400; t++)
            {
                using var scope = NewDisposeScope();
                opt.zero_grad();
                new WeightDecay.Losses.HalfSquaredError().Forward(model.forward(data.Train.Features), data.Train.Targets).backward();
                opt.step();
            }
            return model.Weight.data<double>().ToArray();
        }
        var prox = Train(WeightDecay.Optimization.DecayMethod.Proximal);
        var sub = Train(WeightDecay.Optimization.DecayMethod.Coupled);
        Assert.True(prox.Count(w => w == 0) >= 10, $"{prox.Count(w => w == 0)} exact zeros with the proximal step");
        Assert.True(sub.Count(w => w == 0) == 0, "the subgradient step never lands exactly on zero");
        Assert.True(sub.Count(w => Math.Abs(w) < 0.05 * 0.05 * 1.01) >= 5, "... it oscillates within ηλ of zero instead");
    }

    [Fact]
    public void ProximalL2PureDecayIsOneOverOnePlusEtaLambda()
    {
        using var model = new WeightDecay.Models.Mlp(inputs: 5, hidden: [4], outputs: 2, seed: 1, dtype: ScalarType.Float64);
        var opt = new WeightDecay.Optimization.WeightDecayOptimizer(model, new WeightDecay.Optimization.OptimizerOptions(WeightDecay.Optimization.OptimizerKind.Sgd, 0.1),
            new WeightDecay.Optimization.WeightDecayOptions(WeightDecay.Optimization.DecayMethod.Proximal, 0.3));
        var norms = DecayOnly.Run(model, opt, 20, "fc1.weight");
        for (int t = 0; t <= 20; t++) Assert.Equal(norms[0] * Math.Pow(1 / 1.03, t), norms[t], 12);
        Assert.Equal(1 / 1.03, WeightDecay.Optimization.DecayAudit.Of(opt, model).Rows.Single(r => r.Name == "fc1.weight").ShrinkPerStep, 12);
    }
}
