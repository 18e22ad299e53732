using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Benchmarks;

/// <summary>
/// <c>memory [--trainings 20] [--epochs 3] [--threads N] [--collect]</c>: peak resident memory of one training of the seed's MLP against a
/// λ sweep of <c>--trainings</c> trainings, each measured in a fresh child process (this program with <c>memory-child</c>),
/// which reads its peak RSS (<c>VmHWM</c> in /proc/self/status) at the end. A training is notebook 04's: <c>new Mlp()</c>
/// (784 → 64 → 10), Adam (lr 1e-3), L2 penalty in the loss, batch 128, <c>--epochs</c> epochs over the 8,000 training digits,
/// evaluated on train and test after every epoch; the sweep uses λ log-spaced from 1e-5 to 1e-1 and keeps every
/// <see cref="TrainingHistory"/> (what a notebook keeps), disposing each model and all tensors.
/// <c>--collect</c> makes each child run a full garbage collection and the finalizers after every training (the diagnosis
/// of the sweep's growth: see docs/performance.md). Exit code 0 on success (whatever the ratio: no assertion), 1 when a child fails.
/// </summary>
public static class MemoryCommand
{
    /// <summary>Target of the issue: sweep peak RSS / one training's peak RSS.</summary>
    public const double Target = 1.2;

    /// <summary>Runs both children and prints a Markdown table.</summary>
    public static int Run(string[] args)
    {
        int trainings = Option(args, "--trainings", 20), epochs = Option(args, "--epochs", 3), threads = Option(args, "--threads", 0);
        Console.WriteLine($"# Peak RSS: 1 training vs a {trainings}-training λ sweep ({epochs} epochs each, threads {(threads == 0 ? "default" : threads)}); load average {LoadAverage()}");
        bool collect = args.Contains("--collect");
        if (collect) Console.WriteLine("(children run a full GC and the finalizers after every training: --collect)");
        var one = Child(1, epochs, threads, collect);
        var sweep = Child(trainings, epochs, threads, collect);
        if (one is null || sweep is null) return 1;
        Console.WriteLine();
        Console.WriteLine("| run | trainings | peak RSS (VmHWM) MiB | final RSS MiB | managed heap MiB | live tensors | wall s |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var (name, r) in new[] { ("one training", one), ("λ sweep", sweep) })
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {r.Trainings} | {r.PeakRssMiB:F1} | {r.FinalRssMiB:F1} | {r.ManagedMiB:F1} | {r.LiveTensors} | {r.Seconds:F1} |"));
        double ratio = sweep.PeakRssMiB / one.PeakRssMiB;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ratio (sweep / one): {ratio:F3} (target ≤ {Target}: {(ratio <= Target ? "met" : "missed")}); load average {LoadAverage()}"));
        return 0;
    }

    /// <summary>The child: trains, then prints one JSON line with its peak RSS.</summary>
    public static int RunChild(string[] args)
    {
        int trainings = Option(args, "--trainings", 1), epochs = Option(args, "--epochs", 3), threads = Option(args, "--threads", 0);
        bool trace = args.Contains("--trace"); // per-training RSS on stderr
        bool collect = args.Contains("--collect"); // a full GC (and finalizers) after every training
        if (threads > 0) set_num_threads(threads);
        var clock = Stopwatch.StartNew();
        using var mnist = Mnist.Load();
        var histories = new List<TrainingHistory>();
        for (int i = 0; i < trainings; i++)
        {
            double lambda = trainings == 1 ? 1e-3 : Math.Pow(10, -5 + 4.0 * i / (trainings - 1));
            using var scope = NewDisposeScope();
            using var model = new Mlp(seed: 0);
            histories.Add(Trainer.Fit(model, mnist.Train, mnist.Test, new CrossEntropy(), new TrainerOptions
            {
                Epochs = epochs, BatchSize = 128, Seed = 0,
                Optimizer = new OptimizerOptions(OptimizerKind.Adam, LearningRate: 1e-3),
                Decay = new WeightDecayOptions(DecayMethod.Penalty, lambda),
            }));
            if (collect)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }
            if (trace)
            {
                var st = File.ReadAllLines("/proc/self/status");
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"training {i + 1}: {string.Join(", ", st.Where(l => l.StartsWith("VmRSS") || l.StartsWith("VmHWM") || l.StartsWith("RssAnon")).Select(l => l.Replace("\t", " ").Replace("  ", "")))}; managed {GC.GetTotalMemory(false) / 1048576.0:F1} MiB (committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:F1} MiB, {GC.CollectionCount(0)}/{GC.CollectionCount(2)} gen0/gen2 GCs); tensors {Tensor.TotalCount}"));
            }
        }
        var status = File.ReadAllLines("/proc/self/status");
        double Kib(string key) => double.Parse(status.First(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        var result = new ChildResult(trainings, Kib("VmHWM") / 1024, Kib("VmRSS") / 1024, GC.GetTotalMemory(false) / 1048576.0,
            Tensor.TotalCount, clock.Elapsed.TotalSeconds, histories[^1].Epochs[^1].TestAccuracy ?? double.NaN);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static ChildResult? Child(int trainings, int epochs, int threads, bool collect)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(MemoryCommand).Assembly.Location);
        foreach (var a in new[] { "memory-child", "--trainings", $"{trainings}", "--epochs", $"{epochs}", "--threads", $"{threads}" })
            psi.ArgumentList.Add(a);
        if (collect) psi.ArgumentList.Add("--collect");
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {self}.");
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (p.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"The child ({trainings} trainings) failed with exit code {p.ExitCode}:\n{output}");
            return null;
        }
        return JsonSerializer.Deserialize<ChildResult>(line);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0) return fallback;
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < 0)
            throw new ArgumentException($"{name} needs a non-negative integer.", name);
        return v;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>What a child reports.</summary>
    public sealed record ChildResult(int Trainings, double PeakRssMiB, double FinalRssMiB, double ManagedMiB, long LiveTensors,
        double Seconds, double LastTestAccuracy);
}
