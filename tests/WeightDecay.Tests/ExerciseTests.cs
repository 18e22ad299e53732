using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using Xunit;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

/// <summary>The claims of the worked solutions of lessons 01 and 02 (notebooks/solutions/).</summary>
public class ExerciseTests
{
    private static readonly double[] Lambdas = Enumerable.Range(0, 25).Select(i => Math.Pow(10, -9 + 12.0 * i / 24)).ToArray();

    /// <summary>The λ of the lowest test loss averaged (geometrically) over <paramref name="seeds"/> draws of the data.</summary>
    private static double BestLambda(int n, double noise, int seeds)
    {
        var meanLog = new double[Lambdas.Length];
        for (int s = 0; s < seeds; s++)
        {
            using var p = PolynomialRegression.Create(12, n, 200, noise, s);
            var fits = FitTradeoff.Sweep(p.Train, p.Test, Lambdas);
            for (int i = 0; i < fits.Count; i++) meanLog[i] += Math.Log(fits[i].TestLoss) / seeds;
        }
        return Lambdas[Array.IndexOf(meanLog, meanLog.Min())];
    }

    [Fact]
    public void BestLambdaGrowsWithNoiseAndFallsWithData()
    {
        double baseline = BestLambda(15, 0.2, 20), noisier = BestLambda(15, 0.4, 20), moreData = BestLambda(60, 0.2, 20);
        Assert.True(noisier > baseline, $"σ 0.2 → 0.4: best λ {baseline:G2} → {noisier:G2}");
        Assert.True(moreData < baseline, $"n 15 → 60: best λ {baseline:G2} → {moreData:G2}");
    }

    [Fact]
    public void DoublingTheDataHalvesTheMatchingLambdaAndRidgeStillIsTheMode()
    {
        Assert.Equal(BayesianLinearRegression.LambdaFromPrior(1, 0.25, 20) / 2, BayesianLinearRegression.LambdaFromPrior(1, 0.25, 40), 15);
        using var sample = BayesianLinearRegression.Sample(40, 10, 1.0, 0.5, seed: 0);
        double lambda = BayesianLinearRegression.LambdaFromPrior(sample.NoiseVariance, sample.PriorVariance, 40);
        var mean = BayesianLinearRegression.PosteriorMean(sample.Data, sample.NoiseVariance, sample.PriorVariance);
        Assert.True(SolutionComparison.RelativeDeviation(mean, Ridge.Solve(sample.Data, lambda)) <= 1e-10);
    }

    [Fact]
    public void LargeLambdaLimitIsHessianTimesMinimizerOverLambda()
    {
        var bowl = new QuadraticBowl(0.5, 5, 15, [1.5, 2.0]);
        var h = bowl.Hessian;
        var hw = new[] { h[0, 0] * 1.5 + h[0, 1] * 2.0, h[1, 0] * 1.5 + h[1, 1] * 2.0 };
        double hwNorm = Math.Sqrt(hw[0] * hw[0] + hw[1] * hw[1]);
        foreach (var l in new[] { 10.0, 100, 1000, 1e4 })
        {
            var w = bowl.RegularizedMinimizer(l);
            double err = Math.Sqrt(Math.Pow(l * w[0] - hw[0], 2) + Math.Pow(l * w[1] - hw[1], 2)) / hwNorm;
            Assert.True(err <= bowl.H2 / (l + bowl.H2), $"λ = {l}: relative error {err:E2} above the bound {bowl.H2 / (l + bowl.H2):E2}");
        }
        // the limiting direction Hw* is close to the sharp eigenvector q₂
        double cos = Math.Abs(hw[0] * bowl.Q2[0] + hw[1] * bowl.Q2[1]) / hwNorm;
        Assert.True(Math.Acos(cos) * 180 / Math.PI < 10);
    }

