using System.Text.Json.Nodes;
using WeightDecay.Interactive.Visualization;
using WeightDecay.Landscape;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>The side-by-side landscape charts of lesson 06.</summary>
public class LandscapeChartsTests
{
    private static Slice2D Plane(double scale) => new(
        [-1, 0, 1], [-1, 1], new double[,] { { scale * 1, scale * 2 }, { 0.5, 0.6 }, { scale * 3, scale * 9 } }, null, null, null);

    private static JsonNode Json(Plotly.NET.GenericChart c) => ChartJson.Of(c);

    [Fact]
    public void SurfacePairSharesOneColorAxisAndZRangeAcrossTwoScenes()
    {
        var json = Json(LandscapeCharts.SurfacePair([("a", Plane(1)), ("b", Plane(2))], 5, "t", "α", "β"));
        var data = json["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.All(data, t => Assert.Equal("surface", t!["type"]!.GetValue<string>()));
        Assert.Equal(["scene", "scene2"], data.Select(t => t!["scene"]!.GetValue<string>()));
        Assert.All(data, t => Assert.Equal("coloraxis", t!["coloraxis"]!.GetValue<string>()));
        var axis = json["layout"]!["coloraxis"]!;
        Assert.Equal(0, axis["cmin"]!.GetValue<double>());
        Assert.Equal(5, axis["cmax"]!.GetValue<double>());
        foreach (var scene in new[] { "scene", "scene2" })
            Assert.Equal([0.0, 5.0], json["layout"]![scene]!["zaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>()));
        // z rows are β-major (z[j][i] at α[i], β[j]) and clipped to the scale's maximum
        var z = data[1]!["z"]!.AsArray();
        Assert.Equal(2, z.Count);
        Assert.Equal([2.0, 0.5, 5.0], z[0]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([4.0, 0.6, 5.0], z[1]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.NotEqual(json["layout"]!["scene"]!["domain"]!.ToJsonString(), json["layout"]!["scene2"]!["domain"]!.ToJsonString());
    }

    [Fact]
    public void ContourPairUsesTheSameScaleAndLevelsWithOneColorBar()
    {
        var json = Json(LandscapeCharts.ContourPair([("a", Plane(1)), ("b", Plane(2))], 3, "t", "α", "β", levels: 6));
        var data = json["data"]!.AsArray();
        Assert.Equal(["x", "x2"], data.Select(t => t!["xaxis"]!.GetValue<string>()));
        Assert.All(data, t => Assert.Equal(3, t!["zmax"]!.GetValue<double>()));
        Assert.All(data, t => Assert.Equal(0.5, t!["contours"]!["size"]!.GetValue<double>()));
        Assert.Equal([true, false], data.Select(t => t!["showscale"]!.GetValue<bool>()));
    }

    [Fact]
    public void SlicePairDrawsTrainAndTestPerPanelOnOneYRange()
    {
        var s = new Slice1D(Slice1DKind.Direction, [-1, 0, 1], [2, 1, 2], null, [3, 2, 3], null);
        var json = Json(LandscapeCharts.SlicePair([("a", s), ("b", s with { TestLoss = null })], 4, "t", "α"));
        Assert.Equal(3, json["data"]!.AsArray().Count);
        Assert.Equal(["x", "x", "x2"], json["data"]!.AsArray().Select(t => t!["xaxis"]!.GetValue<string>()));
        foreach (var y in new[] { "yaxis", "yaxis2" })
            Assert.Equal([0.0, 4.0], json["layout"]![y]!["range"]!.AsArray().Select(v => v!.GetValue<double>()));
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => LandscapeCharts.SurfacePair([("a", Plane(1))], 5, "t", "α", "β"));
        Assert.Throws<ArgumentOutOfRangeException>(() => LandscapeCharts.ContourPair([("a", Plane(1)), ("b", Plane(1))], double.NaN, "t", "α", "β"));
    }
}
