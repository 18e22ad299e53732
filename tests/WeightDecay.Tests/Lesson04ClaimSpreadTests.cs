using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spreads behind lesson 04's claims on the double softmax and on "weight decay vs L2" (the seed's
/// 784 → 64 → 10 MLP on the bundled 8,000 / 2,000 digits, Adam η = 1e-3, batch 128, no decay), run through the
/// library as the notebook runs them. Measured over seeds 0–19 (one intra-op thread, as the runner runs notebooks),
/// quick mode (3 epochs) / default mode (10 epochs):
/// <list type="bullet">
/// <item>"the right loss goes far below that bound" (final training cross-entropy &lt; log(1 + 9/e)/3 = 0.487):
/// 0.310–0.324 / 0.153–0.178 (margin 1.5× at the largest).</item>
/// <item>"under Adam the double-softmax network still learns: test accuracy above 5× chance" (&gt; 50 %):
/// 81.55–89.35 % / 83.55–91.80 %.</item>
/// <item>"the double-softmax loss never goes below log(1 + 9/e) = 1.461": a bound that holds for every input
/// (MnistNotebookClaimTests); the lowest training loss of a run, 1.584–1.656 / 1.528–1.606.</item>
/// <item>"plain SGD: L2 penalty and decoupled decay give the same weights" (float64, 256 digits, 20 full-batch
/// steps, λ = 1e-2; an identity up to rounding, claimed &lt; 1e-12): 1.1e-16–2.8e-16; "Adam: the same λ gives
/// different weights (at least 10⁶× the SGD difference)": Adam's largest difference 3.66e-2–3.85e-2, 1.3e14–3.3e14×
/// the SGD difference (floored at 1e-16 as in the notebook). The same in both modes.</item>
/// </list>
/// Quick mode over seeds 160–299 (2026-12-01, session 13): right loss 0.310–0.337, test accuracy 81.15–89.35 %, the
/// double softmax's lowest loss 1.586–1.653; Adam's difference 3.66e-2–3.91e-2, 1.1e14–3.5e14× SGD's. Every claim held.
/// Default mode over seeds 20–99 (2026-12-01, session 14): right loss 0.152–0.186, test accuracy 83.05–91.85 %,
/// the double softmax's lowest loss 1.527–1.607. Every claim held.
/// Default mode over seeds 100–199 (2026-12-02, session 16): right loss 0.153–0.184, test accuracy 83.50–92.05 %,
/// the double softmax's lowest loss 1.526–1.606. Every claim held.
/// The test command runs quick mode on a sample of the seeds (<see cref="SpreadSeeds"/>; about 1.5 s per seed); default
/// mode is a skipped fact, about 6 s per seed.
/// </summary>
public class Lesson04ClaimSpreadTests(ITestOutputHelper output)
{
    private static (double RightTrain, double DoubledLowest, double DoubledAccuracy) Losses(int seed, int epochs)
    {
        var adam = new TrainingRecipe<Mlp>
        {
            NewModel = () => new Mlp(seed: seed), Train = Shared.Mnist.Train, Test = Shared.Mnist.Test,
            Loss = new CrossEntropy(), Optimizer = new OptimizerOptions(OptimizerKind.Adam, LearningRate: 1e-3),
            Method = DecayMethod.Penalty, BatchSize = 128, Seed = seed, Epochs = epochs, SnapshotEveryEpochs = epochs,
        };
        var right = adam.Fit(0);
        var doubled = (adam with { Loss = new DoubleSoftmaxCrossEntropy() }).Fit(0);
        return (right.Final.TrainLoss, doubled.Epochs.Min(e => e.TrainLoss), doubled.Final.TestAccuracy!.Value);
    }

    private void AssertLossClaims(int epochs)
    {
        double bound = DoubleSoftmaxCrossEntropy.LowerBound(10);
        var failures = new List<string>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var (right, lowest, accuracy) = Losses(seed, epochs);
            string line = $"seed {seed}: right loss {right:F4} (bound/3 {bound / 3:F4}), double softmax lowest " +
                $"{lowest:F4} (bound {bound:F4}), test accuracy {accuracy:P2}";
            output.WriteLine(line);
            if (!(right < bound / 3 && lowest >= bound && accuracy > 0.5)) failures.Add(line);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void QuickModeDoubleSoftmaxClaimsHoldForTheSpreadSeeds() => AssertLossClaims(epochs: 3);

    /// <summary>Default mode (10 epochs): over the test command's budget, so skipped; remove the Skip (with
    /// <c>WD_SPREAD_SEEDS=all</c>) to measure.</summary>
    [Fact(Skip = "default mode: over the test command's budget; run on demand")]
    public void DefaultModeDoubleSoftmaxClaimsHoldForTheSpreadSeeds() => AssertLossClaims(epochs: 10);

    /// <summary>Lesson 04, "Is weight decay the same as L2?": the notebook's lockstep comparison for each seed.
    /// </summary>
    [Fact]
    public void PenaltyEqualsDecoupledForSgdButNotForAdam()
    {
        using var faq = Shared.Mnist.Train.Subset(Enumerable.Range(0, 256).Select(i => (long)i).ToArray())
            .To(ScalarType.Float64);
        var sgdGaps = new List<double>();
        var adamGaps = new List<double>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            double MaxGap(OptimizerOptions opt) => DecayDynamics.LockstepDifference(
                () => new Mlp(seed: seed, dtype: ScalarType.Float64), faq.Features, faq.Targets, new CrossEntropy(),
                opt, new WeightDecayOptions(DecayMethod.Penalty, 1e-2),
                new WeightDecayOptions(DecayMethod.Decoupled, 1e-2), 20).Max();
            sgdGaps.Add(MaxGap(new OptimizerOptions(OptimizerKind.Sgd, 0.1)));
            adamGaps.Add(MaxGap(new OptimizerOptions(OptimizerKind.Adam, 1e-3)));
        }
        var ratios = adamGaps.Zip(sgdGaps, (a, s) => a / Math.Max(s, 1e-16)).ToList();
        output.WriteLine($"SGD gap: {sgdGaps.Min():E2} … {sgdGaps.Max():E2}; Adam gap: {adamGaps.Min():E2} … " +
            $"{adamGaps.Max():E2}; ratio {ratios.Min():E2} … {ratios.Max():E2}");
        Assert.All(sgdGaps, g => Assert.True(g < 1e-12, $"{g:E2}"));
        Assert.All(ratios, r => Assert.True(r > 1e6, $"{r:E2}"));
    }
}