    private static (Tensor X, Tensor Y) MnistBatch(int n)
    {
        var (x, y) = Shared.Mnist.Train.Batch(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        using (x) return (x.to_type(ScalarType.Float64), y);
    }

    [Fact]
    public void ConvertedPaperLambdaAndKerasSumConventionMatch()
    {
        const double lr = 3e-4, paper = 1e-4, keras = 5e-4;
        const int batch = 64, steps = 10;
        var (x, y) = MnistBatch(batch);
        using var _x = x; using var _y = y;
        using var m1 = new Mlp(seed: 0, dtype: ScalarType.Float64);
        using var reference = ReferenceOptimizer.AdamW(m1.parameters(), lr,
            weightDecay: LambdaConversion.PyTorchFromPaper(paper, lr));
        var torchAdamW = reference.Train(m1, x, y, new CrossEntropy(), steps);
        using var m2 = new Mlp(seed: 0, dtype: ScalarType.Float64);
        var ours = DecayDynamics.Train(m2, x, y, new CrossEntropy(), new OptimizerOptions(OptimizerKind.Adam, lr),
            new WeightDecayOptions(DecayMethod.Decoupled, paper, null, Regularization.DecaySelection.All, DecoupledScalesWithLearningRate: false), steps);
        Assert.True(GradientCheck.MaxAbsDifference(ours, torchAdamW) <= 1e-10);

        using var model = new Mlp(seed: 0, dtype: ScalarType.Float64);
        var weights = model.parameters().Where(p => p.dim() >= 2).Cast<Tensor>().ToList();
        double lambda = LambdaConversion.FromSumReduction(LambdaConversion.FromKerasL2(keras), batch);
        Assert.Equal(2 * keras / batch, lambda, 15);
        var gKeras = GradientCheck.FlatGradient(model, () =>
            nn.functional.cross_entropy(model.forward(x), y, reduction: nn.Reduction.Sum)
                .Add(weights.Select(w => w.Square().sum()).Aggregate((a, b) => a.Add(b)).Mul(keras)));
        var gOurs = GradientCheck.FlatGradient(model, () =>
            new CrossEntropy().Forward(model.forward(x), y).Add(Regularization.Regularizer.L2.Total(weights).Mul(lambda)));
        Assert.True(GradientCheck.MaxRelativeDifference(gOurs.Select(v => v * batch).ToArray(), gKeras) <= 1e-12);
    }

    [Fact]
    public void FiniteDifferenceErrorIsVShapedInTheStep()
    {
        var (x, y) = MnistBatch(64);
        using var _x = x; using var _y = y;
        using var model = new Mlp(seed: 0, dtype: ScalarType.Float64);
        var steps = Enumerable.Range(1, 11).Select(e => Math.Pow(10, -e)).ToArray();
        var errors = steps.Select(h => GradientCheck.Run(model, new CrossEntropy(), x, y, 0.1, coordinatesPerTensor: 10, step: h).MaxFiniteDifferenceError).ToArray();
        int best = Array.IndexOf(errors, errors.Min());
        Assert.InRange(steps[best], 1e-7, 1e-3);
        Assert.True(errors[0] > 1000 * errors[best], "large steps: truncation error");
        Assert.True(errors[^1] > 1000 * errors[best], "tiny steps: rounding error");
        double slope = Math.Log10(errors[^1] / errors[^5]) / 4;   // from h = 1e-7 to 1e-11
        Assert.InRange(slope, 0.7, 1.3);                           // rounding error ∝ 1/h
        // from h = 1e-4 to 1e-3 the error grows by more than h²'s factor 100: pre-activations lie that close to the kink
        Assert.True(errors[2] / errors[3] > 100, $"×{errors[2] / errors[3]:G2}");
        using var z = model.Layers[0].forward(x);
        Assert.True(z.abs().min().item<double>() < 1e-3);
    }

    [Fact]
    public void WeightsOfDeadPixelsDecayGeometricallyUnderAdamWAndByAboutEtaPerStepUnderAdamWithL2()
    {
        const double lr = 1e-4, lambda = 0.1;
        const int steps = 30;
        var (x, y) = MnistBatch(64);
        using var _x = x; using var _y = y;
        using var scope = NewDisposeScope();
        var deadPixels = x.abs().sum(dim: 0).eq(Scalars.Zero).nonzero().reshape(-1).data<long>().ToArray();
        Assert.True(deadPixels.Length > 100);
        using var m0 = new Mlp(seed: 0, dtype: ScalarType.Float64);
        var initial = GradientCheck.FlatParameters(m0);
        var dead = Enumerable.Range(0, 64).SelectMany(i => deadPixels.Select(j => i * 784 + (int)j)).ToArray(); // fc1.weight is [64, 784], first
        double[] Train(DecayMethod method)
        {
            using var m = new Mlp(seed: 0, dtype: ScalarType.Float64);
            return DecayDynamics.Train(m, x, y, new CrossEntropy(), new OptimizerOptions(OptimizerKind.Adam, lr), new WeightDecayOptions(method, lambda), steps);
        }
        var adamW = Train(DecayMethod.Decoupled);
        var adamL2 = Train(DecayMethod.Coupled);
        double factor = Math.Pow(1 - lr * lambda, steps);
        Assert.All(dead, k => Assert.True(Math.Abs(adamW[k] - factor * initial[k]) <= 1e-12 * Math.Abs(initial[k]) + 1e-300));
        var far = dead.Where(k => Math.Abs(initial[k]) > 2 * lr * steps).ToArray();
        Assert.True(far.Length > dead.Length / 2);
        double meanStep = far.Average(k => Math.Abs(initial[k]) - Math.Abs(adamL2[k])) / steps;
        Assert.InRange(meanStep / lr, 0.8, 1.0);
        // AdamW moved the same weights by ηλ|θ| per step: orders of magnitude less
        Assert.True(far.Average(k => Math.Abs(initial[k] - adamW[k])) / steps < meanStep / 100);
    }
}
