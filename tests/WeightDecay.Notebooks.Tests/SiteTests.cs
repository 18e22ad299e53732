using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Formatting;
using WeightDecay.Interactive.Visualization;
using WeightDecay.Runner;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>The pieces of the report site that need no notebook run: tables, claims, chart rounding, the catalog, paths.</summary>
[Collection(nameof(ChartState))] // sets WD_REPORT_DIR / WD_NOTEBOOK_NAME and resets the table counter
public class SiteTests
{
    [Theory]
    [InlineData("relative_error_of_B_times_our_gradient", "relative error of B times our gradient")]
    [InlineData("batch_size", "batch size")]
    [InlineData("TestLoss", "Test loss")]
    [InlineData("lambda", "λ")]
    [InlineData("lr", "learning rate")]
    [InlineData("our_λ", "our λ")]
    [InlineData("MAP", "MAP")]
    [InlineData("max |λθ|", "max |λθ|")]
    [InlineData("norm[fc1.weight]", "norm[fc1.weight]")]
    public void HeadersAreWords(string name, string header) => Assert.Equal(header, Tables.Header(name));

    [Fact]
    public void ConstantColumnsMoveToTheCaptionAndMissingValuesShowAsADashWithANote()
    {
        var df = Enumerable.Range(0, 4).Select(i => new
        {
            lambda = (double)i, test_accuracy = i == 2 ? double.NaN : 0.9, method = "coupled", train_accuracy = double.NaN,
        }).ToTable();
        string html = Tables.Html(df);
        Assert.Contains("<th>λ</th><th>test accuracy</th></tr>", html);       // method and train accuracy left the header
        Assert.Contains("In every row: method = coupled.", html);
        Assert.Contains("No values for train accuracy.", html);
        Assert.Contains("<td>—</td>", html);
        Assert.Contains("— = no value", html);
        Assert.DoesNotContain("NaN", html);
        Assert.Contains("overflow-x:auto", html);                              // wide tables scroll inside their box
        // two rows are a comparison: nothing moves
        string two = Tables.Html(new[] { new { a = 1, b = 2 }, new { a = 1, b = 3 } }.ToTable());
        Assert.Contains("<th>a</th><th>b</th>", two);
    }

    [Fact]
    public void TablesUpTo20RowsShowInFullLongerOnesSayWhatIsHiddenAndWriteTheirCsvInTheRunner()
    {
        Assert.DoesNotContain("not shown", Tables.Html(Rows(20)));
        string dir = Directory.CreateTempSubdirectory("wd-tables-").FullName;
        try
        {
            // outside the runner: the count of hidden rows, no file
            string outside = Tables.Html(Rows(52));
            Assert.Contains("37 of 52 rows not shown", outside);
            Assert.Equal(15, System.Text.RegularExpressions.Regex.Matches(outside, "<tr><td>").Count);
            Assert.DoesNotContain(".csv", outside);
            // in the runner: every row in a CSV beside the report, linked
            Environment.SetEnvironmentVariable("WD_REPORT_DIR", dir);
            Environment.SetEnvironmentVariable("WD_NOTEBOOK_NAME", "07-x");
            Tables.Reset();
            string html = Tables.Html(Rows(52));
            Assert.Contains("<a href=\"07-x.table-1.csv\">", html);
            var lines = File.ReadAllLines(Path.Combine(dir, "07-x.table-1.csv"));
            Assert.Equal("step,value", lines[0]);
            Assert.Equal(53, lines.Length);
            Assert.Equal("51,0.5", lines[^1]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("WD_REPORT_DIR", null);
            Environment.SetEnvironmentVariable("WD_NOTEBOOK_NAME", null);
            Tables.Reset();
            Directory.Delete(dir, true);
        }
    }

    private static DataFrame Rows(int n) => Enumerable.Range(0, n).Select(i => new { step = i, value = i % 2 == 0 ? 1.0 : 0.5 }).ToTable();

    [Fact]
    public void ClaimsAreOneLineThatExpandsToTheirEvidence()
    {
        string html = Formatters.ClaimHtml(Claims.Check("x < y", true, $"x = {1}, y = {2}"));
        Assert.Equal("<details class=\"wd-claim\"><summary><span class=\"wd-claim-mark\" style=\"color:#12805c\">✔</span> x &lt; y</summary>" +
                     "<div class=\"wd-claim-evidence\">x = 1, y = 2</div></details>", html);
    }

    [Fact]
    public void MatrixRoundsToWhatAColorScaleShows()
    {
        string Json(double[][] z) => System.Text.Json.JsonSerializer.Serialize(
            z.Select(r => r.Select(v => double.IsFinite(v) ? (double?)v : null)));
        Assert.Equal("[[0.1235,-0.9877],[0,null]]", Json(Plot.Rounded(new[] { new[] { 0.123456789, -0.98765432 }, new[] { 1e-7, double.NaN } })));
        Assert.Equal("[[12350,-98770]]", Json(Plot.Rounded(new[] { new[] { 12345.6, -98765.4 } })));
        Assert.Equal("[[0.12,-1]]", Json(Plot.Rounded(new[] { new[] { 0.123, -0.998 } }, significantDigits: 2)));
        Assert.Equal("[[0,0]]", Json(Plot.Rounded(new[] { new[] { 0.0, 0.0 } })));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plot.Rounded(new[] { new[] { 1.0 } }, significantDigits: 0));
        // a 64-unit weight mosaic: 3 significant digits of each unit's max, under 0.4 MB of JSON
        var weights = Enumerable.Range(0, 64 * 784).Select(i => Math.Sin(i * 0.37) * 0.05).ToArray();
        Assert.True(Plotly.NET.GenericChart.toFigureJson(ImageCharts.WeightMosaic(weights, 64, "w")).Length < 400_000);
    }

