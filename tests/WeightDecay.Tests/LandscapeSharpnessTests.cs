using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Landscape;
using WeightDecay.Losses;
using WeightDecay.Models;
using Xunit;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

public class LandscapeSharpnessTests
{
    private static TensorDataset Blobs(int n, int inputs, int classes, int seed)
    {
        using var g = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var x = randn(new long[] { n, inputs }, dtype: ScalarType.Float64, generator: g);
        var y = randint(classes, new long[] { n }, generator: g);
        return new TensorDataset(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>The full Hessian by double differentiation: row i = ∂(∂L/∂θᵢ)/∂θ, one backward per gradient entry.</summary>
    private static double[,] ExactHessian(nn.Module<Tensor, Tensor> model, TensorDataset data, Loss loss)
    {
        using var scope = NewDisposeScope();
        var ps = model.parameters().Select(p => (Tensor)p).ToList();
        var l = loss.Forward(model.forward(data.Features), data.Targets);
        var g = cat(autograd.grad([l], ps, retain_graph: true, create_graph: true).Select(t => t.reshape(-1)).ToList(), 0);
        int P = (int)g.numel();
        var h = new double[P, P];
        for (int i = 0; i < P; i++)
        {
            var row = autograd.grad([g[i]], ps, retain_graph: true, allow_unused: true);
            var flat = row.Select((t, k) => t is null || t.IsInvalid ? zeros_like(ps[k]).reshape(-1) : t.reshape(-1)).ToList();
            var values = cat(flat, 0).data<double>().ToArray();
            for (int j = 0; j < P; j++) h[i, j] = values[j];
        }
        return h;
    }

    private static double[] Eigenvalues(double[,] h)
    {
        int P = h.GetLength(0);
        using var scope = NewDisposeScope();
        var flat = new double[P * P];
        for (int i = 0; i < P; i++)
            for (int j = 0; j < P; j++) flat[i * P + j] = 0.5 * (h[i, j] + h[j, i]);
        return linalg.eigvalsh(tensor(flat, new long[] { P, P }, ScalarType.Float64)).data<double>().ToArray(); // ascending
    }

    [Fact]
    public void PowerIterationMatchesTheExactHessianOfASmallMlp()
    {
        using var data = Blobs(40, 5, 3, seed: 1);
        using var model = new Mlp(inputs: 5, hidden: [6], outputs: 3, seed: 3, dtype: ScalarType.Float64);
        var loss = new CrossEntropy();
        var h = ExactHessian(model, data, loss);
        int P = h.GetLength(0);
        Assert.Equal(5 * 6 + 6 + 6 * 3 + 3, P);
        double asym = 0;
        for (int i = 0; i < P; i++) for (int j = 0; j < P; j++) asym = Math.Max(asym, Math.Abs(h[i, j] - h[j, i]));
        Assert.True(asym < 1e-12, $"the Hessian is not symmetric ({asym:E2})");
        var eig = Eigenvalues(h);
        double max = eig[^1], min = eig[0];
        Assert.True(min < -1e-4 * max, "this model should have negative curvature for the minimum test to mean something");

        var spectrum = Sharpness.Estimate(model, data, loss, new HessianOptions { ComputeMinimum = true, Tolerance = 1e-10, MaxIterations = 5000 });
        Assert.True(spectrum.Max.Converged, $"not converged after {spectrum.Max.Iterations} iterations");
        Assert.True(Math.Abs(spectrum.Max.Value - max) <= 1e-4 * Math.Abs(max), $"λ_max {spectrum.Max.Value:R} vs exact {max:R}");
        Assert.NotNull(spectrum.Min);
        Assert.True(Math.Abs(spectrum.Min.Value - min) <= 1e-4 * Math.Abs(max), $"λ_min {spectrum.Min.Value:R} vs exact {min:R}");
        Assert.Equal(spectrum.Min.Value / spectrum.Max.Value, spectrum.MinMaxRatio);
        Assert.True(spectrum.Max.Residual < 1e-3 * max, $"residual {spectrum.Max.Residual:E2}");
        Assert.InRange(spectrum.Max.Iterations, 2, 5000);
    }

    [Fact]
    public void HessianVectorProductsEqualTheExactHessianTimesVAndDoNotDependOnTheBatchSize()
    {
        using var data = Blobs(30, 4, 3, seed: 2);
        using var model = new Mlp(inputs: 4, hidden: [5], outputs: 3, seed: 1, dtype: ScalarType.Float64);
        var loss = new CrossEntropy();
        var h = ExactHessian(model, data, loss);
        using var v = ParameterDirection.Random(model, 4, DirectionNormalization.None, includeOneDimensional: true);
        var vf = v.Flatten();
        var expected = Enumerable.Range(0, vf.Length).Select(i => Enumerable.Range(0, vf.Length).Sum(j => h[i, j] * vf[j])).ToArray();
        using var whole = Sharpness.HessianVectorProduct(model, data, loss, v);
        using var batched = Sharpness.HessianVectorProduct(model, data, loss, v, batchSize: 7);
        Assert.True(Shared.MaxAbs(expected, whole.Flatten()) < 1e-12);
        Assert.True(Shared.MaxAbs(expected, batched.Flatten()) < 1e-12);
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void LinearRegressionSharpnessIsTheTopEigenvalueOfTheDesignGram()
    {
        // L = (1/n) Σ ½(xᵢ·w + b − yᵢ)²: H = (1/n) [X 1]ᵀ[X 1], exactly
        using var data = SyntheticRegression.Create(inputs: 8, trainCount: 50, testCount: 10, seed: 4);
        using var train = data.Train.To(ScalarType.Float64);
        using var model = new LinearRegression(8, initStd: 1, dtype: ScalarType.Float64);
        using var scope = NewDisposeScope();
        var design = cat([train.Features, ones(50, 1, dtype: ScalarType.Float64)], 1);
        double exact = linalg.eigvalsh(design.t().matmul(design).Div(50L)).max().ItemAsDouble();
        var spectrum = Sharpness.Estimate(model, train, new HalfSquaredError(), new HessianOptions { Tolerance = 1e-12, MaxIterations = 2000 });
        Assert.True(Math.Abs(spectrum.Max.Value - exact) <= 1e-8 * exact, $"{spectrum.Max.Value:R} vs {exact:R}");
        Assert.Null(spectrum.Min);
        Assert.Null(spectrum.MinMaxRatio);
    }

    [Fact]
    public void SharpnessLeavesTheModelUnchangedAndRejectsBadOptions()
    {
        using var train = Shared.Mnist.Train.Subset(Enumerable.Range(0, 200).Select(i => (long)i * 40).ToArray());
        using var model = new Mlp(hidden: [16], seed: 0);
        model.train();
        using var before = ParameterDirection.FromModel(model);
        var s = Sharpness.Estimate(model, train, new CrossEntropy(), new HessianOptions { MaxIterations = 20, Tolerance = 1e-4 });
        Assert.True(s.Max.Value > 0 && double.IsFinite(s.Max.Value));
        Assert.InRange(s.Max.Iterations, 2, 20);
        Assert.Equal(s.Max.Iterations < 20 || s.Max.RelativeChange <= 1e-4, s.Max.Converged);
        using var after = ParameterDirection.FromModel(model);
        Assert.Equal(before.Flatten(), after.Flatten());
        Assert.True(model.training);

        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Sharpness.Estimate(model, train, new CrossEntropy(), new HessianOptions { MaxIterations = 0 })).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Sharpness.Estimate(model, train, new CrossEntropy(), new HessianOptions { Tolerance = double.NaN })).ParamName);
        using var other = new Mlp(hidden: [8], seed: 0);
        using var wrong = ParameterDirection.Random(other, 0);
        Assert.Equal("v", Assert.Throws<ArgumentException>(() =>
            Sharpness.HessianVectorProduct(model, train, new CrossEntropy(), wrong)).ParamName);
    }
}
