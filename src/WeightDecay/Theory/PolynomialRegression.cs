using WeightDecay.Data;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Theory;

/// <summary>
/// One-dimensional regression with polynomial features, the classic picture of over- and underfitting:
/// x ~ U(−1, 1), y = sin(πx) + ε with ε ~ N(0, σ²), features φ(x) = (x, x², …, x^D) (the bias is the model's separate b).
/// Datasets hold float64 features [n, D] and targets [n], ready for <see cref="Ridge.Solve"/>.
/// </summary>
public sealed class PolynomialRegression : IDisposable
{
    /// <summary>Polynomial degree D (number of features).</summary>
    public int Degree { get; }

    /// <summary>Noise standard deviation σ.</summary>
    public double NoiseStd { get; }

    /// <summary>Training inputs x.</summary>
    public IReadOnlyList<double> TrainX { get; }

    /// <summary>Training targets y.</summary>
    public IReadOnlyList<double> TrainY { get; }

    /// <summary>Test inputs x (fresh draws from the same distribution).</summary>
    public IReadOnlyList<double> TestX { get; }

    /// <summary>Training set: features (x, …, x^D) and targets.</summary>
    public TensorDataset Train { get; }

    /// <summary>Test set: features and targets.</summary>
    public TensorDataset Test { get; }

    private PolynomialRegression(int degree, double noiseStd, double[] trainX, double[] trainY, double[] testX, double[] testY)
    {
        (Degree, NoiseStd, TrainX, TrainY, TestX) = (degree, noiseStd, trainX, trainY, testX);
        Train = new TensorDataset(Features(trainX, degree), tensor(trainY));
        Test = new TensorDataset(Features(testX, degree), tensor(testY));
    }

    /// <summary>The noiseless target function f(x) = sin(πx).</summary>
    public static double TrueFunction(double x) => Math.Sin(Math.PI * x);

    /// <summary>Draws a training and a test set; the same arguments always give the same data.</summary>
    /// <param name="degree">D ≥ 1.</param>
    /// <param name="trainCount">Training examples (≥ 1).</param>
    /// <param name="testCount">Test examples (≥ 1).</param>
    /// <param name="noiseStd">σ ≥ 0.</param>
    /// <param name="seed">Seed (its own stream, see <see cref="Seeds"/>).</param>
    public static PolynomialRegression Create(int degree = 12, int trainCount = 15, int testCount = 200, double noiseStd = 0.2, long seed = 0)
    {
        if (degree < 1) throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree must be ≥ 1.");
        if (trainCount < 1) throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount, "Need at least one training example.");
        if (testCount < 1) throw new ArgumentOutOfRangeException(nameof(testCount), testCount, "Need at least one test example.");
        if (!(noiseStd >= 0) || double.IsInfinity(noiseStd))
            throw new ArgumentOutOfRangeException(nameof(noiseStd), noiseStd, "The noise standard deviation must be finite and ≥ 0.");
        var rng = new Random(Seeds.DeriveInt(seed, "polynomial-regression"));
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        (double[] X, double[] Y) Draw(int n)
        {
            var x = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = 2 * rng.NextDouble() - 1;
                y[i] = TrueFunction(x[i]) + noiseStd * Normal();
            }
            return (x, y);
        }
        var (trainX, trainY) = Draw(trainCount);
        var (testX, testY) = Draw(testCount);
        return new PolynomialRegression(degree, noiseStd, trainX, trainY, testX, testY);
    }

    /// <summary>The feature matrix [n, D] with rows (x, x², …, x^D), float64.</summary>
    public static Tensor Features(IReadOnlyList<double> x, int degree)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (degree < 1) throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree must be ≥ 1.");
        var values = new double[x.Count * degree];
        for (int i = 0; i < x.Count; i++)
        {
            double p = 1;
            for (int k = 0; k < degree; k++) values[i * degree + k] = p *= x[i];
        }
        return tensor(values, new long[] { x.Count, degree });
    }

    /// <summary>The fitted polynomial b + Σₖ wₖ xᵏ at each x.</summary>
    public static double[] Predict(LinearSolution solution, IReadOnlyList<double> x)
    {
        ArgumentNullException.ThrowIfNull(solution);
        ArgumentNullException.ThrowIfNull(x);
        return x.Select(v =>
        {
            double sum = solution.Bias, p = 1;
            foreach (var w in solution.Weights) sum += w * (p *= v);
            return sum;
        }).ToArray();
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>One closed-form ridge fit of a λ sweep.</summary>
/// <param name="Lambda">λ.</param>
/// <param name="Solution">The minimizer of L(w, b) + (λ/2)‖w‖² on the training set.</param>
/// <param name="TrainLoss">Its data loss (1/n) Σ ½ (ŷ − y)² on the training set.</param>
/// <param name="TestLoss">Its data loss on the test set.</param>
public sealed record RidgeFit(double Lambda, LinearSolution Solution, double TrainLoss, double TestLoss)
{
    /// <summary>‖w‖₂ (the unpenalized bias excluded).</summary>
    public double WeightNorm => Math.Sqrt(Solution.Weights.Sum(v => v * v));
}

/// <summary>The fit–simplicity trade-off: closed-form ridge solutions over a grid of λ.</summary>
public static class FitTradeoff
{
    /// <summary>Solves ridge (<see cref="Ridge.Solve"/>, bias unpenalized) for each λ and measures training and test loss.</summary>
    public static IReadOnlyList<RidgeFit> Sweep(TensorDataset train, TensorDataset test, IEnumerable<double> lambdas)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(lambdas);
        using var threads = TorchThreads.Limit(1);
        return lambdas.Select(l =>
        {
            var s = Ridge.Solve(train, l);
            return new RidgeFit(l, s, HalfSquaredError(train, s), HalfSquaredError(test, s));
        }).ToList(); // materialized inside the thread limit
    }

    /// <summary>The data loss (1/n) Σᵢ ½ (xᵢ·w + b − yᵢ)² of a linear solution, in float64 (<see cref="Ridge.Loss"/>).</summary>
    public static double HalfSquaredError(TensorDataset data, LinearSolution solution) => Ridge.Loss(data, solution);
}
