using WeightDecay.Models;
using WeightDecay.Optimization;

namespace WeightDecay.Training;

/// <summary>Training settings.</summary>
public sealed record TrainerOptions
{
    /// <summary>Epochs (≥ 0; 0 only evaluates the initial model).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Minibatch size (≥ 1). The last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Optimizer and learning rate.</summary>
    public OptimizerOptions Optimizer { get; init; } = new();

    /// <summary>Weight decay (method, λ, regularizer, which parameters).</summary>
    public WeightDecayOptions Decay { get; init; } = WeightDecayOptions.None;

    /// <summary>
    /// The learning-rate schedule over the whole run: update t of T = <see cref="Epochs"/> × batches per epoch uses
    /// η_t = η₀·m_t (<see cref="LearningRateSchedule.Factor"/>, η₀ = <see cref="OptimizerOptions.LearningRate"/>).
    /// Decoupled decay follows η_t unless <see cref="WeightDecayOptions.DecayFollowsSchedule"/> is false.
    /// </summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Seed of minibatch shuffling and of the model's dropout (<see cref="IStochasticModel"/>; other models:
    /// torch's global generator).</summary>
    public int Seed { get; init; }

    /// <summary>Device (CPU by default; the model and data must already be on it).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Whether to record <see cref="StepMetrics"/> for every step.</summary>
    public bool RecordSteps { get; init; }

    /// <summary>Take a <see cref="ParameterSnapshot"/> every this many epochs (and at epoch 0); 0 = never.</summary>
    public int SnapshotEveryEpochs { get; init; }

    /// <summary>Batch size of the per-epoch evaluations.</summary>
    public int EvaluationBatchSize { get; init; } = 4096;

    /// <summary>Called after every step and at the end of every epoch.</summary>
    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>Checked before every step; cancellation throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be ≥ 0.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be ≥ 1.");
        if (SnapshotEveryEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(SnapshotEveryEpochs), SnapshotEveryEpochs,
                "Must be ≥ 0 (0 = no snapshots).");
        if (EvaluationBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, "Must be ≥ 1.");
        ArgumentNullException.ThrowIfNull(Optimizer);
        ArgumentNullException.ThrowIfNull(Decay);
        ArgumentNullException.ThrowIfNull(Schedule);
        Optimizer.Validate();
        Decay.Validate();
    }
}
