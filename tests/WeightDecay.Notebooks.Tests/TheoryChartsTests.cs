using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using WeightDecay.Experiments;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>The chart builders of lessons 01–02 and the row-table helper.</summary>
public class TheoryChartsTests
{
    private static JsonNode Json(Plotly.NET.GenericChart c) => ChartJson.Of(c);

    private static bool[] Visible(JsonNode json, int step) =>
        json["layout"]!["sliders"]![0]!["steps"]![step]!["args"]![0]!["visible"]!.AsArray().Select(v => v!.GetValue<bool>()).ToArray();

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1e-5, "1e-5")]
    [InlineData(3.16e-5, "3.2e-5")]
    [InlineData(0.3, "0.3")]
    [InlineData(1000, "1e3")]
    public void LambdaLabelsAreShort(double lambda, string expected) => Assert.Equal(expected, TheoryCharts.Format(lambda));

    [Fact]
    public void PolynomialFitsShowTheDataAndOneFitPerSliderStep()
    {
        using var poly = PolynomialRegression.Create(degree: 5, trainCount: 8, seed: 1);
        var fits = FitTradeoff.Sweep(poly.Train, poly.Test, [1e-6, 1e-3, 1]);
        var json = Json(TheoryCharts.PolynomialFits(poly, fits, active: 1, points: 11));
        Assert.Equal(5, json["data"]!.AsArray().Count);
        Assert.Equal(3, json["layout"]!["sliders"]![0]!["steps"]!.AsArray().Count);
        Assert.Equal([true, true, false, true, false], Visible(json, 1));
        Assert.Equal([-2.0, 2.0], json["layout"]!["yaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>()));
        // the fitted curve is the polynomial of the solution
        var curve = json["data"]![3]!;
        double x0 = curve["x"]![0]!.GetValue<double>();
        Assert.Equal(PolynomialRegression.Predict(fits[1].Solution, [x0])[0], curve["y"]![0]!.GetValue<double>(), 12);
        Assert.Equal("target y", json["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void TradeoffUsesLogAxesASecondAxisAndMarksTheBestLambda()
    {
        using var poly = PolynomialRegression.Create(seed: 0);
        var fits = FitTradeoff.Sweep(poly.Train, poly.Test, [1e-8, 1e-5, 1e-2, 10]);
        var json = Json(TheoryCharts.Tradeoff(fits));
        Assert.Equal("log", json["layout"]!["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("log", json["layout"]!["yaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("log", json["layout"]!["yaxis2"]!["type"]!.GetValue<string>());
        Assert.Equal("y2", json["data"]![2]!["yaxis"]!.GetValue<string>());
        double best = fits.MinBy(f => f.TestLoss)!.Lambda;
        Assert.Equal(best, json["layout"]!["shapes"]![0]!["x0"]!.GetValue<double>());
    }

    [Fact]
    public void GeometryShowsFixedTracesAndThreePerLambdaWithEqualAxes()
    {
        var bowl = new QuadraticBowl(0.5, 5, 15, [1.5, 2.0]);
        double[] lambdas = [0, 1, 10];
        var json = Json(TheoryCharts.Geometry(bowl, lambdas, active: 2));
        var data = json["data"]!.AsArray();
        int fixedTraces = data.Count - 3 * lambdas.Length;
        Assert.Equal(6, fixedTraces); // contour, penalty circles, two eigen-axes, path, w* and origin
        Assert.Equal("contour", data[0]!["type"]!.GetValue<string>());
        for (int k = 0; k < lambdas.Length; k++)
        {
            var visible = Visible(json, k);
            Assert.All(visible.Take(fixedTraces), Assert.True);
            Assert.Equal(3, visible.Skip(fixedTraces).Count(v => v));
            var point = data[fixedTraces + 3 * k + 2]!;
            var w = bowl.RegularizedMinimizer(lambdas[k]);
            Assert.Equal(w[0], point["x"]![0]!.GetValue<double>(), 14);
            Assert.Equal(w[1], point["y"]![0]!.GetValue<double>(), 14);
        }
        Assert.Equal("x", json["layout"]!["yaxis"]!["scaleanchor"]!.GetValue<string>());
    }

    [Fact]
    public void ShrinkFactorMarkersAreTheMeasuredRatios()
    {
        var bowl = new QuadraticBowl(0.5, 5, 15, [1.5, 2.0]);
        double[] lambdas = [0, 0.5, 5];
        var minimizers = lambdas.Select(bowl.RegularizedMinimizer).ToArray();
        var json = Json(TheoryCharts.ShrinkFactors(bowl, lambdas, minimizers));
        var markers = json["data"]![1]!; // q₁: gradient descent
        Assert.Equal([0.5, 5.0], markers["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(0.5 / (0.5 + 0.5), markers["y"]![0]!.GetValue<double>(), 12);
        Assert.Equal(0.5 / (0.5 + 5), markers["y"]![1]!.GetValue<double>(), 12);
        Assert.Throws<ArgumentException>(() => TheoryCharts.ShrinkFactors(bowl, lambdas, minimizers[..2]));
    }

    [Fact]
    public void LinesSubsampleKeepTheLastPointAndSliderLinesFixTheRange()
    {
        var y = Enumerable.Range(0, 11).Select(i => (double)i).ToArray();
        var json = Json(TheoryCharts.Lines("t", "step", "value", [new Series("a", y)], stride: 4, firstStep: 1));
        Assert.Equal([1.0, 5, 9, 10], json["data"]![0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        var slider = Json(TheoryCharts.SliderLines("t", "x", "y", "λ = ",
            [("a", [new Series("s", [0.0, 1])]), ("b", [new Series("s", [0.0, 4]), new Series("u", [2.0, 2])])]));
        var range = slider["layout"]!["yaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.True(range[0] < 0 && range[1] > 4);
        Assert.Equal([false, true, true], Visible(slider, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TheoryCharts.Lines("t", "x", "y", [new Series("a", y)], stride: 0));
    }

    [Fact]
    public void DecayChartsHaveOneGroupPerLambdaAndThreeLinesPerWeight()
    {
        var pure = new[] { 0.3, 3 }.Select(l => PureDecayComparison.Run(0.01, l, 20)).ToList();
        var json = Json(DecayCharts.PureDecay(pure, stride: 5));
        Assert.Equal(2 * 6, json["data"]!.AsArray().Count); // exact + five set-ups, per λ
        Assert.Equal(["0.3", "3"], json["layout"]!["sliders"]![0]!["steps"]!.AsArray().Select(s => s!["label"]!.GetValue<string>()));
        var shrink = AdamShrinkage.Run(0.01, 0.1, [10, 1e-3], 20);
        Assert.Equal(6, Json(DecayCharts.AdamShrinkage(shrink)).AsObject()["data"]!.AsArray().Count);
        var coupled = ShrinkageTrajectory.Simulate([1, 100], WeightDecay.Optimization.DecayMethod.Coupled, 0.01, 0.1, 30);
        var decoupled = ShrinkageTrajectory.Simulate([1, 100], WeightDecay.Optimization.DecayMethod.Decoupled, 0.01, 0.1, 30);
        var only = Json(DecayCharts.DecayOnlyUnderAdam(coupled, decoupled, stride: 10));
        Assert.Equal(4, only["data"]!.AsArray().Count); // two weights × (Adam+L2 solid, AdamW dashed)
        Assert.Equal([0.0, 10, 20, 30], only["data"]![0]!["x"].Doubles());
        Assert.Equal(decoupled.Weights[30][1], only["data"]![3]!["y"].Doubles()[^1]);
    }

    [Fact]
    public void RowsBecomeTypedColumns()
    {
        var df = new[] { new { name = "a", n = 1, x = 0.5, ok = true, big = 3L }, new { name = "b", n = 2, x = double.NaN, ok = false, big = 4L } }.ToTable();
        Assert.Equal(["name", "n", "x", "ok", "big"], df.Columns.Select(c => c.Name));
        Assert.IsType<StringDataFrameColumn>(df.Columns["name"]);
        Assert.IsType<Int32DataFrameColumn>(df.Columns["n"]);
        Assert.IsType<DoubleDataFrameColumn>(df.Columns["x"]);
        Assert.IsType<BooleanDataFrameColumn>(df.Columns["ok"]);
        Assert.IsType<Int64DataFrameColumn>(df.Columns["big"]);
        Assert.Equal(2L, df.Rows.Count);
        Assert.Equal(0.5, df.Columns["x"][0]);
        Assert.Throws<ArgumentException>(() => new[] { 1, 2 }.ToTable());
    }
}
