using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind lesson 00's three claims and solutions/00's exercise 1 (issue 15), for d2l's regression
/// (n = 20, d = 200, w₀ ~ N(0, I), SGD batch 5, η = 0.003) at λ = 0, 0.3 (solutions/00) and the notebook's λ = 3.
/// Each seed is trained once at the notebook's quick-mode epochs (60) and the runs are shared by the three tests.
/// Measured over seeds 0–19 on 2026-11-30 (OMP_NUM_THREADS=1), quick mode (60 epochs) with this test, default mode
/// (100 epochs) with the same code and <see cref="Epochs"/> changed for one run:
/// <list type="bullet">
/// <item>The former claim "weight decay shrinks ‖w‖₂ by more than 5×": ‖w‖₂ at λ = 0 over ‖w‖₂ at λ = 3 — quick
/// 8.73 … 8.76, default 35.4 … 37.1 (nearly the same for every seed: the part of w₀ orthogonal to the data dominates
/// both norms and shrinks by (1 − ηλ)^T). It held at λ = 3 only; since session 9 the lesson claims the predicted
/// factor instead, at any λ of its range
/// (<see cref="ShrinkFollowsThePredictionAndDecayLowersTheTestLossForEveryLambdaInRange"/>).</item>
/// <item>"weight decay lowers the test loss": test loss at λ = 0 over that at λ = 3 — quick 65.9 … 78.4, default
/// 467 … 1,362. Claimed &gt; 1.</item>
/// <item>"without decay the model overfits (train loss below 1 % of the test loss)": train / test at λ = 0 — quick
/// 1.7e-6 … 6.5e-5, default 3.3e-9 … 3.8e-7. Claimed &lt; 0.01: 150× above the largest.</item>
/// <item>the prose "with λ = 3 the test loss stays above the constant predictor's": test loss over the constant
/// predictor's — quick 75.8 … 145.6, default 5.48 … 18.75 (as <see cref="D2lNormSpreadTests"/> finds). Asserted
/// &gt; 1.</item>
/// <item>solutions/00, exercise 1, "the part of w orthogonal to the data shrinks exactly by (1 − ηλ)^T, every λ":
/// largest relative deviation over λ ∈ {0, 0.3, 3} — quick ≤ 1.45e-7, default ≤ 1.81e-7 (float32 rounding).
/// Claimed ≤ 1e-5 (55× above the largest; the earlier 1e-3 would have let an off-by-one step count pass at λ = 0.3,
/// where one step changes the factor by 9e-4).</item>
/// </list>
/// Cost: three trainings per seed; the three-seed sample took about 7 s of test time on the loaded machine (load
/// average ≈ 20), all 20 seeds about 23 s. The test command runs a sample of the 20 seeds by default; see
/// <see cref="SpreadSeeds"/>.
/// Seeds 400–499 (2026-12-01, session 15): every claim held; test(λ = 0) / test(λ = 3) 64.5–81.2, train / test at λ = 0
/// ≤ 9.3e-5, test(λ = 3) / constant 59–175; the shrink against its prediction within 5.6 % at every epoch count and λ.
/// </summary>
public class Lesson00SpreadTests(ITestOutputHelper output)
{
    /// <summary>The notebook's quick-mode epochs (<c>epochs</c>, quick: 60).</summary>
    private const int Epochs = 60;

    /// <summary>The notebook's λ (d2l's 3) and solutions/00's tenth of it, next to λ = 0.</summary>
    private static readonly double[] Lambdas = [0, 0.3, 3];

    /// <summary>One seed's runs, shared by the tests (each trained once).</summary>
    private sealed record Runs(int Seed, double Constant, TrainingHistory[] Fits, double[] OrthogonalDeviation);

    private static readonly Lazy<IReadOnlyList<Runs>> All = new(() => SpreadSeeds.Seeds.Select(Train).ToList());

    /// <summary>Lesson 00's d2l runs at λ = 0, 0.3, 3 and solutions/00's orthogonal-part check of each.</summary>
    private static Runs Train(int seed)
    {
        using var data = SyntheticRegression.Create(seed: seed);
        var recipe = D2lRegression.Recipe(data, Epochs, seed);
        int steps = D2lRegression.Steps(Epochs, data.Train.Count);
        var fits = Lambdas.Select(l => recipe.Fit(l)).ToArray();
        static double[] Weight(ParameterSnapshot s) => s.Values.Single(v => v.Key == "weight").Value;
        double Orthogonal(double[] w) => DataSpan.Split(data.Train, w).Orthogonal;
        var deviation = Lambdas.Zip(fits, (l, h) => Math.Abs(Orthogonal(Weight(h.Snapshots[^1]))
            / (Orthogonal(Weight(h.Snapshots[0])) * Math.Pow(1 - D2lRegression.LearningRate * l, steps)) - 1))
            .ToArray();
        return new Runs(seed, D2lRegression.ConstantPredictorLoss(data), fits, deviation);
    }

    private static string Range(IEnumerable<double> values, string format = "G4")
    {
        var v = values.ToList();
        return $"{v.Min().ToString(format)} … {v.Max().ToString(format)}";
    }

