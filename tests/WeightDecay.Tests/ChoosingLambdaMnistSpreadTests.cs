using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// Lesson 08's MNIST claims (sections 3 and 5) over seeds, computed exactly as the notebook computes them (its recipe:
/// 784 → 32 → 10, SGD η = 0.1, batch 64, coupled L2; the 2,000 digits every fourth of the training pool; the library's
/// <see cref="CrossValidation"/> and <see cref="PenaltyComparison"/>). The seed changes the initialization, the
/// minibatch order and the folds. Each test prints every statistic's min / mean / max and asserts the notebook's
/// tolerance for every seed; measured ranges over seeds 0–19 are in each test's comment.
/// The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class ChoosingLambdaMnistSpreadTests(ITestOutputHelper output)
{
    private static readonly double[] CvLambdas = [1e-4, 1e-3, 1e-2, 3e-2, 1e-1];
    private static readonly double[] L1Lambdas = [1e-4, 3e-4, 1e-3, 3e-3];

    private static TrainingRecipe<Mlp> Recipe(TensorDataset digits, int seed, int epochs) => new()
    {
        NewModel = () => new Mlp(hidden: [32], seed: seed), Train = digits, Test = Shared.Mnist.Test,
        Loss = new CrossEntropy(), Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1),
        Method = DecayMethod.Coupled, Epochs = epochs, BatchSize = 64, Seed = seed,
    };

    private void Report(string name, IReadOnlyCollection<double> v) =>
        output.WriteLine($"{name}: min {v.Min():G4}, mean {v.Average():G4}, max {v.Max():G4}");

    /// <summary>
    /// Section 3: the test accuracy at the λ that 5-fold CV picks (lowest mean CV loss) minus the best test accuracy
    /// over the grid, in quick mode (2 epochs) and default mode (3 epochs). Measured over seeds 0–19 (2026-11-30): 0
    /// in every seed in both modes — CV picked the test-best λ of this grid every time. Session 11 sampled further
    /// (seeds 40–299): CV usually still picks the test-best λ, but at seed 67 (2 epochs) its choice tested 1.25 points
    /// below the best and at one seed of 100–299 (3 epochs) 1.05 points; everything else was within 0.25 points. The
    /// notebook claimed ≥ −1 point until then; it now claims ≥ −2 points (1.6× the largest shortfall seen). Seeds
    /// 300–399 (session 13): shortfall at most 0.1 (2 epochs) and 0.2 points (3 epochs).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void CrossValidationChoiceIsWithinTwoTestAccuracyPointsForTheSpreadSeeds(int epochs)
    {
        using var threads = TorchThreads.Limit(1);
        using var digits = ChoosingLambda.Digits(0, 2000);
        var shortfall = new List<double>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var recipe = Recipe(digits, seed, epochs);
            var cv = CrossValidation.Run(digits, CvLambdas, 5,
                CrossValidation.TrainedScore((_, _) => recipe.NewModel(), recipe.Loss, recipe.Options), seed);
            var testAcc = CvLambdas.Select(l => recipe.Fit(l).Final.TestAccuracy!.Value).ToList();
            shortfall.Add(testAcc[Array.IndexOf(CvLambdas, cv.Best.Lambda)] - testAcc.Max());
        }
        Report($"{epochs} epochs: test accuracy at the CV choice − best", shortfall);
        Assert.All(shortfall, s => Assert.True(s >= -0.02, $"CV choice {s * 100:F2} points below the best"));
    }

    /// <summary>
    /// Section 5 (3 epochs in both modes): proximal L1's exact-zero share grows with λ and is ≥ 40 % at the top; L2 and
    /// the L1 subgradient give no exact zeros; the elastic net has some, fewer than L1, at every λ; the subgradient's
    /// near-zero share (|w| ≤ 10⁻³) is within 5 points of proximal L1's at every λ. Measured over seeds 0–19
    /// (2026-11-30): L1's share at the top 46.8 %–54.3 % (claimed ≥ 40 %); the elastic net's smallest distance from 0
    /// and from L1 0.34–0.46 points (claimed &gt; 0: the least room, but a strict inequality between counts of exact
    /// zeros, which did not come near 0 in any seed); the near-zero gap 1.7–2.5 points (claimed ≤ 5). Rising L1
    /// shares and no exact zeros for L2 and the subgradient held in every seed. Seeds 300–399 (session 13): L1's share
    /// at the top 45.3 %–53.3 %, the elastic net's smallest distance 0.26–0.52 points, the near-zero gap 1.6–3.0
    /// points; every claim held.
    /// </summary>
    [Fact]
    public void SparsityClaimsHoldForTheSpreadSeeds()
    {
        using var threads = TorchThreads.Limit(1);
        using var digits = ChoosingLambda.Digits(0, 2000);
        const string l1 = "L1 (proximal)", en = "elastic net α = 0.5 (proximal)", l2 = "L2 (proximal)",
            sub = "L1 (subgradient)";
        var (top, enMargin, nearGap) = (new List<double>(), new List<double>(), new List<double>());
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var s = PenaltyComparison.Run(Recipe(digits, seed, 3), L1Lambdas);
            double Exact(string name, double l) => s[(name, l)].Zeros.ExactFraction;
            var l1Exact = L1Lambdas.Select(l => Exact(l1, l)).ToList();
            Assert.True(l1Exact.Zip(l1Exact.Skip(1)).All(p => p.Second > p.First), $"seed {seed}: L1 share not rising");
            Assert.All(L1Lambdas, l => Assert.True(Exact(l2, l) == 0 && Exact(sub, l) == 0, $"seed {seed}, λ = {l}"));
            top.Add(l1Exact[^1]);
            enMargin.Add(L1Lambdas.Min(l => Math.Min(Exact(en, l), Exact(l1, l) - Exact(en, l))));
            nearGap.Add(L1Lambdas.Max(l => Math.Abs(s[(sub, l)].Zeros.NearFraction - s[(l1, l)].Zeros.NearFraction)));
        }
        Report("proximal L1's exact-zero share at the largest λ", top);
        Report("elastic net: min(share, L1 share − share) over λ", enMargin);
        Report("|subgradient − proximal L1| near-zero share, largest over λ", nearGap);
        Assert.All(top, v => Assert.True(v >= 0.4, $"L1 share at the top {v}"));
        Assert.All(enMargin, v => Assert.True(v > 0, $"elastic net not strictly between 0 and L1: {v}"));
        Assert.All(nearGap, v => Assert.True(v <= 0.05, $"near-zero gap {v}"));
    }
}
