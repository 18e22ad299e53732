using WeightDecay.Interactive;
using WeightDecay.Interactive.Formatting;
using WeightDecay.Interactive.Visualization;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

[Collection(nameof(ChartState))]
public class InteractiveTests
{
    [Fact]
    public void ChartsAreGenericChartsWithTitlesAxesAndGapsForNonFiniteValues()
    {
        var chart = SweepCharts.Lines([1.0, 2, 3], [("run", [1.0, double.NaN, double.PositiveInfinity])], "t", "epoch", "loss", logY: true,
            dashes: ["dash"]);
        var json = ChartJson.Of(chart);
        Assert.Equal("t", json.Layout()["title"].Text());
        Assert.Equal("log", json.Layout()["yaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("linear", json.Layout()["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal([1.0, null, null], json.Data()[0]!["y"].NullableDoubles());
        Assert.Equal("dash", json.Data()[0]!["line"]!["dash"]!.GetValue<string>());
        Assert.Null(json.Layout()["width"]); // no fixed size: the chart takes the page's width
        Assert.Null(json.Layout()["template"]); // plotly.js's plain white look, not Plotly.NET's default template
    }

    [Fact]
    public void SliderShowsOneGroupOfTracesPerStepAndFixesTheLogRange()
    {
        var h = new[] { 1.0, 10 }.Select(s => History(Epoch(0, s), Epoch(1, s / 2))).ToList();
        var json = ChartJson.Of(Charts.LayerNorms([("a", h[0]), ("b", h[1])], "norms", active: 0));
        Assert.Equal(2, json.Layout()["sliders"]![0]!["steps"]!.AsArray().Count);
        Assert.Equal([true, true, false, false], json.Visible(0));
        Assert.Equal([false, false, true, true], json.Visible(1));
        Assert.Equal([true, true, false, false], json.Data().Select(t => t!["visible"]!.GetValue<bool>())); // the active step
        var range = json.Layout()["yaxis"]!["range"].Doubles(); // log₁₀ units, covering both runs
        Assert.True(range[0] < Math.Log10(0.25) && range[1] > Math.Log10(10));
    }

    internal static WeightDecay.Training.TrainingHistory History(params WeightDecay.Training.EpochMetrics[] epochs) =>
        new(new WeightDecay.Training.RunSettings("none", "sgd", "l2", 0.1, 0, 1, 0), epochs, [], []);

    internal static WeightDecay.Training.EpochMetrics Epoch(int e, double norm) =>
        new(e, 0, 1, 0, null, null, null, norm, new Dictionary<string, double> { ["w"] = norm, ["b"] = norm / 4 });

    [Fact]
    public void PlotlyJsIsEmbeddedOnlyInTheFirstChartAfterReset()
    {
        static Plotly.NET.GenericChart Line(string title) => SweepCharts.Lines([0.0], [("a", [1.0])], title, "x", "y");
        ChartHtml.Reset();
        string first = ChartHtml.Render(Line("a"));
        string second = ChartHtml.Render(Line("b"));
        Assert.Contains("plotly.js v", first);
        Assert.DoesNotContain("plotly.js v", second);
        Assert.Contains("window.define = undefined", first); // AMD hidden so window.Plotly is set where require.js is loaded
        ChartHtml.Reset();
        Assert.Contains("plotly.js v", ChartHtml.Render(Line("c")));
        Assert.DoesNotContain("</script", ChartHtml.Render(Line("</script><b>x</b>")).Split("<script>").Last().Split("</script>")[0]);
    }

    /// <summary>The bootstrap line names the call that seeded the global generator, so a report run with
    /// <c>--param seed=7</c> does not appear to say "seed 0".</summary>
    [Fact]
    public void TheBootstrapLineNamesTheGlobalSeedAsTheCallThatSetIt()
    {
        string line = new WorkbookInfo("0.107.0", "2.10.0", 2, 0, "linux", "2.28.0", null).ToString();
        Assert.EndsWith("· torch.manual_seed(0)", line);
        Assert.DoesNotContain("· seed", line);
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
