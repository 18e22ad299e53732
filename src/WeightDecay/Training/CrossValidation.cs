using WeightDecay.Data;
using WeightDecay.Losses;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>
/// k-fold cross-validation of a regularization strength: for every λ and every fold, a model is fitted on the other k −
/// 1 folds and scored on the held-out fold; every λ sees the same folds (<see cref="KFold.Split"/> with the seed). The
/// fold datasets are created once and disposed at the end.
/// </summary>
public static class CrossValidation
{
    /// <summary>
    /// Runs k-fold cross-validation. <paramref name="fitAndScore"/> receives (training part, validation part, λ, fold
    /// index) and returns the validation score; it must not keep or dispose the datasets.
    /// </summary>
    /// <exception cref="ArgumentException">An empty grid or a negative/non-finite λ; k &lt; 2 or k &gt;
    /// examples.</exception>
    public static CrossValidationResult Run(TensorDataset data, IReadOnlyList<double> lambdas, int k,
        Func<TensorDataset, TensorDataset, double, int, FoldScore> fitAndScore, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(lambdas);
        ArgumentNullException.ThrowIfNull(fitAndScore);
        if (lambdas.Count == 0) throw new ArgumentException("The λ grid is empty.", nameof(lambdas));
        foreach (var l in lambdas)
            if (!(l >= 0) || double.IsInfinity(l))
                throw new ArgumentOutOfRangeException(nameof(lambdas), l, "Every λ must be finite and ≥ 0.");
        var folds = KFold.Split(data.Count, k, seed);
        var parts = folds.Select(f => (Train: data.Subset(f.Train), Validation: data.Subset(f.Validation))).ToList();
        try
        {
            var rows = new List<CrossValidationRow>();
            foreach (var lambda in lambdas)
            {
                var losses = new List<double>();
                var accuracies = new List<double>();
                for (int f = 0; f < parts.Count; f++)
                {
                    var score = fitAndScore(parts[f].Train, parts[f].Validation, lambda, f);
                    losses.Add(score.Loss);
                    if (score.Accuracy is double a) accuracies.Add(a);
                }
                if (accuracies.Count != 0 && accuracies.Count != losses.Count)
                    throw new InvalidOperationException("Some folds reported an accuracy and others did not.");
                rows.Add(new CrossValidationRow(lambda, losses, accuracies));
            }
            return new CrossValidationResult(k, rows);
        }
        finally
        {
            foreach (var (t, v) in parts) { t.Dispose(); v.Dispose(); }
        }
    }

    /// <summary>
    /// Fit-and-score for closed-form ridge (<see cref="Ridge.Solve"/>, bias unpenalized) scored by
    /// <see cref="Ridge.Loss"/>. <paramref name="lambdaScale"/> multiplies λ before fitting (e.g. n/(n − 1) to compare
    /// leave-one-out refits with <see cref="Ridge.CrossValidation"/>, whose shortcut keeps the sum-of-squares penalty
    /// nλ fixed).
    /// </summary>
    public static Func<TensorDataset, TensorDataset, double, int, FoldScore> RidgeScore(double lambdaScale = 1) =>
        (train, validation, lambda, _) =>
            new FoldScore(Training.Ridge.Loss(validation, Training.Ridge.Solve(train, lambda * lambdaScale)));

    /// <summary>
    /// Fit-and-score for a trained model: <paramref name="modelFactory"/> builds a fresh model for (λ, fold),
    /// <see cref="Trainer.Fit"/> trains it on the fold's training part with <paramref name="options"/>(λ), and
    /// <see cref="Evaluation.Evaluate"/> scores it on the validation part. The model is disposed afterwards.
    /// </summary>
    public static Func<TensorDataset, TensorDataset, double, int, FoldScore> TrainedScore(Func<double, int,
        nn.Module<Tensor, Tensor>> modelFactory, Loss loss, Func<double, TrainerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(modelFactory);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        return (train, validation, lambda, fold) =>
        {
            using var model = modelFactory(lambda, fold);
            Trainer.Fit(model, train, null, loss, options(lambda));
            var (l, a) = Evaluation.Evaluate(model, validation, loss);
            return new FoldScore(l, a);
        };
    }

    /// <summary>Sample standard deviation (n − 1 in the denominator; 0 for a single value).</summary>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
