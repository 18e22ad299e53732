namespace WeightDecay.Tests;

/// <summary>The modular-addition data set (<see cref="ModularAddition"/>) and the quadratic network
/// (<see cref="QuadraticMlp"/>) of lesson 12.</summary>
public class ModularAdditionTests
{
    [Theory]
    [InlineData(7, 0.5, 25)]    // 24.5 rounds away from zero
    [InlineData(31, 0.6, 577)]  // 576.6
    [InlineData(2, 0.3, 1)]
    public void SplitHasTheRoundedCountAndCoversEveryPairOnce(int p, double fraction, int expectedTrain)
    {
        using var data = ModularAddition.Create(p, fraction, seed: 3);
        Assert.Equal(expectedTrain, data.Train.Count);
        Assert.Equal(p * p - expectedTrain, data.Test.Count);
        Assert.Empty(data.TrainIndices.Intersect(data.TestIndices));
        Assert.Equal(Enumerable.Range(0, p * p).Select(i => (long)i),
            data.TrainIndices.Concat(data.TestIndices).Order());
        Assert.Equal(1.0 / p, data.Chance);
    }

    [Fact]
    public void LabelsAreTheSumModPAndFeaturesTheIndexedPairs()
    {
        using var data = ModularAddition.Create(13, 0.4, seed: 1);
        foreach (var (set, indices) in new[] { (data.Train, data.TrainIndices), (data.Test, data.TestIndices) })
        {
            var x = set.Features.data<long>().ToArray();
            var y = set.Targets.data<long>().ToArray();
            Assert.Equal(ScalarType.Int64, set.Features.dtype);
            Assert.Equal(new long[] { indices.Count, 2 }, set.Features.shape);
            for (int i = 0; i < indices.Count; i++)
            {
                Assert.Equal(indices[i] / 13, x[2 * i]);
                Assert.Equal(indices[i] % 13, x[2 * i + 1]);
                Assert.Equal((x[2 * i] + x[2 * i + 1]) % 13, y[i]);
            }
        }
        // every label is equally frequent over all pairs: chance accuracy is exactly 1/p
        var all = data.Train.Targets.data<long>().Concat(data.Test.Targets.data<long>());
        Assert.All(all.GroupBy(v => v), g => Assert.Equal(13, g.Count()));
    }

    [Fact]
    public void SameSeedSameSplitOtherSeedOtherSplit()
    {
        using var a = ModularAddition.Create(17, 0.5, seed: 4);
        using var b = ModularAddition.Create(17, 0.5, seed: 4);
        using var c = ModularAddition.Create(17, 0.5, seed: 5);
        Assert.Equal(a.TrainIndices, b.TrainIndices);
        Assert.NotEqual(a.TrainIndices, c.TrainIndices);
        Assert.True(a.Train.Features.eq(b.Train.Features).all().item<bool>());
    }

    [Theory]
    [InlineData(1, 0.5, "modulus")]
    [InlineData(1001, 0.5, "modulus")]
    [InlineData(7, 0.0, "trainFraction")]
    [InlineData(7, 1.0, "trainFraction")]
    [InlineData(7, double.NaN, "trainFraction")]
    [InlineData(7, 0.001, "trainFraction")]  // rounds to 0 training pairs
    [InlineData(7, 0.999, "trainFraction")]  // rounds to all 49: no test pairs
    public void BadInputIsRejectedNamingTheValue(int p, double fraction, string parameter)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ModularAddition.Create(p, fraction));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(parameter == "modulus" ? p.ToString() : fraction.ToString(
            System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void OneHotHasOnesAtAAndPPlusB()
    {
        using var pairs = tensor(new long[] { 0, 0, 2, 4, 4, 1 }, [3, 2]);
        using var hot = ModularAddition.OneHot(pairs, 5);
        Assert.Equal(new long[] { 3, 10 }, hot.shape);
        var v = hot.data<float>().ToArray();
        int[][] ones = [[0, 5], [2, 9], [4, 6]];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 10; c++)
                Assert.Equal(ones[r].Contains(c) ? 1f : 0f, v[r * 10 + c]);
        using var bad = tensor(new long[] { 0, 5 }, [1, 2]);
        Assert.Contains("[0, 5]", Assert.Throws<ArgumentException>(() => ModularAddition.OneHot(bad, 5)).Message);
    }

    [Fact]
    public void QuadraticMlpHasTheShapesAndComputesW2TimesSquare()
    {
        using var model = QuadraticMlp.ForModulus(7, hidden: 16, initScale: 3, seed: 2);
        Assert.Equal(new long[] { 16, 14 }, model.Fc1.weight!.shape);
        Assert.Equal(new long[] { 7, 16 }, model.Fc2.weight!.shape);
        Assert.Null(model.Fc1.bias);
        Assert.Null(model.Fc2.bias);
        Assert.Equal(2, model.parameters().Count());
        // α scales PyTorch's fan-in draw: |W₁| ≤ α/√(2p), |W₂| ≤ α/√N
        Assert.True(model.Fc1.weight!.abs().max().ItemAsDouble() <= 3 / Math.Sqrt(14) + 1e-6);
        Assert.True(model.Fc2.weight!.abs().max().ItemAsDouble() <= 3 / Math.Sqrt(16) + 1e-6);
        using var scope = NewDisposeScope();
        var x = randn(5, 14);
        var h = x.matmul(model.Fc1.weight!.t());
        var expected = h.mul(h).matmul(model.Fc2.weight!.t());
        Assert.True(model.forward(x).allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void FirstLayerOnAOneHotPairIsTheSumOfTwoWeightColumns()
    {
        using var model = QuadraticMlp.ForModulus(11, hidden: 8, initScale: 10, seed: 1);
        using var data = ModularAddition.Create(11, 0.5, seed: 0);
        using var scope = NewDisposeScope();
        var pairs = data.Train.Features;
        var w = model.Fc1.weight!;
        var viaOneHot = model.Fc1.forward(ModularAddition.OneHot(pairs, 11));
        var viaLookup = model.HiddenOfPairs(pairs);
        var x = pairs.data<long>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            var sum = w.select(1, x[2 * i]).Add(w.select(1, 11 + x[2 * i + 1]));
            Assert.True(viaOneHot[i].allclose(sum, rtol: 1e-6, atol: 1e-6));
        }
        Assert.True(viaOneHot.allclose(viaLookup, rtol: 1e-6, atol: 1e-6));
        Assert.True(model.forward(ModularAddition.OneHot(pairs, 11)).allclose(model.ForwardPairs(pairs),
            rtol: 1e-5, atol: 1e-4));
    }

    [Fact]
    public void QuadraticMlpIsDeterministicPerSeedAndRejectsBadScale()
    {
        using var a = QuadraticMlp.ForModulus(5, 8, 2, seed: 7);
        using var b = QuadraticMlp.ForModulus(5, 8, 2, seed: 7);
        using var c = QuadraticMlp.ForModulus(5, 8, 2, seed: 8);
        Assert.True(a.Fc1.weight!.eq(b.Fc1.weight!).all().item<bool>()
            && a.Fc2.weight!.eq(b.Fc2.weight!).all().item<bool>());
        Assert.False(a.Fc1.weight!.eq(c.Fc1.weight!).all().item<bool>());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new QuadraticMlp(4, 4, 2, initScale: 0));
        Assert.Equal("initScale", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => QuadraticMlp.ForModulus(1, 4));
    }
}
