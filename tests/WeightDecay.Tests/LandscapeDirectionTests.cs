using TorchSharp;
using WeightDecay.Landscape;
using WeightDecay.Models;
using Xunit;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

public class LandscapeDirectionTests
{
    [Fact]
    public void SameSeedGivesTheSameDirectionsAndThePairStartsWithTheSingleDirection()
    {
        using var model = new Mlp(hidden: [32], seed: 1);
        using var a = ParameterDirection.Random(model, seed: 5);
        using var b = ParameterDirection.Random(model, seed: 5);
        using var c = ParameterDirection.Random(model, seed: 6);
        var (x, y) = ParameterDirection.RandomPair(model, seed: 5);
        using var _x = x;
        using var _y = y;
        Assert.Equal(a.Flatten(), b.Flatten());
        Assert.NotEqual(a.Flatten(), c.Flatten());
        Assert.Equal(a.Flatten(), x.Flatten());
        Assert.NotEqual(x.Flatten(), y.Flatten());
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], a.Names);
        Assert.Equal(32 * 784 + 32 + 10 * 32 + 10, a.ElementCount);

        // independent of the model's dtype: drawn in float64, normalized against the same θ (up to float32 → float64)
        using var m64 = new Mlp(hidden: [32], seed: 1, dtype: ScalarType.Float64);
        using var d64 = ParameterDirection.Random(m64, seed: 5);
        Assert.True(Shared.MaxAbs(a.Flatten(), d64.Flatten()) < 1e-6);
    }

    [Fact]
    public void EachFilterOfAFilterNormalizedDirectionHasTheNormOfTheParameterFilter()
    {
        using var model = new Mlp(inputs: 20, hidden: [16, 8], outputs: 3, seed: 2);
        using var theta = ParameterDirection.FromModel(model);
        using var d = ParameterDirection.Random(model, seed: 3, DirectionNormalization.Filter);
        foreach (var name in d.Names)
        {
            if (d[name].dim() >= 2)
            {
                var expected = theta.FilterNorms(name);
                var actual = d.FilterNorms(name);
                Assert.Equal(d[name].shape[0], actual.Length);
                // exact up to the reference's ε: ‖d_f‖ = ‖g_f‖/(‖g_f‖ + 1e-10)·‖θ_f‖, a relative 1e-10/‖g_f‖ below ‖θ_f‖
                for (int f = 0; f < expected.Length; f++)
                    Assert.True(Math.Abs(actual[f] - expected[f]) <= 1e-9 * expected[f],
                        $"{name} filter {f}: ‖d_f‖ = {actual[f]:R}, ‖θ_f‖ = {expected[f]:R}");
            }
            else
                Assert.All(d[name].data<double>().ToArray(), v => Assert.Equal(0.0, v)); // ignore biasbn
        }
    }

    [Fact]
    public void LayerNormalizationMatchesEachTensorNormAndIncludedBiasesCopyTheParameters()
    {
        using var model = new Mlp(inputs: 20, hidden: [16], outputs: 3, seed: 2);
        using var theta = ParameterDirection.FromModel(model);
        using var d = ParameterDirection.Random(model, seed: 3, DirectionNormalization.Layer, includeOneDimensional: true);
        var thetaNorms = theta.TensorNorms();
        var dNorms = d.TensorNorms();
        foreach (var name in d.Names)
            Assert.True(Math.Abs(dNorms[name] - thetaNorms[name]) <= 1e-9 * thetaNorms[name], $"{name}: {dNorms[name]:R} vs {thetaNorms[name]:R}");
        // 1-D tensors with includeOneDimensional: a copy of θ, as net_plotter.py does without ignore='biasbn'
        Assert.Equal(theta["fc1.bias"].data<double>().ToArray(), d["fc1.bias"].data<double>().ToArray());
        // filters differ in norm for the layer normalization (only the whole tensor is matched)
        var filters = d.FilterNorms("fc1.weight");
        var thetaFilters = theta.FilterNorms("fc1.weight");
        Assert.True(filters.Zip(thetaFilters, (a, b) => Math.Abs(a - b)).Max() > 1e-3);

        using var f = ParameterDirection.Random(model, seed: 3, DirectionNormalization.Filter, includeOneDimensional: true);
        Assert.Equal(theta["fc2.bias"].data<double>().ToArray(), f["fc2.bias"].data<double>().ToArray());
    }

    [Fact]
    public void UnnormalizedDirectionIsStandardGaussianWithZeroBiasesByDefault()
    {
        using var model = new Mlp(hidden: [64], seed: 0);
        using var d = ParameterDirection.Random(model, seed: 1, DirectionNormalization.None);
        var w = d["fc1.weight"].data<double>().ToArray();
        double mean = w.Average();
        double std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        Assert.True(Math.Abs(mean) < 0.02 && Math.Abs(std - 1) < 0.02, $"mean {mean}, std {std}");
        Assert.All(d["fc1.bias"].data<double>().ToArray(), v => Assert.Equal(0.0, v));
        using var withBias = ParameterDirection.Random(model, seed: 1, DirectionNormalization.None, includeOneDimensional: true);
        Assert.True(withBias["fc1.bias"].abs().sum().ItemAsDouble() > 1);
        // toggling 1-D handling never shifts the other tensors' draws
        Assert.Equal(d["fc2.weight"].data<double>().ToArray(), withBias["fc2.weight"].data<double>().ToArray());
    }

    [Fact]
    public void AlgebraBetweenDotNormAndCopyTo()
    {
        using var m0 = new Mlp(inputs: 10, hidden: [4], outputs: 2, seed: 1);
        using var m1 = new Mlp(inputs: 10, hidden: [4], outputs: 2, seed: 2);
        using var t0 = ParameterDirection.FromModel(m0);
        using var t1 = ParameterDirection.FromModel(m1);
        using var diff = ParameterDirection.Between(m0, m1);
        var expected = t1.Flatten().Zip(t0.Flatten(), (b, a) => b - a).ToArray();
        Assert.Equal(expected, diff.Flatten());
        Assert.Equal(expected.Sum(v => v * v), diff.Dot(diff), 12);
        Assert.Equal(Math.Sqrt(expected.Sum(v => v * v)), diff.Norm(), 12);
        using var back = t0.Add(diff);
        Assert.True(Shared.MaxAbs(t1.Flatten(), back.Flatten()) < 1e-15);
        using var twice = diff.Scale(2);
        Assert.Equal(2 * diff.Norm(), twice.Norm(), 12);

        t1.CopyTo(m0);
        using var copied = ParameterDirection.FromModel(m0);
        Assert.Equal(t1.Flatten(), copied.Flatten());
    }

    [Fact]
    public void MismatchedShapesAndNamesAreNamed()
    {
        using var small = new Mlp(hidden: [32], seed: 1);
        using var big = new Mlp(hidden: [64], seed: 1);
        using var deep = new Mlp(hidden: [64, 32], seed: 1);
        using var d = ParameterDirection.Random(small, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => d.CheckMatches(big, "direction"));
        Assert.Equal("direction", e.ParamName);
        Assert.Contains("'fc1.weight'", e.Message);
        Assert.Contains("[32, 784]", e.Message);
        Assert.Contains("[64, 784]", e.Message);
        e = Assert.Throws<ArgumentException>(() => d.CheckMatches(deep, "direction"));
        Assert.Contains("fc3.weight", e.Message);
        using var other = ParameterDirection.Random(big, seed: 1);
        e = Assert.Throws<ArgumentException>(() => d.Dot(other));
        Assert.Contains("'fc1.weight'", e.Message);
        Assert.Throws<KeyNotFoundException>(() => d["fc9.weight"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterDirection.Random(small, 1, (DirectionNormalization)7));
    }
}
