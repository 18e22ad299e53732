namespace WeightDecay.Tests;

/// <summary>The claims of notebook 04 (the seed's MLP on MNIST), as library tests.</summary>
public class MnistNotebookClaimTests
{
    [Fact]
    public void DoubleSoftmaxLossNeverGoesBelowItsBoundAndReachesItWhenCertain()
    {
        double bound = DoubleSoftmaxCrossEntropy.LowerBound(10);
        Assert.Equal(Math.Log(1 + 9 / Math.E), bound, 12);
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var logits = randn(new long[] { 500, 10 }, dtype: ScalarType.Float64, generator: g).Mul(5);
        var labels = logits.argmax(1);
        var loss = new DoubleSoftmaxCrossEntropy();
        Assert.True(loss.Forward(logits, labels).item<double>() > bound);
        var certain = nn.functional.one_hot(labels, 10).to_type(ScalarType.Float64).Mul(100); // softmax ≈ one-hot
        Assert.Equal(bound, loss.Forward(certain, labels).item<double>(), 9);
        Assert.True(new CrossEntropy().Forward(certain, labels).item<double>() < 1e-9); // the right loss goes to 0
    }

    [Fact]
    public void KerasAdamDecayIsInverseTimeLearningRateDecay()
    {
        Assert.Equal(1e-3 / (1 + 1e-6 * 315), Schedules.KerasInverseTimeDecay(1e-3, 1e-6, 315), 15);
        Assert.Equal(1e-3, Schedules.KerasInverseTimeDecay(1e-3, 0, 10_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.KerasInverseTimeDecay(1e-3, -1, 1));
    }

    [Fact]
    public void RoughnessSeparatesPixelNoiseFromSmoothStrokes()
    {
        var rng = new Random(1);
        var noise = Enumerable.Range(0, 784).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var blob = Enumerable.Range(0, 784).Select(i => Math.Exp(-(Math.Pow(i / 28 - 14, 2) + Math.Pow(i % 28 - 14, 2)) / 30.0)).ToArray();
        Assert.InRange(WeightStatistics.Roughness(noise), 3.0, 4.5);
        Assert.True(WeightStatistics.Roughness(blob) < 0.2);
        Assert.Equal(WeightStatistics.Roughness(blob), WeightStatistics.Roughness(blob.Select(v => 7 * v).ToArray()), 12);
        Assert.Throws<ArgumentException>(() => WeightStatistics.Roughness(new double[10]));
        var h = WeightStatistics.Histogram([0.1, 0.2, 0.9, 1.0, 5.0], bins: 2, min: 0, max: 1);
        Assert.Equal([2L, 2L], h.Counts);
    }

    [Fact]
    public void AuditShowsTheSeedsUnattachedRegularizerDecaysNothing()
    {
        using var model = new Mlp(seed: 0);
        var l2 = Regularizer.L2; // the seed creates a regularizer ...
        _ = l2;
        using var adam = new WeightDecayOptimizer(model, new OptimizerOptions(OptimizerKind.Adam, 1e-3)); // ... and never attaches it
        var audit = DecayAudit.Of(adam, model);
        Assert.False(audit.AnyDecay);
        Assert.All(audit.Rows, r => Assert.Equal(1.0, r.ShrinkPerStep));
        Assert.Equal(4, audit.ToDataFrame().Rows.Count);
    }

    private sealed class ScalesOnly : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly TorchSharp.Modules.Parameter scale = new(ones(5));
#pragma warning restore IDE1006
        public ScalesOnly() : base(nameof(ScalesOnly)) => RegisterComponents();
        public override Tensor forward(Tensor x) => x * scale;
    }

    [Fact]
    public void AuditWarnsWhenDecayIsSilentlyNotApplied()
    {
        // λ > 0, but the default selection (weights only) excludes every tensor of this model: nothing is decayed.
        using var model = new ScalesOnly();
        using var opt = new WeightDecayOptimizer(model, new OptimizerOptions(OptimizerKind.Sgd, 0.1), new WeightDecayOptions(DecayMethod.Decoupled, 0.01));
        var audit = DecayAudit.Of(opt, model);
        Assert.False(audit.AnyDecay);
        Assert.Contains(audit.Warnings, w => w.Contains("no parameter tensor is decayed"));
        // An optimizer built over another model's parameters leaves this one untouched.
        using var other = new Mlp(inputs: 4, hidden: [3], outputs: 2);
        using var trained = new Mlp(inputs: 4, hidden: [3], outputs: 2);
        using var wrong = new WeightDecayOptimizer(other, new OptimizerOptions(), new WeightDecayOptions(DecayMethod.Coupled, 0.1));
        Assert.Contains(DecayAudit.Of(wrong, trained).Warnings, w => w.Contains("'fc1.weight' is not optimized"));
    }

