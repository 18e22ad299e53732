using WeightDecay.Training;
using Xunit;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

/// <summary>Lesson 01's claims: the fit–simplicity trade-off, L2 as MAP estimation, and the geometry of the penalized minimum.</summary>
public class TheoryTests
{
    private static double[] LogGrid(double from, double to, int count) =>
        Enumerable.Range(0, count).Select(i => Math.Pow(10, from + (to - from) * i / (count - 1))).ToArray();

    // ---- 1 · trade-off ----

    [Theory]
    [InlineData(0, 25)]
    [InlineData(0, 13)]
    [InlineData(1, 25)]
    [InlineData(2, 13)]
    public void TrainingLossRisesWeightNormShrinksAndTestLossIsUShaped(int seed, int count)
    {
        using var poly = PolynomialRegression.Create(seed: seed);
        var fits = FitTradeoff.Sweep(poly.Train, poly.Test, LogGrid(-9, 3, count));
        for (int i = 1; i < fits.Count; i++)
        {
            Assert.True(fits[i].TrainLoss >= fits[i - 1].TrainLoss * (1 - 1e-9),
                $"training loss fell from {fits[i - 1].TrainLoss:E6} to {fits[i].TrainLoss:E6} at λ = {fits[i].Lambda:E1}");
            Assert.True(fits[i].WeightNorm <= fits[i - 1].WeightNorm * (1 + 1e-9),
                $"‖w‖ grew from {fits[i - 1].WeightNorm:E6} to {fits[i].WeightNorm:E6} at λ = {fits[i].Lambda:E1}");
        }
        int best = Enumerable.Range(0, fits.Count).MinBy(i => fits[i].TestLoss);
        Assert.InRange(best, 1, fits.Count - 2);
        Assert.True(fits[best].TestLoss < fits[0].TestLoss && fits[best].TestLoss < fits[^1].TestLoss);
        Assert.True(fits[0].TrainLoss < 0.1 * fits[0].TestLoss, "the smallest λ overfits");
    }

    [Fact]
    public void PolynomialFeaturesAndPredictionAgree()
    {
        using var poly = PolynomialRegression.Create(degree: 4, trainCount: 6, seed: 3);
        using var f = PolynomialRegression.Features([2.0, -0.5], 3);
        Assert.Equal([2.0, 4, 8, -0.5, 0.25, -0.125], f.data<double>().ToArray());
        var s = new LinearSolution([1.0, -2, 0.5, 0.25], 0.3);
        var x = poly.TrainX.ToArray();
        var predicted = PolynomialRegression.Predict(s, x);
        using var scope = NewDisposeScope();
        var viaFeatures = poly.Train.Features.matmul(tensor(s.Weights)).Add(s.Bias).data<double>().ToArray();
        Assert.True(Shared.MaxAbs(predicted, viaFeatures) <= 1e-14);
        // the loss helper is ½·mean squared error
        var r = predicted.Zip(poly.TrainY, (p, y) => p - y).ToArray();
        Assert.Equal(r.Average(v => 0.5 * v * v), FitTradeoff.HalfSquaredError(poly.Train, s), 14);
    }

    /// <summary>The constant predictor is the limit λ → ∞ of the ridge fits (bias unpenalized: w → 0, b → ȳ), and
    /// its test loss is ½·mean((y − ȳ)²) over the test targets, which are the test set's.</summary>
    [Fact]
    public void ConstantPredictorIsTheRidgeLimitOfAHugeLambda()
    {
        using var poly = PolynomialRegression.Create(seed: 4);
        Assert.Equal(poly.Test.Targets.data<double>().ToArray(), poly.TestY.ToArray());
        var huge = FitTradeoff.Sweep(poly.Train, poly.Test, [1e12])[0];
        Assert.Equal(1, huge.TestLoss / poly.ConstantPredictorLoss(), 6);
        Assert.True(poly.ConstantPredictorLoss() > 0);
    }

