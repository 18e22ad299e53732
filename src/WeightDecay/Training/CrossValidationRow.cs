namespace WeightDecay.Training;

/// <summary>k-fold scores of one λ.</summary>
/// <param name="Lambda">λ.</param>
/// <param name="FoldLosses">Validation loss of each fold, in fold order.</param>
/// <param name="FoldAccuracies">Validation accuracy of each fold (empty for regression).</param>
public sealed record CrossValidationRow(double Lambda, IReadOnlyList<double> FoldLosses,
    IReadOnlyList<double> FoldAccuracies)
{
    /// <summary>Mean validation loss over the folds.</summary>
    public double MeanLoss => FoldLosses.Average();

    /// <summary>Sample standard deviation (n − 1) of the fold losses: the spread of one fold's estimate.</summary>
    public double StdLoss => CrossValidation.SampleStd(FoldLosses);

    /// <summary>Standard error of <see cref="MeanLoss"/>: <see cref="StdLoss"/>/√k.</summary>
    public double StandardErrorLoss => StdLoss / Math.Sqrt(FoldLosses.Count);

    /// <summary>Mean validation accuracy, or null for regression.</summary>
    public double? MeanAccuracy => FoldAccuracies.Count == 0 ? null : FoldAccuracies.Average();

    /// <summary>Sample standard deviation of the fold accuracies, or null for regression.</summary>
    public double? StdAccuracy => FoldAccuracies.Count == 0 ? null : CrossValidation.SampleStd(FoldAccuracies);
}