    [Fact]
    public void AuditShrinkFactorsMatchTheUpdateRules()
    {
        using var model = new Mlp(inputs: 6, hidden: [4], outputs: 3, seed: 2, dtype: ScalarType.Float64);
        double Shrink(OptimizerOptions o, DecayMethod m) =>
            DecayAudit.Of(new WeightDecayOptimizer(model, o, new WeightDecayOptions(m, 0.5)), model).Rows.Single(r => r.Name == "fc1.weight").ShrinkPerStep;
        Assert.Equal(1 - 0.1 * 0.5, Shrink(new OptimizerOptions(OptimizerKind.Sgd, 0.1), DecayMethod.Coupled), 12);
        // with momentum: the audit's factor is what pure decay actually does in the long run
        var momentum = new WeightDecayOptimizer(model, new OptimizerOptions(OptimizerKind.Sgd, 0.01, Momentum: 0.9), new WeightDecayOptions(DecayMethod.Coupled, 0.05));
        double audited = DecayAudit.Of(momentum, model).Rows.Single(r => r.Name == "fc1.weight").ShrinkPerStep;
        var norms = DecayOnly.Run(model, momentum, 600, "fc1.weight");
        Assert.Equal(norms[^1] / norms[^2], audited, 9);
        Assert.Equal(1 - 0.01 * 0.05 / (1 - 0.9), audited, 3); // the small-ηλ approximation
        Assert.Equal(1 - 0.1 * 0.5, Shrink(new OptimizerOptions(OptimizerKind.Adam, 0.1), DecayMethod.Decoupled), 12);
        Assert.True(double.IsNaN(Shrink(new OptimizerOptions(OptimizerKind.Adam, 0.1), DecayMethod.Coupled)));
        Assert.Equal(1.0, DecayAudit.Of(new WeightDecayOptimizer(model, new OptimizerOptions(), new WeightDecayOptions(DecayMethod.Coupled, 0.5)), model)
            .Rows.Single(r => r.Name == "fc1.bias").ShrinkPerStep);

        // Adam + L2: after a step the factor is known; a coordinate's decay is divided by its gradient scale √v̂.
        using var adam = new WeightDecayOptimizer(model, new OptimizerOptions(OptimizerKind.Adam, 1e-3), new WeightDecayOptions(DecayMethod.Coupled, 0.5));
        using (var scope = NewDisposeScope())
        {
            using var g = new Generator(1);
            var x = randn(new long[] { 16, 6 }, dtype: ScalarType.Float64, generator: g);
            var y = randint(3, new long[] { 16 }, generator: g);
            adam.zero_grad();
            new CrossEntropy().Forward(model.forward(x), y).backward();
            adam.step();
        }
        var row = DecayAudit.Of(adam, model).Rows.Single(r => r.Name == "fc1.weight");
        Assert.InRange(row.ShrinkPerStep, 0, 1 - 1e-12);
        Assert.Contains(DecayAudit.Of(adam, model).Warnings, w => w.Contains("AdamW"));
    }
}

/// <summary>The λ-sweep claims of notebook 04 at a small budget (2 epochs, 4,000 training digits).</summary>
public class MnistSweepClaimTests
{
    [Fact]
    public void DecayShrinksSmoothsAndNarrowsTheGap()
    {
        using var train = Shared.Mnist.Train.Subset(Enumerable.Range(0, 4000).Select(i => (long)i * 2).ToArray());
        var runs = new[] { 0.0, 1e-2, 1e-1 }.Select(l =>
        {
            using var model = new Mlp(seed: 0);
            var h = Trainer.Fit(model, train, Shared.Mnist.Test, new CrossEntropy(), new TrainerOptions
            {
                Epochs = 2, BatchSize = 128, Optimizer = new OptimizerOptions(OptimizerKind.Adam, 1e-3),
                Decay = WeightDecayOptions.For(DecayMethod.Penalty, l),
            });
            var w = Evaluation.Snapshot(model, 2, 0).Values.Single(v => v.Key == "fc1.weight").Value;
            double rough = Enumerable.Range(0, 64).Average(u => WeightStatistics.Roughness(w.Skip(u * 784).Take(784).ToList()));
            return (Norm: h.Final.LayerNorms["fc1.weight"], Gap: h.Final.TrainAccuracy!.Value - h.Final.TestAccuracy!.Value, Rough: rough);
        }).ToList();
        Assert.True(runs[0].Norm > runs[1].Norm && runs[1].Norm > runs[2].Norm, string.Join(", ", runs.Select(r => r.Norm)));
        Assert.True(runs[2].Rough < 0.66 * runs[0].Rough, $"roughness {runs[0].Rough} → {runs[2].Rough}");
        Assert.True(runs[2].Gap < 0.75 * runs[0].Gap, $"gap {runs[0].Gap} → {runs[2].Gap}");
    }
}