    [Theory]
    [InlineData("00 · Setup check", "00 · Setup check")]
    [InlineData("Solutions · 01 · What weight decay is", "01 · What weight decay is")]
    [InlineData("Solutions · 03 High-dimensional linear regression", "03 · High-dimensional linear regression")]
    [InlineData("A notebook without number", "A notebook without number")]
    public void LabelsAreConsistent(string title, string label) => Assert.Equal(label, SiteCatalog.Label(title));

    [Fact]
    public void TheSummaryComesFromTheNotebook()
    {
        Assert.Equal("What the lesson teaches, in one line.",
            SiteCatalog.Summary(Notebook("# 05 · Title\n\n> What the lesson teaches,\n> in one line.\n\nMore text.")));
        Assert.Equal("This lesson shows $a.b$ and e.g. this.",
            SiteCatalog.Summary(Notebook("# 05 · Title\n\nThis lesson shows $a.b$ and e.g. this. Second sentence.")));
        Assert.Equal("One step is …", SiteCatalog.Summary(Notebook("# T\n\nOne step is\n\n$$x$$")));
        Assert.Null(SiteCatalog.Summary(Notebook("# T")));
    }

    private static NotebookFile Notebook(string markdown)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("wd-nb-").FullName, "n.ipynb");
        File.WriteAllText(path, new JsonObject
        {
            ["cells"] = new JsonArray(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = markdown }),
            ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5,
        }.ToJsonString());
        try { return NotebookFile.Load(path); }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Theory]
    [InlineData("// setup\nusing X;", null, "setup")]
    [InlineData("// Setup: the data\nvar d = 1;", null, "setup")]
    [InlineData("#r \"../artifacts/workbook/WeightDecay.Interactive.dll\"\nWeightDecay.Interactive.Workbook.Init()", null, "setup")]
    [InlineData("var epochs = 3;", "parameters", "parameters")]
    [InlineData("epochs = 1;", "injected-parameters", "injected parameters")]
    [InlineData("// set up the model\nvar m = 1;", null, null)]
    [InlineData("var setup = 1;", null, null)]
    public void SetupCellsAreRecognized(string source, string? tag, string? label)
    {
        var cell = new JsonObject { ["metadata"] = tag is null ? new JsonObject() : new JsonObject { ["tags"] = new JsonArray(tag) } };
        Assert.Equal(label, Report.SetupLabel(cell, source));
    }

    [Fact]
    public void InlinePlotlyIsTakenOutOfTheOutputsOnce()
    {
        ChartHtml.Reset();
        string first = ChartHtml.Render(Plotly.NET.CSharp.Chart.Line<double, double, string>([0.0], [1.0], Name: "a"));
        string second = ChartHtml.Render(Plotly.NET.CSharp.Chart.Line<double, double, string>([0.0], [2.0], Name: "b"));
        PlotlyBundle? found = null;
        string stripped = PlotlyBundle.Strip(first, ref found) + PlotlyBundle.Strip(second, ref found);
        Assert.NotNull(found);
        Assert.Equal(ChartHtml.PlotlyJsVersion, found.Version);
        Assert.StartsWith("/**", found.Source.TrimStart());
        Assert.DoesNotContain("plotly.js v", stripped);
        Assert.DoesNotContain("__wdDefine", stripped);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(stripped, "class=\"wd-plot\"").Count);
        // Each chart keeps its figure JSON (data, layout and Plotly.NET's ~8 kB default template);
        // only the plotly.js bundle (~3.5 MB) must be gone.
        Assert.True(stripped.Length < found.Source.Length / 50,
            $"{stripped.Length} characters left of two one-point charts; the bundle has {found.Source.Length}");
    }

    [Fact]
    public void PathsShowRelativeToThePageOrTheRepository()
    {
        var paths = new PathDisplay("/tmp/out/reports", "/work/repo");
        Assert.Equal("09-x.results.csv: λ = 0", paths.Apply("/tmp/out/reports/09-x.results.csv: λ = 0"));
        Assert.Equal("copy artifacts/workbook/lib.so.", paths.Apply("copy /work/repo/artifacts/workbook/lib.so."));
        Assert.Equal("/elsewhere/file", paths.Apply("/elsewhere/file"));
    }

    /// <summary>The offline check is real: the self-check lists a page's http(s) requests, failed ones included.</summary>
    [Fact]
    public void TheSelfCheckSeesNetworkRequests()
    {
        string dir = Directory.CreateTempSubdirectory("wd-net-").FullName;
        try
        {
            using (var s = typeof(Site).Assembly.GetManifestResourceStream("report/selfcheck.js")!)
            using (var f = File.Create(Path.Combine(dir, "selfcheck.js"))) s.CopyTo(f);
            string page = Path.Combine(dir, "p.html");
            File.WriteAllText(page, "<!DOCTYPE html><html><head><script src=\"selfcheck.js\"></script></head><body>" +
                                    "<img src=\"https://cdn.example.com/a.png\"><script>fetch('http://example.org/d.json').catch(function () {});</script></body></html>");
            var check = Browser.SelfCheck(Browser.DumpDom(page));
            Assert.Contains("https://cdn.example.com/a.png", check["data-wd-resources"]);
            Assert.Contains("http://example.org/d.json", check["data-wd-resources"]);
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>A <c>--self-contained</c> report opens alone, copied to another folder, with every chart and formula.</summary>
public class SelfContainedReportTests
{
    [Fact]
    public void ASelfContainedLesson09PageOpensAloneFromAnotherFolder()
    {
        string output = Directory.CreateTempSubdirectory("wd-self-").FullName;
        string alone = Directory.CreateTempSubdirectory("wd-alone-").FullName;
        try
        {
            var r = Proc.Runner("09-your-experiment", "--self-contained", "--output", output, "--param", "epochs=2", "--param", "digits=500");
            Assert.True(r.ExitCode == 0, r.All);
            string reports = Path.Combine(output, "reports");
            Assert.False(Directory.Exists(Path.Combine(reports, "assets")), "self-contained pages need no assets folder");
            Assert.True(JsonNode.Parse(File.ReadAllText(Path.Combine(reports, "run.json")))!["self_contained"]!.GetValue<bool>());
            string page = Path.Combine(alone, "09-your-experiment.html");
            File.Copy(Path.Combine(reports, "09-your-experiment.html"), page);
            string html = File.ReadAllText(page);
            QuickRunTests.AssertNoExternalResources(html);
            Assert.DoesNotMatch("<script src=|<link rel=\"stylesheet\"", html);  // nothing loaded from a file either
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, @"\* plotly\.js v\d"));

            var check = Browser.SelfCheck(Browser.DumpDom(page, "#wd-selftest"));
            Assert.Equal("[]", check["data-wd-errors"]);
            Assert.Equal("[]", check["data-wd-resources"]);
            Assert.Equal("1", check["data-wd-css"]);
            Assert.DoesNotContain(":error", check["data-wd-fonts"]);
            Assert.NotEqual("0", check["data-wd-charts-expected"]);
            Assert.Equal(check["data-wd-charts-expected"], check["data-wd-charts-rendered"]);
            Assert.NotEqual("0", check["data-wd-math-expected"]);
            Assert.Equal(check["data-wd-math-expected"], check["data-wd-math-rendered"]);
            Assert.Equal("shown", JsonNode.Parse(check["data-wd-fold-test"])!["stateAfterSecondClick"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(output, true);
            Directory.Delete(alone, true);
        }
    }
}
