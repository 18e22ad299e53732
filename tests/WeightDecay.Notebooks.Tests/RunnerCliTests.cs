using System.Text.Json.Nodes;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

public class RunnerCliTests
{
    private static (string Dir, string Sentinel) OutputWithSentinel()
    {
        string dir = Directory.CreateTempSubdirectory("wd-cli-").FullName;
        string sentinel = Path.Combine(dir, "reports", "index.html");
        Directory.CreateDirectory(Path.GetDirectoryName(sentinel)!);
        File.WriteAllText(sentinel, "a good report from an earlier run");
        return (dir, sentinel);
    }

    private static void AssertUntouched(string dir, string sentinel)
    {
        Assert.Equal("a good report from an earlier run", File.ReadAllText(sentinel));
        Assert.Single(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData(new[] { "no-such-notebook" }, "Unknown notebook 'no-such-notebook'", "00-setup-check")]
    [InlineData(new[] { "--param", "nosuch=1" }, "Unknown parameter 'nosuch'", "epochs")]
    [InlineData(new[] { "--param", "epochs" }, "Malformed --param 'epochs'", "name=value")]
    [InlineData(new[] { "--param", "=3" }, "Malformed --param '=3'", "name=value")]
    [InlineData(new[] { "--param", "epochs=ten" }, "Parameter 'epochs' is int", "'ten'")]
    [InlineData(new[] { "--param", "lambda=abc" }, "Parameter 'lambda' is double", "'abc'")]
    [InlineData(new[] { "--cell-timeout", "-1" }, "--cell-timeout expects a positive number", "'-1'")]
    [InlineData(new[] { "--cell-timeout", "1e7" }, "--cell-timeout expects a positive number", "'1e7'")]
    [InlineData(new[] { "--cell-timeout", "1e300" }, "--cell-timeout expects a positive number", "604800")]
    [InlineData(new[] { "--param", "epochs=0" }, "Parameter 'epochs': --param epochs=0 is outside its range", "[60, 100]")]
    [InlineData(new[] { "--param", "epochs=-5" }, "Parameter 'epochs': --param epochs=-5 is outside its range", "[60, 100]")]
    [InlineData(new[] { "--param", "lambda=-1" }, "Parameter 'lambda': --param lambda=-1 is outside its range", "[0.001, 3]")]
    [InlineData(new[] { "--param", "lr=0" }, "Parameter 'lr': --param lr=0 is outside its range", "[0.01, 0.1]")]
    [InlineData(new[] { "--param", "steps=600" }, "Parameter 'steps': --param steps=600 is outside its range ≥ 1500", "(quick mode, --quick: ≥ 600)")]
    [InlineData(new[] { "--param", "gridPoints=24" }, "Parameter 'gridPoints': --param gridPoints=24 is outside its range", "≥ 3, odd")]
    [InlineData(new[] { "--param", "lambdas=1,,2" }, "Parameter 'lambdas'", "empty entry")]
    [InlineData(new[] { "09-your-experiment", "--param", "lambdas=0,-1" }, "has the entry -1, outside its range", "≥ 0")]
    [InlineData(new[] { "--param", "lambdas=0,1e-2" }, "04-the-seeds-mlp-on-mnist: Parameter 'lambdas': --param lambdas=0,1e-2 is not allowed", "keeping its first and last")]
    [InlineData(new[] { "08-choosing-lambda-and-the-alternatives", "--param", "cvLambdas=1e-3,1e-2" }, "Parameter 'cvLambdas'", "measured only on its grid")]
    [InlineData(new[] { "--param", "dataset=cifar" }, "Parameter 'dataset'", "one of: regression, mnist")]
    [InlineData(new[] { "--frobnicate" }, "Unknown option '--frobnicate'", "--help")]
    public void BadInputGivesAClearMessageExitCode2AndOverwritesNothing(string[] args, string message, string hint)
    {
        var (dir, sentinel) = OutputWithSentinel();
        try
        {
            var r = Proc.Runner([.. args, "--output", dir]);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(message, r.Stderr);
            Assert.Contains(hint, r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr); // a message, not a stack trace
            AssertUntouched(dir, sentinel);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ListShowsNotebooksAndTheirParameters()
    {
        var r = Proc.Runner("--list");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("00-setup-check", r.Stdout);
        Assert.Contains("int epochs = 100   (quick: 60)   [range: [60, 100]]", r.Stdout);
        Assert.Contains("int steps = 1500   (quick: 600)   [range: ≥ 1500; quick range: ≥ 600]", r.Stdout);
        Assert.Contains("[one of: regression, mnist]", r.Stdout);
        Assert.Contains("double[] lambdas = new double[] { 0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1 }   [grid: subsequence]",
            r.Stdout);
    }

    [Fact]
    public void ParameterOverrideIsInjectedAndRecorded()
    {
        string dir = Directory.CreateTempSubdirectory("wd-cli-").FullName;
        try
        {
            var r = Proc.Runner("00-setup-check", "--param", "epochs=70", "--param", "lambda=2.5", "--output", dir);
            Assert.True(r.ExitCode == 0, r.All);
            var nb = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "notebooks", "00-setup-check.ipynb")))!;
            var ps = nb["metadata"]!["weightdecay"]!["parameters"]!.AsObject();
            Assert.Equal("70", ps["epochs"]!.GetValue<string>());
            Assert.Equal("2.5", ps["lambda"]!.GetValue<string>());
            Assert.False(nb["metadata"]!["weightdecay"]!["quick"]!.GetValue<bool>());
            string report = File.ReadAllText(Path.Combine(dir, "reports", "00-setup-check.html"));
            Assert.Contains("epoch 70/70", report); // the progress display of the 70-epoch run
            Assert.Contains("lambda = 2.5", report);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AFailingCellGivesExitCode1AndAReportWithTheErrorInPlace()
    {
        using var folders = new TempFolders();
        string nbDir = folders.Notebooks, outDir = folders.Output;
        File.WriteAllText(Path.Combine(nbDir, "bad.ipynb"), Notebook(
            ("markdown", "# A failing notebook\n\nMath $x^2$ still renders."),
            ("code", "Console.WriteLine(\"before the failure\");"),
            ("code", "throw new InvalidOperationException(\"boom at cell two\");"),
            ("code", "Console.WriteLine(\"never\");")));
        var r = Proc.Runner("--notebooks", nbDir, "--output", outDir);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("boom at cell two", r.Stdout);
        string report = File.ReadAllText(Path.Combine(outDir, "reports", "bad.html"));
        Assert.Contains("before the failure", report);
        Assert.Contains("boom at cell two", report);
        Assert.Contains("Not run: an earlier cell failed.", report);
        Assert.Contains("failed", File.ReadAllText(Path.Combine(outDir, "reports", "index.html")));
        var executed = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "notebooks", "bad.ipynb")))!;
        var outputs = executed["cells"]![2]!["outputs"]!.AsArray();
        Assert.Contains(outputs, o => o!["output_type"]!.GetValue<string>() == "error");
    }

    [Fact]
    public void ACellThatExceedsTheTimeoutFailsTheNotebook()
    {
        using var folders = new TempFolders();
        string nbDir = folders.Notebooks, outDir = folders.Output;
        File.WriteAllText(Path.Combine(nbDir, "slow.ipynb"), Notebook(("code", "System.Threading.Thread.Sleep(4000);")));
        var r = Proc.Runner("--notebooks", nbDir, "--output", outDir, "--cell-timeout", "1");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("timed out after 1 s", File.ReadAllText(Path.Combine(outDir, "reports", "slow.html")));
    }

    [Fact]
    public void NotebookProcessesGetTheStartUpSettingsUnlessTheUserSetsThemOtherwise()
    {
        using var folders = new TempFolders();
        string nbDir = folders.Notebooks, outDir = folders.Output;
        string[] names =
            ["OMP_WAIT_POLICY", "DOTNET_TieredPGO", "DOTNET_EnableWriteXorExecute", "DOTNET_TC_CallCountThreshold",
             "OMP_NUM_THREADS"];
        File.WriteAllText(Path.Combine(nbDir, "env.ipynb"), Notebook(("code",
            "Console.WriteLine(\"settings=\" + string.Join(\",\", new[] { " +
            string.Join(", ", names.Select(n => $"Environment.GetEnvironmentVariable(\"{n}\")")) + " }) + \";\");")));
        string Settings(IDictionary<string, string>? env)
        {
            var r = Proc.Run("dotnet", [Repo.RunnerDll, "--notebooks", nbDir, "--output", outDir], env: env,
                unset: env is null ? names : null);
            Assert.True(r.ExitCode == 0, r.All);
            // the output comes after the source, which holds "settings=" too
            return File.ReadAllText(Path.Combine(outDir, "notebooks", "env.ipynb")).Split("settings=")[^1].Split(';')[0];
        }
        // OpenMP threads sleep instead of spinning; no dynamic PGO, no W^X and a late second JIT tier in the short-lived
        // process; one intra-op thread
        Assert.Equal("PASSIVE,0,0,2000,1", Settings(null));
        Assert.Equal("ACTIVE,1,1,30,2", Settings(new Dictionary<string, string>
        {
            ["OMP_WAIT_POLICY"] = "ACTIVE", ["DOTNET_TieredPGO"] = "1", ["DOTNET_EnableWriteXorExecute"] = "1",
            ["DOTNET_TC_CallCountThreshold"] = "30", ["OMP_NUM_THREADS"] = "2",
        }));
    }

    private static string Notebook(params (string Type, string Source)[] cells) => new JsonObject
    {
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode?)new JsonObject
        {
            ["cell_type"] = c.Type, ["metadata"] = new JsonObject(), ["source"] = c.Source,
            ["outputs"] = c.Type == "code" ? new JsonArray() : null, ["execution_count"] = null,
        }).ToArray()),
        ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5,
    }.ToJsonString();
}
