using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind lesson 04's λ-sweep claims (the seed's 784 → 64 → 10 MLP on the bundled 8,000 / 2,000
/// digits, Adam η = 1e-3 with the attached L2 penalty, batch 128, λ ∈ {0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1}), run
/// through the library exactly as the notebook runs it. Measured over seeds 0–19 on 2026-11-30 (one intra-op thread,
/// as the runner runs notebooks), quick mode (3 epochs) / default mode (10 epochs):
/// <list type="bullet">
/// <item>"no λ &gt; 0 beats λ = 0 on test accuracy by more than one point": best λ &gt; 0 minus λ = 0, −0.15 … +0.40 /
/// −0.35 … +0.35 points. Margin: 0.60 points.</item>
/// <item>"the largest λ underfits: training and test accuracy both fall by more than 2 points": training 5.19 … 7.74 /
/// 8.07 … 10.65 points, test 4.35 … 6.85 / 7.00 … 8.80 points. Margin: 2.35 points.</item>
/// <item>"the first layer's weight norm decreases monotonically with λ": every seed, both modes.</item>
/// <item>"decay smooths the first-layer weight images (roughness falls by &gt; 1/3)": roughness ratio λ = 0.1 / λ = 0,
/// 0.303 … 0.368 / 0.320 … 0.393 (claimed &lt; 0.66). "decay narrows the distribution": standard-deviation ratio
/// 0.263 … 0.272 / 0.174 … 0.182 (claimed &lt; 1).</item>
/// </list>
/// Quick mode over seeds 160–299 (2026-12-01, session 13): best λ &gt; 0 minus λ = 0 −0.25 … +0.25 points; training
/// drop 4.93 … 9.29, test drop 4.10 … 8.70 points; fc1 monotone at every seed; roughness ratio 0.293 … 0.427,
/// standard-deviation ratio 0.261 … 0.273. Every claim held.
/// Default mode over seeds 20–99 (2026-12-01, session 14): best λ &gt; 0 minus λ = 0 −0.35 … +0.40 points;
/// training drop 7.90 … 11.51, test drop 6.10 … 10.20 points; fc1 monotone at every seed; roughness ratio
/// 0.306 … 0.478, standard-deviation ratio 0.174 … 0.181. Every claim held.
/// Default mode over seeds 100–149 (2026-12-02, session 16): best λ &gt; 0 minus λ = 0 −0.45 … +0.35 points;
/// training drop 8.00 … 10.81, test drop 6.25 … 9.25 points; fc1 monotone at every seed; roughness ratio
/// 0.315 … 0.426, standard-deviation ratio 0.175 … 0.182. Every claim held.
/// Default mode over seeds 150–249 (2026-12-02, session 17): best λ &gt; 0 minus λ = 0 −0.40 … +0.60 points;
/// training drop 7.84 … 11.18, test drop 6.15 … 9.70 points; fc1 monotone at every seed; roughness ratio
/// 0.311 … 0.426, standard-deviation ratio 0.174 … 0.181. Every claim held.
/// The test command runs quick mode on a sample of the seeds (<see cref="SpreadSeeds"/>; about 8 s per seed); default
/// mode is a skipped fact, about 25 s per seed.
/// </summary>
public class Lesson04SweepSpreadTests(ITestOutputHelper output)
{
    private static readonly double[] Lambdas = [0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1];

    /// <summary>The notebook's sweep for one seed: (best gain, training drop, test drop, fc1 norms fall monotonically,
    /// roughness ratio, standard-deviation ratio), accuracies as fractions.</summary>
    private static (double BestGain, double TrainDrop, double TestDrop, bool Monotone, double Rough, double Std)
        Sweep(int seed, int epochs)
    {
        var adam = new TrainingRecipe<Mlp>
        {
            NewModel = () => new Mlp(seed: seed), Train = Shared.Mnist.Train, Test = Shared.Mnist.Test,
            Loss = new CrossEntropy(), Optimizer = new OptimizerOptions(OptimizerKind.Adam, LearningRate: 1e-3),
            Method = DecayMethod.Penalty, BatchSize = 128, Seed = seed, Epochs = epochs, SnapshotEveryEpochs = epochs,
        };
        var runs = Lambdas.Select(l => adam.Fit(l)).ToList();
        var train = runs.Select(h => h.Final.TrainAccuracy!.Value).ToList();
        var test = runs.Select(h => h.Final.TestAccuracy!.Value).ToList();
        var fc1 = runs.Select(h => h.Final.LayerNorms["fc1.weight"]).ToList();
        double[] W(TrainingHistory h) => h.Snapshots[^1].Values.Single(v => v.Key == "fc1.weight").Value;
        var (w0, wBig) = (W(runs[0]), W(runs[^1]));
        double Rough(double[] w) => Enumerable.Range(0, 64)
            .Average(u => WeightStatistics.Roughness(w.Skip(u * 784).Take(784).ToList()));
        double Std(double[] w) => Math.Sqrt(w.Select(v => v * v).Average() - Math.Pow(w.Average(), 2));
        return (Enumerable.Range(1, Lambdas.Length - 1).Max(i => test[i] - test[0]), train[0] - train[^1],
            test[0] - test[^1], fc1.Zip(fc1.Skip(1), (a, b) => b < a).All(x => x), Rough(wBig) / Rough(w0),
            Std(wBig) / Std(w0));
    }

    private void AssertClaims(int epochs)
    {
        var failures = new List<string>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var s = Sweep(seed, epochs);
            string line = $"seed {seed}: best gain {100 * s.BestGain:F2}, train drop {100 * s.TrainDrop:F2}, test " +
                $"drop {100 * s.TestDrop:F2} points; fc1 monotone {s.Monotone}; roughness ratio {s.Rough:F3}, std " +
                $"ratio {s.Std:F3}";
            output.WriteLine(line);
            // the notebook's claims
            if (!(s.BestGain < 0.01 && s.TrainDrop > 0.02 && s.TestDrop > 0.02 && s.Monotone && s.Rough < 0.66
                    && s.Std < 1))
                failures.Add(line);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void QuickModeSweepClaimsHoldForTheSpreadSeeds() => AssertClaims(epochs: 3);

    /// <summary>Default mode (10 epochs): over the test command's budget, so skipped; remove the Skip (with
    /// <c>WD_SPREAD_SEEDS=all</c>) to measure.</summary>
    [Fact(Skip = "default mode: over the test command's budget; run on demand")]
    public void DefaultModeSweepClaimsHoldForTheSpreadSeeds() => AssertClaims(epochs: 10);
}
