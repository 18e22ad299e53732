namespace WeightDecay.Tests;

/// <summary>Lesson 11's experiment mechanics on inputs with known answers: the edge, the refined argmin and the slope
/// (<see cref="CurveStatistics"/>), the nested data (<see cref="TimescaleData"/>) and the timescale conversions.
/// </summary>
public class TimescaleLessonTests
{
    [Fact]
    public void EdgeInterpolatesWhereTheCurveLeavesTheGoodRegion()
    {
        double[] x = [-2, -1, 0, 1, 2];
        double[] loss = [1.0, 0.9, 1.0, 1.2, 2.0];                  // best 0.9; threshold 0.99 at tolerance 0.1
        Assert.Equal(-1 + (0.99 - 0.9) / (1.0 - 0.9), CurveStatistics.Edge(x, loss, 0.1, out bool censored), 12);
        Assert.False(censored);
        Assert.Equal(2, CurveStatistics.Edge(x, [1.0, 0.9, 0.91, 0.95, 0.98], 0.1, out censored));
        Assert.True(censored);                                      // never leaves the region: the grid's top
        // a parabola sampled on the grid: the refined argmin is its vertex
        double[] parabola = x.Select(v => (v - 0.3) * (v - 0.3) + 1).ToArray();
        Assert.Equal(0.3, CurveStatistics.RefinedArgMin(x, parabola), 12);
        Assert.Equal(-2, CurveStatistics.RefinedArgMin(x, [0.5, 0.6, 0.7, 0.8, 0.9])); // at the grid's end
        Assert.Equal(-0.5, CurveStatistics.Slope([1, 2, 3, 4], [3, 2.5, 2, 1.5]), 12);
        Assert.Throws<ArgumentException>(() => CurveStatistics.Slope([1], [1]));
        Assert.Throws<ArgumentException>(() => CurveStatistics.Edge(x, [1.0, 2.0], 0.1, out _));
    }

    [Fact]
    public void TheAbsoluteMarginEdgeKeepsTheSmallestNsMarginAtEveryN()
    {
        double[] grid = [-1, 0, 1];
        // one seed, two sizes: best 1.0 at the smaller N, 0.5 at the larger; tolerance 0.1, so the margin is 0.1
        double[][] losses = [[1.0, 1.05, 1.3], [0.5, 0.56, 0.62]];
        var runs = new[] { losses.Select(c => c.Select((v, k) =>
            new TimescaleRun(Math.Pow(2, grid[k]), 100, v, 0, 0, 0, 0, null!)).ToArray()).ToArray() };
        var sweep = new DataSizeSweep(new TimescaleSettings(), [100, 400], grid, [0], runs, 0.1);
        // the relative edge at the larger N: threshold 0.55, between 0.5 and 0.56
        Assert.Equal(0.05 / 0.06 - 1, sweep.Edge(0, 1), 12);
        // the absolute margin: threshold 0.6, between 0.56 and 0.62
        var (edge, censored) = sweep.AbsoluteMarginEdge(0, 1);
        Assert.Equal(0.04 / 0.06, edge, 12);
        Assert.False(censored);
        // at the smallest N both are the same: threshold 1.1, between 1.05 and 1.3, at 0.2
        Assert.Equal(0.2, sweep.Edge(0, 0), 12);
        Assert.Equal(0.2, sweep.AbsoluteMarginEdge(0, 0).Log2Lambda, 12);
        Assert.Equal((0.04 / 0.06 - 0.2) / 2, sweep.AbsoluteMarginEdgeSlopes[0], 12); // log₂ N moves by 2
    }

    [Fact]
    public void TrainingSubsetsAreNestedAndDisjointFromTheValidationSet()
    {
        using var data = new TimescaleData(Shared.Mnist, validationCount: 500, seed: 4);
        Assert.Equal(Shared.Mnist.Train.Count - 500, data.PoolCount);
        using var small = data.TrainSubset(100);
        using var large = data.TrainSubset(300);
        using var smallX = small.Features.to_type(ScalarType.Float64);
        using var head = large.Features.narrow(0, 0, 100).to_type(ScalarType.Float64);
        // the larger N adds digits to the smaller
        Assert.Equal(smallX.data<double>().ToArray(), head.data<double>().ToArray());
        var validationRows = Rows(data.Validation.Features);
        Assert.DoesNotContain(Rows(large.Features), validationRows.Contains);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => data.TrainSubset(0)).ParamName);
        using var other = new TimescaleData(Shared.Mnist, 500, seed: 5);
        using var otherSmall = other.TrainSubset(100);
        using var otherX = otherSmall.Features.to_type(ScalarType.Float64);
        // another seed, another subset
        Assert.NotEqual(smallX.data<double>().ToArray(), otherX.data<double>().ToArray());
    }

    [Fact]
    public void TimescalesConvertBetweenUpdatesAndEpochs()
    {
        var settings = new TimescaleSettings(BatchSize: 50, LearningRate: 4e-3);
        Assert.Equal(1 / (4e-3 * 0.5), settings.TimescaleSteps(0.5), 9);          // τ_iter = 1/(ηλ) = 500 updates
        Assert.Equal(500 / (2000 / 50.0), settings.TimescaleEpochs(0.5, 2000), 9); // τ_epoch = B/(ηλN) = 12.5
        Assert.Throws<ArgumentOutOfRangeException>(() => (settings with { Epochs = 0 }).Validate());
    }

    private static HashSet<string> Rows(Tensor features)
    {
        using var f = features.to_type(ScalarType.Float32);
        var values = f.data<float>().ToArray();
        long width = features.shape[1];
        return Enumerable.Range(0, (int)features.shape[0])
            .Select(i => string.Join(",", values.Skip((int)(i * width)).Take((int)width)))
            .ToHashSet();
    }
}
