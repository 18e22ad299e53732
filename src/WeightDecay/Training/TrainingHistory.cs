namespace WeightDecay.Training;

/// <summary>Everything recorded while training one model.</summary>
/// <param name="Settings">The settings of the run.</param>
/// <param name="Epochs">Per-epoch metrics, starting with epoch 0 (the initial model).</param>
/// <param name="Steps">Per-step metrics (empty unless requested).</param>
/// <param name="Snapshots">Parameter snapshots (empty unless requested).</param>
public sealed record TrainingHistory(
    RunSettings Settings, IReadOnlyList<EpochMetrics> Epochs, IReadOnlyList<StepMetrics> Steps,
    IReadOnlyList<ParameterSnapshot> Snapshots)
{
    /// <summary>The metrics after the last epoch.</summary>
    public EpochMetrics Final => Epochs[^1];
}
