namespace WeightDecay.Landscape;

/// <summary>Per-point metrics of one dataset: mean loss, and accuracy for classification.</summary>
internal sealed record GridMetrics(double[] Loss, double[]? Accuracy);
