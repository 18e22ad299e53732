using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>
/// Runs every notebook once in quick mode (the runner as a separate process, two notebooks at a time, one intra-op
/// thread each, no time limit: the runner's per-cell limits guard against hangs). If the run produces no report,
/// <see cref="Failure"/> says why; one test shows it and every other test that needs the run fails with a one-line
/// pointer to it.
/// </summary>
public class WorkbookRun : IDisposable
{
    public string Output { get; } = Directory.CreateTempSubdirectory("wd-quick-run-").FullName;
    public Proc.Result Result { get; }
    public string? Failure { get; }
    private readonly JsonObject? _runJson;
    private readonly string _name;

    protected WorkbookRun(string name, params string[] args)
    {
        _name = name;
        // The shared runs go side by side, two notebooks each, on 2 cores: one intra-op thread per notebook process
        // (libtorch reads OMP_NUM_THREADS at start) spends less CPU than its default of one per core — lessons 04 and 05
        // in quick mode took 63 instead of 80 CPU-seconds. A printed number can differ from a default run in its last
        // digit (05: 1.84e-2 vs 1.85e-2); the claims are statements about the method and hold either way.
        Result = Proc.Run("dotnet", [Repo.RunnerDll, "--quick", "--jobs", "2", "--output", Output, .. args],
            env: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["OMP_NUM_THREADS"] = "1" });
        string runJson = Path.Combine(Output, "reports", "run.json");
        if (File.Exists(runJson)) _runJson = JsonNode.Parse(File.ReadAllText(runJson))!.AsObject();
        else Failure = $"The runner wrote no run.json (exit {Result.ExitCode}):\n{Result.All}";
    }

    /// <summary>run.json of the run; fails the calling test with one line when the run itself failed.</summary>
    public JsonObject RunJson => _runJson ?? throw new InvalidOperationException(
        $"The shared {_name} produced no report; see the test that reports it ({_name} produced its report) for its output.");

    /// <summary>Fails the calling test with one line when the shared run failed.</summary>
    public void Require() => _ = RunJson;

    public string Report(string rel)
    {
        Require();
        return Path.Combine(Output, "reports", rel + ".html");
    }

    public string Executed(string rel)
    {
        Require();
        return Path.Combine(Output, "notebooks", rel + ".ipynb");
    }

    /// <summary>A notebook's status and error in run.json.</summary>
    public (string Status, string Error) Outcome(string rel)
    {
        var entry = RunJson["notebooks"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == rel)!;
        return (entry["status"]!.GetValue<string>(), entry["error"]?.GetValue<string>() ?? "");
    }

    public void Dispose()
    {
        try { Directory.Delete(Output, true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

/// <summary>The quick run with each notebook's default seed (the reports are checked on it).</summary>
public sealed class QuickRun() : WorkbookRun("quick run");

[CollectionDefinition(nameof(QuickRunCollection))]
public sealed class QuickRunCollection : ICollectionFixture<QuickRun>;

[Collection(nameof(QuickRunCollection))]
public partial class QuickRunTests(QuickRun run)
{
    [Fact]
    public void TheQuickRunProducedItsReport() => Assert.True(run.Failure is null, run.Failure);

    [Fact]
    public void EveryNotebookRunsInQuickModeWithZeroErrors()
    {
        run.Require();
        Assert.True(run.Result.ExitCode == 0, $"runner exit {run.Result.ExitCode}:\n{run.Result.All}");
        var entries = run.RunJson["notebooks"]!.AsArray().Select(n => n!.AsObject()).ToList();
        Assert.Equal(Repo.AllNotebooks().Select(Repo.RelativeName), entries.Select(e => e["name"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("passed", e["status"]!.GetValue<string>()));
        Assert.True(run.RunJson["quick"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void ExecutedNotebookHasOutputsAndNoErrors(string rel)
    {
        var nb = JsonNode.Parse(File.ReadAllText(run.Executed(rel)))!.AsObject();
        var code = nb["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.All(code, c => Assert.NotNull(c["execution_count"]));
        var outputs = code.SelectMany(c => c["outputs"]!.AsArray()).Select(o => o!.AsObject()).ToList();
        Assert.DoesNotContain(outputs, o => o["output_type"]!.GetValue<string>() == "error");
        Assert.NotEmpty(outputs);
        Assert.Equal("passed", nb["metadata"]!["weightdecay"]!["status"]!.GetValue<string>());
        Assert.True(nb["metadata"]!["weightdecay"]!["quick"]!.GetValue<bool>());
    }

    /// <summary>The quick run takes two notebooks at a time; run one at a time (with the same one intra-op thread),
    /// two of them print every checked number to the last digit as they did.</summary>
    [Fact]
    public void RunningNotebooksInParallelChangesNoNumber()
    {
        run.Require();
        Assert.Equal(2, run.RunJson["jobs"]!.GetValue<int>());
        string one = Directory.CreateTempSubdirectory("wd-jobs1-").FullName;
        try
        {
            string[] notebooks = ["00-setup-check", "03-high-dimensional-linear-regression"];
            var r = Proc.Run("dotnet", [Repo.RunnerDll, .. notebooks, "--quick", "--jobs", "1", "--output", one],
                env: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["OMP_NUM_THREADS"] = "1" });
            Assert.True(r.ExitCode == 0, r.All);
            foreach (var rel in notebooks)
            {
                var claims = RunnerRobustnessTests.ClaimLines(one, rel);
                Assert.NotEmpty(claims);
                Assert.Equal(claims, RunnerRobustnessTests.ClaimLines(run.Output, rel));
            }
        }
        finally
        {
            Directory.Delete(one, true);
        }
    }

    [Fact]
    public void QuickModeInjectsTheQuickValuesAfterTheParametersCell()
    {
        var cells = JsonNode.Parse(File.ReadAllText(run.Executed("00-setup-check")))!["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
        int p = cells.FindIndex(c => (c["metadata"]?["tags"] as JsonArray)?.Any(t => t!.GetValue<string>() == "parameters") == true);
        Assert.True(p >= 0);
        var injected = cells[p + 1];
        Assert.Contains("injected-parameters", injected["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("epochs = 60;", string.Concat(injected["source"]!.AsArray().Select(l => l!.GetValue<string>())));
    }

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void ReportRendersEveryChartAndFormulaOfflineWithSharedAssetsAndFoldableCode(string rel)
    {
        string html = File.ReadAllText(run.Report(rel));
        AssertNoExternalResources(html);
        int charts = ChartDiv().Matches(html).Count;
        // site mode: no inline plotly.js; pages with charts load the one shared copy
        Assert.DoesNotMatch(PlotlyHeader(), html);
        Assert.DoesNotContain("data-wd-plotly", html);
        string up = rel.Contains('/') ? "../" : "";
        if (charts > 0) Assert.Single(SharedPlotly().Matches(html), m => m.Groups[1].Value == up);
        else Assert.Empty(SharedPlotly().Matches(html));

        var check = Browser.SelfCheck(Browser.DumpDom(run.Report(rel), "#wd-selftest"));
        Assert.Equal("1", check["data-wd-ready"]);
        Assert.Equal("[]", check["data-wd-errors"]);
        Assert.Equal("[]", check["data-wd-resources"]);          // no request left the page (http(s) requests are listed, failed ones too)
        Assert.Equal("1", check["data-wd-css"]);                 // the shared CSS applied
        Assert.DoesNotContain(":error", check["data-wd-fonts"]); // KaTeX's fonts came from assets/katex/fonts
        Assert.Equal(charts.ToString(), check["data-wd-charts-expected"]);
        Assert.Equal(check["data-wd-charts-expected"], check["data-wd-charts-rendered"]);
        Assert.True(int.Parse(check["data-wd-math-expected"]) > 0, "every lesson has formulas");
        Assert.Equal(check["data-wd-math-expected"], check["data-wd-math-rendered"]);
        Assert.Equal("0", check["data-wd-math-errors"]);
        Assert.Equal("0", check["data-wd-raw-math"]);
        Assert.True(int.Parse(check["data-wd-scroll-width"]) <= int.Parse(check["data-wd-client-width"]),
            $"{rel} is wider than the window: {check["data-wd-scroll-width"]} > {check["data-wd-client-width"]} px");

        // code folding: every code cell folds, the bootstrap and parameters cells start folded, the button hides and shows all
        var fold = JsonNode.Parse(check["data-wd-fold-test"])!.AsObject();
        int cells = fold["cells"]!.GetValue<int>();
        Assert.Equal(Code(rel).Count, cells);
        Assert.True(fold["setup"]!.GetValue<int>() >= 2, "the bootstrap and the parameters cell are set-up cells");
        Assert.Equal(fold["setup"]!.GetValue<int>(), fold["setupFolded"]!.GetValue<int>());
        Assert.Equal(cells - fold["setup"]!.GetValue<int>(), fold["openAtStart"]!.GetValue<int>());
        Assert.True(fold["button"]!.GetValue<bool>());
        Assert.Equal(0, fold["openAfterFirstClick"]!.GetValue<int>());
        Assert.Equal("hidden", fold["stateAfterFirstClick"]!.GetValue<string>());
        Assert.Equal(cells, fold["openAfterSecondClick"]!.GetValue<int>());
        Assert.Equal("shown", fold["stateAfterSecondClick"]!.GetValue<string>());
    }

    /// <summary>On a phone-sized window too, nothing is wider than the page: tables, code, formulas and charts scroll in their box.</summary>
    [Theory]
    [InlineData("index")]
    [InlineData("04-the-seeds-mlp-on-mnist")]
    [InlineData("08-choosing-lambda-and-the-alternatives")]
    [InlineData("09-your-experiment")]
    public void NarrowWindowsHaveNoHorizontalOverflow(string rel)
    {
        var check = Browser.SelfCheck(Browser.DumpDom(Path.Combine(run.Output, "reports", rel + ".html"), width: 480, height: 900));
        Assert.Equal("[]", check["data-wd-errors"]);
        Assert.True(int.Parse(check["data-wd-scroll-width"]) <= int.Parse(check["data-wd-client-width"]),
            $"{rel} is wider than a 480 px window: {check["data-wd-scroll-width"]} > {check["data-wd-client-width"]} px");
    }

    [Fact]
    public void LessonPagesWeighAtMostOneMegabyte()
    {
        var sizes = Repo.AllNotebooks().Select(Repo.RelativeName).Select(rel => (rel, Bytes: new FileInfo(run.Report(rel)).Length)).ToList();
        string table = string.Join("\n", sizes.Select(s => $"{s.rel}: {s.Bytes / 1e6:F2} MB"));
        Assert.All(sizes, s => Assert.True(s.Bytes <= 1_000_000, $"{s.rel} is {s.Bytes / 1e6:F2} MB:\n{table}"));
        string assets = Path.Combine(run.Output, "reports", "assets");
        Assert.True(File.Exists(Path.Combine(assets, "katex", "katex.min.css")));
        Assert.Single(Directory.GetFiles(assets, "plotly-*.min.js"));
        Assert.Contains("* plotly.js v", File.ReadAllText(Directory.GetFiles(assets, "plotly-*.min.js")[0]));
    }

    [Fact]
    public void EveryLinkOfEveryPageResolvesAndPagesLinkEachOther()
    {
        string reports = Path.Combine(run.Output, "reports");
        var pages = Directory.GetFiles(reports, "*.html", SearchOption.AllDirectories);
        Assert.Equal(Repo.AllNotebooks().Count + 1, pages.Length);
        foreach (var page in pages)
        {
            string html = File.ReadAllText(page);
            foreach (Match m in Reference().Matches(html))
            {
                string target = WebUtility.HtmlDecode(m.Groups[2].Value);
                if (target.StartsWith('#') || target.StartsWith("data:", StringComparison.Ordinal)) continue;
                Assert.False(target.StartsWith("http:", StringComparison.Ordinal) || target.StartsWith("https:", StringComparison.Ordinal) ||
                             target.StartsWith("//", StringComparison.Ordinal), $"{page} refers to the network: {target}");
                string path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(target.Split('#', '?')[0])));
                Assert.True(File.Exists(path), $"{Path.GetRelativePath(reports, page)}: {m.Groups[1].Value}=\"{target}\" does not exist");
                Assert.StartsWith(reports, path); // nothing outside the site
            }
        }
        // navigation: index, previous/next in run order, lesson ↔ solutions both ways, every lesson in every sidebar
        var names = Repo.AllNotebooks().Select(Repo.RelativeName).ToList();
        for (int i = 0; i < names.Count; i++)
        {
            string rel = names[i], up = rel.Contains('/') ? "../" : "";
            string html = File.ReadAllText(run.Report(rel));
            Assert.Contains($"href=\"{up}index.html\"", html);
            if (i > 0) Assert.Contains($"href=\"{up}{names[i - 1]}.html\" rel=\"prev\"", html);
            if (i + 1 < names.Count) Assert.Contains($"href=\"{up}{names[i + 1]}.html\" rel=\"next\"", html);
            foreach (var other in names) Assert.Contains($"href=\"{up}{other}.html\"", html);
            Assert.Contains($"<a href=\"{up}{rel}.html\" aria-current=\"page\">", html);
            string counterpart = rel.StartsWith("solutions/") ? rel["solutions/".Length..] : "solutions/" + rel;
            if (names.Contains(counterpart)) Assert.Contains($"class=\"wd-counterpart\"><a href=\"{up}{counterpart}.html\"", html);
        }
        Assert.All(names.Where(n => n.StartsWith("solutions/")), n => Assert.Contains(n["solutions/".Length..], names));
    }

    [Fact]
    public void IndexGroupsLessonsAndSolutionsWithSummariesAndRunMetadata()
    {
        run.Require();
        string index = Path.Combine(run.Output, "reports", "index.html");
        string html = File.ReadAllText(index);
        AssertNoExternalResources(html);
        int lessons = html.IndexOf("<h2>Lessons</h2>", StringComparison.Ordinal), solutions = html.IndexOf("<h2>Solutions</h2>", StringComparison.Ordinal);
        Assert.True(lessons >= 0 && solutions > lessons, "lessons, then solutions");
        foreach (var rel in Repo.AllNotebooks().Select(Repo.RelativeName))
        {
            int at = html.IndexOf($"<a class=\"wd-entry-title\" href=\"{rel}.html\">", StringComparison.Ordinal);
            Assert.True(rel.StartsWith("solutions/") ? at > solutions : at > lessons && at < solutions, rel);
        }
        // one line per lesson, from the notebook: the block quote under its title
        Assert.Equal(Repo.AllNotebooks().Count(n => !Repo.RelativeName(n).StartsWith("solutions/")),
            Regex.Matches(html[lessons..solutions], "<p class=\"wd-summary\">").Count);
        string summary = File.ReadAllLines(Path.Combine(Repo.Notebooks, "00-setup-check.dib"))
            .First(l => l.StartsWith("> ", StringComparison.Ordinal))[2..];
        Assert.Contains(System.Net.WebUtility.HtmlEncode(summary), html);
        Assert.DoesNotContain(">defaults<", html);
        Assert.Contains("href=\"run.json\"", html);
        string head = Proc.Run("git", ["rev-parse", "HEAD"]).Stdout.Trim();
        Assert.Contains(head, html);
        foreach (var key in new[] { "date (UTC)", "git commit", "TorchSharp", "Microsoft.DotNet.Interactive", "KaTeX", "cores", "quick" })
            Assert.Contains(key, html);
        var check = Browser.SelfCheck(Browser.DumpDom(index));
        Assert.Equal("[]", check["data-wd-errors"]);
        Assert.Equal("[]", check["data-wd-resources"]);
        Assert.Equal(check["data-wd-math-expected"], check["data-wd-math-rendered"]);
        Assert.Empty(Directory.GetFiles(run.Output, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void OutputsCarryNoMachineDetailsAndTablesNoNaNOrMachineHeaders()
    {
        Assert.True(run.RunJson.ContainsKey("native_fix"));
        foreach (var rel in Repo.AllNotebooks().Select(Repo.RelativeName))
        {
            string outputs = string.Concat(Code(rel).SelectMany(c => c["outputs"]!.AsArray()).Select(o => o!.ToJsonString()));
            Assert.DoesNotContain("libstdc++", outputs);
            Assert.DoesNotContain("LibTorchSharp", outputs);
            Assert.DoesNotContain(System.Runtime.InteropServices.RuntimeInformation.OSDescription, outputs);
            string html = File.ReadAllText(run.Report(rel));
            Assert.DoesNotContain(Repo.Root + "/", html);   // paths relative to the repository …
            Assert.DoesNotContain(run.Output + "/", html);  // … or to the page
            Assert.DoesNotContain("<td>NaN</td>", html);
            foreach (Match th in Regex.Matches(html, "<th>([^<]*)</th>")) Assert.DoesNotContain("_", th.Groups[1].Value);
        }
        Assert.Contains("<details class=\"wd-claim\">", File.ReadAllText(run.Report("00-setup-check")));
    }

    private List<JsonObject> Code(string rel) =>
        JsonNode.Parse(File.ReadAllText(run.Executed(rel)))!["cells"]!.AsArray().Select(c => c!.AsObject())
            .Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();

    internal static void AssertNoExternalResources(string html)
    {
        Assert.DoesNotMatch(ExternalResource(), html);
        Assert.DoesNotContain("require.js", html, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("class=\"wd-plot\"")]
    private static partial Regex ChartDiv();

    [GeneratedRegex(@"\* plotly\.js v\d")]
    private static partial Regex PlotlyHeader();

    [GeneratedRegex("<script src=\"((?:\\.\\./)?)assets/plotly-[0-9.]+\\.min\\.js\"></script>")]
    private static partial Regex SharedPlotly();

    [GeneratedRegex("<(script|link|img|iframe)[^>]+(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalResource();

    [GeneratedRegex("\\b(href|src)=\"([^\"]*)\"")]
    private static partial Regex Reference();
}
