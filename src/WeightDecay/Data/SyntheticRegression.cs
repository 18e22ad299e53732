using TorchSharp;
using static TorchSharp.torch;

namespace WeightDecay.Data;

/// <summary>
/// The high-dimensional linear regression of d2l's weight-decay section:
/// y = b + Σᵢ wᵢ·xᵢ + ε with x ~ N(0, I), ε ~ N(0, σ²), true w = 0.01·1, b = 0.05, σ = 0.01.
/// </summary>
public sealed class SyntheticRegression : IDisposable
{
    /// <summary>Training examples: features [n_train, d], targets [n_train].</summary>
    public TensorDataset Train { get; }

    /// <summary>Test examples: features [n_test, d], targets [n_test].</summary>
    public TensorDataset Test { get; }

    /// <summary>The true weight vector w (length d).</summary>
    public double[] TrueWeights { get; }

    /// <summary>The true bias b.</summary>
    public double TrueBias { get; }

    /// <summary>Standard deviation σ of the label noise.</summary>
    public double NoiseStd { get; }

    private SyntheticRegression(TensorDataset train, TensorDataset test, double[] w, double b, double noise)
    {
        (Train, Test, TrueWeights, TrueBias, NoiseStd) = (train, test, w, b, noise);
    }

    /// <summary>Generates the data set from one seeded generator (training set first, then test set).</summary>
    /// <param name="inputs">Dimension d (default 200).</param>
    /// <param name="trainCount">Training examples (default 20).</param>
    /// <param name="testCount">Test examples (default 100).</param>
    /// <param name="noiseStd">Label noise σ (default 0.01).</param>
    /// <param name="seed">Seed; the same seed gives the same data.</param>
    /// <param name="weight">Each true weight (default 0.01).</param>
    /// <param name="bias">The true bias (default 0.05).</param>
    /// <param name="dtype">Float32 (default) or Float64.</param>
    public static SyntheticRegression Create(int inputs = 200, int trainCount = 20, int testCount = 100,
        double noiseStd = 0.01, long seed = 0, double weight = 0.01, double bias = 0.05, ScalarType dtype =
            ScalarType.Float32)
    {
        if (inputs < 1)
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Need at least one input dimension.");
        if (trainCount < 1)
            throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount,
                "Need at least one training example.");
        if (testCount < 1)
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount, "Need at least one test example.");
        if (!(noiseStd >= 0) || double.IsInfinity(noiseStd))
            throw new ArgumentOutOfRangeException(nameof(noiseStd), noiseStd,
                "Noise standard deviation must be finite and ≥ 0.");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Expected Float32 or Float64.");

        using var scope = NewDisposeScope();
        using var gen = new Generator(Seeds.Derive(seed, "synthetic-regression"));
        using var weightS = weight.ToScalar();
        var w = full(new long[] { inputs }, weightS, dtype: ScalarType.Float64);
        TensorDataset Make(int n)
        {
            var x = randn(new long[] { n, inputs }, dtype: ScalarType.Float64, generator: gen);
            var eps = randn(new long[] { n }, dtype: ScalarType.Float64, generator: gen).Mul(noiseStd);
            var y = x.matmul(w).Add(bias).Add(eps);
            return new TensorDataset(x.to_type(dtype).MoveToOuterDisposeScope(),
                y.to_type(dtype).MoveToOuterDisposeScope());
        }
        var train = Make(trainCount);
        var test = Make(testCount);
        return new SyntheticRegression(train, test, Enumerable.Repeat(weight, inputs).ToArray(), bias, noiseStd);
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
