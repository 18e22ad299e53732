using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Landscape;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Training;
using Xunit;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

public class LandscapeSliceTests
{
    private static TensorDataset Digits(TensorDataset source, int count) =>
        source.Subset(Enumerable.Range(0, count).Select(i => i * (source.Count / count)).ToArray());

    private static double[] Params(nn.Module model)
    {
        using var p = ParameterDirection.FromModel(model);
        return p.Flatten();
    }

    /// <summary>The same function: fc1 (weights and biases) × c, fc2 weights × 1/c (ReLU is positively homogeneous).</summary>
    private static Mlp Rescaled(Mlp source, double c)
    {
        var r = new Mlp(source.InputFeatures, source.HiddenSizes, source.Outputs, seed: 99);
        using (var theta = ParameterDirection.FromModel(source)) theta.CopyTo(r);
        using (no_grad())
        {
            using var s = c.ToScalar();
            r.Layers[0].weight!.mul_(s);
            r.Layers[0].bias!.mul_(s);
            r.Layers[1].weight!.div_(s);
        }
        return r;
    }

    private static void AssertClose(double[]? expected, double[]? actual, double tolerance, string what)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        double max = Shared.MaxAbs(expected, actual);
        Assert.True(max <= tolerance, $"{what}: max abs difference {max:E2} (tolerance {tolerance:E0})");
    }

    private static double[] Flat(double[,]? g) => g is null ? throw new ArgumentNullException(nameof(g)) : g.Cast<double>().ToArray();

    [Fact]
    public void FilterNormalizedSlicesAreInvariantToReluRescalingWhileRawSlicesAreNot()
    {
        using var train = Digits(Shared.Mnist.Train, 400);
        using var test = Digits(Shared.Mnist.Test, 400);
        var loss = new CrossEntropy();
        using var model = new Mlp(hidden: [32], seed: 4);
        Trainer.Fit(model, train, null, loss, new TrainerOptions
        {
            Epochs = 3, BatchSize = 20, Optimizer = new WeightDecay.Optimization.OptimizerOptions(WeightDecay.Optimization.OptimizerKind.Adam, 3e-3),
        });
        using var rescaled = Rescaled(model, 10);

        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var a = model.forward(test.Features);
            var b = rescaled.forward(test.Features);
            double rel = (a - b).abs().max().ItemAsDouble() / a.abs().max().ItemAsDouble();
            Assert.True(rel < 1e-5, $"the rescaled network computes a different function (relative difference {rel:E2})");
        }

        // filter-normalized: each model's direction is normalized against its own θ, from the same seed
        var (x1, y1) = ParameterDirection.RandomPair(model, seed: 11);
        var (x2, y2) = ParameterDirection.RandomPair(rescaled, seed: 11);
        using (x1) using (y1) using (x2) using (y2)
        {
            var axis = new GridAxis(-1, 1, 9);
            var p1 = LossLandscape.Plane(model, x1, y1, train, test, loss, axis, axis);
            var p2 = LossLandscape.Plane(rescaled, x2, y2, train, test, loss, axis, axis);
            AssertClose(Flat(p1.TrainLoss), Flat(p2.TrainLoss), 1e-5, "2-D train loss");
            AssertClose(Flat(p1.TestLoss), Flat(p2.TestLoss), 1e-5, "2-D test loss");
            Assert.True(Flat(p1.TrainLoss).Max() - Flat(p1.TrainLoss).Min() > 0.1, "the slice must not be flat for the test to mean something");

            var line = new GridAxis(-1, 1, 11);
            var perPoint = new SliceOptions { Path = EvaluationPath.PerPoint };
            var l1 = LossLandscape.Line(model, x1, train, test, loss, line, perPoint);
            var l2 = LossLandscape.Line(rescaled, x2, train, test, loss, line, perPoint);
            AssertClose(l1.TrainLoss, l2.TrainLoss, 1e-5, "1-D train loss");
            AssertClose(l1.TestLoss, l2.TestLoss, 1e-5, "1-D test loss");
        }

        // raw Gaussian: the same direction for both, so the rescaled network moves differently
        using var raw = ParameterDirection.Random(model, seed: 11, DirectionNormalization.None);
        var small = new GridAxis(-0.05, 0.05, 11);
        var r1 = LossLandscape.Line(model, raw, train, test, loss, small);
        var r2 = LossLandscape.Line(rescaled, raw, train, test, loss, small);
        double differs = Shared.MaxAbs(r1.TrainLoss, r2.TrainLoss);
        Assert.True(differs > 0.05, $"raw slices differ by only {differs:E2}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BatchedAgreesWithThePerPointReference(bool deep)
    {
        using var train = Digits(Shared.Mnist.Train, 1000);
        using var test = Digits(Shared.Mnist.Test, 500);
        var loss = new CrossEntropy();
        using var model = new Mlp(hidden: deep ? [48, 24] : [64], seed: 0);
        Assert.Equal(EvaluationPath.Batched, LossLandscape.ResolvePath(model, loss));
        var (x, y) = ParameterDirection.RandomPair(model, seed: 3, includeOneDimensional: deep);
        using (x) using (y)
        {
            var alpha = new GridAxis(-1, 1, 9);
            var beta = new GridAxis(-1.5, 0.5, 7);
            // small passes and batches, so that chunking over points and examples is exercised
            var batched = LossLandscape.Plane(model, x, y, train, test, loss, alpha, beta,
                new SliceOptions { Path = EvaluationPath.Batched, PointsPerPass = 5, BatchSize = 300 });
            var reference = LossLandscape.Plane(model, x, y, train, test, loss, alpha, beta, new SliceOptions { Path = EvaluationPath.PerPoint });
            AssertClose(Flat(reference.TrainLoss), Flat(batched.TrainLoss), 1e-5, "train loss");
            AssertClose(Flat(reference.TestLoss), Flat(batched.TestLoss), 1e-5, "test loss");
            // accuracy: identical up to an argmax near-tie flipping under float rounding (at most one example)
            AssertClose(Flat(reference.TrainAccuracy), Flat(batched.TrainAccuracy), 1.0 / 1000 + 1e-12, "train accuracy");
            AssertClose(Flat(reference.TestAccuracy), Flat(batched.TestAccuracy), 1.0 / 500 + 1e-12, "test accuracy");
            int same = Flat(reference.TestAccuracy).Zip(Flat(batched.TestAccuracy)).Count(p => p.First == p.Second);
            Assert.True(same >= 60, $"only {same} of 63 test accuracies are identical");
            Assert.Equal(0, batched.NonFiniteCount);
        }
    }

    [Fact]
    public void BatchedAgreesWithPerPointForInterpolationAndSquaredError()
    {
        using var data = SyntheticRegression.Create(inputs: 20, trainCount: 200, testCount: 100, seed: 2);
        var loss = new HalfSquaredError();
        using var m0 = new Mlp(inputs: 20, hidden: [16], outputs: 1, seed: 1);
        using var m1 = new Mlp(inputs: 20, hidden: [16], outputs: 1, seed: 2);
        var alpha = new GridAxis(-0.5, 1.5, 21);
        var batched = LossLandscape.Interpolation(m0, m1, data.Train, data.Test, loss, alpha);
        var reference = LossLandscape.Interpolation(m0, m1, data.Train, data.Test, loss, alpha, new SliceOptions { Path = EvaluationPath.PerPoint });
        Assert.Null(batched.TrainAccuracy);
        AssertClose(reference.TrainLoss, batched.TrainLoss, 1e-5, "train loss");
        AssertClose(reference.TestLoss, batched.TestLoss, 1e-5, "test loss");

        // the endpoints are exactly θ₀ and θ₁ on the reference path
        Assert.Equal(Evaluation.Evaluate(m0, data.Train, loss).Loss, reference.TrainLoss[5]);   // α = 0
        Assert.Equal(Evaluation.Evaluate(m1, data.Train, loss).Loss, reference.TrainLoss[15]);  // α = 1
        Assert.Equal(Slice1DKind.Interpolation, reference.Kind);
    }

    [Fact]
    public void DefaultGridsFollowLiEtAl()
    {
        using var train = Digits(Shared.Mnist.Train, 100);
        using var model = new Mlp(hidden: [16], seed: 0);
        using var other = new Mlp(hidden: [16], seed: 1);
        var loss = new CrossEntropy();
        var interp = LossLandscape.Interpolation(model, other, train, null, loss);
        Assert.Equal(101, interp.Alpha.Length);
        Assert.Equal(-0.5, interp.Alpha[0]);
        Assert.Equal(1.5, interp.Alpha[^1]);
        Assert.Equal(0.0, interp.Alpha[25], 14);
        Assert.Null(interp.TestLoss);
        Assert.Null(interp.TestAccuracy);
        var (x, y) = ParameterDirection.RandomPair(model, 0);
        using (x) using (y)
        {
            var line = LossLandscape.Line(model, x, train, null, loss);
            Assert.Equal(51, line.Alpha.Length);
            Assert.Equal([-1.0, 1.0], new[] { line.Alpha[0], line.Alpha[^1] });
            var plane = LossLandscape.Plane(model, x, y, train, null, loss);
            Assert.Equal((51, 51), (plane.TrainLoss.GetLength(0), plane.TrainLoss.GetLength(1)));
            // the α-axis of the plane (β = 0) is the line along X
            AssertClose(line.TrainLoss, Enumerable.Range(0, 51).Select(i => plane.TrainLoss[i, 25]).ToArray(), 1e-6, "β = 0 row");
            var z = plane.ContourZ(LandscapeMetric.TrainLoss);
            Assert.Equal(plane.TrainLoss[3, 7], z[7][3]);
        }
    }

    [Theory]
    [InlineData(EvaluationPath.PerPoint)]
    [InlineData(EvaluationPath.Batched)]
    public void TheModelIsUnchangedAfterSlicingAndAfterCancellation(EvaluationPath path)
    {
        using var train = Digits(Shared.Mnist.Train, 200);
        using var model = new Mlp(hidden: [16], dropout: 0.3, seed: 0);
        model.train();
        var before = Params(model);
        var (x, y) = ParameterDirection.RandomPair(model, 0);
        using (x) using (y)
        {
            var options = new SliceOptions { Path = path, PointsPerPass = 4 };
            LossLandscape.Plane(model, x, y, train, train, new CrossEntropy(), new GridAxis(-1, 1, 5), new GridAxis(-1, 1, 5), options);
            Assert.Equal(before, Params(model));
            Assert.True(model.training);
            Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
            Assert.All(model.parameters(), p => Assert.Null(p.grad));

            using var cts = new CancellationTokenSource();
            int calls = 0;
            var cancelling = options with { Progress = _ => { if (++calls == 2) cts.Cancel(); }, Cancellation = cts.Token };
            Assert.ThrowsAny<OperationCanceledException>(() =>
                LossLandscape.Line(model, x, train, null, new CrossEntropy(), new GridAxis(-1, 1, 20), cancelling));
            Assert.Equal(2, calls);
            Assert.Equal(before, Params(model));
        }
    }

    [Fact]
    public void TiedLogitsCountLikeArgmaxOnBothPaths()
    {
        // fc2 = 0: every logit is 0 at every point (the filter-normalized direction of a zero filter is zero), so argmax picks
        // class 0 and the accuracy is the share of zeros
        using var train = Digits(Shared.Mnist.Train, 300);
        using var model = new Mlp(hidden: [8], seed: 0);
        using (no_grad())
        {
            model.Layers[1].weight!.zero_();
            model.Layers[1].bias!.zero_();
        }
        double zeros = train.Targets.eq(Scalars.Zero).sum().ItemAsInt64() / 300.0;
        using var d = ParameterDirection.Random(model, 1);
        var axis = new GridAxis(-1, 1, 3);
        foreach (var path in new[] { EvaluationPath.Batched, EvaluationPath.PerPoint })
        {
            var s = LossLandscape.Line(model, d, train, null, new CrossEntropy(), axis, new SliceOptions { Path = path });
            Assert.All(s.TrainAccuracy!, a => Assert.Equal(zeros, a));
            Assert.All(s.TrainLoss, l => Assert.Equal(Math.Log(10), l, 6));
        }
    }

    [Fact]
    public void NonFiniteLossesAreRecordedAsNaNAndCounted()
    {
        // per-point path (a model without a batched path): ½(ŷ − y)² overflows float32 far along the direction
        using var data = SyntheticRegression.Create(inputs: 10, trainCount: 50, testCount: 20, seed: 1);
        using var linear = new LinearRegression(10, initStd: 1);
        Assert.Equal(EvaluationPath.PerPoint, LossLandscape.ResolvePath(linear, new HalfSquaredError()));
        using var huge = ParameterDirection.Random(linear, 1, DirectionNormalization.None).Scale(1e25);
        var s = LossLandscape.Line(linear, huge, data.Train, data.Test, new HalfSquaredError(), new GridAxis(-1, 1, 5));
        Assert.Equal(4, s.NonFiniteCount); // α = ±1, ±0.5 overflow; α = 0 is the model itself
        Assert.True(s.HasNonFinite);
        Assert.True(double.IsNaN(s.TrainLoss[0]) && double.IsNaN(s.TestLoss![4]));
        Assert.True(double.IsFinite(s.TrainLoss[2]));

        // batched and per-point agree on where the logits overflow (cross-entropy of ±∞ logits is NaN)
        using var train = Digits(Shared.Mnist.Train, 100);
        using var mlp = new Mlp(hidden: [16], seed: 0);
        using var d = ParameterDirection.Random(mlp, 2);
        using var far = d.Scale(1e37);
        var axis = new GridAxis(-1, 1, 5);
        var b = LossLandscape.Line(mlp, far, train, train, new CrossEntropy(), axis, new SliceOptions { Path = EvaluationPath.Batched });
        var r = LossLandscape.Line(mlp, far, train, train, new CrossEntropy(), axis, new SliceOptions { Path = EvaluationPath.PerPoint });
        Assert.True(b.NonFiniteCount >= 2, $"expected overflow at α = ±1, got {b.NonFiniteCount} non-finite points");
        Assert.Equal(r.TrainLoss.Select(double.IsNaN), b.TrainLoss.Select(double.IsNaN));
        Assert.Equal(r.TrainAccuracy!.Select(double.IsNaN), b.TrainAccuracy!.Select(double.IsNaN));
        Assert.True(double.IsNaN(b.TrainAccuracy![0]));
        Assert.Equal(r.TrainLoss[2], b.TrainLoss[2], 5);
    }

    [Fact]
    public void BadGridsAndOptionsAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GridAxis(-1, 1, 1));
        Assert.Equal("points", e.ParamName);
        Assert.Contains("1", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new GridAxis(0, 0, 5));
        Assert.Equal("min", e.ParamName);
        Assert.Contains("0 must be less than its maximum 0", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new GridAxis(2, 1, 5));
        Assert.Contains("2 must be less than its maximum 1", e.Message);
        Assert.Equal("max", Assert.Throws<ArgumentOutOfRangeException>(() => new GridAxis(0, double.PositiveInfinity, 5)).ParamName);
        Assert.Equal("min", Assert.Throws<ArgumentOutOfRangeException>(() => new GridAxis(double.NaN, 1, 5)).ParamName);

        using var train = Digits(Shared.Mnist.Train, 50);
        using var model = new Mlp(hidden: [8], seed: 0);
        using var d = ParameterDirection.Random(model, 0);
        var loss = new CrossEntropy();
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() =>
            LossLandscape.Line(model, d, train, null, loss, options: new SliceOptions { BatchSize = 0 })).ParamName);
        Assert.Equal("PointsPerPass", Assert.Throws<ArgumentOutOfRangeException>(() =>
            LossLandscape.Line(model, d, train, null, loss, options: new SliceOptions { PointsPerPass = 0 })).ParamName);

        // a direction of another architecture, as x or y of a plane
        using var other = new Mlp(hidden: [9], seed: 0);
        using var wrong = ParameterDirection.Random(other, 0);
        var a = Assert.Throws<ArgumentException>(() => LossLandscape.Plane(model, d, wrong, train, null, loss));
        Assert.Equal("y", a.ParamName);
        Assert.Contains("[9, 784]", a.Message);
        Assert.Contains("[8, 784]", a.Message);
        a = Assert.Throws<ArgumentException>(() => LossLandscape.Line(model, d, train, null, loss, options: new SliceOptions { Center = wrong }));
        Assert.Equal("options.Center", a.ParamName);

        // data that does not fit
        using var f64 = train.To(ScalarType.Float64);
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => LossLandscape.Line(model, d, f64, null, loss)).Message);
        using var regression = SyntheticRegression.Create(inputs: 784, trainCount: 10, testCount: 10, seed: 0);
        Assert.Contains("int64 class indices", Assert.Throws<ArgumentException>(() =>
            LossLandscape.Line(model, d, regression.Train, null, loss)).Message);
        using var empty = new TensorDataset(zeros(0, 784), zeros(0, ScalarType.Int64));
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => LossLandscape.Line(model, d, empty, null, loss)).Message);

        // the batched path cannot be forced on other models
        using var linear = new LinearRegression(784);
        using var ld = ParameterDirection.Random(linear, 0);
        Assert.Contains("batched path needs an Mlp", Assert.Throws<ArgumentException>(() =>
            LossLandscape.Line(linear, ld, regression.Train, null, new HalfSquaredError(),
                options: new SliceOptions { Path = EvaluationPath.Batched })).Message);
        // interpolation is centered on θ₀
        Assert.Contains("Center must be null", Assert.Throws<ArgumentException>(() =>
            LossLandscape.Interpolation(model, model, train, null, loss, options: new SliceOptions { Center = d })).Message);
    }

    [Fact]
    public void SlicesRoundTripThroughDataFramesAndCsv()
    {
        var alpha = new[] { -1.0, 0.1, 1.0 / 3 };
        var beta = new[] { -0.25, 0.5 };
        var loss = new double[,] { { 1.5, double.NaN }, { 0.1 + 0.2, 2.0 / 3 }, { 1e-300, 7 } };
        var acc = new double[,] { { 0.5, double.NaN }, { 0.25, 1 }, { 0, 0.125 } };
        var slice = new Slice2D(alpha, beta, loss, acc, null, null);
        var df = slice.ToDataFrame();
        Assert.Equal(["alpha", "beta", "train_loss", "train_accuracy", "test_loss", "test_accuracy"], df.Columns.Select(c => c.Name));
        Assert.Equal(6, df.Rows.Count);
        Assert.Equal(0.1 + 0.2, (double?)df["train_loss"][2]);
        Assert.Equal(0.5, (double?)df["beta"][3]);
        Assert.Null(df["test_loss"][0]);

        string dir = Directory.CreateTempSubdirectory("wd-landscape-").FullName;
        try
        {
            string path = Path.Combine(dir, "plane.csv");
            slice.SaveCsv(path);
            Assert.Single(Directory.GetFiles(dir)); // written atomically, no temp file left
            var back = LandscapeTables.LoadSlice2D(path);
            Assert.Equal(alpha, back.Alpha);
            Assert.Equal(beta, back.Beta);
            Assert.Equal(Flat(loss), Flat(back.TrainLoss));
            Assert.Equal(Flat(acc), Flat(back.TrainAccuracy));
            Assert.Null(back.TestLoss);
            Assert.Null(back.TestAccuracy);
            Assert.Equal(1, back.NonFiniteCount);

            var line = new Slice1D(Slice1DKind.Direction, alpha, [0.5, double.NaN, 1 / 7.0], null, [1, 2, 3], null);
            string linePath = Path.Combine(dir, "line.csv");
            line.SaveCsv(linePath);
            var lineBack = LandscapeTables.LoadSlice1D(linePath);
            Assert.Equal(Slice1DKind.Direction, lineBack.Kind);
            Assert.Equal(line.TrainLoss, lineBack.TrainLoss);
            Assert.Equal(line.TestLoss, lineBack.TestLoss);
            Assert.Null(lineBack.TrainAccuracy);
            Assert.Equal("direction", line.ToDataFrame()["kind"][0]);

            File.WriteAllText(path, "alpha,train_loss\n1,2\n");
            var e = Assert.Throws<InvalidDataException>(() => LandscapeTables.LoadSlice2D(path));
            Assert.Contains("'beta'", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ARealSliceRoundTripsThroughCsv()
    {
        using var train = Digits(Shared.Mnist.Train, 100);
        using var test = Digits(Shared.Mnist.Test, 100);
        using var model = new Mlp(hidden: [16], seed: 0);
        var (x, y) = ParameterDirection.RandomPair(model, 0);
        using (x) using (y)
        {
            var slice = LossLandscape.Plane(model, x, y, train, test, new CrossEntropy(), new GridAxis(-1, 1, 4), new GridAxis(-2, 2, 3));
            string path = Path.Combine(Path.GetTempPath(), $"wd-{Guid.NewGuid():N}.csv");
            try
            {
                slice.SaveCsv(path);
                var back = LandscapeTables.LoadSlice2D(path);
                foreach (LandscapeMetric m in Enum.GetValues<LandscapeMetric>())
                    Assert.Equal(Flat(slice.Get(m)), Flat(back.Get(m)));
            }
            finally { File.Delete(path); }
        }
    }
}
