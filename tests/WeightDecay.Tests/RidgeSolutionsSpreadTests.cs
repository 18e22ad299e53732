using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind the claims of the solutions to lesson 03 (the notebook has no quick mode), run through the
/// library exactly as the notebook runs them. Measured on 2026-11-30:
/// <list type="bullet">
/// <item>Exercise 1, "from a small initialization the run without decay has a test loss under a tenth of the d2l
/// initialization's" (d2l's data and recipe, 100 epochs, initialization std 0.01 vs 1): the ratio is 3.5e3 … 5.8e3
/// over seeds 0–19, as expected: the orthogonal part of the initialization, which SGD never changes, is 100 times
/// smaller, and its share of the test loss 10⁴ times.</item>
/// <item>Exercise 3, "with twice the data the best λ does not grow, and at both sizes it lies within a factor 3 of
/// the prior's σ²/(nτ²)" (<see cref="RidgeStudy.NoiseSweep"/>, σ = 0.1, the 31-point grid 1e-4 … 1e2, whose step
/// is 10^0.2; the test loss averaged over four data sets from the notebook's seed; τ² = 1e-4 as in lesson 03): over
/// seeds 0–299 and 31337 the best λ never grew; it stayed at the same grid point once (seed 31337), and the largest
/// factor to the prediction was 1.59 (one grid step). Seeds 0–419 moved by 1–3 grid steps. An earlier claim, "the best
/// λ is smaller", failed for seed 31337, and with two data sets for 5 of seeds 20–419.</item>
/// </list>
/// The test command runs a sample of the seeds; see <see cref="SpreadSeeds"/>.
/// </summary>
public class RidgeSolutionsSpreadTests(ITestOutputHelper output)
{
    [Fact]
    public void SmallInitializationAndTwiceTheDataClaimsHoldForTheSpreadSeeds()
    {
        var grid = RidgeStudy.LogGrid(1e-4, 1e2, 31);
        var failures = new List<string>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            using var data = SyntheticRegression.Create(seed: seed);
            var d2l = new TrainingRecipe<LinearRegression>
            {
                NewModel = () => new LinearRegression(200, initStd: 1, seed: seed),
                Train = data.Train, Test = data.Test, Loss = new HalfSquaredError(),
                Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.003),
                Method = DecayMethod.Penalty, Epochs = 100, BatchSize = 5, Seed = seed,
            };
            var small = d2l with { NewModel = () => new LinearRegression(200, initStd: 0.01, seed: seed) };
            double standard0 = d2l.Fit(0).Final.TestLoss!.Value, small0 = small.Fit(0).Final.TestLoss!.Value;
            double At(int n) => RidgeStudy.NoiseSweep([0.1], grid, seeds: 4, trainCount: n, firstSeed: seed)[0]
                .BestLambda;
            var (at200, at400) = (At(200), At(400));
            string line = $"seed {seed}: test loss λ = 0, d2l init / small init {standard0 / small0:G3} " +
                $"({standard0:G3} / {small0:G3}); best λ at n = 200, 400: {at200:G3}, {at400:G3} " +
                $"({Math.Log10(at200 / at400) / 0.2:F1} grid steps)";
            output.WriteLine(line);
            double Off(double best, int n)
            {
                double prior = BayesianLinearRegression.LambdaFromPrior(0.01, 1e-4, n);
                return Math.Max(best / prior, prior / best);
            }
            if (!(small0 < standard0 / 10 && at400 <= at200 && Off(at200, 200) < 3 && Off(at400, 400) < 3))
                failures.Add(line);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
