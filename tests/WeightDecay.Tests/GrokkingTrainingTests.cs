namespace WeightDecay.Tests;

/// <summary><see cref="GrokkingTraining"/> (lesson 12): the stacked training equals training each network alone
/// with the library's model and optimizer; determinism; bad input.</summary>
public class GrokkingTrainingTests
{
    [Fact]
    public void StackedTrainingFollowsEachNetworkAlone()
    {
        var settings = new GrokkingSettings { Modulus = 7, TrainFraction = 0.5, Width = 16, InitScale = 3,
            LearningRate = 0.01, Lambda = 1, Steps = 6, EvalEvery = 1 };
        var stacked = GrokkingTraining.Run(settings, [3, 4]);
        foreach (var run in stacked)
        {
            using var data = ModularAddition.Create(7, 0.5, run.Seed);
            using var model = QuadraticMlp.ForModulus(7, 16, 3, run.Seed);
            using var optimizer = new WeightDecayOptimizer(model,
                new OptimizerOptions(OptimizerKind.Adam, 0.01, 0, 0.9, 0.98),
                WeightDecayOptions.For(DecayMethod.Decoupled, 1, selection: DecaySelection.All));
            using var x = ModularAddition.OneHot(data.Train.Features, 7);
            var norms = new List<double> { Norm(model) };
            for (int t = 0; t < 6; t++)
            {
                using var scope = NewDisposeScope();
                Trainer.Step(optimizer, () => nn.functional.cross_entropy(model.forward(x), data.Train.Targets));
                norms.Add(Norm(model));
            }
            Assert.Equal(Enumerable.Range(0, 7).Select(i => (double)i), run.Steps);
            for (int i = 0; i < norms.Count; i++)
                Assert.True(Math.Abs(norms[i] / run.Norm[i] - 1) < 1e-5, $"step {i}: {norms[i]} vs {run.Norm[i]}");
        }
        var alone = GrokkingTraining.Run(settings, 4);
        Assert.Equal(stacked[1].TrainAccuracy, alone.TrainAccuracy);
        Assert.Equal(stacked[1].TestAccuracy, alone.TestAccuracy);
        var again = GrokkingTraining.Run(settings, [3, 4]);
        Assert.Equal(stacked[0].Norm, again[0].Norm);
    }

    [Fact]
    public void DelayIsTheStepsFromTrainToTestAccuracy()
    {
        var run = new GrokkingRun(new GrokkingSettings(), 0, [0, 10, 20, 30], [0.1, 0.995, 1, 1], [0, 0.02, 0.5, 0.99],
            [5, 4, 3, 2]);
        Assert.Equal(10, run.TrainReached());
        Assert.Equal(30, run.TestReached());
        Assert.Equal(20, run.Delay);
        Assert.Equal(3, run.NormAt(21));
        Assert.Null(run with { TestAccuracy = [0, 0, 0, 0.5] } is { } r ? r.Delay : 0);
        Assert.Equal(700, new GrokkingSettings().ForLambda(1).Steps);   // ⌈6/0.01⌉ + 100
        Assert.Equal(100, new GrokkingSettings().ForLambda(1).Timescale, 9);
    }

    [Fact]
    public void BadSettingsAreRejectedNamingTheValue()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            GrokkingTraining.Run(new GrokkingSettings { Beta2 = 1 }, 0));
        Assert.Equal("Beta2", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => GrokkingTraining.Run(new GrokkingSettings(), [-1]));
        Assert.Throws<ArgumentException>(() => GrokkingTraining.Run(new GrokkingSettings(), []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrokkingSettings().ForLambda(0));
    }

    private static double Norm(QuadraticMlp m)
    {
        using var scope = NewDisposeScope();
        return Math.Sqrt(m.parameters().Sum(p => p.Square().sum().ItemAsDouble()));
    }
}
