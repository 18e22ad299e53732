namespace WeightDecay.Tests;

/// <summary>
/// The seed spreads behind the claims of lessons 04 and 05 that compare runs (issue 15), and the
/// mechanics they rest on (the constant-classifier baseline, the norm trend).
/// The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class Lesson04And05ClaimSpreadTests
{
    /// <summary>
    /// Lesson 04, "where decay helps", at the lesson's sizes (500 training digits, 1,000 validation
    /// digits, 100 epochs of Adam 1e-3, batch 50, λ ∈ {0, 1e-3, 1e-2, 3e-2}; quick mode trains only
    /// λ ∈ {0, 1e-2}, which selects the same λ* and so gives the same numbers). Measured over seeds
    /// 0–19 (one run per seed): the λ with the lowest validation loss is 1e-2 for every seed, and its
    /// test loss minus λ = 0's lies in [−0.117, −0.053] nats (three-seed means: [−0.113, −0.077]);
    /// the test-accuracy difference lies in [−1.0, +0.95] points, of either sign. At λ = 0 every
    /// seed fits its subset (training accuracy 100 %). The lesson claims, over its three seeds, that
    /// λ* lowers the test loss on every seed and by more than 0.03 nats on average (margin 2.6× below
    /// the smallest three-seed mean gain), and that the undecayed network fits its subset (> 99 %);
    /// it claims nothing about accuracy.
    /// </summary>
    [Fact]
    public void ValidationChosenDecayLowersTestLossOnEverySeedWithLittleDataAndLongTraining()
    {
        var mnist = Mnist.Load();
        var seeds = SpreadSeeds.Seeds.ToList();
        var result = SmallDataStudy.Run(mnist.Train, mnist.Test, [0, 1e-3, 1e-2, 3e-2], seeds);
        var gains = result.SelectedMinusUndecayed(r => r.TestLoss);
        Assert.All(gains, g => Assert.True(g < -0.02, $"test-loss change {g:F4}"));
        // validation picks 1e-2 from the full grid for every seed, so quick mode's grid {0, 1e-2} selects the same λ
        Assert.All(result.Selected, r => Assert.Equal(1e-2, r.Lambda));
        Assert.All(result.Undecayed, r => Assert.True(r.TrainAccuracy > 0.99));
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
