using System.Text.Json.Nodes;
using WeightDecay.Interactive.Visualization;
using WeightDecay.Experiments;
using WeightDecay.Optimization;
using WeightDecay.Training;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>The cross-validation charts of lesson 08.</summary>
public class SelectionChartsTests
{
    [Fact]
    public void ErrorBarLinesWriteSymmetricErrorArraysOnlyWhereGiven()
    {
        var fig = SelectionCharts.ErrorBarLines([0.1, 1, 10], new (string, IReadOnlyList<double>, IReadOnlyList<double>?)[]
        {
            ("cv", [3.0, 2, 1], [0.5, 0.25, 0.125]),
            ("test", [2.5, 2, 1.5], null),
        }, "t", "λ", "loss", logX: true);
        var json = ChartJson.Of(fig);
        Assert.Equal("log", json["layout"]!["xaxis"]!["type"]!.GetValue<string>());
        var err = json["data"]![0]!["error_y"]!;
        Assert.Equal("data", err["type"]!.GetValue<string>());
        Assert.Equal([0.5, 0.25, 0.125], err["array"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Null(json["data"]![1]!["error_y"]);
        Assert.Throws<ArgumentException>(() => SelectionCharts.ErrorBarLines([1.0, 2], new (string, IReadOnlyList<double>, IReadOnlyList<double>?)[] { ("x", [1.0], null) }, "t", "x", "y"));
    }

    [Fact]
    public void CrossValidationLossShowsMeanAndSampleStdPerLambda()
    {
        var result = new CrossValidationResult(2, [new CrossValidationRow(0.1, [1.0, 3.0], []), new CrossValidationRow(1, [2.0, 2.0], [])]);
        var json = ChartJson.Of(SelectionCharts.CrossValidationLoss(result, "cv", extra: [("test", [1.5, 1.0])]));
        Assert.Equal([2.0, 2.0], json["data"]![0]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([Math.Sqrt(2), 0.0], json["data"]![0]!["error_y"]!["array"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("test", json["data"]![1]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void EarlyStoppingPairsTrainAndTestPerRegimeAndStarsTheStops()
    {
        var json = ChartJson.Of(SelectionCharts.EarlyStopping(
            [("none", [1.0, 0.5, 0.25], [1.0, 0.8, 0.9]), ("decay", [1.0, 0.6, 0.4], [1.0, 0.7, 0.6])], [(1, 0.8)]));
        var data = json.Data();
        Assert.Equal(["none · train", "none · test", "decay · train", "decay · test", "early-stopping epoch"],
            data.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(data[0]!["legendgroup"]!.GetValue<string>(), data[1]!["legendgroup"]!.GetValue<string>());
        Assert.Equal("dash", data[1]!["line"]!["dash"]!.GetValue<string>());
        Assert.Equal([1.0, 0.8], [.. data[4]!["x"].Doubles(), .. data[4]!["y"].Doubles()]);
        Assert.Equal("star", data[4]!["marker"]!["symbol"]!.GetValue<string>());
        Assert.Equal("log", json.Layout()["yaxis"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void RidgeAndGradientDescentPathsShareAColourPerCoordinate()
    {
        var ridge = new[] { 0.1, 1, 10 }.Select(l => (l, new LinearSolution([1 / (1 + l), 2 / (1 + l)], 0))).ToList();
        var gd = new[] { 0.3, 3.0 }.Select(l => (l, new LinearSolution([0.9 / (1 + l), 1.9 / (1 + l)], 0))).ToList();
        var json = ChartJson.Of(SelectionCharts.RidgeAndGradientDescentPaths(ridge, gd, [1]));
        var data = json.Data();
        Assert.Equal(2, data.Count);
        Assert.Equal([2 / 1.1, 2 / 2.0, 2 / 11.0], data[0]!["y"].Doubles());
        Assert.Equal([0.3, 3.0], data[1]!["x"].Doubles());
        Assert.Equal(data[0]!["marker"]!["color"]!.GetValue<string>(), data[1]!["marker"]!["color"]!.GetValue<string>());
        Assert.Equal("w<sub>1</sub> ridge", data[0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void GridPanelsShareOneColourAxisAndMarkEachBestCell()
    {
        GridResult Grid(string label, double shift) => new(label, new OptimizerOptions(OptimizerKind.Sgd, 0.1),
            new WeightDecayOptions(DecayMethod.Coupled), [0.1, 0.2], [0.01, 0.02],
            [new(0.1, 0.01, 1 + shift, 0.5, 1), new(0.2, 0.01, 0.5 + shift, 0.7, 1), new(0.1, 0.02, 2 + shift, 0.4, 1), new(0.2, 0.02, double.NaN, double.NaN, 1)]);
        var json = ChartJson.Of(GridCharts.Panels([Grid("a", 0), Grid("b", 1)], c => c.TestAccuracy, "t", "test accuracy", percent: true));
        var heatmaps = json.Data().Where(t => t!["type"]!.GetValue<string>() == "heatmap").ToList();
        Assert.Equal(2, heatmaps.Count);
        Assert.All(heatmaps, h => Assert.Equal("coloraxis", h!["coloraxis"]!.GetValue<string>()));
        Assert.Equal((0.4, 0.7), (json.Layout()["coloraxis"]!["cmin"]!.GetValue<double>(), json.Layout()["coloraxis"]!["cmax"]!.GetValue<double>()));
        Assert.Equal(".0%", json.Layout()["coloraxis"]!["colorbar"]!["tickformat"]!.GetValue<string>());
        Assert.Null(heatmaps[0]!["z"]![1]![1]); // the diverged cell is blank
        var stars = json.Data().Where(t => t!["marker"]?["symbol"]?.GetValue<string>() == "star").ToList();
        Assert.Equal([(Math.Log2(0.2), Math.Log2(0.01))], stars.Take(1).Select(s => (s!["x"]![0]!.GetValue<double>(), s["y"]![0]!.GetValue<double>())));
        Assert.Equal(["x", "x2"], heatmaps.Select(h => h!["xaxis"]!.GetValue<string>()));
    }
}
