namespace WeightDecay.Tests;

/// <summary>The claims of notebook 05 (norm decay), as library tests on small budgets.</summary>
public class NormDecayClaimTests
{
    private static TensorDataset Subset(int n) => Shared.Mnist.Train.Subset(Enumerable.Range(0, n).Select(i => (long)i * (8000 / n)).ToArray());

    [Fact]
    public void DecayOnlyIsExactlyGeometricAndLeavesBiasesAlone()
    {
        using var model = new Mlp(inputs: 10, hidden: [6], outputs: 3, seed: 1, dtype: ScalarType.Float64);
        double bias = Evaluation.LayerNorms(model)["fc1.bias"];
        var opt = new WeightDecayOptimizer(model, new OptimizerOptions(OptimizerKind.Sgd, 0.1), new WeightDecayOptions(DecayMethod.Coupled, 0.02));
        var norms = DecayOnly.Run(model, opt, 250, "fc1.weight");
        Assert.Equal(251, norms.Count);
        for (int t = 0; t < norms.Count; t++)
            Assert.True(Math.Abs(norms[t] - norms[0] * Math.Pow(1 - 0.1 * 0.02, t)) <= 1e-12 * norms[0], $"step {t}");
        Assert.Equal(bias, Evaluation.LayerNorms(model)["fc1.bias"]);
        Assert.Throws<ArgumentException>(() => DecayOnly.Run(model, opt, 1, "nope"));
    }

    [Fact]
    public void NormalizedLayerIsScaleInvariant()
    {
        using var model = new NormalizedMlp(seed: 2);
        using var scope = NewDisposeScope();
        var (x, y) = Shared.Mnist.Test.Batch(Enumerable.Range(0, 300).Select(i => (long)i).ToArray());
        double Loss() { using var ng = no_grad(); return new CrossEntropy().Forward(model.forward(x), y).ItemAsDouble(); }
        double l0 = Loss();
        foreach (var c in new[] { 0.1, 0.5, 2.0, 10.0 })
        {
            using (no_grad()) { using var s = c.ToScalar(); model.Hidden.weight!.mul_(s); }
            Assert.True(Math.Abs(Loss() - l0) <= 1e-5 * l0, $"c = {c}");
            using (no_grad()) { using var s = c.ToScalar(); model.Hidden.weight!.div_(s); }
        }
    }

    private static TrainingHistory TrainNormalized(TensorDataset train, double scale, double lambda, int epochs)
    {
        using var m = new NormalizedMlp(seed: 0);
        using (no_grad()) { using var s = scale.ToScalar(); m.Hidden.weight!.mul_(s); }
        return Trainer.Fit(m, train, null, new CrossEntropy(), new TrainerOptions
        {
            Epochs = epochs, BatchSize = 128, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.2),
            Decay = WeightDecayOptions.For(DecayMethod.Coupled, lambda),
        });
    }

    [Fact]
    public void WithoutDecayTheScaleInvariantNormNeverDecreases()
    {
        using var train = Subset(2000);
        var h = TrainNormalized(train, 1, 0, 5);
        var n = h.Epochs.Select(e => e.LayerNorms["fc1.weight"]).ToList();
        Assert.All(n.Zip(n.Skip(1)), p => Assert.True(p.Second >= p.First, $"{p.First} → {p.Second}"));
        Assert.True(n[^1] > n[0]);
    }

    [Fact]
    public void WithDecayTheEquilibriumNormForgetsTheStartAndScalesAsAQuarterPower()
    {
        using var train = Subset(2000);
        double Final(double scale, double lambda) => TrainNormalized(train, scale, lambda, 30).Final.LayerNorms["fc1.weight"];
        double small = Final(0.25, 0.04), large = Final(4, 0.04);
        Assert.True(Math.Abs(small - large) < 0.15 * Math.Max(small, large), $"{small} vs {large}");
        double half = Final(1, 0.02), full = Final(1, 0.04);
        Assert.InRange(half / full / Math.Pow(2, 0.25), 0.9, 1.1);
    }

    [Fact]
    public void FinalNormFallsWithLambda()
    {
        using var train = Subset(2000);
        var norms = new[] { 0.0, 1e-2, 3e-2 }.Select(l =>
        {
            using var model = new Mlp(seed: 0);
            return Trainer.Fit(model, train, null, new CrossEntropy(), new TrainerOptions
            {
                Epochs = 3, BatchSize = 128, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.1),
                Decay = WeightDecayOptions.For(DecayMethod.Coupled, l),
            }).Final.ParameterNorm;
        }).ToList();
        Assert.True(norms[0] > norms[1] && norms[1] > norms[2], string.Join(", ", norms));
    }
}
