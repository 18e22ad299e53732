namespace WeightDecay.Tests;

/// <summary>The claims of notebook 07 (L2 is not weight decay for Adam), as library tests on small grids.</summary>
public class AdamWClaimTests
{
    private static TensorDataset Stride(TensorDataset d, int n) =>
        d.Subset(Enumerable.Range(0, n).Select(i => (long)i * (d.Count / n)).ToArray());

    [Fact]
    public void GridStatisticsAreExactOnKnownShapes()
    {
        double[] x = [0, 1, 2, 3, 4];
        // parabola with its vertex at 1.3: refined argmin finds it exactly
        Assert.Equal(1.3, GridStatistics.RefinedArgmin(x, x.Select(v => (v - 1.3) * (v - 1.3)).ToArray()), 12);
        Assert.Equal(0, GridStatistics.RefinedArgmin(x, [1, 2, 3, 4, 5]));
        Assert.True(double.IsNaN(GridStatistics.RefinedArgmin(x, [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN])));
        // min 1 at x = 1; level 1.1 is crossed between x = 2 (1.05) and x = 3 (1.25): 2 + 0.05/0.2
        Assert.Equal(2.25, GridStatistics.UpperEdge(x, [1.2, 1, 1.05, 1.25, 2], 0.1), 12);
        Assert.True(double.IsNaN(GridStatistics.UpperEdge(x, [1, 1, 1, 1, 1], 0.1)));
        Assert.Equal(2, GridStatistics.UpperEdge(x, [1.2, 1, 1.05, double.NaN, 2], 0.1));
        Assert.Equal(-1, GridStatistics.Slope(x, x.Select(v => 3 - v).ToArray()), 12);
        Assert.Equal(0.5, GridStatistics.Slope([0, 1, 2, 3], [0, 0.5, double.NaN, 1.5]), 12);
        // the median ignores non-finite values and one outlier: odd count → the middle, even → the middle pair's mean
        Assert.Equal(3.3, GridStatistics.Median([3.2, 5.8, double.NaN, 3.3, 3.4, 3.25]), 12);
        Assert.Equal(3.35, GridStatistics.Median([3.4, 3.3, 5.8, 3.2, double.NegativeInfinity, 3.35, 3.35]), 12);
        Assert.Equal(2.5, GridStatistics.Median([4, 1, 3, 2]), 12);
        Assert.True(double.IsNaN(GridStatistics.Median([double.NaN])));
        Assert.Equal([0.25, 0.5, 1, 2], HyperparameterGrid.PowersOfTwo(-2, 1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => HyperparameterGrid.PowersOfTwo(1, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => HyperparameterGrid.PowersOfTwo(0, 1, 1));
    }

    [Fact]
    public void AColumnThatDoesNotTrainHasNoEdgeAndLeavesTheSlope()
    {
        // 3 λ rows (log₂ λ = 0, 1, 2) × 3 learning rates; column 2's best (1.6) is 1.6× the grid's best (1.0)
        double[][] loss = [[1.0, 1.0, 1.6], [1.05, 1.0, 3.0], [1.25, 1.2, 1.6]];
        var cells = Enumerable.Range(0, 3).SelectMany(r => Enumerable.Range(0, 3).Select(c =>
            new GridCell(Math.Pow(2, c), Math.Pow(2, r), loss[r][c], 0.5, 0.1))).ToList();
        var g = new GridResult("test", new OptimizerOptions(OptimizerKind.Sgd, 1),
            new WeightDecayOptions(DecayMethod.Coupled), [1, 2, 4], [1, 2, 4], cells);
        // level 1.1, crossed between λ-rows 1 and 2: column 0 (1.05 → 1.25) at 1 + 0.05/0.2, column 1 (1.0 → 1.2) at 1.5
        var edges = g.EdgeLog2LambdaPerLearningRate(0.1, trainingTolerance: 0.5);
        Assert.Equal(1.25, edges[0], 12);
        Assert.Equal(1.5, edges[1], 12);
        Assert.True(double.IsNaN(edges[2]), "a column 1.6× above the best does not train (tolerance 0.5)");
        Assert.Equal(0.25, g.EdgeSlope(0.1, 0.5), 12);   // through columns 0 and 1 only
        // a looser training tolerance, or the default (∞), keeps column 2: level 1.6·1.1 = 1.76 is crossed between
        // rows 0 (1.6) and 1 (3.0)
        Assert.Equal(0.16 / 1.4, g.EdgeLog2LambdaPerLearningRate(0.1, trainingTolerance: 0.7)[2], 12);
        Assert.Equal(0.16 / 1.4, g.EdgeLog2LambdaPerLearningRate(0.1)[2], 12);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => g.EdgeLog2LambdaPerLearningRate(0.1, 0));
        Assert.Contains("training tolerance must be > 0", e.Message);
    }

    [Fact]
    public void AdamWithL2DividesTheDecayBySqrtVWhileAdamWDecaysEveryWeightAlike()
    {
        const double eta = 0.01, lambda = 0.1;
        double[] scales = [1, 100];
        var coupled = ShrinkageTrajectory.Simulate(scales, DecayMethod.Coupled, eta, lambda, 3000);
        var decoupled = ShrinkageTrajectory.Simulate(scales, DecayMethod.Decoupled, eta, lambda, 3000);
        for (int i = 0; i < 2; i++)
        {
            Assert.InRange(decoupled.DecayRate(i, 100) / decoupled.PredictedDecayRate(i), 0.99, 1.01);
            Assert.InRange(coupled.DecayRate(i, 100) / coupled.PredictedDecayRate(i), 0.97, 1.03);
            Assert.InRange(coupled.AdaptiveScales[i] * scales[i], 0.98, 1.02); // √v̂ ≈ s_i
        }
        Assert.InRange(coupled.DecayRate(0, 100) / coupled.DecayRate(1, 100), 90, 110);
        Assert.InRange(decoupled.DecayRate(0, 100) / decoupled.DecayRate(1, 100), 0.99, 1.01);
        Assert.Throws<ArgumentException>(() => ShrinkageTrajectory.Simulate(scales, DecayMethod.Penalty, eta, lambda, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShrinkageTrajectory.Simulate([1, 0], DecayMethod.Coupled, eta, lambda, 10));
    }

    [Fact]
    public void ForPlainSgdL2WithLambdaOverEtaIsThePapersDecoupledDecay()
    {
        using var train = Stride(Shared.Mnist.Train, 400).To(ScalarType.Float64);
        const double eta = 0.05, lambdaPaper = 2e-3;
        double[] Final(WeightDecayOptions decay)
        {
            using var m = new Mlp(hidden: [16], seed: 3, dtype: ScalarType.Float64);
            Trainer.Fit(m, train, null, new CrossEntropy(), new TrainerOptions
            {
                Epochs = 2, BatchSize = 50, Seed = 3, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, eta), Decay = decay,
            });
            return m.parameters().SelectMany(p => p.data<double>().ToArray()).ToArray();
        }
        var l2 = Final(new WeightDecayOptions(DecayMethod.Coupled, lambdaPaper / eta));
        var w = Final(new WeightDecayOptions(DecayMethod.Decoupled, lambdaPaper, DecoupledScalesWithLearningRate: false));
        var none = Final(WeightDecayOptions.None);
        var torchForm = Final(new WeightDecayOptions(DecayMethod.Decoupled, lambdaPaper / eta));   // PyTorch's λ = λ_paper/η
        Assert.True(Shared.MaxAbs(l2, w) < 1e-12, $"{Shared.MaxAbs(l2, w)}");
        Assert.True(Shared.MaxAbs(torchForm, w) < 1e-12, $"{Shared.MaxAbs(torchForm, w)}");
        Assert.True(Shared.MaxAbs(l2, none) > 1e-4); // the decay did something
    }

    [Fact]
    public void Exercise2NoSingleL2CoefficientMatchesAdamWOnBothWeights()
    {
        const double eta = 0.01, lambda = 0.01;
        double[] scales = [1, 10];
        var l2 = ShrinkageTrajectory.Simulate(scales, DecayMethod.Coupled, eta, lambda, 3000);
        Assert.InRange(l2.DecayRate(0, 100) / l2.DecayRate(1, 100), 9, 11);
        var matched = ShrinkageTrajectory.Simulate(scales, DecayMethod.Coupled, eta, 10 * lambda, 3000);
        var adamW = ShrinkageTrajectory.Simulate(scales, DecayMethod.Decoupled, eta, lambda, 3000);
        Assert.InRange(matched.DecayRate(1, 100) / adamW.DecayRate(1, 100), 0.9, 1.1);
        Assert.InRange(matched.DecayRate(0, 100) / adamW.DecayRate(0, 100), 8, 12);
    }

    private static (GridResult L2, GridResult W) AdamGrids(int seed, TensorDataset train, TensorDataset test)
    {
        var adam = new OptimizerOptions(OptimizerKind.Adam, 1e-3);
        var lrs = HyperparameterGrid.PowersOfTwo(-10, -6, 5);
        var options = new GridTrainingOptions(25, 50, [32], seed);
        return (HyperparameterGrid.Train("Adam+L2", adam, new WeightDecayOptions(DecayMethod.Coupled), lrs, HyperparameterGrid.PowersOfTwo(-10, -5, 6), train, test, options),
                HyperparameterGrid.Train("AdamW", adam, new WeightDecayOptions(DecayMethod.Decoupled), lrs, HyperparameterGrid.PowersOfTwo(-4, 1, 6), train, test, options));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void AdamGridsEdgesAreAxisAlignedInTheOptimizersConventionAndAdamWGeneralizesBetter(int seed)
    {
        using var train = Stride(Shared.Mnist.Train, 600);
        using var test = Stride(Shared.Mnist.Test, 1000);
        var (l2, w) = AdamGrids(seed, train, test);
        Assert.InRange(l2.EdgeSlope(0.1), -0.4, 0.4);
        Assert.InRange(w.EdgeSlope(0.1), -0.4, 0.4);
        var summary = HyperparameterGrid.Summary([l2, w], 0.1);
        Assert.Equal(summary[0].EdgeSlope, summary[0].EdgeSlopePaper);            // L2: the same λ in both conventions
        Assert.Equal(summary[1].EdgeSlope + 1, summary[1].EdgeSlopePaper, 12);    // decoupled: λ_paper = ηλ shears the grid
        Assert.True(w.Best.TestLoss < l2.Best.TestLoss - 0.01, $"AdamW {w.Best.TestLoss}, Adam+L2 {l2.Best.TestLoss}");
    }

    [Fact]
    public void SgdGridsEdgesAreAxisAlignedAndMomentumAmplifiesCoupledDecayTenfold()
    {
        using var train = Stride(Shared.Mnist.Train, 600);
        using var test = Stride(Shared.Mnist.Test, 1000);
        var sgd = new OptimizerOptions(OptimizerKind.Sgd, 0.1, Momentum: 0.9);
        var lrs = HyperparameterGrid.PowersOfTwo(-6, -3, 4);
        var options = new GridTrainingOptions(25, 50, [32], 0);
        var l2 = HyperparameterGrid.Train("SGD+L2", sgd, new WeightDecayOptions(DecayMethod.Coupled), lrs, HyperparameterGrid.PowersOfTwo(-10, -5, 6), train, test, options);
        var w = HyperparameterGrid.Train("SGDW", sgd, new WeightDecayOptions(DecayMethod.Decoupled), lrs, HyperparameterGrid.PowersOfTwo(-7, -2, 6), train, test, options);
        Assert.InRange(l2.EdgeSlope(0.1), -0.4, 0.4);
        Assert.InRange(w.EdgeSlope(0.1), -0.4, 0.4);
        double offset = w.EdgeLog2LambdaPerLearningRate(0.1).Zip(l2.EdgeLog2LambdaPerLearningRate(0.1), (a, b) => a - b).Average();
        Assert.InRange(offset, Math.Log2(10) - 0.4, Math.Log2(10) + 0.4);
    }

    [Fact]
    public void GridRejectsBadInput()
    {
        using var train = Stride(Shared.Mnist.Train, 50);
        var adam = new OptimizerOptions(OptimizerKind.Adam, 1e-3);
        double[] ok = [1e-3, 2e-3];
        Assert.Throws<ArgumentException>(() => HyperparameterGrid.Train("x", adam, WeightDecayOptions.None, ok, ok, train, train));
        Assert.Throws<ArgumentOutOfRangeException>(() => HyperparameterGrid.Train("x", adam, new WeightDecayOptions(DecayMethod.Coupled), ok, [0, 1e-3], train, train));
        Assert.Throws<ArgumentException>(() => HyperparameterGrid.Train("x", adam, new WeightDecayOptions(DecayMethod.Coupled), [2e-3, 1e-3], ok, train, train));
        Assert.Throws<ArgumentOutOfRangeException>(() => HyperparameterGrid.Train("x", adam, new WeightDecayOptions(DecayMethod.Coupled), ok, ok, train, train, new GridTrainingOptions(Epochs: 0)));
    }
}