    [Fact]
    public void PolynomialDataIsSeededAndValidated()
    {
        using var a = PolynomialRegression.Create(seed: 5);
        using var b = PolynomialRegression.Create(seed: 5);
        using var c = PolynomialRegression.Create(seed: 6);
        Assert.Equal(a.TrainX, b.TrainX);
        Assert.NotEqual(a.TrainX, c.TrainX);
        Assert.All(a.TrainX, x => Assert.InRange(x, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolynomialRegression.Create(degree: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolynomialRegression.Create(noiseStd: -1));
    }

    // ---- 2 · MAP estimation ----

    private static double RelativeDifference(LinearSolution a, LinearSolution b)
    {
        var va = a.Weights.Append(a.Bias).ToArray();
        var vb = b.Weights.Append(b.Bias).ToArray();
        return Math.Sqrt(va.Zip(vb, (x, y) => (x - y) * (x - y)).Sum() / vb.Sum(v => v * v));
    }

    [Theory]
    [InlineData(20, 10, 1.0, 0.5, 0)]
    [InlineData(40, 10, 1.0, 0.5, 1)]
    [InlineData(30, 5, 0.3, 2.0, 2)]
    public void PosteriorModeIsRidgeWithLambdaSigmaSquaredOverNTauSquared(int n, int d, double sigma, double tau, int seed)
    {
        using var sample = BayesianLinearRegression.Sample(n, d, sigma, tau, seed: seed);
        double lambda = BayesianLinearRegression.LambdaFromPrior(sample.NoiseVariance, sample.PriorVariance, n);
        Assert.Equal(sigma * sigma / (n * tau * tau), lambda, 15);
        var ridge = Ridge.Solve(sample.Data, lambda);
        var mean = BayesianLinearRegression.PosteriorMean(sample.Data, sample.NoiseVariance, sample.PriorVariance);
        var (mode, gradNorm) = BayesianLinearRegression.PosteriorModeByGradientDescent(sample.Data, sample.NoiseVariance, sample.PriorVariance, 2000);
        Assert.True(RelativeDifference(mean, ridge) <= 1e-10, $"closed-form posterior mean vs ridge: {RelativeDifference(mean, ridge):E2}");
        Assert.True(RelativeDifference(mode, ridge) <= 1e-8, $"gradient-descent mode vs ridge: {RelativeDifference(mode, ridge):E2}");
        Assert.True(gradNorm <= 1e-8, $"gradient norm at the mode {gradNorm:E2}");
        // forgetting n (the sum-loss formula σ²/τ²) is a different, more strongly shrunk estimate
        var naive = Ridge.Solve(sample.Data, sample.NoiseVariance / sample.PriorVariance);
        Assert.True(RelativeDifference(naive, ridge) > 1e-2, $"σ²/τ² should differ: {RelativeDifference(naive, ridge):E2}");
        Assert.True(naive.Weights.Sum(v => v * v) < ridge.Weights.Sum(v => v * v));
    }

    [Fact]
    public void LambdaAndPriorVarianceConvertBothWaysAndRejectBadInput()
    {
        double l = BayesianLinearRegression.LambdaFromPrior(0.25, 4, 50);
        Assert.Equal(0.25 / 200, l, 15);
        Assert.Equal(4, BayesianLinearRegression.PriorVarianceFromLambda(l, 0.25, 50), 12);
        // a fixed prior is worth λ ∝ 1/n
        Assert.Equal(l / 2, BayesianLinearRegression.LambdaFromPrior(0.25, 4, 100), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => BayesianLinearRegression.LambdaFromPrior(0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BayesianLinearRegression.LambdaFromPrior(1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BayesianLinearRegression.Sample(0, 1, 1, 1));
    }

    [Fact]
    public void NegativeLogPosteriorIsLikelihoodPlusPriorTerms()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2, 3, 4 }, new long[] { 2, 2 });
        var y = tensor(new[] { 1.0, -1 });
        var w = tensor(new[] { 0.5, -0.25 });
        var b = tensor(new[] { 0.1 });
        // residuals: 0.5 − 0.5 + 0.1 − 1 = −0.9 ; 1.5 − 1 + 0.1 + 1 = 1.6
        double expected = (0.81 + 2.56) / (2 * 0.5) + (0.25 + 0.0625) / (2 * 2.0);
        Assert.Equal(expected, BayesianLinearRegression.NegativeLogPosterior(x, y, w, b, 0.5, 2.0).item<double>(), 14);
    }

    // ---- 3 · geometry ----

    private static QuadraticBowl Bowl() => new(0.5, 5, 15, [1.5, 2.0]);

    private static readonly double[] GeometryLambdas = [0, 0.1, 0.3, 1, 3, 10, 30];

    [Fact]
    public void ClosedFormMinimizerMatchesAutogradGradientDescent()
    {
        var bowl = Bowl();
        var gd = bowl.MinimizeWithAutograd(GeometryLambdas, 1000);
        for (int i = 0; i < GeometryLambdas.Length; i++)
        {
            var c = bowl.RegularizedMinimizer(GeometryLambdas[i]);
            Assert.True(Shared.MaxAbs(c, gd[i]) <= 1e-9, $"λ = {GeometryLambdas[i]}: closed form ({c[0]}, {c[1]}) vs GD ({gd[i][0]}, {gd[i][1]})");
        }
        Assert.True(Shared.MaxAbs(bowl.Minimizer, bowl.RegularizedMinimizer(0)) <= 1e-15, "λ = 0 gives w*");
    }

    [Fact]
    public void EachEigenCoordinateIsScaledByHOverHPlusLambda()
    {
        var bowl = Bowl();
        var gd = bowl.MinimizeWithAutograd(GeometryLambdas, 1000);
        var (c1, c2) = bowl.EigenCoordinates(bowl.Minimizer);
        for (int i = 0; i < GeometryLambdas.Length; i++)
        {
            var (m1, m2) = bowl.EigenCoordinates(gd[i]);
            var (s1, s2) = bowl.ShrinkFactors(GeometryLambdas[i]);
            Assert.True(Math.Abs(m1 / c1 - s1) <= 1e-8 && Math.Abs(m2 / c2 - s2) <= 1e-8,
                $"λ = {GeometryLambdas[i]}: measured ({m1 / c1}, {m2 / c2}) vs h/(h+λ) ({s1}, {s2})");
            if (GeometryLambdas[i] > 0) Assert.True(s1 < s2, "the flat direction (small h) is shrunk more");
        }
    }

    [Fact]
    public void AtTheMinimizerTheLossGradientIsMinusLambdaW()
    {
        var bowl = Bowl();
        foreach (var l in GeometryLambdas)
        {
            var w = bowl.RegularizedMinimizer(l);
            var g = bowl.Gradient(w);
            Assert.True(Math.Abs(g[0] + l * w[0]) <= 1e-12 && Math.Abs(g[1] + l * w[1]) <= 1e-12, $"λ = {l}: ∇L = ({g[0]}, {g[1]}), −λw̃ = ({-l * w[0]}, {-l * w[1]})");
            // the level set through w̃ really is a level set
            Assert.All(bowl.LevelSet(bowl.Loss(w), 13), p => Assert.Equal(bowl.Loss(w), bowl.Loss(p), 12));
        }
    }

    [Fact]
    public void ThePathShrinksToTheOriginAndBends()
    {
        var bowl = Bowl();
        var norms = GeometryLambdas.Select(l => bowl.RegularizedMinimizer(l)).Select(w => Math.Sqrt(w[0] * w[0] + w[1] * w[1])).ToArray();
        for (int i = 1; i < norms.Length; i++) Assert.True(norms[i] < norms[i - 1]);
        var far = bowl.RegularizedMinimizer(1e6);
        Assert.True(Math.Sqrt(far[0] * far[0] + far[1] * far[1]) < 1e-4);
        double Angle(double[] w) => Math.Atan2(w[1], w[0]) * 180 / Math.PI;
        double turn = Math.Abs(Angle(bowl.RegularizedMinimizer(30)) - Angle(bowl.RegularizedMinimizer(0)));
        Assert.True(turn > 10, $"the direction of w̃ turns by {turn:F1}° (not a straight line to the origin)");
        // for λ ≫ h, w̃ ≈ H w*/λ
        var h = bowl.Hessian;
        var hw = new[] { h[0, 0] * 1.5 + h[0, 1] * 2.0, h[1, 0] * 1.5 + h[1, 1] * 2.0 };
        Assert.True(Math.Abs(far[0] * 1e6 - hw[0]) < 1e-4 && Math.Abs(far[1] * 1e6 - hw[1]) < 1e-4);
    }

    [Fact]
    public void IsotropicCurvatureMovesAlongTheStraightLine()
    {
        var bowl = new QuadraticBowl(2, 2, 40, [1.0, 3.0]);
        foreach (var l in GeometryLambdas)
        {
            var w = bowl.RegularizedMinimizer(l);
            Assert.Equal(2 / (2 + l) * 1.0, w[0], 14);
            Assert.Equal(2 / (2 + l) * 3.0, w[1], 14);
        }
    }

    [Fact]
    public void BowlRejectsBadInput()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuadraticBowl(0, 1, 0, [1.0, 1.0]));
        Assert.Throws<ArgumentException>(() => new QuadraticBowl(1, 1, 0, [1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bowl().RegularizedMinimizer(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bowl().MinimizeWithAutograd([1.0], 0));
    }
}
