using WeightDecay.Data;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// One-dimensional regression with polynomial features, the classic picture of over- and underfitting:
/// x ~ U(−1, 1), y = sin(πx) + ε with ε ~ N(0, σ²), features φ(x) = (x, x², …, x^D) (the bias is the model's separate
/// b). Datasets hold float64 features [n, D] and targets [n], ready for <see cref="Ridge.Solve"/>.
/// </summary>
/// <remarks>Lesson 01: 01-what-weight-decay-is and its solutions.</remarks>
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

    /// <summary>Test targets y.</summary>
    public IReadOnlyList<double> TestY { get; }

    /// <summary>The baseline every fit must beat: the test loss ½·mean((y − ȳ)²) of the constant predictor that
    /// ignores x and predicts ȳ, the mean of the training targets — the polynomial with w = 0 and b = ȳ, scored by
    /// <see cref="FitTradeoff.HalfSquaredError"/>.</summary>
    public double ConstantPredictorLoss() =>
        FitTradeoff.HalfSquaredError(Test, new LinearSolution(new double[Degree], TrainY.Average()));

    /// <summary>Training set: features (x, …, x^D) and targets.</summary>
    public TensorDataset Train { get; }

    /// <summary>Test set: features and targets.</summary>
    public TensorDataset Test { get; }

    private PolynomialRegression(int degree, double noiseStd, double[] trainX, double[] trainY, double[] testX,
        double[] testY)
    {
        (Degree, NoiseStd, TrainX, TrainY, TestX, TestY) = (degree, noiseStd, trainX, trainY, testX, testY);
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
    public static PolynomialRegression Create(int degree = 12, int trainCount = 15, int testCount = 200,
        double noiseStd = 0.2, long seed = 0)
    {
        if (degree < 1) throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree must be ≥ 1.");
        if (trainCount < 1)
            throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount,
                "Need at least one training example.");
        if (testCount < 1)
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount, "Need at least one test example.");
        if (!(noiseStd >= 0) || double.IsInfinity(noiseStd))
            throw new ArgumentOutOfRangeException(nameof(noiseStd), noiseStd,
                "The noise standard deviation must be finite and ≥ 0.");
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
