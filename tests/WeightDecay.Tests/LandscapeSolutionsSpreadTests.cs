using WeightDecay.Landscape;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind the two claims of the solutions to lesson 06, exercise 2 (equal updates instead of equal
/// epochs), run through the library exactly as the notebook runs it: <see cref="Mlp"/> 784 → 64 → 10 on the bundled
/// 8,000 digits, SGD η = 0.1 without decay, batch 128 for 3 epochs (B = 128), batch 1024 for 24 epochs (the same
/// number of updates) and batch 1024 for 3 epochs (the lesson's equal-epochs run); the filter-normalized rise at ±0.5
/// on the notebook's 2,000-digit subset. The notebook has no quick mode. Measured over seeds 0–59 on 2026-11-30 (one
/// intra-op thread, as the runner runs notebooks):
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
/// The test command runs a sample of the seeds; see <see cref="SpreadSeeds"/>. Cost: about 3 s per seed.
/// </summary>
public class LandscapeSolutionsSpreadTests(ITestOutputHelper output)
{
    [Fact]
    public void WithEqualUpdatesTheLargeBatchCatchesUpAndLooksAboutEquallyFlat()
    {
        using var subset = Shared.Mnist.Train.Subset(Enumerable.Range(0, 2000).Select(i => (long)i * 4).ToArray());
        var loss = new CrossEntropy();
        var failures = new List<string>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var recipe = new TrainingRecipe<Mlp>
            {
                NewModel = () => new Mlp(seed: seed), Train = Shared.Mnist.Train, Test = Shared.Mnist.Test, Loss = loss,
                Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1),
                Method = DecayMethod.Coupled, Epochs = 3, BatchSize = 128, Seed = seed,
            };
            var runs = new[] { recipe, recipe with { BatchSize = 1024, Epochs = 24 }, recipe with { BatchSize = 1024 } }
                .Select(r =>
                {
                    var (model, history) = r.FitModel(0);
                    using (model)
                        return (Accuracy: history.Final.TestAccuracy!.Value, Train: history.Final.TrainLoss,
                            Rise: Flatness.Rise(model, subset, loss, DirectionNormalization.Filter, 0.5));
                }).ToList();
            var (a, b, c) = (runs[0], runs[1], runs[2]);
            string line = $"seed {seed}: accuracy {a.Accuracy:F4} {b.Accuracy:F4} {c.Accuracy:F4}; training loss " +
                $"{a.Train:F4} {b.Train:F4} {c.Train:F4}; rise {a.Rise:F4} {b.Rise:F4} {c.Rise:F4}";
            output.WriteLine(line);
            bool holds = b.Accuracy > a.Accuracy - 0.01 && c.Accuracy < a.Accuracy - 0.1
                && b.Rise / a.Rise is > 0.8 and < 1.25 && c.Rise / a.Rise < 0.5 && b.Train < a.Train;
            if (!holds) failures.Add(line);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
