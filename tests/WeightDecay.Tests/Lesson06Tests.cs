using WeightDecay.Experiments;
using WeightDecay.Models;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

/// <summary>Lesson 06's helpers: the random-walk PCA baseline and the per-unit ReLU rescaling.</summary>
public class Lesson06Tests
{
    /// <summary>
    /// The closed form λₖ ∝ 1/(2 − 2cos(kπ/T)) equals the spectrum of the expected centered Gram matrix of T walk
    /// points, E[xᵢ·xⱼ] ∝ T − max(i, j) for the differences xᵢ = θᵢ − θ_T to the walk's end (what
    /// Trajectory.Pca decomposes), to rounding.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(20)]
    public void RandomWalkShareMatchesTheCenteredGramSpectrum(int points)
    {
        double[,] k = new double[points, points], c = new double[points, points];
        for (int i = 0; i < points; i++)
            for (int j = 0; j < points; j++)
                (k[i, j], c[i, j]) = (points - Math.Max(i, j), (i == j ? 1 : 0) - 1.0 / points);
        using var scope = NewDisposeScope();
        var K = tensor(k);
        var C = tensor(c);
        var G = C.matmul(K).matmul(C);
        var eig = linalg.eigvalsh(G).data<double>().ToArray().OrderByDescending(x => x).Take(points - 1).ToArray();
        double sum = eig.Sum();
        var expected = RandomWalkPca.ExplainedVarianceRatio(points);
        Assert.Equal(points - 1, expected.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(eig[i] / sum, expected[i], 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomWalkPca.ExplainedVarianceRatio(1));
    }

    /// <summary>Long walks: PC 1 → 6/π² (Antognini &amp; Sohl-Dickstein 2018).</summary>
    [Fact]
    public void LongWalkFirstShareApproachesSixOverPiSquared() =>
        Assert.Equal(6 / (Math.PI * Math.PI), RandomWalkPca.ExplainedVarianceRatio(2000)[0], 3);

    /// <summary>Rescaling hidden units by their own factors leaves the logits unchanged (float32 rounding).</summary>
    [Fact]
    public void PerUnitRescalingKeepsTheFunction()
    {
        using var model = new Mlp(inputs: 20, hidden: [16], seed: 3);
        var factors = ReluRescaling.RandomFactors(16, 4, seed: 1);
        Assert.Contains(factors, c => c > 1.5);
        Assert.Contains(factors, c => c < 1 / 1.5);
        using var rescaled = ReluRescaling.PerUnit(model, factors);
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 50, 20 }, generator: new Generator(7));
        Assert.True(ReluRescaling.MaxLogitDifference(model, rescaled, x) < 1e-4);
        using (no_grad())
            Assert.True((rescaled.Layers[0].weight! - model.Layers[0].weight!).abs().max().item<float>() > 0.1);
        Assert.Throws<ArgumentException>(() => ReluRescaling.PerUnit(model, [1.0, 2.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReluRescaling.PerUnit(model, new double[16]));
    }

    /// <summary>Reading a path at a loss: linear between the bracketing epochs; NaN outside the path.</summary>
    [Fact]
    public void PathInterpolationReadsBetweenTheBracketingEpochs()
    {
        double[] losses = [2.0, 1.0, 0.5], values = [0.0, 10.0, 20.0];
        Assert.Equal(5.0, PathInterpolation.AtLoss(losses, values, 1.5), 12);
        Assert.Equal(15.0, PathInterpolation.AtLoss(losses, values, 0.75), 12);
        Assert.True(double.IsNaN(PathInterpolation.AtLoss(losses, values, 0.4)));
        Assert.True(double.IsNaN(PathInterpolation.AtLoss(losses, values, 2.5)));
        Assert.Throws<ArgumentException>(() => PathInterpolation.AtLoss(losses, [1.0], 1));
    }

    /// <summary>Mean and standard error (sample standard deviation / √n) of known values; the paired verdict.</summary>
    [Fact]
    public void MeanErrorAndVerdict()
    {
        var m = MeanError.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, m.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3 / 4), m.Error, 12);
        Assert.True(double.IsNaN(MeanError.Of([1.0]).Error));
        Assert.Contains("A is ahead", SeedComparison.Verdict(new MeanError(1, 0.1, 5), "A", "B"));
        Assert.Contains("B is ahead", SeedComparison.Verdict(new MeanError(-1, 0.1, 5), "A", "B"));
        Assert.Contains("cannot tell", SeedComparison.Verdict(new MeanError(0.1, 0.1, 5), "A", "B"));
    }
}
