using WeightDecay.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

/// <summary>
/// Lesson 10 (weight decay with normalization layers): the BatchNorm network, the scale-invariance probe and the
/// angle measurement against closed forms, the training record, the (η, λ) grid statistics, and the seed spreads
/// the notebook's claims take their tolerances from.
/// </summary>
public class NormalizationLessonTests
{
    private static (Tensor X, Tensor Y) Batch(int n = 256, ScalarType dtype = ScalarType.Float64)
    {
        var (x, y) = Shared.Mnist.Train.Batch(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        return (x.to_type(dtype), y);
    }

    // Closed forms of a loss homogeneous of degree 0 in W₁: L(cW) = L(W), ∇L(W)·W = 0, ∇L(cW) = ∇L(W)/c. BatchNorm's
    // ε = 1e-5 breaks them at order ε/Var(W₁x) (≈ 1e-4 at this initialization, less at larger scales): the tolerances.
    [Fact]
    public void BatchNormLossIsScaleInvariantAndGradientOrthogonalAndInverselyScaled()
    {
        using var model = new BatchNormMlp(hidden: 32, seed: 3, dtype: ScalarType.Float64);
        model.train();
        var (x, y) = Batch();
        var probes = ScaleInvariance.Probe(model, model.Hidden.weight!,
            () => nn.functional.cross_entropy(model.forward(x), y), [1, 0.5, 2, 10]);
        var at1 = probes[0];
        foreach (var p in probes)
        {
            Assert.Equal(at1.Loss, p.Loss, 1e-3 * at1.Loss);
            Assert.True(Math.Abs(p.Cosine) < 1e-3, $"cos(∇L, W) = {p.Cosine} at c = {p.Scale}");
            Assert.Equal(1, p.GradientNorm * p.Scale / at1.GradientNorm, 2e-3);
            Assert.Equal(at1.WeightNorm * p.Scale, p.WeightNorm, 1e-9 * p.WeightNorm);
        }
        // at scale 10 the ε term is 100× smaller: the closed forms hold to ≈ 1e-6
        Assert.True(Math.Abs(probes[^1].Cosine) < 1e-5, $"cos at c = 10: {probes[^1].Cosine}");
    }

    // BatchNormalization is PyTorch's BatchNorm1d: training mode normalizes with the batch mean and the biased batch
    // variance, then moves the running statistics by 0.1 toward the batch mean and the UNBIASED variance; evaluation
    // mode uses the running statistics; γ and β scale and shift; the counter counts training batches only.
    [Fact]
    public void BatchNormalizationMatchesPyTorchsBatchNorm1dFormulas()
    {
        using var scope = NewDisposeScope();
        using var bn = new BatchNormalization(3, affine: true, dtype: ScalarType.Float64);
        using (no_grad())
        {
            bn.Weight!.copy_(tensor(new[] { 2.0, 0.5, 1.0 }));
            bn.Bias!.copy_(tensor(new[] { 0.0, 1.0, -1.0 }));
        }
        using var gen = new Generator(11);
        using var three = 3.0.ToScalar();
        var x = randn(8, 3, dtype: ScalarType.Float64, generator: gen).mul(three);
        double[,] xs = new double[8, 3];
        for (int i = 0; i < 8; i++) for (int j = 0; j < 3; j++) xs[i, j] = x[i, j].item<double>();
        double[] gamma = [2.0, 0.5, 1.0], beta = [0.0, 1.0, -1.0];
        bn.train();
        var y = bn.forward(x);
        for (int j = 0; j < 3; j++)
        {
            double mean = Enumerable.Range(0, 8).Average(i => xs[i, j]);
            double ss = Enumerable.Range(0, 8).Sum(i => (xs[i, j] - mean) * (xs[i, j] - mean));
            for (int i = 0; i < 8; i++)
                Assert.Equal(gamma[j] * (xs[i, j] - mean) / Math.Sqrt(ss / 8 + 1e-5) + beta[j],
                    y[i, j].item<double>(), 1e-12);
            Assert.Equal(0.1 * mean, bn.RunningMean[j].item<double>(), 1e-12);
            Assert.Equal(0.9 + 0.1 * ss / 7, bn.RunningVar[j].item<double>(), 1e-12);
        }
        Assert.Equal(1, bn.BatchesTracked);
        bn.eval();
        var z = bn.forward(x);
        for (int j = 0; j < 3; j++)
        {
            double m = bn.RunningMean[j].item<double>(), v = bn.RunningVar[j].item<double>();
            for (int i = 0; i < 8; i++)
                Assert.Equal(gamma[j] * (xs[i, j] - m) / Math.Sqrt(v + 1e-5) + beta[j], z[i, j].item<double>(),
                    1e-12);
        }
        Assert.Equal(1, bn.BatchesTracked);
        Assert.Equal(["weight", "bias"], bn.named_parameters().Select(p => p.name));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], bn.named_buffers().Select(b => b.name));
        using var plain = new BatchNormalization(3);
        Assert.Empty(plain.parameters());
        Assert.Throws<ArgumentException>(() => bn.forward(x.narrow(1, 0, 2)));
    }

    [Fact]
    public void LayerNormModelIsScaleInvariantToo()
    {
        using var model = new NormalizedMlp(hidden: 32, seed: 1, dtype: ScalarType.Float64);
        var (x, y) = Batch();
        var probes = ScaleInvariance.Probe(model, model.Hidden.weight!,
            () => nn.functional.cross_entropy(model.forward(x), y), [1, 0.25, 4]);
        foreach (var p in probes)
        {
            Assert.Equal(probes[0].Loss, p.Loss, 1e-7);   // LayerNorm's ε = 1e-10 here
            Assert.True(Math.Abs(p.Cosine) < 1e-7, $"cos(∇L, W) = {p.Cosine} at c = {p.Scale}");
            Assert.Equal(1, p.GradientNorm * p.Scale / probes[0].GradientNorm, 1e-7);
        }
    }

    [Fact]
    public void ProbeRestoresTheWeightExactlyAndRejectsBadScales()
    {
        using var model = new BatchNormMlp(hidden: 8, seed: 0);
        var (x, y) = Batch(64, ScalarType.Float32);
        using var before = model.Hidden.weight!.detach().clone();
        ScaleInvariance.Probe(model, model.Hidden.weight!, () => nn.functional.cross_entropy(model.forward(x), y),
            [0.3, 7]);
        Assert.True(before.eq(model.Hidden.weight!).all().item<bool>());
        foreach (double bad in new[] { 0.0, -1, double.NaN, double.PositiveInfinity })
            Assert.Contains("> 0", Assert.Throws<ArgumentException>(() => ScaleInvariance.Probe(model,
                model.Hidden.weight!, () => model.forward(x).sum(), [1, bad])).Message);
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(1e-6)]
    [InlineData(3.0)]
    public void AngleMatchesTheRotationThatMadeIt(double theta)
    {
        // b is a rotated by θ in a random plane and rescaled: the angle ignores the scale
        using var scope = NewDisposeScope();
        var gen = new TorchSharp.torch.Generator(5);
        var u = randn(40, 3, dtype: ScalarType.Float64, generator: gen);
        var v = randn(40, 3, dtype: ScalarType.Float64, generator: gen);
        u = u / u.norm();
        v = v - u * (u * v).sum();
        v = v / v.norm();
        // explicit Scalars, disposed after use (no implicit double → Scalar conversions)
        using var cos = Math.Cos(theta).ToScalar();
        using var sin = Math.Sin(theta).ToScalar();
        using var scale = 3.5.ToScalar();
        var b = u.mul(cos).Add(v.mul(sin)).mul(scale);
        Assert.Equal(theta, ScaleInvariance.Angle(u, b), 1e-12);
        Assert.Equal(theta, ScaleInvariance.Angle(u.to_type(ScalarType.Float32), b.to_type(ScalarType.Float32)),
            theta * 1e-3 + 1e-6);
        Assert.Throws<ArgumentException>(() => ScaleInvariance.Angle(u, zeros_like(u)));
        Assert.Throws<ArgumentException>(() => ScaleInvariance.Angle(u, u.flatten()));
    }

    [Fact]
    public void PredictedAngleIsTheClosedForm()
    {
        Assert.Equal(Math.Sqrt(2 * 0.2 * 0.02), RotationRun.PredictedAngle(0.2, 0.02), 15);
        Assert.Equal(Math.Sqrt(2 * 0.02 * 0.02 / 1.9), RotationRun.PredictedAngle(0.02, 0.02, 0.9), 15);
    }

    [Fact]
    public void SettingsNameTheBadValue()
    {
        var s = new RotationSettings();
        Assert.Contains("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() =>
            (s with { LearningRate = 0 }).Validate()).Message);
        Assert.Contains("Momentum", Assert.Throws<ArgumentOutOfRangeException>(() =>
            (s with { Momentum = 1 }).Validate()).Message);
        Assert.Contains("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() =>
            (s with { BatchSize = 1 }).Validate()).Message);
        Assert.Contains("Lambda", Assert.Throws<ArgumentOutOfRangeException>(() =>
            (s with { Lambda = -1 }).Validate()).Message);
    }

    // Without decay, ‖W₁‖² grows by η²‖∇L‖² per step (gradient ⟂ W₁), up to BatchNorm's ε and float32 rounding; the
    // output layer is never decayed; same seed → identical record.
    [Fact]
    public void WithoutDecayTheNormGrowsByTheGradientStepAndRunsAreReproducible()
    {
        var mnist = Shared.Mnist;
        var s = new RotationSettings { Hidden = 32, Steps = 30, Lambda = 0, Seed = 4 };
        var run = RotationTraining.Run(s, mnist.Train, null, mnist.Test);
        for (int t = 0; t + 1 < run.WeightNorm.Count; t++)
        {
            double grown = run.WeightNorm[t] * run.WeightNorm[t]
                + Math.Pow(s.LearningRate * run.GradientNorm[t], 2);
            Assert.Equal(1, run.WeightNorm[t + 1] * run.WeightNorm[t + 1] / grown, 1e-4);
        }
        var again = RotationTraining.Run(s, mnist.Train, null, mnist.Test);
        Assert.Equal(run.Angle, again.Angle);
        Assert.Equal(run.TestAccuracy, again.TestAccuracy);
        Assert.True(double.IsNaN(run.ValidationAccuracy));
    }

    // With decay (plain SGD, coupled L2) W₁ is multiplied by (1 − ηλ) before the gradient step:
    // ‖W_{t+1}‖² = (1 − ηλ)²‖W_t‖² + η²‖∇L‖², the recursion whose fixed point gives the equilibrium.
    [Fact]
    public void WithDecayTheNormFollowsTheShrinkAndGrowRecursion()
    {
        var mnist = Shared.Mnist;
        var s = new RotationSettings { Hidden = 32, Steps = 30, LearningRate = 0.3, Lambda = 0.1, Seed = 2 };
        var run = RotationTraining.Run(s, mnist.Train, null, mnist.Test);
        double keep = 1 - s.LearningRate * s.Lambda;
        for (int t = 0; t + 1 < run.WeightNorm.Count; t++)
        {
            double next = keep * keep * run.WeightNorm[t] * run.WeightNorm[t]
                + Math.Pow(s.LearningRate * run.GradientNorm[t], 2);
            Assert.Equal(1, run.WeightNorm[t + 1] * run.WeightNorm[t + 1] / next, 1e-4);
        }
    }

    [Fact]
    public void GridGroupingStatisticsMatchHandComputedValues()
    {
        // z depends only on i + j (the product index): R² by product = 1; by ratio it is computed by hand
        double[][] z = [[0, 1, 2], [1, 2, 3], [2, 3, 4]];
        Assert.Equal(1, EtaLambdaGrid.GroupedR2(z, (i, j) => i + j), 12);
        // groups by i − j: {2}, {1,3}, {0,2,4}, {1,3}, {2}: within SS = 2 + 8 + 2 = 12; total SS = 12 → R² = 0
        Assert.Equal(0, EtaLambdaGrid.GroupedR2(z, (i, j) => i - j), 12);
        var g = new EtaLambdaGrid([0.1, 0.2, 0.4], [0.01, 0.02, 0.04], z, z);
        Assert.Equal(new[] { 1e-3, 2e-3, 4e-3, 8e-3, 16e-3 }, g.Products.Select(p => Math.Round(p, 12)));
        Assert.Equal(new[] { double.NaN, 1, 2, 3, double.NaN }, g.AlongProducts(1));
    }

    [Fact]
    public void GridRejectsGridsWithoutACommonRatio()
    {
        var mnist = Shared.Mnist;
        var e = Assert.Throws<ArgumentException>(() => EtaLambdaGrid.Run([0.1, 0.2], [0.01, 0.03],
            new RotationSettings(), mnist.Train, mnist.Test, mnist.Test));
        Assert.Contains("same ratio", e.Message);
    }
}
