using System.Text.Json.Nodes;
using WeightDecay.Interactive.Visualization;
using WeightDecay.Landscape;
using WeightDecay.Experiments;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>
/// The chart defects of issue 13 (item 5), each checked on the JSON the builders produce, so that they cannot come
/// back: exact zeros on log axes, bare-digit log tick labels, raw underscores, the palette, lesson 06's panels, path
/// and interpolation marks, lesson 08's mosaic and histograms, lesson 04's λ axes and accuracy unit, lesson 05's
/// shared colour range and lesson 09's thumbnail.
/// </summary>
public class ChartDefectTests
{
    private static readonly double[] Steps = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();

    /// <summary>Every tick label of every log axis states its tick's value ("0" only on the floor of exact
    /// zeros).</summary>
    private static void AssertLogTicksAreFullValues(JsonNode json)
    {
        foreach (var (name, axis) in json.Axes().Where(a => a.Axis["type"]?.GetValue<string>() == "log"))
        {
            var values = axis["tickvals"].Doubles();
            var texts = axis["ticktext"].Strings();
            Assert.True(values.Length >= 2, $"{name}: {values.Length} ticks");
            for (int i = 0; i < values.Length; i++)
            {
                if (texts[i] == "0") continue;
                double? stated = ChartJson.LabelValue(texts[i]);
                Assert.True(stated is { } v && Math.Abs(v - values[i]) <= 1e-9 * values[i],
                    $"{name}: tick {values[i]:R} labelled '{texts[i]}'");
            }
        }
    }

    [Fact]
    public void ExactZerosOnALogAxisAreDrawnOnAFloorTickLabelledZero()
    {
        var zeros = Steps.Select(_ => 0.0).ToArray();
        var adam = Steps.Select(t => 1e-7 * Math.Pow(2, t)).ToArray();
        var json = ChartJson.Of(TheoryCharts.Lines("t", "step", "max |θ_coupled − θ_decoupled|",
            [new Series("SGD", zeros, Markers: true), new Series("Adam", adam, Markers: true)], logY: true));
        var axis = json.Layout()["yaxis"]!;
        int floorTick = Array.IndexOf(axis["ticktext"].Strings(), "0");
        Assert.True(floorTick >= 0, "a tick labelled 0");
        double floor = axis["tickvals"].Doubles()[floorTick];
        Assert.True(floor > 0 && floor < adam.Min(), $"floor {floor} below the smallest positive value");
        // the all-zero trace is drawn, every point on the floor, inside the axis range, with its legend entry
        var sgd = json.Data()[0]!;
        Assert.All(sgd["y"].Doubles(), y => Assert.Equal(floor, y));
        Assert.NotEqual(false, sgd["visible"]?.GetValue<bool>());
        Assert.NotEqual(false, sgd["showlegend"]?.GetValue<bool>());
        Assert.True(axis["range"].Doubles()[0] < Math.Log10(floor));
        Assert.Contains("exactly 0", sgd["text"]![0]!.GetValue<string>()); // the hover tells the true value
        Assert.Equal(adam, json.Data()[1]!["y"].Doubles()); // positive values are where they are
        AssertLogTicksAreFullValues(json);
    }

    [Fact]
    public void ZerosAmongLineValuesGetMarkersOnTheFloorAndTheRestStaysALine()
    {
        var y = new[] { 1e-3, 0, 2e-3, 0 };
        var json = ChartJson.Of(SweepCharts.Lines([1.0, 2, 3, 4], [("a", y)], "t", "x", "y", logY: true,
            markers: false));
        var trace = json.Data()[0]!;
        Assert.Equal("lines+markers", trace["mode"]!.GetValue<string>());
        var sizes = trace["marker"]!["size"].Doubles();
        Assert.Equal([false, true, false, true], sizes.Select(s => s > 0));
    }

    [Theory]
    [InlineData(0.015, 0.05)]   // less than a decade: 05's per-tensor norms
    [InlineData(0.02, 0.6)]     // one and a half decades: solutions 08's CV loss
    [InlineData(0.005, 0.03)]   // plotly.js would label 0.02 and 0.03 as "2" and "3"
    [InlineData(3e-9, 0.1)]     // many decades
    [InlineData(1, 1)]          // a single value
    public void LogAxisTickLabelsAreFullValues(double lo, double hi)
    {
        var y = Steps.Select(t => lo * Math.Pow(hi / lo, (t - 1) / 19)).ToArray();
        AssertLogTicksAreFullValues(ChartJson.Of(SweepCharts.Lines(Steps, [("a", y)], "t", "x", "y", logY: true)));
        AssertLogTicksAreFullValues(ChartJson.Of(SweepCharts.Lines(y, [("a", Steps)], "t", "x", "y", logX: true)));
    }

