namespace WeightDecay.Tests;

/// <summary>
/// The seed spreads behind the claims of lessons 04 and 05 that compare runs (issue 15), and the
/// mechanics they rest on (the constant-classifier baseline, the norm trend).
/// The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class Lesson04And05ClaimSpreadTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// Lesson 04, "where decay helps", at the lesson's sizes (500 training digits, 1,000 validation digits, 100 epochs
    /// of Adam 1e-3, batch 50), with both modes' λ grids: {0, 1e-3, 1e-2, 3e-2} (default) and {0, 1e-2} (quick). The
    /// notebook trains three consecutive seeds (seed, seed + 1, seed + 2), picks λ* per seed on validation and claims
    /// that λ* lowers the mean test loss over the three by more than 0.03 nats; it prints the per-seed changes.
    /// <para>Measured over seeds 0–19 (session 8): validation picked 1e-2 at every seed, and the per-seed test-loss
    /// change lay in [−0.117, −0.053]. The lesson then claimed a decrease "on every seed" as well. An untuned
    /// quick-mode run (session 10, seed 8859) broke that: at seed 8860 validation prefers λ = 1e-3 on the full grid
    /// and λ = 0 on the quick grid, where the change is then exactly 0. Validation can choose no decay — that is
    /// selection working, not a failure of decay — so the lesson now claims only the three-seed mean. Measured on
    /// 2026-12-01 (session 10) with notebook seeds 0–119 and 8859 (127 trained seeds, both grids): validation picked
    /// 1e-2 at 126 of them (8860: 1e-3 on the full grid, 0 on the quick one); per-seed change −0.174 … −0.034
    /// (default) and −0.174 … 0 (quick); every three-seed mean −0.133 … −0.075 in both modes (claimed &lt; −0.03:
    /// 2.5×). The undecayed network fits its subset at every seed (claimed &gt; 99 %). Over notebook seeds 160–299
/// (session 13, 142 trained seeds): validation picked 1e-2 at all but one (default grid); per-seed change
/// −0.166 … −0.042, every three-seed mean −0.123 … −0.069 in both modes.</para>
    /// </summary>
    [Fact]
    public void ValidationChosenDecayLowersTheMeanTestLossWithLittleDataAndLongTraining()
    {
        var mnist = Mnist.Load();
        var seeds = SpreadSeeds.Seeds.SelectMany(s => new[] { s, s + 1, s + 2 }).Distinct().ToList();
        var full = SmallDataStudy.Run(mnist.Train, mnist.Test, [0, 1e-3, 1e-2, 3e-2], seeds);
        double[] quickGrid = [0, 1e-2];
        var quick = full with
        {
            Runs = full.Runs.Where(r => quickGrid.Contains(r.Lambda)).ToList(), Lambdas = quickGrid,
        };
        foreach (var (mode, result) in new[] { ("default", full), ("quick", quick) })
        {
            var gain = result.Seeds.Zip(result.SelectedMinusUndecayed(r => r.TestLoss))
                .ToDictionary(p => p.First, p => p.Second);
            foreach (var r in result.Selected)
                output.WriteLine($"{mode}, seed {r.Seed}: λ* = {r.Lambda}, test loss λ* − λ = 0: "
                    + $"{gain[r.Seed]:+0.0000;-0.0000}");
            // the notebook's three seeds start at its seed: every window of the spread seeds
            var windows = SpreadSeeds.Seeds
                .Select(s => (Seed: s, Mean: new[] { s, s + 1, s + 2 }.Average(t => gain[t]))).ToList();
            output.WriteLine($"{mode}: λ* ≠ 1e-2 at {result.Selected.Count(r => r.Lambda != 1e-2)} of "
                + $"{seeds.Count} seeds; "
                + $"per-seed change {gain.Values.Min():F4} … {gain.Values.Max():F4}; three-seed mean "
                + $"{windows.Min(w => w.Mean):F4} … {windows.Max(w => w.Mean):F4}");
            Assert.All(windows, w => Assert.True(w.Mean < -0.03, $"{mode}, notebook seed {w.Seed}: mean {w.Mean:F4}"));
        }
        Assert.All(full.Undecayed, r => Assert.True(r.TrainAccuracy > 0.99));
    }

    [Fact]
    public void SmallDataResultSelectsOnValidationAndAveragesWithStandardErrors()
    {
        var runs = new List<SmallDataRun>
        {
            new(0, 0, 0.1, 1, 0.5, 0.8, 0.6, 0.80), new(0, 1e-2, 0.2, 1, 0.4, 0.8, 0.5, 0.81),
            new(1, 0, 0.1, 1, 0.3, 0.8, 0.7, 0.82), new(1, 1e-2, 0.2, 1, 0.4, 0.8, 0.4, 0.83),
        };
        var result = new SmallDataResult(runs, [0, 1e-2], [0, 1], 500, 1000, 100);
        Assert.Equal([1e-2, 0], result.Selected.Select(r => r.Lambda));   // seed 1: validation picks 0
        var gains = result.SelectedMinusUndecayed(r => r.TestLoss);
        Assert.Equal(-0.1, gains[0], 12);
        Assert.Equal(0.0, gains[1], 12);
        var (mean, se) = SmallDataResult.MeanSe([1.0, 3.0]);
        Assert.Equal(2.0, mean, 12);
        Assert.Equal(1.0, se, 12);   // sd √2, n = 2
        Assert.Throws<ArgumentException>(() => SmallDataStudy.Run(
            new TensorDataset(zeros(10, 784), zeros(10, ScalarType.Int64)),
            new TensorDataset(zeros(10, 784), zeros(10, ScalarType.Int64)), [1e-2], [0, 1]));
    }

    [Fact]
    public void ConstantClassifierBaselineIsTheCrossEntropyOfTheTrainingFrequencies()
    {
        var train = new TensorDataset(zeros(4, 2), tensor(new long[] { 0, 0, 0, 1 }));
        var test = new TensorDataset(zeros(2, 2), tensor(new long[] { 0, 1 }));
        var b = ClassBaseline.Of(train, test, classes: 2);
        Assert.Equal(-(0.5 * Math.Log(0.75) + 0.5 * Math.Log(0.25)), b.CrossEntropy, 12);
        Assert.Equal(0.5, b.Accuracy, 12);
        var mnist = Mnist.Load();
        Assert.InRange(ClassBaseline.Of(mnist.Train, mnist.Test).CrossEntropy, 2.28, 2.33);  // ≈ ln 10
    }

    [Fact]
    public void NormTrendReportsExposureTimescaleAndLastEpochChange()
    {
        using var model = new Mlp(seed: 0);
        var data = new TensorDataset(rand(64, 784), tensor(Enumerable.Range(0, 64)
            .Select(i => (long)(i % 10)).ToArray()));
        var h = Trainer.Fit(model, data, null, new CrossEntropy(), new TrainerOptions
        {
            Epochs = 2, BatchSize = 32, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.1),
            Decay = new WeightDecayOptions(DecayMethod.Coupled, 1e-2),
        });
        var t = NormTrend.Of(h, 1e-2, 0.1, 2);
        Assert.Equal(0.1 * 1e-2 * 2 * 2, t.Exposure, 12);
        Assert.Equal(1 / (0.1 * 1e-2) / 2, t.TimescaleEpochs, 9);
        double expected = (h.Epochs[2].ParameterNorm - h.Epochs[1].ParameterNorm) / h.Epochs[1].ParameterNorm;
        Assert.Equal(expected, t.LastEpochChange, 12);
        Assert.True(double.IsPositiveInfinity(NormTrend.Of(h, 0, 0.1, 2).TimescaleEpochs));
    }
}
