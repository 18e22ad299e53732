using WeightDecay.Landscape;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind the four claims of the solutions to lesson 06, run through the library exactly as the
/// notebook runs them: <see cref="Mlp"/> 784 → 64 → 10 on the bundled 8,000 digits, SGD η = 0.1 without decay, batch
/// 128 for 3 epochs (B = 128), batch 1024 for 24 epochs (the same number of updates) and batch 1024 for 3 epochs (the
/// lesson's equal-epochs run); the planes and the filter-normalized rise at ±0.5 on the notebook's 2,000-digit subset.
/// The notebook has no quick mode: quick and default mode run these same sizes (epochs 3, gridPoints 13). One
/// training per seed serves both tests. Measured with one intra-op thread, as the runner runs notebooks:
/// <list type="bullet">
/// <item>"the network learned" (seeds 0–19, 2026-11-30): B = 128 test accuracy 86.75 … 87.95 % (claimed above 50 %;
/// chance 10 %), training loss 0.400 … 0.424 (claimed below ln 10 / 2 ≈ 1.151, 2.7× the largest). The claim is there
/// to fail on a network that did not train, not to measure how well it trained.</item>
/// <item>Section 1, "the raw plane is a plateau" (seeds 0–19): mean training loss over the 13 × 13 grid on [−1, 1]²
/// through the B = 128 network, raw directions 53.8 … 71.4, filter-normalized 0.621 … 0.883; ratio 69.8 … 103.4.
/// Claimed: over 10×, 7× below the smallest ratio.</item>
/// </list>
/// Exercise 2 (equal updates instead of equal epochs), measured over seeds 0–59 on 2026-11-30 (seeds 0–19 again
/// with this test: inside these ranges):
/// <list type="bullet">
/// <item>test accuracy, equal updates minus B = 128: −0.25 … +1.75 points (mean +0.40; ahead in most seeds). Claimed:
/// more than −1 point. An earlier claim, "within 1 point either way", failed for seed 24646 (+1.0 points).</item>
/// <item>test accuracy, equal epochs minus B = 128: −26.2 … −14.1 points. Claimed: below −10 points.</item>
/// <item>rise ratio, equal updates / B = 128: 0.95 … 1.12. Claimed: between 0.8 and 1.25. (An earlier claim, "within
/// 10 %", failed for seed 31: 1.12.)</item>
/// <item>rise ratio, equal epochs / B = 128: 0.18 … 0.30. Claimed: below 0.5.</item>
/// <item>training loss, equal updates minus B = 128: −0.029 … −0.006, lower in every seed (the notebook's prose says
/// so, without numbers).</item>
/// </list>
/// The test command runs a sample of the seeds; see <see cref="SpreadSeeds"/>. Cost: about 3 s of CPU per seed for
/// the three trainings and the rises, and 0.2 … 1 s more for the two 169-point planes.
/// Seeds 400–499 (2026-12-01, session 15): every claim held.
/// </summary>
public class LandscapeSolutionsSpreadTests(ITestOutputHelper output)
{
    /// <summary>The statistics of one seed's three runs (B = 128; B = 1024 for 8× the epochs; B = 1024 for the same
    /// epochs) and the two planes through the B = 128 network.</summary>
    private sealed record Run(double Accuracy, double Train, double Rise);

    private sealed record SeedRuns(int Seed, Run A, Run B, Run C, double RawMean, double FilteredMean)
    {
        public override string ToString() =>
            $"seed {Seed}: accuracy {A.Accuracy:F4} {B.Accuracy:F4} {C.Accuracy:F4}; training loss " +
            $"{A.Train:F4} {B.Train:F4} {C.Train:F4}; rise {A.Rise:F4} {B.Rise:F4} {C.Rise:F4}; " +
            $"plane mean raw {RawMean:F3} filtered {FilteredMean:F4} ratio {RawMean / FilteredMean:F1}";
    }

    /// <summary>Every seed's runs, trained once and shared by both tests.</summary>
    private static readonly Lazy<IReadOnlyList<SeedRuns>> Runs =
        new(() => SpreadSeeds.Seeds.Select(Train).ToList());

    private static SeedRuns Train(int seed)
    {
        using var subset = Shared.Mnist.Train.Subset(Enumerable.Range(0, 2000).Select(i => (long)i * 4).ToArray());
        var loss = new CrossEntropy();
        var recipe = new TrainingRecipe<Mlp>
        {
            NewModel = () => new Mlp(seed: seed), Train = Shared.Mnist.Train, Test = Shared.Mnist.Test, Loss = loss,
            Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1),
            Method = DecayMethod.Coupled, Epochs = 3, BatchSize = 128, Seed = seed,
        };
        var axis = new GridAxis(-1, 1, 13);
        double raw = 0, filtered = 0;
        var recipes = new[]
        {
            recipe, recipe with { BatchSize = 1024, Epochs = 24 }, recipe with { BatchSize = 1024 },
        };
        var runs = recipes.Select((r, i) =>
            {
                var (model, history) = r.FitModel(0);
                using (model)
                {
                    if (i == 0)
                    {
                        raw = MeanLoss(model, DirectionNormalization.None);
                        filtered = MeanLoss(model, DirectionNormalization.Filter);
                    }
                    return new Run(history.Final.TestAccuracy!.Value, history.Final.TrainLoss,
                        Flatness.Rise(model, subset, loss, DirectionNormalization.Filter, 0.5));
                }
            }).ToList();
        return new SeedRuns(seed, runs[0], runs[1], runs[2], raw, filtered);

        double MeanLoss(Mlp m, DirectionNormalization n)
        {
            var (x, y) = ParameterDirection.RandomPair(m, seed, n);
            try { return LossLandscape.Plane(m, x, y, subset, null, loss, axis, axis).TrainLoss.Cast<double>()
                .Average(); }
            finally { x.Dispose(); y.Dispose(); }
        }
    }


    [Fact]
    public void TheNetworkLearnedAndTheRawPlaneIsAPlateau()
    {
        var failures = new List<string>();
        foreach (var r in Runs.Value)
        {
            output.WriteLine(r.ToString());
            bool holds = r.A.Accuracy > 0.5 && r.A.Train < Math.Log(10) / 2 && r.RawMean > 10 * r.FilteredMean;
            if (!holds) failures.Add(r.ToString());
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void WithEqualUpdatesTheLargeBatchCatchesUpAndLooksAboutEquallyFlat()
    {
        var failures = new List<string>();
        foreach (var r in Runs.Value)
        {
            var (a, b, c) = (r.A, r.B, r.C);
            output.WriteLine(r.ToString());
            bool holds = b.Accuracy > a.Accuracy - 0.01 && c.Accuracy < a.Accuracy - 0.1
                && b.Rise / a.Rise is > 0.8 and < 1.25 && c.Rise / a.Rise < 0.5 && b.Train < a.Train;
            if (!holds) failures.Add(r.ToString());
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