    [Fact]
    public void NoRawUnderscoreInTitlesAxisTitlesOrLegendEntries()
    {
        var charts = new[]
        {
            TheoryCharts.Lines("θ_t over t", "step", "max |θ_coupled − θ_decoupled|", [new Series("w_1", [1.0, 2])]),
            SweepCharts.Lines([1.0, 2], [("w_{j+1}", [1.0, 2])], "path", "λ", "w_j(λ)"),
            SweepCharts.LambdaLines([0, 1e-3], [("h_max", [1.0, 2])], "sharpness", "h_max (top Hessian eigenvalue)"),
            DecayCharts.PureDecay([PureDecayComparison.Run(0.01, 1, 10)]),
        };
        foreach (var json in charts.Select(ChartJson.Of))
        {
            var texts = json.Axes().Select(a => a.Axis["title"]?["text"]?.GetValue<string>())
                .Concat(json.Data().Select(t => t!["name"]?.GetValue<string>()))
                .Append(json.Layout()["title"]?["text"]?.GetValue<string>()).OfType<string>().ToList();
            Assert.All(texts, t => Assert.DoesNotContain("_", t));
        }
        Assert.Equal("max |θ<sub>coupled</sub> − θ<sub>decoupled</sub>|",
            ChartJson.Of(charts[0]).Layout()["yaxis"]!["title"].Text());
        Assert.Equal("w<sub>j+1</sub>", ChartJson.Of(charts[1]).Data()[0]!["name"]!.GetValue<string>());
    }

    private static double Linear(double c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

    private static double[] Rgb(string hex) =>
        [.. Enumerable.Range(0, 3).Select(i => Linear(Convert.ToInt32(hex.Substring(1 + 2 * i, 2), 16) / 255.0))];

    private static double Contrast(string hex)
    {
        var c = Rgb(hex);
        return 1.05 / (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2] + 0.05);
    }

    // Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
    private static readonly double[][,] Deficiencies =
    [
        new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
        new[,] // protanopia
        {
            { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 },
        },
        new[,] // deuteranopia
        {
            { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 },
        },
        new[,] // tritanopia
        {
            { 1.255528, -0.076749, -0.178779 }, { -0.078411, 0.930809, 0.147602 }, { 0.004733, 0.691367, 0.303900 },
        },
    ];

