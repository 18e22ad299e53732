using System.Diagnostics;
using System.Globalization;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Stress;

/// <summary>
/// <c>WeightDecay.Stress [--rounds 200]</c>: two threads each run <c>--rounds</c> rounds of trainings
/// through the public API — every round trains SGD and Adam × coupled, decoupled and penalty decay with
/// <see cref="Trainer.Fit"/> and a test set, one thread on d2l's regression (half squared error), the other on an MNIST
/// subset (cross-entropy and accuracy) — while a third thread forces garbage collections and runs the finalizers
/// until both are done. The work is fixed, not the time: a loaded machine only makes it slower.
/// <para>A Scalar freed by its finalizer while libtorch still reads it shows as a libtorch error ("INTERNAL ASSERT
/// FAILED … Scalar.h", "Unknown scalar type", "Expected false to be true"), which ends that thread's trainings and
/// gives exit code 1, or as a native abort (exit code 134) or crash. A clean run prints a line starting with
/// <c>done:</c> and exits with 0.</para>
/// </summary>
public static class Program
{
    private static readonly (OptimizerKind Optimizer, DecayMethod Method)[] Configurations =
    [
        (OptimizerKind.Sgd, DecayMethod.Coupled), (OptimizerKind.Sgd, DecayMethod.Decoupled),
        (OptimizerKind.Sgd, DecayMethod.Penalty), (OptimizerKind.Adam, DecayMethod.Coupled),
        (OptimizerKind.Adam, DecayMethod.Decoupled), (OptimizerKind.Adam, DecayMethod.Penalty),
    ];

    /// <summary>Runs the stress; exit code 0 when every training finished, 1 when one threw, 2 on bad
    /// arguments.</summary>
    public static int Main(string[] args)
    {
        int rounds = 200;
        int i = Array.IndexOf(args, "--rounds");
        if (args.Length != (i < 0 ? 0 : 2) || i >= 0 && (i + 1 >= args.Length
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out rounds)
                || rounds < 1))
        {
            Console.Error.WriteLine("usage: WeightDecay.Stress [--rounds N]  (N ≥ 1 rounds of 6 trainings per thread)");
            return 2;
        }
        Native.TorchNativeLoader.EnsureLoaded();
        set_num_threads(1); // two training threads on a 2-core machine: no intra-op threads on top

        var clock = Stopwatch.StartNew();
        using var regression = SyntheticRegression.Create(inputs: 200, trainCount: 20, testCount: 100, seed: 1);
        using var mnist = Mnist.Load();
        using var digits = mnist.Train.Subset(Enumerable.Range(0, 400).Select(k => (long)k * 20).ToArray());
        using var digitsTest = mnist.Test.Subset(Enumerable.Range(0, 200).Select(k => (long)k * 10).ToArray());

        long trainings = 0, collections = 0;
        var errors = new List<(Exception Error, long Trainings, double Seconds)>();
        using var finished = new CountdownEvent(2);
        void Trainings(Func<int, int, TrainingHistory> train)
        {
            try
            {
                for (int round = 0; round < rounds; round++)
                    for (int c = 0; c < Configurations.Length; c++)
                    {
                        var history = train(round, c);
                        if (!double.IsFinite(history.Epochs[^1].TestLoss ?? double.NaN))
                            throw new InvalidOperationException($"round {round}, configuration {c}: test loss not finite");
                        Interlocked.Increment(ref trainings);
                    }
            }
            catch (Exception e)
            {
                lock (errors) errors.Add((e, Interlocked.Read(ref trainings), clock.Elapsed.TotalSeconds));
            }
            finally
            {
                finished.Signal();
            }
        }

        var threads = new[]
        {
            new Thread(() => Trainings((round, c) =>
            {
                using var model = new LinearRegression(200, seed: round);
                var options = Options(c, round, sgdRate: 0.01, batchSize: 5);
                return Trainer.Fit(model, regression.Train, regression.Test, new HalfSquaredError(), options);
            })) { Name = "regression" },
            new Thread(() => Trainings((round, c) =>
            {
                using var model = new Mlp(hidden: [16], seed: round);
                var options = Options(c, round, sgdRate: 0.05, batchSize: 50);
                return Trainer.Fit(model, digits, digitsTest, new CrossEntropy(), options);
            })) { Name = "mnist" },
            new Thread(() =>
            {
                while (!finished.IsSet)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    Interlocked.Increment(ref collections);
                }
            }) { Name = "collector" },
        };
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        foreach (var (e, done, seconds) in errors)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"failed after {done} finished trainings and {seconds:F1} s ({collections} forced collections):\n{e}"));
        if (errors.Count > 0) return 1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done: {trainings} trainings on 2 threads, " +
            $"{collections} forced collections, {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    /// <summary>Configuration <paramref name="c"/>: 3 epochs, λ = 0.01, step recording on (penalty logged every step);
    /// SGD has momentum 0.9 in odd rounds.</summary>
    private static TrainerOptions Options(int c, int round, double sgdRate, int batchSize)
    {
        var (optimizer, method) = Configurations[c];
        bool sgd = optimizer == OptimizerKind.Sgd;
        return new TrainerOptions
        {
            Epochs = 3, BatchSize = batchSize, Seed = round,
            Optimizer = new OptimizerOptions(optimizer, sgd ? sgdRate : 1e-3, Momentum: sgd && round % 2 == 1 ? 0.9 : 0),
            Decay = new WeightDecayOptions(method, 1e-2),
            RecordSteps = true,
        };
    }
}
