namespace WeightDecay.Tests;

public class RegularizerTests
{
    private static readonly double[] Theta = [3, -4, 0, 0.5];

    [Fact]
    public void L2IsHalfSquaredNormWithGradientTheta()
    {
        using var t = tensor(Theta);
        using var v = Regularizer.L2.Value(t);
        using var g = Regularizer.L2.Gradient(t);
        Assert.Equal(0.5 * (9 + 16 + 0 + 0.25), v.item<double>(), 12);
        Assert.Equal(Theta, g.data<double>().ToArray());
    }

    [Fact]
    public void L1IsAbsoluteSumWithSignSubgradientZeroAtZero()
    {
        using var t = tensor(Theta);
        using var v = Regularizer.L1.Value(t);
        using var g = Regularizer.L1.Gradient(t);
        Assert.Equal(7.5, v.item<double>(), 12);
        Assert.Equal([1.0, -1.0, 0.0, 1.0], g.data<double>().ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(1.0)]
    public void ElasticNetInterpolatesL1AndL2(double alpha)
    {
        using var t = tensor(Theta);
        var en = Regularizer.ElasticNet(alpha);
        using var v = en.Value(t);
        using var l1 = Regularizer.L1.Value(t);
        using var l2 = Regularizer.L2.Value(t);
        Assert.Equal(alpha * l1.item<double>() + (1 - alpha) * l2.item<double>(), v.item<double>(), 12);
        using var g = en.Gradient(t);
        var expected = Theta.Select(x => alpha * Math.Sign(x) + (1 - alpha) * x);
        Assert.Equal(expected, g.data<double>().ToArray());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void ElasticNetRejectsMixingOutsideUnitInterval(double alpha) =>
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => Regularizer.ElasticNet(alpha)).Message);
}
