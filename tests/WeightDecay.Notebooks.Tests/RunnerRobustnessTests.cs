using System.Diagnostics;
using System.Text.Json.Nodes;
using WeightDecay.Runner;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>
/// What a run does when things go wrong: an unusable output folder, an unreadable notebook, a notebook that ends its
/// process, crashes, hangs or changes process-wide state, an interrupted run, two runs into one folder.
/// </summary>
public class RunnerRobustnessTests
{
    private static string Notebooks(params (string Name, string[] Cells)[] notebooks)
    {
        string dir = Directory.CreateTempSubdirectory("wd-robust-nb-").FullName;
        foreach (var (name, cells) in notebooks)
            File.WriteAllText(Path.Combine(dir, name + ".dib"),
                new NotebookSource(cells.Select(c => new SourceCell(CellKind.Code, c))).ToDib());
        return dir;
    }

    private static string WorkbookReference =>
        $"#r \"{Path.Combine(Repo.Root, "artifacts", "workbook", "WeightDecay.Interactive.dll")}\"";

    private static JsonObject RunJson(string output) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(output, "reports", "run.json")))!.AsObject();

    private static string Status(JsonObject runJson, string name) =>
        runJson["notebooks"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == name)!["status"]!.GetValue<string>();

    private static string Error(JsonObject runJson, string name) =>
        runJson["notebooks"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == name)!["error"]?.GetValue<string>() ?? "";

    [Fact]
    public void AnOutputThatIsAFileOrHasAFileWhereAFolderGoesIsRefusedBeforeAnythingRuns()
    {
        string nb = Notebooks(("a", ["Console.WriteLine(\"ran\");"]));
        string file = Path.GetTempFileName();
        string dir = Directory.CreateTempSubdirectory("wd-robust-out-").FullName;
        try
        {
            var r = Proc.Runner("--notebooks", nb, "--output", file);
            Assert.Equal(ExitCodes.Output, r.ExitCode);
            Assert.Contains("is a file; --output expects a folder", r.Stderr);

            File.WriteAllText(Path.Combine(dir, "reports"), "not a folder");
            r = Proc.Runner("--notebooks", nb, "--output", dir);
            Assert.Equal(ExitCodes.Output, r.ExitCode);
            Assert.Contains("reports' is a file", r.Stderr);
            Assert.False(Directory.Exists(Path.Combine(dir, "notebooks")), "nothing may be written before the output is valid");

            r = Proc.Runner("--notebooks", nb, "--output", "/proc/wd-cannot-write-here");
            Assert.Equal(ExitCodes.Output, r.ExitCode);
            Assert.Contains("Cannot create the output folder", r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr);
        }
        finally
        {
            File.Delete(file);
            Directory.Delete(dir, true);
            Directory.Delete(nb, true);
        }
    }

    [Fact]
    public void AMalformedNotebookIsAUsageErrorWithOneLine()
    {
        string nb = Directory.CreateTempSubdirectory("wd-robust-nb-").FullName;
        string dir = Directory.CreateTempSubdirectory("wd-robust-out-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(nb, "broken.ipynb"), "{ not json");
            var r = Proc.Runner("--notebooks", nb, "--output", dir);
            Assert.Equal(ExitCodes.Usage, r.ExitCode);
            Assert.Contains("broken.ipynb' is not valid JSON", r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr);
            Assert.Empty(Directory.GetFileSystemEntries(dir));
        }
        finally
        {
            Directory.Delete(nb, true);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ANotebookThatExitsAbortsHangsOrChangesProcessStateCannotAffectTheOthers()
    {
        string nb = Notebooks(
            ("a-exits", ["Console.WriteLine(\"a ran\");", "System.Environment.Exit(0);", "Console.WriteLine(\"never\");"]),
            ("b-aborts", ["System.Environment.FailFast(\"native-style abort\");"]),
            // a foreground thread that never ends (it sleeps, so the test does not burn a second core) and a cell
            // that spins inside libtorch until the limit, on one intra-op thread: the process must end without
            // running libtorch's static destructors under that thread (which crashed it with SIGSEGV, reported as a
            // crash instead of the timeout)
            ("c-spins", [WorkbookReference + "\nWeightDecay.Interactive.Workbook.Init(threads: 1);\n" +
                         "new System.Threading.Thread(() => { while (true) System.Threading.Thread.Sleep(100); }) " +
                         "{ IsBackground = false }.Start();",
                         "var a = TorchSharp.torch.rand(200, 200);\nwhile (true) { using var b = a.matmul(a); }"]),
            ("d-leaks", [WorkbookReference + "\nWeightDecay.Interactive.Workbook.Init();\nTorchSharp.torch.set_num_threads(1);\n" +
                         "System.Environment.SetEnvironmentVariable(\"WD_LEAK\", \"leaked\");\nSystem.IO.Directory.SetCurrentDirectory(\"/\");",
                         "throw new InvalidOperationException(\"fails after changing process-wide state\");"]),
            ("e-clean", [WorkbookReference + "\nWeightDecay.Interactive.Workbook.Init();\nConsole.WriteLine($\"threads={TorchSharp.torch.get_num_threads()} " +
                         "leak={System.Environment.GetEnvironmentVariable(\"WD_LEAK\") ?? \"none\"} " +
                         "cwd-is-root={System.IO.Directory.GetCurrentDirectory() == \"/\"}\");"]));
        string dir = Directory.CreateTempSubdirectory("wd-robust-out-").FullName;
        string alone = Directory.CreateTempSubdirectory("wd-robust-alone-").FullName;
        try
        {
            using var runner = Proc.StartRunner("--notebooks", nb, "--output", dir, "--cell-timeout", "30");
            string stdout = runner.StandardOutput.ReadToEnd();
            runner.WaitForExit();
            Assert.True(runner.ExitCode == ExitCodes.NotebookFailed, stdout + runner.StandardError.ReadToEnd());
            var runJson = RunJson(dir);
            Assert.Contains("ended during code cell 2 of 3", Error(runJson, "a-exits"));
            Assert.Contains("exited with code 0", Error(runJson, "a-exits"));
            Assert.Contains("aborted (exit code 134", Error(runJson, "b-aborts"));
            Assert.Contains("Code cell 2 of 2 timed out after 30 s", Error(runJson, "c-spins"));
            Assert.DoesNotContain("SIGSEGV", File.ReadAllText(Path.Combine(dir, "reports", "c-spins.html")));
            Assert.Equal("failed", Status(runJson, "d-leaks"));
            Assert.Equal("passed", Status(runJson, "e-clean"));
            // the outputs of cells that finished before a process ended are kept
            Assert.Contains("a ran", File.ReadAllText(Path.Combine(dir, "reports", "a-exits.html")));

            var clean = Proc.Runner("e-clean", "--notebooks", nb, "--output", alone);
            Assert.Equal(0, clean.ExitCode);
            string Line(string output) => File.ReadAllText(Path.Combine(output, "notebooks", "e-clean.ipynb"))
                .Split("threads=")[1].Split('\\')[0];
            Assert.Equal(Line(alone), Line(dir)); // the same threads, no leaked variable, its own folder: as if run alone
            Assert.Contains("leak=none cwd-is-root=False", Line(dir));
            // no notebook process outlives the run (c-spins' spinning threads ended with its process)
            Assert.DoesNotContain(Process.GetProcesses(), p => CommandLine(p).Contains($"{NotebookProcessVerb} {runner.Id}"));
        }
        finally
        {
            Directory.Delete(nb, true);
            Directory.Delete(dir, true);
            Directory.Delete(alone, true);
        }
    }

    [Fact]
    public void SharedProcessesRunNotebooksOneAfterAnotherInOneProcessAndReplaceItAfterAFailure()
    {
        const string pid = "Console.WriteLine(\"process \" + System.Environment.ProcessId + \";\");";
        string nb = Notebooks(("a", [pid]), ("b", [pid, "throw new InvalidOperationException(\"b fails\");"]),
            ("c", [pid]), ("d", [pid]));
        string dir = Directory.CreateTempSubdirectory("wd-robust-out-").FullName;
        try
        {
            var r = Proc.Runner("--notebooks", nb, "--output", dir, "--shared-processes", "--jobs", "1");
            Assert.True(r.ExitCode == ExitCodes.NotebookFailed, r.All);
            var runJson = RunJson(dir);
            Assert.True(runJson["shared_processes"]!.GetValue<bool>());
            Assert.Equal(["passed", "failed", "passed", "passed"],
                new[] { "a", "b", "c", "d" }.Select(n => Status(runJson, n)));
            string Pid(string name) => System.Text.RegularExpressions.Regex.Match(
                File.ReadAllText(Path.Combine(dir, "notebooks", name + ".ipynb")), @"process (\d+);").Groups[1].Value;
            Assert.NotEmpty(Pid("a"));
            Assert.Equal(Pid("a"), Pid("b")); // one process for a and b
            Assert.NotEqual(Pid("b"), Pid("c")); // b failed: its process ended, c got a new one
            Assert.Equal(Pid("c"), Pid("d"));
        }
        finally
        {
            Directory.Delete(nb, true);
            Directory.Delete(dir, true);
        }
    }

    private const string NotebookProcessVerb = "__run-notebook";

    /// <summary>The text of every claim a notebook printed (statement and evidence with its numbers).</summary>
    internal static List<string> ClaimLines(string output, string rel) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(output, "notebooks", rel + ".ipynb")))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"] as JsonArray ?? [])
            .Select(o => o!["data"]?["text/plain"])
            .Where(t => t is not null)
            .Select(t => t is JsonArray a ? string.Concat(a.Select(x => x!.GetValue<string>())) : t!.GetValue<string>())
            .Where(t => t.StartsWith('✔'))
            .ToList();

    private static string CommandLine(Process p)
    {
        try { return File.ReadAllText($"/proc/{p.Id}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    [Fact]
    public void ASecondRunIntoTheSameFolderRefusesAndAnInterruptedRunLeavesThePreviousRunIntact()
    {
        string nb = Notebooks(("fast", ["Console.WriteLine(\"fast\");"]), ("slow", ["System.Threading.Thread.Sleep(600_000);"]));
        string dir = Directory.CreateTempSubdirectory("wd-robust-out-").FullName;
        try
        {
            Assert.Equal(0, Proc.Runner("fast", "--notebooks", nb, "--output", dir).ExitCode);
            string index = Path.Combine(dir, "reports", "index.html");
            string before = File.ReadAllText(index);

            // 1. SIGTERM while the slow notebook runs (the runner treats it as Ctrl+C): exit 130, the previous run
            // untouched. Not SIGINT: a test run started in the background (`cmd &` in a script, nohup) inherits SIGINT
            // ignored, and .NET keeps an ignored SIGINT ignored, so the runner would never see it.
            using (var slow = Proc.StartRunner("fast", "slow", "--notebooks", nb, "--output", dir))
            {
                WaitForStaging(dir, slow);
                var second = Proc.Runner("fast", "--notebooks", nb, "--output", dir);
                Assert.Equal(ExitCodes.Busy, second.ExitCode);
                Assert.Contains("Another run is writing to", second.Stderr);
                using (var kill = Process.Start("kill", ["-TERM", slow.Id.ToString()])!) kill.WaitForExit();
                if (!slow.WaitForExit(300_000))
                {
                    slow.Kill(entireProcessTree: true);
                    Assert.Fail($"the interrupted runner did not exit within 300 s: {slow.StandardOutput.ReadToEnd()} " +
                                slow.StandardError.ReadToEnd());
                }
                Assert.Equal(ExitCodes.Interrupted, slow.ExitCode);
                Assert.Contains("previous complete run", slow.StandardError.ReadToEnd());
            }
            Assert.Equal(before, File.ReadAllText(index));
            Assert.DoesNotContain("slow", File.ReadAllText(index));

            // 2. SIGKILL of the runner alone: nothing can be said then, but its notebook process, asleep in the slow
            // cell, ends by itself (ParentWatch); the next run discards the abandoned staging folder and says so.
            using (var killed = Proc.StartRunner("fast", "slow", "--notebooks", nb, "--output", dir))
            {
                // the runner's progress line says the slow notebook's process entered its 600 s cell
                for (string? line = ""; line is not null && !line.Contains("slow: cell 1/1");)
                    line = killed.StandardOutput.ReadLine();
                string child = $"{NotebookProcessVerb} {killed.Id}";
                Assert.Contains(Process.GetProcesses(), p => CommandLine(p).Contains(child));
                killed.Kill(entireProcessTree: false);
                killed.WaitForExit();
                // generous against a loaded machine; the watch checks once a second
                for (int i = 0; i < 240 && Process.GetProcesses().Any(p => CommandLine(p).Contains(child)); i++)
                    Thread.Sleep(250);
                Assert.DoesNotContain(Process.GetProcesses(), p => CommandLine(p).Contains(child));
            }
            Assert.Equal(before, File.ReadAllText(index));
            var next = Proc.Runner("fast", "--notebooks", nb, "--output", dir);
            Assert.Equal(0, next.ExitCode);
            Assert.Contains("was interrupted before it finished", next.Stdout);
            Assert.Contains("was interrupted before it finished", File.ReadAllText(Path.Combine(dir, "reports", "run.json")));
        }
        finally
        {
            Directory.Delete(nb, true);
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Waits until the runner has taken the folder and started the slow notebook.</summary>
    private static void WaitForStaging(string dir, Process runner)
    {
        string staged = Path.Combine(dir, ".wd-staging", "notebooks", "fast.ipynb");
        for (int i = 0; i < 1200 && !File.Exists(staged); i++)
        {
            if (runner.HasExited)
                Assert.Fail($"the runner ended early (exit {runner.ExitCode}): {runner.StandardOutput.ReadToEnd()} {runner.StandardError.ReadToEnd()}");
            Thread.Sleep(250);
        }
        Assert.True(File.Exists(staged), "the runner did not get to the slow notebook");
    }
}
