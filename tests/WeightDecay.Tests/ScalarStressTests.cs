using System.Diagnostics;

namespace WeightDecay.Tests;

/// <summary>
/// Issue 11's stress: trainings through the public API (SGD and Adam × coupled, decoupled and penalty decay, evaluated
/// on a test set) on two threads while a third forces garbage collections and runs the finalizers, in a child process
/// (tests/WeightDecay.Stress), because a native abort would kill the test host. A Scalar that only a finalizer frees
/// makes it fail within seconds (before the library owned its Scalars: a libtorch "Scalar.h" error after 319–971
/// finished trainings, 4–9 s, in 13 of 13 runs); the run is sized in trainings, not seconds (2,400 here), so a loaded
/// machine only makes it slower.
/// </summary>
public class ScalarStressTests
{
    private const int Rounds = 200; // × 6 configurations × 2 threads = 2,400 trainings

    [Fact]
    public async Task TrainingsOnTwoThreadsSurviveAThirdThreadForcingCollections()
    {
        // tests/WeightDecay.Tests/bin/<Configuration>/<tfm>/ → the repository root and the same configuration and tfm
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = dir.Name, configuration = dir.Parent!.Name;
        var up = dir;
        while (up is not null && !File.Exists(Path.Combine(up.FullName, "WeightDecay.Notebooks.sln"))) up = up.Parent;
        Assert.NotNull(up);
        string root = up.FullName;
        var dll = Path.Combine(root, "tests", "WeightDecay.Stress", "bin", configuration, tfm,
            "WeightDecay.Stress.dll");
        Assert.True(File.Exists(dll), $"The stress program was not built: {dll}");

        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var a in new[] { dll, "--rounds", $"{Rounds}" }) psi.ArgumentList.Add(a);
        psi.Environment["WEIGHTDECAY_DATA"] = Path.Combine(root, "data");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        // only against a hang: the run takes about half a minute on an idle 2-core machine
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        try
        {
            await p.WaitForExitAsync(hang.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("The stress program did not finish within 30 minutes.");
        }
        string output = await stdout, errors = await stderr;
        string signal = p.ExitCode > 128 ? $" (killed by signal {p.ExitCode - 128}: a native abort or crash)" : "";
        Assert.True(p.ExitCode == 0 && output.Contains("done:", StringComparison.Ordinal),
            $"The stress program exited with {p.ExitCode}{signal}.\nstdout:\n{output}\nstderr (end):\n" +
            errors[Math.Max(0, errors.Length - 6000)..]);
    }
}
