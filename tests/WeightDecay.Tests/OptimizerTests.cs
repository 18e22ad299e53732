namespace WeightDecay.Tests;

public class OptimizerTests
{
    private static double[] Flat(nn.Module m) =>
        m.parameters().SelectMany(p => p.detach().to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray()).ToArray();

    /// <summary>Runs <paramref name="steps"/> full-batch steps of the d2l regression (float64) with the given optimizer.</summary>
    private static double[] Run(Func<nn.Module, Action> makeStep, int steps = 100, int seed = 1)
    {
        using var data = SyntheticRegression.Create(inputs: 30, trainCount: 20, seed: seed, dtype: ScalarType.Float64);
        using var model = new LinearRegression(30, initStd: 1, seed: 2, dtype: ScalarType.Float64);
        var stepFn = makeStep(model);
        for (int t = 0; t < steps; t++)
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            new HalfSquaredError().Forward(model.forward(data.Train.Features), data.Train.Targets).backward();
            stepFn();
        }
        return Flat(model);
    }

    private static Func<nn.Module, Action> Ours(OptimizerOptions o, WeightDecayOptions d) => m =>
    {
        var opt = new WeightDecayOptimizer(m, o, d);
        return opt.step;
    };

    [Fact]
    public void SgdCoupledEqualsDecoupledStepForStep()
    {
        var o = new OptimizerOptions(OptimizerKind.Sgd, 0.01);
        var coupled = Run(Ours(o, new WeightDecayOptions(DecayMethod.Coupled, 0.5)));
        var decoupled = Run(Ours(o, new WeightDecayOptions(DecayMethod.Decoupled, 0.5)));
        var none = Run(Ours(o, WeightDecayOptions.None));
        double diff = Shared.MaxAbs(coupled, decoupled);
        Assert.True(diff <= 1e-10, $"SGD coupled vs decoupled after 100 float64 steps: {diff:E2} (tolerance 1e-10)");
        Assert.True(Shared.MaxAbs(coupled, none) > 1e-2, "decay must have changed the parameters");
    }

    [Fact]
    public void AdamWithL2AndAdamWDifferMeasurably()
    {
        var o = new OptimizerOptions(OptimizerKind.Adam, 0.01);
        var l2 = Run(Ours(o, new WeightDecayOptions(DecayMethod.Coupled, 0.5)));
        var adamw = Run(Ours(o, new WeightDecayOptions(DecayMethod.Decoupled, 0.5)));
        double diff = Shared.MaxAbs(l2, adamw);
        Assert.True(diff > 0.05, $"Adam+L2 and AdamW should differ; max abs difference {diff:E2}");
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, DecayMethod.Coupled)]
    [InlineData(OptimizerKind.Sgd, DecayMethod.Decoupled)]
    [InlineData(OptimizerKind.Sgd, DecayMethod.Penalty)]
    [InlineData(OptimizerKind.Adam, DecayMethod.Decoupled)]
    public void PureDecayFollowsGeometricShrinkage(OptimizerKind kind, DecayMethod method)
    {
        // Zero data gradient: θ_t = (1 − ηλ)^t θ_0 exactly (Adam's own step is 0/(0+ε) = 0, so AdamW is pure decay too).
        const double lr = 0.1, lambda = 0.3;
        using var model = new LinearRegression(5, initStd: 1, seed: 4, dtype: ScalarType.Float64);
        var theta0 = Flat(model);
        var opt = new WeightDecayOptimizer(model, new OptimizerOptions(kind, lr), new WeightDecayOptions(method, lambda, null, DecaySelection.All));
        const int steps = 50;
        for (int t = 0; t < steps; t++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var zeroData = model.parameters().Select(p => p.sum().Mul(0.0)).Aggregate((a, b) => a.Add(b));
            (method == DecayMethod.Penalty ? zeroData.Add(opt.Penalty()) : zeroData).backward();
            opt.step();
        }
        var expected = theta0.Select(v => v * Math.Pow(1 - lr * lambda, steps)).ToArray();
        var actual = Flat(model);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-12 * Math.Max(1, Math.Abs(theta0[i])),
                $"θ[{i}] = {actual[i]:R}, expected (1−ηλ)^t θ₀ = {expected[i]:R}");
    }

    [Fact]
    public void CoupledMatchesPyTorchsSgdWithMomentumAndWeightDecay()
    {
        var ours = Run(Ours(new OptimizerOptions(OptimizerKind.Sgd, 0.01, Momentum: 0.9),
            new WeightDecayOptions(DecayMethod.Coupled, 0.2, null, DecaySelection.All)));
        var theirs = Run(m => ReferenceOptimizer.Sgd(m.parameters(), 0.01, momentum: 0.9, weightDecay: 0.2).step);
        Assert.True(Shared.MaxAbs(ours, theirs) <= 1e-10, $"max abs difference {Shared.MaxAbs(ours, theirs):E2}");
    }

    [Fact]
    public void CoupledAdamMatchesPyTorchsAdamWeightDecay()
    {
        var ours = Run(Ours(new OptimizerOptions(OptimizerKind.Adam, 0.01), new WeightDecayOptions(DecayMethod.Coupled, 0.2, null, DecaySelection.All)));
        var theirs = Run(m => ReferenceOptimizer.Adam(m.parameters(), 0.01, weightDecay: 0.2).step);
        Assert.True(Shared.MaxAbs(ours, theirs) <= 1e-10, $"max abs difference {Shared.MaxAbs(ours, theirs):E2}");
    }

    [Fact]
    public void DecoupledAdamMatchesPyTorchsAdamWWhichMultipliesLambdaByTheLearningRate()
    {
        var ours = Run(Ours(new OptimizerOptions(OptimizerKind.Adam, 0.01), new WeightDecayOptions(DecayMethod.Decoupled, 0.2, null, DecaySelection.All)));
        var theirs = Run(m => ReferenceOptimizer.AdamW(m.parameters(), 0.01, weightDecay: 0.2).step);
        Assert.True(Shared.MaxAbs(ours, theirs) <= 1e-10, $"max abs difference {Shared.MaxAbs(ours, theirs):E2}");
        // Without the lr factor (the paper's form, schedule multiplier 1) the same λ decays 1/η = 100 times harder.
        var unscaled = Run(Ours(new OptimizerOptions(OptimizerKind.Adam, 0.01),
            new WeightDecayOptions(DecayMethod.Decoupled, 0.2, null, DecaySelection.All, DecoupledScalesWithLearningRate: false)));
        Assert.True(Shared.MaxAbs(unscaled, theirs) > 0.1);
    }

    [Fact]
    public void WeightsOnlyLeavesBiasUndecayed()
    {
        using var model = new Mlp(inputs: 4, hidden: [3], outputs: 2, seed: 1, dtype: ScalarType.Float64);
        var opt = new WeightDecayOptimizer(model, new OptimizerOptions(OptimizerKind.Sgd, 0.1), new WeightDecayOptions(DecayMethod.Decoupled, 0.5));
        Assert.Equal([("fc1.weight", true), ("fc1.bias", false), ("fc2.weight", true), ("fc2.bias", false)], opt.Parameters);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<double>().ToArray());
        using (var scope = NewDisposeScope())
        {
            opt.zero_grad();
            model.parameters().Select(p => p.sum().Mul(0.0)).Aggregate((a, b) => a.Add(b)).backward();
            opt.step();
        }
        foreach (var (name, p) in model.named_parameters())
        {
            double factor = name.EndsWith("bias") ? 1.0 : 1 - 0.1 * 0.5;
            var after = p.data<double>().ToArray();
            for (int i = 0; i < after.Length; i++) Assert.Equal(before[name][i] * factor, after[i], 14);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidLambdaIsRejectedByName(double lambda)
    {
        using var model = new LinearRegression(3);
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            new WeightDecayOptimizer(model, new OptimizerOptions(), new WeightDecayOptions(DecayMethod.Coupled, lambda)));
        Assert.Contains("Lambda", e.Message);
        Assert.Contains("λ", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void InvalidLearningRateIsRejectedByName(double lr)
    {
        using var model = new LinearRegression(3);
        var e = Assert.ThrowsAny<ArgumentException>(() => new WeightDecayOptimizer(model, new OptimizerOptions(LearningRate: lr)));
        Assert.Contains("LearningRate", e.Message);
    }

    [Fact]
    public void LambdaWithMethodNoneIsRejectedInsteadOfSilentlyIgnored()
    {
        using var model = new LinearRegression(3);
        var e = Assert.Throws<ArgumentException>(() =>
            new WeightDecayOptimizer(model, new OptimizerOptions(), new WeightDecayOptions(DecayMethod.None, 1e-5)));
        Assert.Contains("silently", e.Message);
    }
}
