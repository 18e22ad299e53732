using System.Text.Json.Nodes;
using WeightDecay.Interactive.Visualization;
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
        var json = JsonNode.Parse(fig.ToJson())!;
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
        var json = JsonNode.Parse(SelectionCharts.CrossValidationLoss(result, "cv", extra: [("test", [1.5, 1.0])]).ToJson())!;
        Assert.Equal([2.0, 2.0], json["data"]![0]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([Math.Sqrt(2), 0.0], json["data"]![0]!["error_y"]!["array"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("test", json["data"]![1]!["name"]!.GetValue<string>());
    }
}
