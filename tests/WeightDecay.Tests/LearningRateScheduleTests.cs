namespace WeightDecay.Tests;

/// <summary>
/// Lesson 11's library additions: <see cref="LearningRateSchedule"/> against its closed forms at every step, the
/// trainer's schedule and <see cref="WeightDecayOptions.DecayFollowsSchedule"/> against a hand-written reference loop,
/// and the exact EMA form of decoupled decay (<see cref="DecayKernel"/>).
/// </summary>
public class LearningRateScheduleTests
{
    [Fact]
    public void WarmupCosineMatchesItsClosedFormAtEveryStep()
    {
        const int total = 100;
        var schedule = LearningRateSchedule.WarmupCosine(warmupFraction: 0.1, finalFactor: 0.2);
        Assert.Equal(10, schedule.WarmupSteps(total));
        var m = schedule.Factors(total);
        for (int t = 0; t < total; t++)
        {
            // warm-up (t + 1)/10, then the SGDR cosine of L&H (2019, App. B.2) with T_cur = t − 10, T_i = 90
            double expected = t < 10 ? (t + 1) / 10.0 : 0.2 + 0.4 * (1 + Math.Cos(Math.PI * (t - 10) / 90.0));
            Assert.Equal(expected, m[t], 14);
        }
        Assert.Equal(0.1, m[0], 15);
        Assert.Equal(1.0, m[9], 15);                  // warm-up reaches η₀ …
        Assert.Equal(1.0, m[10], 15);                 // … where the cosine starts
        Assert.Equal(0.6, m[55], 15);                 // half-way down the cosine: (1 + m_min)/2
        Assert.True(m.Skip(10).Zip(m.Skip(11), (a, b) => b < a).All(x => x)); // falls strictly after the warm-up
        Assert.True(m[^1] > 0.2 && m[^1] < 0.2 + 1e-3);
        var noWarmup = LearningRateSchedule.WarmupCosine(0, 0);
        Assert.Equal(1.0, noWarmup.Factor(0, 8), 15);
        Assert.Equal(0.5, noWarmup.Factor(4, 8), 15);
        Assert.Equal(1.0, LearningRateSchedule.WarmupCosine(0.9, 0).Factor(0, 1), 15); // W = 0 of a 1-update run
    }

    [Fact]
    public void StepDropsAndConstantMatchTheirClosedForms()
    {
        var drops = LearningRateSchedule.StepDrops(0.1, 0.5, 0.75);
        var m = drops.Factors(100);
        for (int t = 0; t < 100; t++)
            Assert.Equal(t < 50 ? 1 : t < 75 ? 0.1 : 0.1 * 0.1, m[t], 15);
        Assert.Equal(Math.Pow(0.5, 2), LearningRateSchedule.StepDrops(0.5, 0.3, 0.6).Factor(6, 10), 15);
        Assert.Equal(1.0, LearningRateSchedule.StepDrops(0.5).Factor(9, 10)); // no milestones = constant
        Assert.All(LearningRateSchedule.Constant.Factors(7), f => Assert.Equal(1.0, f));
        Assert.Equal("step ×0.1 at 50 %, 75 %", drops.Label);
        Assert.Equal("warmup 5 % + cosine", LearningRateSchedule.WarmupCosine().Label);
        Assert.Equal("constant", LearningRateSchedule.Constant.Label);
    }