    private static double[] Lab(double[] rgb)
    {
        double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116;
        double x = 0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2];
        double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
        double z = 0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2];
        double fx = F(x / 0.95047), fy = F(y), fz = F(z / 1.08883);
        return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
    }

    private static double[] Seen(string hex, double[,] m)
    {
        var c = Rgb(hex);
        return Lab([.. Enumerable.Range(0, 3)
            .Select(r => Math.Clamp(m[r, 0] * c[0] + m[r, 1] * c[1] + m[r, 2] * c[2], 0, 1))]);
    }

    private static double SmallestDifference(IReadOnlyList<string> colors) =>
        (from m in Deficiencies
         from i in Enumerable.Range(0, colors.Count)
         from j in Enumerable.Range(0, i)
         let a = Seen(colors[i], m)
         let b = Seen(colors[j], m)
         select Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum())).Min();

    [Fact]
    public void PaletteIsReadableOnWhiteAndByColourBlindReaders()
    {
        Assert.All(Charts.Palette, c => Assert.True(Contrast(c) >= 3, $"{c}: contrast {Contrast(c):F2} against white"));
        Assert.True(SmallestDifference(Charts.Palette[..6]) >= 15,
            $"ΔE {SmallestDifference(Charts.Palette[..6]):F1} (first six)");
        Assert.True(SmallestDifference(Charts.Palette) >= 12, $"ΔE {SmallestDifference(Charts.Palette):F1} (all)");
        Assert.True(Contrast("#F0E442") < 3); // the test would catch Okabe & Ito's yellow
        // and the builders use it: eight weights of a path get eight different palette colours
        var eight = Enumerable.Range(0, 8).Select(j => ($"w{j}", (IReadOnlyList<double>)[1.0, 2]));
        var json = ChartJson.Of(SweepCharts.Lines([1.0, 2], eight, "t", "x", "y"));
        Assert.Equal(Charts.Palette, json.Data().Select(t => t!["marker"]!["color"]!.GetValue<string>()));
    }

    [Fact]
    public void UnlikeQuantitiesPerRunAreSeparatePanelsWithMarkersOnly()
    {
        var json = ChartJson.Of(SweepCharts.Panels(["a", "b", "c", "d"],
            [
                ("raw rise", [0.1, 0.2, 0.3, 0.4], false), ("filter rise", [1.0, 2, 3, 4], false),
                ("test error", [0.1, 0.1, 0.2, 0.2], true),
            ],
            "per run"));
        var data = json.Data();
        Assert.Equal(3, data.Count);
        Assert.All(data, t => Assert.Equal("markers", t!["mode"]!.GetValue<string>()));
        Assert.Equal(["x", "x2", "x3"], data.Select(t => t!["xaxis"]!.GetValue<string>()));
        Assert.Equal(["y", "y2", "y3"], data.Select(t => t!["yaxis"]!.GetValue<string>()));
        Assert.Equal(".0%", json.Layout()["yaxis3"]!["tickformat"]!.GetValue<string>());
        Assert.Equal(3, json.Layout()["grid"]!["columns"]!.GetValue<int>());
    }

    [Fact]
    public void TrainingPathMarksItsStartAndEnd()
    {
        var grid = new[] { -1.0, 0, 1 };
        var plane = new Slice2D(grid, grid, new double[3, 3], null, null, null);
        // the directions are not used by the chart (and not disposed here)
        var path = new PcaTrajectory(null!, null!, null!, [1, 1], [0.5, 0.3], [0, 1, 2], [0, 10, 20], [0.8, 0.3, 0],
            [0.5, 0.2, 0]);
        var json = ChartJson.Of(LandscapeCharts.TrainingPath(plane, path, 3, "path", "PC 1", "PC 2"));
        var traces = json.Data().Select(t => t!).ToList();
        Assert.Equal("contour", traces[0]["type"]!.GetValue<string>());
        var start = traces.Single(t => t["name"]?.GetValue<string>().StartsWith("start") == true);
        var end = traces.Single(t => t["name"]?.GetValue<string>().StartsWith("end") == true);
        Assert.Equal([0.8, 0.5], [.. start["x"].Doubles(), .. start["y"].Doubles()]);
        Assert.Equal([0.0, 0.0], [.. end["x"].Doubles(), .. end["y"].Doubles()]);
        Assert.Equal("star", end["marker"]!["symbol"]!.GetValue<string>());
    }

    [Fact]
    public void InterpolationMarksAlphaZeroAndOne()
    {
        double[] alpha = [-0.5, 0, 0.5, 1, 1.5];
        var slice = new Slice1D(Slice1DKind.Interpolation, alpha, [2, 1, 1.5, 0.5, 2], null, [3, 2, 2.5, 1, 3], null);
        var json = ChartJson.Of(LandscapeCharts.Interpolation(slice, "λ = 0", "λ = 0.01"));
        Assert.Equal([0.0, 1.0], json.Layout()["shapes"]!.AsArray().Select(s => s!["x0"]!.GetValue<double>()));
        var notes = json.Layout()["annotations"]!.AsArray().Select(a => a!["text"]!.GetValue<string>()).ToList();
        Assert.Contains(notes, n => n.Contains("α = 0") && n.Contains("λ = 0"));
        Assert.Contains(notes, n => n.Contains("α = 1") && n.Contains("λ = 0.01"));
        var marks = json.Data().Where(t => t!["mode"]!.GetValue<string>() == "markers").ToList();
        Assert.Equal(2, marks.Count);
        Assert.Equal([1.0, 0.5], marks[0]!["y"].Doubles()); // the train loss at α = 0 and 1
        Assert.Equal("log", json.Layout()["yaxis"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void WeightMosaicIsWhiteExactlyAtZeroAndItsTileGapsAreNot()
    {
        var w = Enumerable.Range(0, 2 * 4).Select(i => i % 3 - 1.0).ToList();
        var json = ChartJson.Of(ImageCharts.WeightMosaic(w, 2, "mosaic", height: 2, width: 2, columns: 2));
        var heatmap = json.Data()[0]!;
        Assert.Equal([-1.0, 1.0, 0.0], new[] { "zmin", "zmax", "zmid" }.Select(k => heatmap[k]!.GetValue<double>()));
        var scale = heatmap["colorscale"]!.AsArray()
            .Select(s => (Position: s![0]!.GetValue<double>(), Color: s[1]!.GetValue<string>())).ToList();
        Assert.Contains(scale, s => s.Position == 0.5
            && s.Color.Replace(" ", "") is "rgba(255,255,255,1.0)" or "#FFFFFF");
        Assert.NotEqual("#FFFFFF", json.Layout()["plot_bgcolor"]!.GetValue<string>().ToUpperInvariant());
        Assert.Null(heatmap["z"]![0]![2]); // the column between the two tiles is a gap (background), not white
    }

    [Fact]
    public void HistogramsAreOutlinesNotOverlaidTranslucentBars()
    {
        IReadOnlyList<double> a = [-0.5, 0, 0, 0.5], b = [-0.2, 0.1, 0.2, 0.25];
        var json = ChartJson.Of(ImageCharts.Histograms([("L1", a), ("L2", b)], 4, -1, 1, "h", "w", logY: true));
        var data = json.Data();
        Assert.All(data, t =>
        {
            Assert.Equal("scatter", t!["type"]!.GetValue<string>());
            Assert.Equal("hvh", t["line"]!["shape"]!.GetValue<string>());
            Assert.Null(t["opacity"]);
        });
        Assert.NotEqual(data[0]!["line"]!["dash"]?.GetValue<string>(), data[1]!["line"]!["dash"]?.GetValue<string>());
        AssertLogTicksAreFullValues(json); // empty bins sit on the floor tick "0"
    }

    [Fact]
    public void LambdaAxisIsALogAxisWithZeroOnItsFloorAndAccuracyInPercent()
    {
        double[] lambdas = [0, 1e-4, 1e-3, 3e-3];
        var json = ChartJson.Of(SweepCharts.LambdaLines(lambdas, [("test accuracy", [0.91, 0.915, 0.92, 0.9])], "t",
            "accuracy", percent: true));
        var x = json.Layout()["xaxis"]!;
        Assert.Equal("log", x["type"]!.GetValue<string>());
        var xs = json.Data()[0]!["x"].Doubles();
        Assert.Equal(lambdas[1..], xs[1..]); // positive λ where they are: the gaps between them are real
        double floor = x["tickvals"].Doubles()[Array.IndexOf(x["ticktext"].Strings(), "0")];
        Assert.Equal(floor, xs[0]);
        Assert.True(floor < 1e-4);
        Assert.Equal(".0%", json.Layout()["yaxis"]!["tickformat"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => SweepCharts.LambdaLines([-1.0], [("a", [1.0])], "t", "y"));
    }

    [Fact]
    public void WeightDistributionHeatmapsShareOneColourRange()
    {
        double[][] small = [[0, 1], [2, 3]], large = [[0, 5], [10, 20]];
        var json = ChartJson.Of(SweepCharts.Heatmaps([("λ = 0", small), ("λ = 0.01", large)], [0.0, 1], [0.0, 1], "t",
            "w", "epoch", "count"));
        Assert.All(json.Data(), t => Assert.Equal("coloraxis", t!["coloraxis"]!.GetValue<string>()));
        var axis = json.Layout()["coloraxis"]!;
        Assert.Equal((0.0, 20.0), (axis["cmin"]!.GetValue<double>(), axis["cmax"]!.GetValue<double>()));
        Assert.Equal(["x", "x2"], json.Data().Select(t => t!["xaxis"]!.GetValue<string>()));
    }

    [Fact]
    public void ThumbnailHasNoFixedWidthThatWouldClipItsTitle()
    {
        double[] alpha = [-1, 0, 1];
        var slice = new Slice1D(Slice1DKind.Direction, alpha, [2, 1, 2], null, [3, 2, 3], null);
        var json = ChartJson.Of(LandscapeCharts.Thumbnail(slice,
            "Loss along a random direction through the best model (λ = 0.003)"));
        Assert.Null(json.Layout()["width"]);
        Assert.True(json.Layout()["height"]!.GetValue<int>() <= 400);
        Assert.Equal([0.0], json.Layout()["shapes"]!.AsArray().Select(s => s!["x0"]!.GetValue<double>()));
    }
}
