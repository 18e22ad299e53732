namespace WeightDecay.Training;

/// <summary>The result of k-fold cross-validation over a grid of λ.</summary>
/// <param name="K">Number of folds.</param>
/// <param name="Rows">One row per λ, in the grid's order.</param>
public sealed record CrossValidationResult(int K, IReadOnlyList<CrossValidationRow> Rows)
{
    /// <summary>The row with the lowest mean validation loss (the first on ties).</summary>
    public CrossValidationRow Best => Rows.MinBy(r => r.MeanLoss)!;

    /// <summary>The one-standard-error rule: the largest λ whose mean loss is within one standard error of the best
    /// mean.</summary>
    public CrossValidationRow OneStandardError
    {
        get
        {
            var best = Best;
            return Rows.Where(r => r.MeanLoss <= best.MeanLoss + best.StandardErrorLoss).MaxBy(r => r.Lambda)!;
        }
    }
}
