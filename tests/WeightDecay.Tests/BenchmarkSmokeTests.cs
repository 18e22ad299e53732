using System.Diagnostics;

namespace WeightDecay.Tests;

/// <summary>
/// CI smoke of bench/WeightDecay.Benchmarks: every benchmark runs (BenchmarkDotNet's dry job, in-process, one thread) and the
/// memory command runs on a tiny sweep. Exit codes and that each benchmark reported a row only: timings are never asserted.
/// The benchmark project is built with the tests (a build-order-only project reference) in the same configuration.
/// </summary>
[Collection(nameof(Serial))]
public class BenchmarkSmokeTests
{
    private static string BenchmarkDll()
    {
        // tests/WeightDecay.Tests/bin/<Configuration>/<tfm>/ → the repository root and the same configuration and tfm
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = dir.Name, configuration = dir.Parent!.Name;
        var root = dir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WeightDecay.Notebooks.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var dll = Path.Combine(root.FullName, "bench", "WeightDecay.Benchmarks", "bin", configuration, tfm, "WeightDecay.Benchmarks.dll");
        Assert.True(File.Exists(dll), $"The benchmark project was not built: {dll}");
        return dll;
    }

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(BenchmarkDll());
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["WD_BENCH_THREADS"] = "1";
        psi.WorkingDirectory = Path.GetTempPath();
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(entireProcessTree: true); Assert.Fail("The benchmark process timed out."); }
        return (p.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void EveryBenchmarkRunsInADryJob()
    {
        var artifacts = Directory.CreateTempSubdirectory("wd-bench-smoke-");
        try
        {
            var (code, output) = Run("--filter", "*", "--job", "dry", "--inProcess", "--allow-debug", "--artifacts", artifacts.FullName);
            Assert.True(code == 0, $"exit code {code}:\n{output[Math.Max(0, output.Length - 4000)..]}");
            foreach (var name in new[] { "PerPoint", "Batched", "SgemmPeak", "PowerIterationStep", "Gradient", "Decoupled" })
                Assert.Contains($"| {name}", output.Replace("| Step   | ", "| "));
        }
        finally
        {
            artifacts.Delete(recursive: true);
        }
    }

    [Fact]
    public void MemoryCommandRunsOnATinySweep()
    {
        var (code, output) = Run("memory", "--trainings", "2", "--epochs", "1");
        Assert.True(code == 0, $"exit code {code}:\n{output}");
        Assert.Contains("Ratio (sweep / one):", output);
    }
}