    [Theory]
    [InlineData(-0.1, 0.0, "warmupFraction", "[0, 1)")]
    [InlineData(1.0, 0.0, "warmupFraction", "[0, 1)")]
    [InlineData(double.NaN, 0.0, "warmupFraction", "[0, 1)")]
    [InlineData(0.05, -0.1, "finalFactor", "[0, 1]")]
    [InlineData(0.05, 1.5, "finalFactor", "[0, 1]")]
    public void BadWarmupCosineArgumentsAreRefusedByName(double warmup, double final, string name, string range)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.WarmupCosine(warmup, final));
        Assert.Equal(name, e.ParamName);
        Assert.Contains(range, e.Message);
    }

    [Fact]
    public void BadStepDropsAndStepsAreRefusedByName()
    {
        foreach (double factor in new[] { 0.0, -1.0, 1.5, double.NaN })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDrops(factor, 0.5));
            Assert.Equal("factor", e.ParamName);
            Assert.Contains("(0, 1]", e.Message);
        }
        foreach (double milestone in new[] { 0.0, 1.0, -0.5 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDrops(0.1, milestone));
            Assert.Equal("milestones", e.ParamName);
            Assert.Contains("(0, 1)", e.Message);
        }
        var order = Assert.Throws<ArgumentException>(() => LearningRateSchedule.StepDrops(0.1, 0.75, 0.5));
        Assert.Contains("strictly increasing", order.Message);
        var s = LearningRateSchedule.WarmupCosine();
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => s.Factor(-1, 10)).ParamName);
        var past = Assert.Throws<ArgumentOutOfRangeException>(() => s.Factor(10, 10));
        Assert.Contains("[0, 10)", past.Message);
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => s.Factor(0, 0)).ParamName);
    }

    [Fact]
    public void FixedDecayIsRefusedForCoupledDecayBeforeAnyWork()
    {
        using var data = SyntheticRegression.Create(seed: 3);
        using var model = new LinearRegression(200, initStd: 1);
        var before = GradientCheck.FlatParameters(model);
        var options = new TrainerOptions
        {
            Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.01),
            Decay = new WeightDecayOptions(DecayMethod.Coupled, 0.1) { DecayFollowsSchedule = false },
        };
        var e = Assert.Throws<ArgumentException>(() =>
            Trainer.Fit(model, data.Train, null, new HalfSquaredError(), options));
        Assert.Equal("DecayFollowsSchedule", e.ParamName);
        Assert.Contains("Coupled", e.Message);
        Assert.Equal(before, GradientCheck.FlatParameters(model));
        new WeightDecayOptions(DecayMethod.Decoupled, 0.1) { DecayFollowsSchedule = false }.Validate(); // allowed
    }

    /// <summary>The trainer with a schedule against torch.optim.AdamW's update with the learning rate set before every
    /// step (<see cref="ReferenceOptimizer"/>). Checked once (2026-11-30) against PyTorch 1.13 itself — AdamW with
    /// LambdaLR(warm-up 10 % + cosine to 0.05), 60 full-batch float64 steps on a 20-input linear regression, the
    /// schedule rewritten independently in Python: learning rates equal to 8.7·10⁻¹⁸, parameters to 5.6·10⁻¹⁷ (the
    /// script is not part of the tests, which must not need Python).</summary>
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void TrainingWithAScheduleMatchesAHandWrittenAdamWLoop(bool cosine, bool follows)
    {
        const double lr = 0.05, lambda = 0.5;
        const int epochs = 3, batch = 4, seed = 7;
        var schedule = cosine ? LearningRateSchedule.WarmupCosine(0.2, 0.1) : LearningRateSchedule.StepDrops(0.1, 0.5);
        using var data = SyntheticRegression.Create(trainCount: 18, seed: 3, dtype: ScalarType.Float64);
        using var ours = new LinearRegression(200, initStd: 0.1, seed: 5, dtype: ScalarType.Float64);
        using var theirs = new LinearRegression(200, initStd: 0.1, seed: 5, dtype: ScalarType.Float64);
        var history = Trainer.Fit(ours, data.Train, null, new HalfSquaredError(), new TrainerOptions
        {
            Epochs = epochs, BatchSize = batch, Seed = seed, RecordSteps = true, Schedule = schedule,
            Optimizer = new OptimizerOptions(OptimizerKind.Adam, lr),
            Decay = new WeightDecayOptions(DecayMethod.Decoupled, lambda) { DecayFollowsSchedule = follows },
        });

        // the reference: torch.optim.AdamW's update, the learning rate set before every step as a scheduler does
        var sampler = new MinibatchSampler(data.Train.Count, batch, shuffle: true, seed: seed);
        long total = (long)epochs * sampler.BatchesPerEpoch, t = 0;
        var weight = theirs.named_parameters().Where(p => p.name == "weight").Select(p => (Tensor)p.parameter);
        using var reference = ReferenceOptimizer.AdamW(weight, lr, lambda);
        using var plainBias = ReferenceOptimizer.Adam(
            theirs.named_parameters().Where(p => p.name == "bias").Select(p => (Tensor)p.parameter), lr);
        if (!follows) reference.DecayRateOverride = lr;
        var rates = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
            foreach (var indices in sampler.NextEpoch())
            {
                using var scope = NewDisposeScope();
                double eta = lr * schedule.Factor(t++, total);
                rates.Add(eta);
                reference.LearningRate = plainBias.LearningRate = eta;
                reference.zero_grad();
                plainBias.zero_grad();
                var (x, y) = data.Train.Batch(indices);
                new HalfSquaredError().Forward(theirs.forward(x), y).backward();
                reference.step();
                plainBias.step();
            }
        Assert.Equal(total, history.Steps.Count);
        Assert.Equal(rates, history.Steps.Select(s => s.LearningRate)); // η_t = η₀·m_t exactly
        Assert.Equal(rates.Select(eta => (follows ? eta : lr) * lambda), history.Steps.Select(s => s.DecayRate));
        Assert.True(rates.Min() < 0.2 * lr); // the schedule really lowered η
        double diff = Shared.MaxAbs(GradientCheck.FlatParameters(ours), GradientCheck.FlatParameters(theirs));
        Assert.True(diff < 1e-12, $"largest parameter difference {diff:E2}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DecoupledDecayIsTheDecayKernelsWeightedAverageExactly(bool follows)
    {
        // SGD with decoupled decay on L = Σ c_t ⊙ θ: u_t = c_t, so θ_T = a₀θ₀ + Σ w_s (−c_s/λ) exactly
        const double lr = 0.1, lambda = 0.8;
        const int steps = 60;
        var schedule = LearningRateSchedule.WarmupCosine(0.1, 0);
        using var gen = new Generator(11);
        using var theta = new TorchSharp.Modules.Parameter(randn(new long[] { 2, 3 }, ScalarType.Float64,
            generator: gen));
        using var theta0 = theta.detach().clone();
        using var c = randn(new long[] { steps, 2, 3 }, ScalarType.Float64, generator: gen);
        using var optimizer = new WeightDecayOptimizer([("weight", theta)], new OptimizerOptions(OptimizerKind.Sgd, lr),
            new WeightDecayOptions(DecayMethod.Decoupled, lambda) { DecayFollowsSchedule = follows });
        var rates = schedule.Factors(steps).Select(m => lr * m).ToArray();
        for (int t = 0; t < steps; t++)
        {
            using var scope = NewDisposeScope();
            optimizer.LearningRate = rates[t];
            Trainer.Step(optimizer, () => theta.mul(c[t]).sum());
        }
        var kernel = DecayKernel.Compute(rates, lambda, lr, follows);
        using var expected = theta0.Mul(kernel.Initial);
        for (int s = 0; s < steps; s++)
        {
            using var cs = c[s];
            using var term = cs.Mul(-kernel.Weights[s] / lambda);
            expected.add_(term, alpha: Scalars.One);
        }
        double diff = expected.sub(theta).abs().max().item<double>();
        Assert.True(diff < 1e-12, $"largest difference {diff:E2}");
        if (follows) Assert.Equal(1.0, kernel.Mass, 12);  // a₀ + Σ w_s = 1: an average
        else Assert.True(kernel.Mass < 0.9, $"mass {kernel.Mass}"); // η_s < η₀ during warm-up and the cosine: leaks
        double survive = rates.Aggregate(1.0, (a, eta) => a * (1 - (follows ? eta : lr) * lambda));
        Assert.Equal(survive, kernel.Initial, 14);
    }

    [Fact]
    public void ConstantRateKernelIsGeometricWithTimescaleOneOverEtaLambda()
    {
        const double eta = 0.01, lambda = 0.5; // τ = 1/(ηλ) = 200 updates
        var kernel = DecayKernel.Compute(Enumerable.Repeat(eta, 1000).ToArray(), lambda, eta, followsSchedule: true);
        for (int s = 0; s < 1000; s++)
            Assert.Equal(eta * lambda * Math.Pow(1 - eta * lambda, 999 - s), kernel.Weights[s], 15);
        Assert.Equal(Math.Pow(1 - eta * lambda, 1000), kernel.Initial, 15);
        Assert.Equal(Math.Exp(-1000 / 200.0), kernel.Initial, 3); // (1 − 1/τ)^T ≈ e^(−T/τ)
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() =>
            DecayKernel.Compute([eta], 0, eta, true)).ParamName);
        Assert.Throws<ArgumentException>(() => DecayKernel.Compute([2.0], 0.6, 2.0, true)); // 1 − ηλ < 0
    }
}
