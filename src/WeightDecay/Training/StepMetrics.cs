namespace WeightDecay.Training;

/// <summary>Metrics of one optimization step (recorded when <see cref="TrainerOptions.RecordSteps"/> is set).</summary>
/// <param name="Epoch">Epoch (1-based).</param>
/// <param name="Step">Global step number (1-based).</param>
/// <param name="BatchLoss">Data loss on the minibatch, before the update.</param>
/// <param name="Penalty">λ·R(θ) before the update.</param>
/// <param name="ParameterNorm">Global ‖θ‖₂ after the update.</param>
/// <param name="LearningRate">η_t, the learning rate of this update (the schedule's).</param>
/// <param name="DecayRate">The decay rate of this update (<see cref="Optimization.WeightDecayOptimizer.DecayRate"/>:
/// η_tλ when decoupled decay follows the schedule, η₀λ when it does not; 0 without decay).</param>
public sealed record StepMetrics(int Epoch, long Step, double BatchLoss, double Penalty, double ParameterNorm,
    double LearningRate = 0, double DecayRate = 0);
