using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>
/// Notebook 09 is a parameterized report: rendered with two parameter sets, each report carries its own parameters in its
/// metadata (run.json, the HTML meta tag and header), its own configuration section, and a results CSV beside it with one row
/// per λ of its own grid.
/// </summary>
public class ExperimentReportTests
{
    private const string Notebook = "09-your-experiment";

    private static readonly (string Name, string Value)[] Regression =
    [
        ("dataset", "regression"), ("optimizer", "sgd"), ("method", "coupled"), ("lambdas", "0,3"),
        ("lr", "0.003"), ("epochs", "3"), ("batchSize", "5"), ("seed", "1"),
    ];

    private static readonly (string Name, string Value)[] Mnist =
    [
        ("dataset", "mnist"), ("hidden", "32,16"), ("optimizer", "adam"), ("method", "decoupled"), ("lambdas", "0,0.01,1"),
        ("lr", "0.001"), ("epochs", "1"), ("digits", "500"), ("seed", "2"),
    ];

    private sealed record Rendered(int ExitCode, string Output, JsonObject RunJson, string Html, string[] Csv);

    private static Rendered Render((string Name, string Value)[] parameters)
    {
        string dir = Directory.CreateTempSubdirectory("wd-exp-").FullName;
        try
        {
            var args = new List<string> { Notebook, "--output", dir };
            foreach (var (n, v) in parameters) args.AddRange(["--param", $"{n}={v}"]);
            var r = Proc.Runner([.. args]);
            string reports = Path.Combine(dir, "reports");
            string csv = Path.Combine(reports, Notebook + ".results.csv");
            return new Rendered(r.ExitCode, r.All, JsonNode.Parse(File.ReadAllText(Path.Combine(reports, "run.json")))!.AsObject(),
                File.ReadAllText(Path.Combine(reports, Notebook + ".html")), File.Exists(csv) ? File.ReadAllLines(csv) : []);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static double[] Numbers(string list) =>
        list.Split(',', StringSplitOptions.TrimEntries).Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static double[] CsvLambdas(string[] csv) =>
        csv.Skip(1).Where(l => l.Length > 0).Select(l => double.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string Configuration(string html)
    {
        int start = html.IndexOf("<th>Setting</th>", StringComparison.Ordinal);
        Assert.True(start >= 0, "the configuration table is missing");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public void TwoParameterSetsGiveTwoDifferentReportsThatCarryTheirParameters()
    {
        var a = Render(Regression);
        var b = Render(Mnist);
        foreach (var (r, ps, lambdas) in new[] { (a, Regression, new[] { 0.0, 3 }), (b, Mnist, new[] { 0, 0.01, 1 }) })
        {
            Assert.True(r.ExitCode == 0, r.Output);
            // metadata: run.json, the HTML's wd-parameters meta tag and its header
            var recorded = r.RunJson["notebooks"]!.AsArray().Single()!["parameters"]!.AsObject();
            var meta = Regex.Match(r.Html, "<meta name=\"wd-parameters\" content=\"([^\"]*)\">");
            Assert.True(meta.Success, "no wd-parameters meta tag");
            var metaJson = JsonNode.Parse(WebUtility.HtmlDecode(meta.Groups[1].Value))!.AsObject();
            foreach (var (name, value) in ps)
            {
                string literal = recorded[name]!.GetValue<string>();
                Assert.Equal(literal, metaJson[name]!.GetValue<string>());
                if (literal.StartsWith("new double[]", StringComparison.Ordinal)) // the λ grid: the same numbers
                    Assert.Equal(Numbers(value), Numbers(literal[(literal.IndexOf('{') + 1)..literal.IndexOf('}')]));
                else Assert.Contains(value.Trim('"'), literal.Trim('"'));
                Assert.Contains($"<code>{WebUtility.HtmlEncode(name)} = {WebUtility.HtmlEncode(literal)}</code>", r.Html);
            }
            // every declared parameter with the value it ran with (injected or default), in run.json and a meta tag
            var effective = r.RunJson["notebooks"]!.AsArray().Single()!["effective_parameters"]!.AsObject();
            var effMeta = Regex.Match(r.Html, "<meta name=\"wd-effective-parameters\" content=\"([^\"]*)\">");
            Assert.True(effMeta.Success, "no wd-effective-parameters meta tag");
            var effMetaJson = JsonNode.Parse(WebUtility.HtmlDecode(effMeta.Groups[1].Value))!.AsObject();
            foreach (var name in Regression.Concat(Mnist).Select(p => p.Name).Append("hidden").Append("digits").Distinct())
                Assert.Equal(effective[name]!.GetValue<string>(), effMetaJson[name]!.GetValue<string>());
            foreach (var (name, _) in ps) Assert.Equal(recorded[name]!.GetValue<string>(), effective[name]!.GetValue<string>());
            // the CSV beside the report: one row per λ of this run's grid
            Assert.Equal(lambdas, CsvLambdas(r.Csv));
            Assert.Contains("09-your-experiment.results.csv", r.Html);
        }
        // the two reports differ where they should: configuration, audit, table, CSV
        string ca = Configuration(a.Html), cb = Configuration(b.Html);
        Assert.NotEqual(ca, cb);
        Assert.Contains("regression", ca);
        Assert.Contains("linear regression 200 → 1", ca);
        Assert.Contains("MLP 784 → 32 → 16 → 10", cb);
        Assert.Contains("coupled", ca);
        Assert.Contains("decoupled", cb);
        Assert.Contains("fc3.weight", b.Html);          // the audit lists the three-layer MLP's tensors
        Assert.DoesNotContain("fc1.weight", a.Html);
        Assert.NotEqual(a.Csv, b.Csv);
        // a parameter the regression run did not set is recorded with the parameters cell's default
        Assert.Equal("\"64\"", a.RunJson["notebooks"]!.AsArray().Single()!["effective_parameters"]!["hidden"]!.GetValue<string>());
        Assert.All(a.Csv.Skip(1), l => Assert.Contains(",regression,coupled,sgd,0.003,3,1", l));
        Assert.All(b.Csv.Skip(1), l => Assert.Contains(",mnist,decoupled,adam,0.001,1,2", l));
    }

    [Fact]
    public void OutsideTheRunnerReportFilesGoToArtifactsExperimentsUnderTheRepository()
    {
        Assert.Null(Environment.GetEnvironmentVariable("WD_REPORT_DIR"));   // set only while the runner executes a notebook
        // The test host runs inside the repository (bin/…), as VS Code and Jupyter run inside notebooks/.
        Assert.StartsWith(Repo.Root, Environment.CurrentDirectory);
        Assert.Equal(Path.Combine(Repo.Root, "artifacts", "experiments", "09-your-experiment.results.csv"),
            WeightDecay.Interactive.Workbook.ReportFile("09-your-experiment", ".results.csv"));
        Assert.True(Directory.Exists(Path.Combine(Repo.Root, "artifacts", "experiments")));
        Assert.Throws<ArgumentException>(() => WeightDecay.Interactive.Workbook.ReportFile(" ", ".csv"));
    }
}
