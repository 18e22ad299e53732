using WeightDecay.Data;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Choosing the ridge λ on a grid: k-fold cross-validation, closed-form leave-one-out and GCV (all on the training
/// data only), the test loss of the full-data fit at every λ (to judge the choices afterwards), and the constant
/// predictor's test loss (ŷ = ȳ of the training targets) as the baseline every loss is read against.
/// </summary>
/// <param name="Grid">The λ grid, ascending.</param>
/// <param name="Cv">k-fold cross-validation on the training data.</param>
/// <param name="TestLoss">Test loss (mean ½-squared error) of the full-data ridge fit at each λ.</param>
/// <param name="LeaveOneOut">Closed-form leave-one-out loss at each λ.</param>
/// <param name="Gcv">Generalized cross-validation at each λ.</param>
/// <param name="ConstantTestLoss">Test loss of the constant predictor ȳ (the training targets' mean).</param>
/// <remarks>Lesson 08: 08-choosing-lambda-and-the-alternatives (section 1) and its solutions.</remarks>
public sealed record RidgeSelection(IReadOnlyList<double> Grid, CrossValidationResult Cv,
    IReadOnlyList<double> TestLoss, IReadOnlyList<double> LeaveOneOut, IReadOnlyList<double> Gcv,
    double ConstantTestLoss)
{
    /// <summary>10^from … 10^to in half decades.</summary>
    public static double[] HalfDecades(int from, int to) =>
        to > from ? Enumerable.Range(0, 2 * (to - from) + 1).Select(i => Math.Pow(10, from + 0.5 * i)).ToArray()
            : throw new ArgumentOutOfRangeException(nameof(to), to, $"Need to > from = {from}.");

    /// <summary>
    /// Lesson 08's regression: d2l's generator (d = 200, bias 0.05) with every true weight
    /// <paramref name="weight"/>, <paramref name="trainCount"/> training and <paramref name="testCount"/> test
    /// examples, noise σ, in float64. The signal variance per example is d·weight² (0.5 at weight 0.05).
    /// </summary>
    public static SyntheticRegression Data(int trainCount, double noiseStd, double weight, int seed,
        int testCount = 1000) =>
        SyntheticRegression.Create(trainCount: trainCount, testCount: testCount, noiseStd: noiseStd,
            weight: weight, seed: seed, dtype: ScalarType.Float64);

    /// <summary>Runs every score on the grid.</summary>
    /// <exception cref="ArgumentException">An empty grid, a negative λ, or folds out of range.</exception>
    public static RidgeSelection Run(TensorDataset train, TensorDataset test, IReadOnlyList<double> grid, int folds,
        int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(grid);
        var cv = CrossValidation.Run(train, grid, folds, CrossValidation.RidgeScore(), seed);
        var testLoss = grid.Select(l => Ridge.Loss(test, Ridge.Solve(train, l))).ToArray();
        var closed = grid.Select(l => Ridge.CrossValidation(train, l)).ToArray();
        using var scope = NewDisposeScope();
        var mean = train.Targets.to_type(ScalarType.Float64).mean();
        double constant = (test.Targets.to_type(ScalarType.Float64) - mean).Square().mean().item<double>() / 2;
        return new RidgeSelection(grid.ToArray(), cv, testLoss, closed.Select(c => c.LeaveOneOut).ToArray(),
            closed.Select(c => c.Gcv).ToArray(), constant);
    }

    /// <summary>
    /// <see cref="Run"/> on <paramref name="draws"/> independent data sets (<see cref="Data"/> with seeds
    /// <paramref name="firstSeed"/>, <paramref name="firstSeed"/> + 1, …; the folds use the same seed as the data).
    /// One draw's choice is a random variable with a heavy tail: over 2,000 seeds of lesson 08's set-up, leave-one-out
    /// picked a λ with more than 1.5× the best test loss at 21 and up to 7.7×, while its median choice was the best.
    /// A claim about the method therefore looks at many draws (<see cref="MedianRatioToBest"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="draws"/> &lt; 1 or a negative seed.</exception>
    public static IReadOnlyList<RidgeSelection> OverDraws(int trainCount, double noiseStd, double weight,
        IReadOnlyList<double> grid, int folds, int firstSeed, int draws)
    {
        if (draws < 1) throw new ArgumentOutOfRangeException(nameof(draws), draws, "Need at least one draw.");
        if (firstSeed < 0) throw new ArgumentOutOfRangeException(nameof(firstSeed), firstSeed, "Seeds are ≥ 0.");
        return Enumerable.Range(firstSeed, draws).Select(seed =>
        {
            using var data = Data(trainCount, noiseStd, weight, seed);
            return Run(data.Train, data.Test, grid, folds, seed);
        }).ToList();
    }

    /// <summary>The median over <paramref name="draws"/> of each draw's test loss at the index
    /// <paramref name="choose"/> picks, over its best (the mean of the two middle values for an even count). Robust to
    /// the rare draw whose choice is far off, which can pull a mean of ten draws up by half.</summary>
    /// <exception cref="ArgumentException">No draws.</exception>
    public static double MedianRatioToBest(IReadOnlyList<RidgeSelection> draws, Func<RidgeSelection, int> choose)
    {
        if (draws.Count == 0) throw new ArgumentException("Need at least one draw.", nameof(draws));
        return GridStatistics.Median(draws.Select(r => r.RatioToBest(choose(r))));
    }

    /// <summary>The lowest test loss on the grid (known only afterwards: the oracle).</summary>
    public double BestTestLoss => TestLoss.Min();

    /// <summary>The grid index of the lowest test loss.</summary>
    public int OracleIndex => ArgMin(TestLoss);

    /// <summary>The grid index chosen by the lowest mean k-fold loss.</summary>
    public int CvIndex => IndexOf(Cv.Best.Lambda);

    /// <summary>The grid index chosen by the one-standard-error rule.</summary>
    public int OneStandardErrorIndex => IndexOf(Cv.OneStandardError.Lambda);

    /// <summary>The grid index of the lowest closed-form leave-one-out loss.</summary>
    public int LeaveOneOutIndex => ArgMin(LeaveOneOut);

    /// <summary>The grid index of the lowest GCV score.</summary>
    public int GcvIndex => ArgMin(Gcv);

    /// <summary>The test loss at a grid index divided by the best test loss on the grid.</summary>
    public double RatioToBest(int index) => TestLoss[index] / BestTestLoss;

    /// <summary>The mean k-fold loss at the smallest λ divided by the lowest mean k-fold loss.</summary>
    public double CvRatioAtSmallestLambda => Cv.Rows[0].MeanLoss / Cv.Best.MeanLoss;

    /// <summary>The choices of the three training-data rules and of the oracle, as (method, grid index).</summary>
    public IReadOnlyList<(string Method, int Index)> Choices =>
    [
        ($"{Cv.K}-fold CV", CvIndex), ("leave-one-out", LeaveOneOutIndex), ("GCV", GcvIndex),
        ("one standard error", OneStandardErrorIndex), ("test set (oracle)", OracleIndex),
    ];

    /// <summary>One row per choice: λ, its test loss, its ratio to the best and to the constant predictor.</summary>
    public IReadOnlyList<(string Method, double Lambda, double TestLoss, double RatioToBest, double RatioToConstant)>
        ChoiceRows() => Choices.Select(c => (c.Method, Grid[c.Index], TestLoss[c.Index], RatioToBest(c.Index),
            TestLoss[c.Index] / ConstantTestLoss)).ToList();

    private int IndexOf(double lambda)
    {
        for (int i = 0; i < Grid.Count; i++)
            if (Grid[i] == lambda) return i;
        throw new InvalidOperationException($"λ = {lambda} is not on the grid.");
    }

    private static int ArgMin(IReadOnlyList<double> v) => Enumerable.Range(0, v.Count).MinBy(i => v[i]);
}
