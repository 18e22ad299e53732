using WeightDecay.Data;

namespace WeightDecay.Experiments;

/// <summary>
/// Accuracy over a grid of learning rates η and decays λ, both geometric with the same ratio, so that the cells
/// of one anti-diagonal (index sum i + j) share the product ηλ and the cells of one diagonal (index difference
/// i − j) share the ratio η/λ. Both groupings have the same group sizes, so comparing how much of the accuracy's
/// variance each explains (<see cref="R2ByProduct"/> vs <see cref="R2ByRatio"/>) is a fair test of "accuracy
/// depends on ηλ".
/// </summary>
/// <param name="LearningRates">η, increasing.</param>
/// <param name="Lambdas">λ, increasing.</param>
/// <param name="ValidationAccuracy">[λ index][η index] accuracy on the validation set.</param>
/// <param name="TestAccuracy">[λ index][η index] accuracy on the test set.</param>
/// <remarks>Lesson 10: 10-weight-decay-with-normalization.</remarks>
public sealed record EtaLambdaGrid(IReadOnlyList<double> LearningRates, IReadOnlyList<double> Lambdas,
    double[][] ValidationAccuracy, double[][] TestAccuracy)
{
    /// <summary>Trains one <see cref="RotationTraining"/> run per (η, λ) cell with <paramref name="settings"/>
    /// (recording off), calling <paramref name="progress"/> with the number of cells done.</summary>
    /// <exception cref="ArgumentException">Grids that are not geometric with one common ratio.</exception>
    public static EtaLambdaGrid Run(IReadOnlyList<double> learningRates, IReadOnlyList<double> lambdas,
        RotationSettings settings, TensorDataset train, TensorDataset validation, TensorDataset test,
        Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CheckGrids(learningRates, lambdas);
        var val = lambdas.Select(_ => new double[learningRates.Count]).ToArray();
        var tst = lambdas.Select(_ => new double[learningRates.Count]).ToArray();
        int done = 0;
        for (int j = 0; j < lambdas.Count; j++)
            for (int i = 0; i < learningRates.Count; i++)
            {
                var run = RotationTraining.Run(settings with
                {
                    LearningRate = learningRates[i], Lambda = lambdas[j], Record = false,
                }, train, validation, test);
                (val[j][i], tst[j][i]) = (run.ValidationAccuracy, run.TestAccuracy);
                progress?.Invoke(++done);
            }
        return new EtaLambdaGrid(learningRates, lambdas, val, tst);
    }

    /// <summary>The distinct products ηλ, increasing (one per anti-diagonal).</summary>
    public IReadOnlyList<double> Products =>
        Enumerable.Range(0, LearningRates.Count + Lambdas.Count - 1)
            .Select(k => k < LearningRates.Count ? LearningRates[k] * Lambdas[0]
                : LearningRates[^1] * Lambdas[k - LearningRates.Count + 1]).ToList();

    /// <summary>R² of grouping the cells by constant ηλ: 1 − (within-group sum of squares)/(total sum of
    /// squares).</summary>
    public double R2ByProduct(bool validation = true) =>
        GroupedR2(validation ? ValidationAccuracy : TestAccuracy, (i, j) => i + j);

    /// <summary>R² of grouping the cells by constant η/λ (the null with the same group sizes).</summary>
    public double R2ByRatio(bool validation = true) =>
        GroupedR2(validation ? ValidationAccuracy : TestAccuracy, (i, j) => i - j);

    /// <summary>The accuracies along each η as a function of ηλ: for η index i, the value at product index i + j is
    /// the cell (i, j) and the others are NaN (so every η is one curve over <see cref="Products"/>).</summary>
    public IReadOnlyList<double> AlongProducts(int learningRateIndex, bool validation = true)
    {
        var z = validation ? ValidationAccuracy : TestAccuracy;
        var y = Enumerable.Repeat(double.NaN, LearningRates.Count + Lambdas.Count - 1).ToArray();
        for (int j = 0; j < Lambdas.Count; j++) y[learningRateIndex + j] = z[j][learningRateIndex];
        return y;
    }

    /// <summary>R² of a grouping of the cells of z[j][i] by <paramref name="key"/>(i, j).</summary>
    public static double GroupedR2(double[][] z, Func<int, int, int> key)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(key);
        var cells = z.SelectMany((row, j) => row.Select((v, i) => (Key: key(i, j), V: v))).ToList();
        double mean = cells.Average(c => c.V);
        double total = cells.Sum(c => (c.V - mean) * (c.V - mean));
        double within = cells.GroupBy(c => c.Key)
            .Sum(g => { double m = g.Average(c => c.V); return g.Sum(c => (c.V - m) * (c.V - m)); });
        return total == 0 ? double.NaN : 1 - within / total;
    }

    private static void CheckGrids(IReadOnlyList<double> learningRates, IReadOnlyList<double> lambdas)
    {
        ArgumentNullException.ThrowIfNull(learningRates);
        ArgumentNullException.ThrowIfNull(lambdas);
        if (learningRates.Count < 2 || lambdas.Count < 2)
            throw new ArgumentException(
                $"Need ≥ 2 values of η and of λ, got {learningRates.Count} and {lambdas.Count}.");
        if (learningRates.Concat(lambdas).Any(v => !(v > 0) || !double.IsFinite(v)))
            throw new ArgumentException("Every η and λ of the grid must be finite and > 0.");
        double ratio = learningRates[1] / learningRates[0];
        bool Geometric(IReadOnlyList<double> v) =>
            Enumerable.Range(1, v.Count - 1).All(k => Math.Abs(v[k] / v[k - 1] / ratio - 1) < 1e-9);
        if (!(ratio > 1) || !Geometric(learningRates) || !Geometric(lambdas))
            throw new ArgumentException(
                $"η ({string.Join(", ", learningRates)}) and λ ({string.Join(", ", lambdas)}) must both be " +
                "increasing geometric grids with the same ratio, so that anti-diagonals share ηλ.");
    }
}
