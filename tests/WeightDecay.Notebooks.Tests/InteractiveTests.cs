using System.Text.Json.Nodes;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Formatting;
using WeightDecay.Interactive.Visualization;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

[Collection(nameof(ChartState))]
public class InteractiveTests
{
    [Fact]
    public void FigureWritesPlotlyJsonWithTitlesAxesAndGapsForNonFiniteValues()
    {
        var fig = new Figure().WithTitle("t").WithXAxis("epoch").WithYAxis("loss", log: true)
            .AddLine([1.0, 2, 3], [1.0, double.NaN, double.PositiveInfinity], "run", dash: "dash");
        var json = JsonNode.Parse(fig.ToJson())!;
        Assert.Equal("t", json["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("log", json["layout"]!["yaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("linear", json["layout"]!["xaxis"]!["type"]!.GetValue<string>());
        var y = json["data"]![0]!["y"]!.AsArray();
        Assert.Equal(1.0, y[0]!.GetValue<double>());
        Assert.Null(y[1]);
        Assert.Null(y[2]);
        Assert.Equal("dash", json["data"]![0]!["line"]!["dash"]!.GetValue<string>());
    }

    [Fact]
    public void SliderShowsOneGroupOfTracesPerStep()
    {
        var fig = new Figure();
        for (int i = 0; i < 4; i++) fig.AddLine([0.0, 1], [i, i], $"trace {i}");
        fig.WithSlider("λ = ", ["0", "1"], [new[] { 0, 1 }, new[] { 2, 3 }], active: 1);
        var json = JsonNode.Parse(fig.ToJson())!;
        var steps = json["layout"]!["sliders"]![0]!["steps"]!.AsArray();
        Assert.Equal(2, steps.Count);
        Assert.Equal([true, true, false, false], steps[0]!["args"]![0]!["visible"]!.AsArray().Select(v => v!.GetValue<bool>()));
        Assert.Equal([false, false, true, true], json["data"]!.AsArray().Select(t => t!["visible"]!.GetValue<bool>()));
        Assert.Throws<ArgumentException>(() => fig.WithSlider("x", ["a"], [new[] { 0 }, new[] { 1 }]));
    }

    [Fact]
    public void PlotlyJsIsEmbeddedOnlyInTheFirstChartAfterReset()
    {
        ChartHtml.Reset();
        string first = ChartHtml.Render(new Figure().AddLine([0.0], [1.0], "a"));
        string second = ChartHtml.Render(new Figure().AddLine([0.0], [1.0], "b"));
        Assert.Contains("plotly.js v", first);
        Assert.DoesNotContain("plotly.js v", second);
        Assert.Contains("window.define = undefined", first); // AMD hidden so window.Plotly is set where require.js is loaded
        ChartHtml.Reset();
        Assert.Contains("plotly.js v", ChartHtml.Render(new Figure()));
        Assert.DoesNotContain("</script", ChartHtml.Render(new Figure().WithTitle("</script><b>x</b>")).Split("<script>").Last().Split("</script>")[0]);
    }

    [Fact]
    public void ClaimsReturnWhenTrueAndThrowWithTheEvidenceWhenFalse()
    {
        double x = 2;
        var ok = Claims.Check("x is positive", x > 0, $"x = {x}");
        Assert.Equal("✔ x is positive — x = 2", ok.ToString());
        var e = Assert.Throws<ClaimFailedException>(() => Claims.Check("x is negative", x < 0, $"x = {x:F1}"));
        Assert.Contains("x is negative", e.Message);
        Assert.Contains("x = 2.0", e.Message);
    }
}

[CollectionDefinition(nameof(ChartState), DisableParallelization = true)]
public sealed class ChartState;
