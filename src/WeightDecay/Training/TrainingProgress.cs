namespace WeightDecay.Training;

/// <summary>Progress reported after every step and epoch.</summary>
/// <param name="Epoch">Current epoch (1-based).</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Step">Step within the epoch (1-based).</param>
/// <param name="StepsPerEpoch">Steps per epoch.</param>
/// <param name="BatchLoss">Data loss of the last minibatch.</param>
/// <param name="EpochEnd">The epoch's metrics when the epoch has just ended, else null.</param>
public sealed record TrainingProgress(
    int Epoch, int Epochs, int Step, int StepsPerEpoch, double BatchLoss, EpochMetrics? EpochEnd);
