using WeightDecay.Landscape;

namespace WeightDecay.Tests;

/// <summary>Mechanics behind notebook 06's claims, on small models (the seed spread of the notebook's own statistics
/// is in <see cref="LandscapeSpreadTests"/>).</summary>
public class LandscapeNotebookClaimTests
{
    private static Mlp Trained(TensorDataset train)
    {
        var model = new Mlp(hidden: [32], seed: 0);
        Trainer.Fit(model, train, null, new CrossEntropy(), new TrainerOptions { Epochs = 2, BatchSize = 100, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.1) });
        return model;
    }

    [Fact]
    public void TopHessianEigenvalueIsNotInvariantToReluRescaling()
    {
        using var train = Shared.Mnist.Train.Subset(Enumerable.Range(0, 1000).Select(i => (long)i * 8).ToArray());
        using var model = Trained(train);
        using var rescaled = new Mlp(hidden: [32], seed: 0);
        using (no_grad())
        {
            foreach (var ((_, t), (_, s)) in rescaled.named_parameters().Zip(model.named_parameters())) t.copy_(s);
            using var four = 4.ToScalar();
            rescaled.Layers[0].weight!.mul_(four); rescaled.Layers[0].bias!.mul_(four); rescaled.Layers[1].weight!.div_(four);
        }
        using (var scope = NewDisposeScope())
        using (no_grad())
            Assert.True((model.forward(train.Features) - rescaled.forward(train.Features)).abs().max().ItemAsDouble() < 1e-4, "same function");
        var options = new HessianOptions { MaxIterations = 100, Tolerance = 1e-4 };
        double a = Sharpness.Estimate(model, train, new CrossEntropy(), options).Max.Value;
        double b = Sharpness.Estimate(rescaled, train, new CrossEntropy(), options).Max.Value;
        Assert.True(b > 2 * a, $"λ_max {a} → {b} after rescaling");
    }

    [Fact]
    public void RawDirectionsWreckTheNetworkOnTheUnitGridWhileFilterNormalizedOnesDoNot()
    {
        using var train = Shared.Mnist.Train.Subset(Enumerable.Range(0, 500).Select(i => (long)i * 16).ToArray());
        using var model = Trained(train);
        var axis = new GridAxis(-1, 1, 5);
        double Mean(DirectionNormalization n)
        {
            var (x, y) = ParameterDirection.RandomPair(model, 0, n);
            try
            {
                var plane = LossLandscape.Plane(model, x, y, train, null, new CrossEntropy(), axis, axis);
                return plane.TrainLoss.Cast<double>().Average();
            }
            finally { x.Dispose(); y.Dispose(); }
        }
        Assert.True(Mean(DirectionNormalization.None) > 10 * Mean(DirectionNormalization.Filter));
    }

    private static TensorDataset Subset() => Shared.Mnist.Train.Subset(Enumerable.Range(0, 2000).Select(i => (long)i * 4).ToArray());

    [Fact]
    public void FlatnessRiseIsTheMeanEndpointLossMinusTheCenterAndRejectsBadInput()
    {
        using var data = Subset();
        using var model = new Mlp(hidden: [8], seed: 0);
        double rise = Flatness.Rise(model, data, new CrossEntropy(), DirectionNormalization.Filter, 0.5, directions: 1, seed: 3);
        using var d = ParameterDirection.Random(model, 3, DirectionNormalization.Filter);
        var line = LossLandscape.Line(model, d, data, null, new CrossEntropy(), new GridAxis(-0.5, 0.5, 3));
        Assert.Equal((line.TrainLoss[0] + line.TrainLoss[2]) / 2 - line.TrainLoss[1], rise, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Flatness.Rise(model, data, new CrossEntropy(), DirectionNormalization.Filter, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Flatness.Rise(model, data, new CrossEntropy(), DirectionNormalization.Filter, 0.5, directions: 0));
    }
}
