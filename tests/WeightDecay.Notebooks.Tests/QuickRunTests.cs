using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>
/// Runs every notebook once in quick mode (the runner as a separate process, no time limit: the runner's per-cell limits
/// guard against hangs) for the tests of this collection. If the run produces no report, <see cref="Failure"/> says why;
/// <see cref="QuickRunTests.TheQuickRunProducedItsReport"/> shows it once and every other test of the collection fails with
/// a one-line pointer to it.
/// </summary>
public sealed class QuickRun : IDisposable
{
    public string Output { get; } = Directory.CreateTempSubdirectory("wd-quick-run-").FullName;
    public Proc.Result Result { get; }
    public string? Failure { get; }
    private readonly JsonObject? _runJson;

    public QuickRun()
    {
        Result = Proc.Runner("--quick", "--output", Output);
        string runJson = Path.Combine(Output, "reports", "run.json");
        if (File.Exists(runJson)) _runJson = JsonNode.Parse(File.ReadAllText(runJson))!.AsObject();
        else Failure = $"The runner wrote no run.json (exit {Result.ExitCode}):\n{Result.All}";
    }

    /// <summary>run.json of the quick run; fails the calling test with one line when the run itself failed.</summary>
    public JsonObject RunJson => _runJson ?? throw new InvalidOperationException(
        "The shared quick run produced no report; see QuickRunTests.TheQuickRunProducedItsReport for its output.");

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

    public void Dispose()
    {
        try { Directory.Delete(Output, true); } catch (IOException) { }
    }
}

[CollectionDefinition(nameof(QuickRunCollection))]
public sealed class QuickRunCollection : ICollectionFixture<QuickRun>;

[Collection(nameof(QuickRunCollection))]
public partial class QuickRunTests(QuickRun run)
{
    public static TheoryData<string> Notebooks() => new(Repo.AllNotebooks().Select(Repo.RelativeName));

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
    [MemberData(nameof(Notebooks))]
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
    [MemberData(nameof(Notebooks))]
    public void ReportRendersEveryChartAndFormulaOfflineWithoutScriptErrors(string rel)
    {
        string html = File.ReadAllText(run.Report(rel));
        AssertSelfContained(html);
        int charts = ChartDiv().Matches(html).Count;
        if (charts > 0) Assert.Single(PlotlyHeader().Matches(html)); // plotly.js embedded once per page

        var check = Browser.SelfCheck(Browser.DumpDom(run.Report(rel)));
        Assert.Equal("1", check["data-wd-ready"]);
        Assert.Equal("[]", check["data-wd-errors"]);
        Assert.Equal(charts.ToString(), check["data-wd-charts-expected"]);
        Assert.Equal(check["data-wd-charts-expected"], check["data-wd-charts-rendered"]);
        Assert.True(int.Parse(check["data-wd-math-expected"]) > 0, "every lesson has formulas");
        Assert.Equal(check["data-wd-math-expected"], check["data-wd-math-rendered"]);
        Assert.Equal("0", check["data-wd-math-errors"]);
        Assert.Equal("0", check["data-wd-raw-math"]);
    }

    [Fact]
    public void IndexListsEveryNotebookWithRunMetadataAndRendersOffline()
    {
        run.Require();
        string index = Path.Combine(run.Output, "reports", "index.html");
        string html = File.ReadAllText(index);
        AssertSelfContained(html);
        foreach (var rel in Repo.AllNotebooks().Select(Repo.RelativeName)) Assert.Contains($"href=\"{rel}.html\"", html);
        string head = Proc.Run("git", ["rev-parse", "HEAD"]).Stdout.Trim();
        Assert.Contains(head, html);
        foreach (var key in new[] { "date (UTC)", "git commit", "TorchSharp", "Microsoft.DotNet.Interactive", "KaTeX", "cores", "quick" })
            Assert.Contains(key, html);
        var check = Browser.SelfCheck(Browser.DumpDom(index));
        Assert.Equal("[]", check["data-wd-errors"]);
        Assert.Empty(Directory.GetFiles(run.Output, "*.tmp", SearchOption.AllDirectories));
    }

    private static void AssertSelfContained(string html)
    {
        Assert.DoesNotMatch(ExternalResource(), html);
        Assert.DoesNotContain("require.js", html, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("class=\"wd-plot\"")]
    private static partial Regex ChartDiv();

    [GeneratedRegex(@"\* plotly\.js v\d")]
    private static partial Regex PlotlyHeader();

    [GeneratedRegex("<(script|link|img|iframe)[^>]+(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalResource();
}
