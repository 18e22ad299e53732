namespace WeightDecay.Training;

/// <summary>The validation score of one model fitted on one fold's training part.</summary>
/// <param name="Loss">Mean data loss on the fold's validation part (the trainer's convention).</param>
/// <param name="Accuracy">Validation accuracy for classification, else null.</param>
public sealed record FoldScore(double Loss, double? Accuracy = null);