    /// <summary>Lesson 00 at any value of its parameter <c>lambda</c> in [0.001, 3]: "weight decay shrinks ‖w‖₂ by the
    /// factor theory predicts, within 10 %" (‖w‖₂ at λ = 0 over ‖w‖₂ at λ, against the same ratio of <see
    /// cref="D2lRegression.PredictedNorm"/>) and "weight decay lowers the test loss", over a log grid of λ, from 1
    /// epoch to the default 100. Until session 9 the lesson claimed "shrinks by more than 5×", measured at λ = 3 only;
    /// its own exercise 1 (λ = 0.3) made that claim fail (shrink 1.24× at seed 0, quick mode). Measured on 2026-12-01
    /// over seeds 0–19 at λ ∈ {0.001, 0.01, 0.03, 0.1, 0.3, 1, 3} and 1, 10, 60 and 100 epochs: shrink / predicted − 1
    /// within ±2e-4 for λ ≤ 1 except at 100 epochs, λ = 1 (−8e-4 … 0); at λ = 3, −0.0031 … 0 (60 epochs) and −0.044 … 0
    /// (100 epochs; claimed within ±0.1: 2.3×); test(λ = 0) / test(λ) &gt; 1 everywhere, from barely above 1 (1 epoch,
    /// λ = 0.001: 1.000 to four digits at every seed, the orthogonal part's shrink) to 467 … 1,362 (100 epochs, λ = 3).
    /// Lesson 00 therefore accepts λ in [0.001, 3] and at least 60 epochs (shorter runs do not overfit yet: at 1 and 10
    /// epochs the train loss is 92 % and 11 % of the test loss at seed 0); lesson 03, which runs the same recipe, the
    /// same λ range.</summary>
    [Fact]
    public void ShrinkFollowsThePredictionAndDecayLowersTheTestLossForEveryLambdaInRange()
    {
        double[] lambdas = [0.001, 0.01, 0.03, 0.1, 0.3, 1, 3];
        var rows = new List<(int Epochs, double Lambda, double ShrinkError, double TestRatio)>();
        foreach (int epochs in new[] { 1, 10, Epochs, 100 })
            foreach (int seed in SpreadSeeds.Seeds)
            {
                using var data = SyntheticRegression.Create(seed: seed);
                var recipe = D2lRegression.Recipe(data, epochs, seed);
                int steps = D2lRegression.Steps(epochs, data.Train.Count);
                var plain = recipe.Fit(0);
                var w0 = plain.Snapshots[0].Values.Single(v => v.Key == "weight").Value;
                double p0 = D2lRegression.PredictedNorm(data, w0, 0, steps);
                foreach (double l in lambdas)
                {
                    var h = recipe.Fit(l);
                    double shrink = plain.Final.LayerNorms["weight"] / h.Final.LayerNorms["weight"];
                    double predicted = p0 / D2lRegression.PredictedNorm(data, w0, l, steps);
                    rows.Add((epochs, l, shrink / predicted - 1,
                        plain.Final.TestLoss!.Value / h.Final.TestLoss!.Value));
                }
            }
        foreach (var g in rows.GroupBy(r => (r.Epochs, r.Lambda)))
            output.WriteLine($"{g.Key.Epochs} epochs, λ = {g.Key.Lambda}: shrink / predicted − 1 " +
                $"{Range(g.Select(r => r.ShrinkError), "F4")}; test(λ = 0) / test(λ) " +
                $"{Range(g.Select(r => r.TestRatio), "G4")}");
        Assert.All(rows, r => Assert.True(Math.Abs(r.ShrinkError) <= 0.1, $"shrink error {r}"));
        Assert.All(rows, r => Assert.True(r.TestRatio > 1, $"test loss ratio {r}"));
    }

    /// <summary>Lesson 00: "weight decay lowers the test loss" and "without decay the model overfits (train loss ≪
    /// test loss)": train loss below 1 % of the test loss at λ = 0.</summary>
    [Fact]
    public void WeightDecayLowersTheTestLossAndTheUndecayedRunOverfits()
    {
        var lower = All.Value.Select(r => r.Fits[0].Final.TestLoss!.Value / r.Fits[2].Final.TestLoss!.Value).ToList();
        var overfit = All.Value.Select(r => r.Fits[0].Final.TrainLoss / r.Fits[0].Final.TestLoss!.Value).ToList();
        var vsConstant = All.Value.Select(r => r.Fits[2].Final.TestLoss!.Value / r.Constant).ToList();
        foreach (var r in All.Value)
            output.WriteLine($"seed {r.Seed}: test {r.Fits[0].Final.TestLoss:G4} → {r.Fits[2].Final.TestLoss:G4}, " +
                $"train (λ = 0) {r.Fits[0].Final.TrainLoss:G4}, constant {r.Constant:G4}");
        output.WriteLine($"test(λ = 0) / test(λ = 3): {Range(lower)}; train / test (λ = 0): {Range(overfit)}; " +
            $"test(λ = 3) / constant: {Range(vsConstant)}");
        Assert.All(lower, v => Assert.True(v > 1, $"test loss ratio {v:G4}"));
        Assert.All(overfit, v => Assert.True(v < 0.01, $"train / test {v:G4}"));
        Assert.All(vsConstant, v => Assert.True(v > 1, $"test(λ = 3) / constant {v:G4}"));
    }

    /// <summary>Solutions/00, exercise 1: "the part of w orthogonal to the data shrinks exactly by (1 − ηλ)^T, every
    /// λ" (largest relative deviation ≤ 1e-5, float32 training).</summary>
    [Fact]
    public void SolutionsTheOrthogonalPartShrinksByTheDecayFactor()
    {
        foreach (var r in All.Value)
            output.WriteLine($"seed {r.Seed}: " + string.Join(", ", Lambdas.Zip(r.OrthogonalDeviation,
                (l, d) => $"λ = {l}: {d:E2}")));
        for (int i = 0; i < Lambdas.Length; i++)
            output.WriteLine($"λ = {Lambdas[i]}: {Range(All.Value.Select(r => r.OrthogonalDeviation[i]), "E2")}");
        Assert.All(All.Value, r => Assert.All(r.OrthogonalDeviation, d => Assert.True(d <= 1e-5, $"{d:E2}")));
    }
}
