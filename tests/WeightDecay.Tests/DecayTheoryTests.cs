using TorchSharp;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Regularization;
using Xunit;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

/// <summary>Lesson 02's claims: the gradient checked three ways, pure decay, coupled vs decoupled, per-coordinate shrinkage
/// under Adam, and the conventions that change the effective λ.</summary>
public class DecayTheoryTests
{
    private static Mlp Model(int seed = 0) => new(seed: seed, dtype: ScalarType.Float64);

    private static double RelMax(IReadOnlyList<double> a, IReadOnlyList<double> b) => Shared.MaxAbs(a, b) / b.Max(Math.Abs);

    // ---- the gradient ----

    [Theory]
    [InlineData(DecaySelection.WeightsOnly)]
    [InlineData(DecaySelection.All)]
    public void GradientCheckAgreesThreeWaysOnTheMnistMlp(DecaySelection selection)
    {
        using var model = Model();
        var (x, y) = Shared.FirstDigitsFloat64(64);
        using var _x = x; using var _y = y;
        var r = GradientCheck.Run(model, new CrossEntropy(), x, y, 0.1, selection, coordinatesPerTensor: 40);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], r.Rows.Select(row => row.Tensor));
        Assert.Equal([40, 40, 40, 10], r.Rows.Select(row => row.FiniteDifferenceCoordinates));
        Assert.Equal(selection == DecaySelection.All, r.Rows[1].Decayed);
        Assert.True(r.MaxAnalyticError <= 1e-12, $"autograd vs ∂L/∂θ + λθ: {r.MaxAnalyticError:E2}");
        Assert.True(r.MaxFiniteDifferenceError <= 1e-7, $"autograd vs central differences: {r.MaxFiniteDifferenceError:E2}");
        Assert.True(r.MaxDecayTerm > 1000 * r.MaxFiniteDifferenceError, "a missing λθ would be far above the errors");
        Assert.Equal(9, r.ToDataFrame().Columns.Count);
        Assert.True(model.training, "the model's mode is restored");
    }

    [Fact]
    public void GradientCheckDetectsAWrongGradient()
    {
        // a loss whose autograd gradient is wrong (a detached factor hides part of the dependence): FD must disagree
        using var model = new Mlp(inputs: 6, hidden: [4], outputs: 3, seed: 2, dtype: ScalarType.Float64);
        using var x = randn(new long[] { 5, 6 }, dtype: ScalarType.Float64, generator: new Generator(1));
        using var y = tensor(new long[] { 0, 1, 2, 0, 1 });
        var r = GradientCheck.Run(model, new DetachedSquare(), x, y, 0.1);
        Assert.True(r.MaxFiniteDifferenceError > 1e-3, $"FD error {r.MaxFiniteDifferenceError:E2} should expose the wrong gradient");
    }

    [Fact]
    public void AKinkWithinTheStepIsLeftOutAndAWrongGradientIsStillCaught()
    {
        // lesson 02 at seed 42445, 30 entries per tensor: one drawn entry has a ReLU pre-activation changing sign
        // within ±h, so its central difference misses by 3.4e-4 although autograd is right
        using var model = new Mlp(seed: 42445, dtype: ScalarType.Float64);
        var (x, y) = Shared.FirstDigitsFloat64(64);
        using var _x = x; using var _y = y;
        GradientCheckResult Check(double kink) => GradientCheck.Run(model, new CrossEntropy(), x, y, 0.1,
            coordinatesPerTensor: 30, seed: 42445, kinkCurvature: kink);
        var raw = Check(double.PositiveInfinity);
        var kept = Check(1);
        Assert.True(raw.MaxFiniteDifferenceError > 1e-5, $"{raw.MaxFiniteDifferenceError:E2}");
        Assert.Equal(0, raw.KinkCoordinates);
        Assert.Equal(1, kept.KinkCoordinates);
        Assert.Equal(raw.FiniteDifferenceCoordinates - 1, kept.FiniteDifferenceCoordinates);
        Assert.True(kept.MaxFiniteDifferenceError <= 1e-7, $"{kept.MaxFiniteDifferenceError:E2}");
        Assert.InRange(kept.MaxCurvature, 0, 1);
        // the threshold looks at L' only, not at the gradient: a wrong gradient still fails
        using var small = new Mlp(inputs: 6, hidden: [4], outputs: 3, seed: 2, dtype: ScalarType.Float64);
        using var xs = randn(new long[] { 5, 6 }, dtype: ScalarType.Float64, generator: new Generator(1));
        using var ys = tensor(new long[] { 0, 1, 2, 0, 1 });
        var wrong = GradientCheck.Run(small, new DetachedSquare(), xs, ys, 0.1, kinkCurvature: 1);
        Assert.True(wrong.MaxFiniteDifferenceError > 1e-3, $"{wrong.MaxFiniteDifferenceError:E2}");
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run(small, new DetachedSquare(), xs, ys, 0.1,
            kinkCurvature: 0));
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(-0.5)]
    public void AKinksCentralDifferenceMissesByHalfTheStepTimesItsSecondDifference(double offset)
    {
        // L(θ) = J · relu(θ − c) with the corner c = θ₀ + offset · h: lesson 02 leaves out the entries whose second
        // difference D exceeds tolerance / h because a kink's central difference misses by exactly h · D / 2
        const double h = 1e-6, theta0 = 0.3, jump = 0.7;
        using var model = nn.Linear(1, 1, hasBias: false, dtype: ScalarType.Float64);
        using (no_grad())
        using (var start = tensor(new[] { theta0 }, 1, 1))
            model.weight!.copy_(start);
        using var x = ones(1, 1, dtype: ScalarType.Float64);
        using var corner = tensor(new[] { theta0 + offset * h }, 1, 1);
        var loss = new Kink(jump);
        var raw = GradientCheck.Run(model, loss, x, corner, 0, coordinatesPerTensor: 1, step: h);
        double error = raw.MaxFiniteDifferenceError, d = raw.MaxCurvature;
        Assert.Equal(jump * (1 - Math.Abs(offset)) / 2, error, 1e-8);
        Assert.Equal(h * d / 2, error, 1e-8);
        // a threshold just above D keeps the entry (its error is h · threshold / 2 at most), one just below drops it
        Assert.Equal(0, GradientCheck.Run(model, loss, x, corner, 0, coordinatesPerTensor: 1, step: h,
            kinkCurvature: d * 1.001).KinkCoordinates);
        var dropped = GradientCheck.Run(model, loss, x, corner, 0, coordinatesPerTensor: 1, step: h,
            kinkCurvature: d * 0.999);
        Assert.Equal((1, 0), (dropped.KinkCoordinates, dropped.FiniteDifferenceCoordinates));
    }

    /// <summary>J · relu(prediction − target), a loss with one corner where the prediction equals the target.</summary>
    private sealed class Kink(double jump) : Loss
    {
        public override string Name => "kink";
        public override bool IsClassification => false;
        public override Tensor Forward(Tensor prediction, Tensor target)
        {
            using var j = tensor(jump, ScalarType.Float64);
            using var shifted = prediction.sub(target);
            using var corner = shifted.relu();
            return corner.mul(j).sum();
        }
    }

    private sealed class DetachedSquare : Loss
    {
        public override string Name => "detached_square";
        public override bool IsClassification => false;
        public override Tensor Forward(Tensor prediction, Tensor target) => (prediction * prediction.detach()).mean();
    }

    [Fact]
    public void GradientCheckRejectsFloat32Models()
    {
        using var model = new Mlp(inputs: 3, hidden: [2], outputs: 2);
        using var x = zeros(2, 3);
        using var y = tensor(new long[] { 0, 1 });
        Assert.Contains("float64", Assert.Throws<ArgumentException>(() => GradientCheck.Run(model, new CrossEntropy(), x, y, 0.1)).Message);
    }

    // ---- pure decay ----

    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void PureDecayIsGeometricForSgdAndAdamWButNotForAdamWithL2(double lambda)
    {
        const double lr = 0.01;
        const int steps = 300;
        var exact = DecayDynamics.Geometric(lr, lambda, steps);
        foreach (var (kind, method) in new[] { (OptimizerKind.Sgd, DecayMethod.Coupled), (OptimizerKind.Sgd, DecayMethod.Decoupled),
                     (OptimizerKind.Sgd, DecayMethod.Penalty), (OptimizerKind.Adam, DecayMethod.Decoupled) })
        {
            var run = DecayDynamics.PureDecay(kind, method, lr, lambda, steps);
            double rel = run.Zip(exact, (a, b) => Math.Abs(a - b) / b).Max();
            Assert.True(rel <= 1e-12, $"{kind} {method}: relative error {rel:E2} from (1−ηλ)ᵗ");
        }
        // Adam normalizes the decay gradient λθ away: the trajectory does not depend on λ at all, and is not geometric
        var adamL2 = DecayDynamics.PureDecay(OptimizerKind.Adam, DecayMethod.Coupled, lr, lambda, steps);
        var adamL2Other = DecayDynamics.PureDecay(OptimizerKind.Adam, DecayMethod.Coupled, lr, 0.1, steps);
        Assert.True(Shared.MaxAbs(adamL2, adamL2Other) <= 1e-6, $"Adam+L2 depends on λ: {Shared.MaxAbs(adamL2, adamL2Other):E2}");
        Assert.Equal(1 - lr, adamL2[1], 6); // the first step is η·sign(θ)
        Assert.True(Shared.MaxAbs(adamL2, exact) > 1e-2);
    }

    [Fact]
    public void HalfLifeIsWhenPureDecayHalvesTheWeight()
    {
        const double lr = 0.01, lambda = 1;
        double half = LambdaConversion.HalfLifeSteps(lambda, lr);
        Assert.Equal(Math.Log(2) / -Math.Log(1 - lr * lambda), half, 12);
        var run = DecayDynamics.PureDecay(OptimizerKind.Sgd, DecayMethod.Decoupled, lr, lambda, 100);
        Assert.True(run[(int)Math.Ceiling(half)] <= 0.5 && run[(int)Math.Floor(half)] > 0.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => LambdaConversion.HalfLifeSteps(0, lr));
    }

    // ---- coupled vs decoupled ----

    [Fact]
    public void CoupledEqualsDecoupledForSgdButNotForAdamOnTheMlp()
    {
        var (x, y) = Shared.FirstDigitsFloat64(64);
        using var _x = x; using var _y = y;
        var coupled = new WeightDecayOptions(DecayMethod.Coupled, 0.1);
        var decoupled = new WeightDecayOptions(DecayMethod.Decoupled, 0.1);
        var sgd = DecayDynamics.LockstepDifference(() => Model(), x, y, new CrossEntropy(), new OptimizerOptions(OptimizerKind.Sgd, 0.1), coupled, decoupled, 20);
        var adam = DecayDynamics.LockstepDifference(() => Model(), x, y, new CrossEntropy(), new OptimizerOptions(OptimizerKind.Adam, 1e-3), coupled, decoupled, 20);
        Assert.Equal(0, sgd[0]);
        Assert.True(sgd.Max() <= 1e-12, $"SGD coupled vs decoupled: {sgd.Max():E2}");
        Assert.True(adam[^1] > 1e-3, $"Adam coupled vs decoupled: {adam[^1]:E2}");
        // with momentum, SGD's two forms differ too: the decay passes through the momentum buffer only when coupled
        var momentum = DecayDynamics.LockstepDifference(() => Model(), x, y, new CrossEntropy(), new OptimizerOptions(OptimizerKind.Sgd, 0.1, Momentum: 0.9), coupled, decoupled, 20);
        Assert.True(momentum[^1] > 1e-6, $"SGD with momentum, coupled vs decoupled: {momentum[^1]:E2}");
    }

    [Fact]
    public void AdamWithL2DecaysLargeGradientWeightsLessAdamWDecaysAllAlike()
    {
        const double lr = 0.01, lambda = 0.1;
        double[] scales = [10, 1e-3];
        const int steps = 1000;
        var reference = DecayDynamics.Trajectories(OptimizerKind.Adam, DecayMethod.None, lr, 0, scales, steps);
        var l2 = DecayDynamics.Trajectories(OptimizerKind.Adam, DecayMethod.Coupled, lr, lambda, scales, steps);
        var adamw = DecayDynamics.Trajectories(OptimizerKind.Adam, DecayMethod.Decoupled, lr, lambda, scales, steps);
        for (int i = 0; i < 2; i++)
        {
            double rate = DecayDynamics.EffectiveDecayRate(reference[i], adamw[i]);
            Assert.True(Math.Abs(rate / (lr * lambda) - 1) <= 1e-9, $"AdamW weight {i}: rate {rate:E6} vs ηλ");
        }
        double large = DecayDynamics.EffectiveDecayRate(reference[0], l2[0]);
        double small = DecayDynamics.EffectiveDecayRate(reference[1], l2[1]);
        Assert.True(Math.Abs(large / (lr * lambda / scales[0]) - 1) <= 0.05, $"Adam+L2 large-gradient weight: {large:E3} vs ηλ/s = {lr * lambda / scales[0]:E3}");
        Assert.True(small > 5 * lr * lambda, $"Adam+L2 small-gradient weight: {small:E3} vs ηλ = {lr * lambda:E3}");
        // without decay the alternating data gradient leaves the weights where they were, within a few η
        Assert.All(reference, r => Assert.InRange(r[^1], 1 - 3 * lr, 1 + 3 * lr));
    }

    [Fact]
    public void EffectiveDecayRateValidatesItsInput() =>
        Assert.Throws<ArgumentException>(() => DecayDynamics.EffectiveDecayRate([1.0, 0.9], [1.0]));

    // ---- conventions ----

    [Fact]
    public void ConversionsAreMutuallyInverseAndValidated()
    {
        Assert.Equal(1e-3, LambdaConversion.FromKerasL2(5e-4));
        Assert.Equal(5e-4, LambdaConversion.ToKerasL2(1e-3));
        Assert.Equal(0.5 / 128, LambdaConversion.FromSumReduction(0.5, 128));
        Assert.Equal(0.5, LambdaConversion.ToSumReduction(LambdaConversion.FromSumReduction(0.5, 128), 128), 15);
        Assert.Equal(0.1 / 1e-3, LambdaConversion.PyTorchFromPaper(0.1, 1e-3), 9);
        Assert.Equal(0.1, LambdaConversion.PaperFromPyTorch(LambdaConversion.PyTorchFromPaper(0.1, 1e-3), 1e-3), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => LambdaConversion.FromKerasL2(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LambdaConversion.FromSumReduction(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LambdaConversion.PyTorchFromPaper(1, 0));
    }

    private static Tensor SumOfSquares(IEnumerable<Tensor> ts) => ts.Select(t => t.Square().sum()).Aggregate((a, b) => a.Add(b));

    [Fact]
    public void KerasL2GradientEqualsOursWithTwiceTheCoefficient()
    {
        using var model = Model();
        var weights = model.parameters().Where(p => p.dim() >= 2).Cast<Tensor>().ToList();
        const double keras = 5e-4;
        var gKeras = GradientCheck.FlatGradient(model, () => SumOfSquares(weights).Mul(keras));
        var gOurs = GradientCheck.FlatGradient(model, () => Regularizer.L2.Total(weights).Mul(LambdaConversion.FromKerasL2(keras)));
        var gLiteral = GradientCheck.FlatGradient(model, () => Regularizer.L2.Total(weights).Mul(keras));
        Assert.True(RelMax(gOurs, gKeras) <= 1e-15, $"{RelMax(gOurs, gKeras):E2}");
        Assert.True(RelMax(gLiteral.Select(v => 2 * v).ToArray(), gKeras) <= 1e-15, "the Keras number taken as our λ decays half as hard");
    }

    [Theory]
    [InlineData(32)]
    [InlineData(128)]
    public void SumReducedGradientIsBatchSizeTimesOursWithLambdaOverBatchSize(int batch)
    {
        using var model = Model();
        var (x, y) = Shared.FirstDigitsFloat64(batch);
        using var _x = x; using var _y = y;
        var weights = model.parameters().Where(p => p.dim() >= 2).Cast<Tensor>().ToList();
        const double lambdaSum = 0.5;
        var gSum = GradientCheck.FlatGradient(model, () =>
            nn.functional.cross_entropy(model.forward(x), y, reduction: nn.Reduction.Sum).Add(Regularizer.L2.Total(weights).Mul(lambdaSum)));
        var gMean = GradientCheck.FlatGradient(model, () =>
            new CrossEntropy().Forward(model.forward(x), y)
                .Add(Regularizer.L2.Total(weights).Mul(LambdaConversion.FromSumReduction(lambdaSum, batch))));
        Assert.True(RelMax(gMean.Select(v => v * batch).ToArray(), gSum) <= 1e-12, $"{RelMax(gMean.Select(v => v * batch).ToArray(), gSum):E2}");
    }

    [Fact]
    public void PyTorchsAdamWMultipliesWeightDecayByTheLearningRate()
    {
        const double lr = 1e-3, wd = 0.1;
        const int steps = 10;
        var (x, y) = Shared.FirstDigitsFloat64(64);
        using var _x = x; using var _y = y;
        var loss = new CrossEntropy();
        var adam = new OptimizerOptions(OptimizerKind.Adam, lr);
        using var m1 = Model();
        using var reference = ReferenceOptimizer.AdamW(m1.parameters(), lr, weightDecay: wd);
        var torchAdamW = reference.Train(m1, x, y, loss, steps);
        using var m2 = Model();
        var ours = DecayDynamics.Train(m2, x, y, loss, adam, new WeightDecayOptions(DecayMethod.Decoupled, wd, null, DecaySelection.All), steps);
        using var m3 = Model();
        var paper = DecayDynamics.Train(m3, x, y, loss, adam, new WeightDecayOptions(DecayMethod.Decoupled, LambdaConversion.PaperFromPyTorch(wd, lr),
            null, DecaySelection.All, DecoupledScalesWithLearningRate: false), steps);
        using var m4 = Model();
        var literal = DecayDynamics.Train(m4, x, y, loss, adam, new WeightDecayOptions(DecayMethod.Decoupled, wd, null, DecaySelection.All,
            DecoupledScalesWithLearningRate: false), steps);
        Assert.True(Shared.MaxAbs(ours, torchAdamW) <= 1e-10, $"{Shared.MaxAbs(ours, torchAdamW):E2}");
        Assert.True(Shared.MaxAbs(paper, torchAdamW) <= 1e-10, $"{Shared.MaxAbs(paper, torchAdamW):E2}");
        Assert.True(Shared.MaxAbs(literal, torchAdamW) > 1e-2, $"{Shared.MaxAbs(literal, torchAdamW):E2}");
    }

    [Fact]
    public void PyTorchsSgdWeightDecayOnAllParametersDecaysBiasesToo()
    {
        const double lr = 0.1, wd = 0.05;
        const int steps = 10;
        var (x, y) = Shared.FirstDigitsFloat64(64);
        using var _x = x; using var _y = y;
        var loss = new CrossEntropy();
        var sgd = new OptimizerOptions(OptimizerKind.Sgd, lr);
        using var m1 = Model();
        using var reference = ReferenceOptimizer.Sgd(m1.parameters(), lr, weightDecay: wd);
        var torchSgd = reference.Train(m1, x, y, loss, steps);
        using var m2 = Model();
        var all = DecayDynamics.Train(m2, x, y, loss, sgd, new WeightDecayOptions(DecayMethod.Coupled, wd, null, DecaySelection.All), steps);
        using var m3 = Model();
        var weightsOnly = DecayDynamics.Train(m3, x, y, loss, sgd, new WeightDecayOptions(DecayMethod.Coupled, wd), steps);
        Assert.True(Shared.MaxAbs(all, torchSgd) <= 1e-12, $"{Shared.MaxAbs(all, torchSgd):E2}");
        Assert.True(Shared.MaxAbs(weightsOnly, torchSgd) > 1e-5, $"{Shared.MaxAbs(weightsOnly, torchSgd):E2}");
    }
}

[Collection(nameof(Serial))]
public class TorchThreadsTests
{
    [Fact]
    public void LimitSetsAndRestoresTheThreadCount()
    {
        int before = get_num_threads();
        using (TorchThreads.Limit(1)) Assert.Equal(1, get_num_threads());
        Assert.Equal(before, get_num_threads());
        using (var t = TorchThreads.Limit(before + 10)) Assert.Equal(before, get_num_threads()); // never raises it
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchThreads.Limit(0));
    }
}
