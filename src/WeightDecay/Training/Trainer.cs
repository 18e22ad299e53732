using System.Globalization;
using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>Progress reported after every step and epoch.</summary>
/// <param name="Epoch">Current epoch (1-based).</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Step">Step within the epoch (1-based).</param>
/// <param name="StepsPerEpoch">Steps per epoch.</param>
/// <param name="BatchLoss">Data loss of the last minibatch.</param>
/// <param name="EpochEnd">The epoch's metrics when the epoch has just ended, else null.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double BatchLoss, EpochMetrics? EpochEnd);

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

    /// <summary>Seed of minibatch shuffling and of the model's dropout (<see cref="IStochasticModel"/>; other models: torch's global generator).</summary>
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
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be ≥ 1.");
        if (SnapshotEveryEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(SnapshotEveryEpochs), SnapshotEveryEpochs, "Must be ≥ 0 (0 = no snapshots).");
        if (EvaluationBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, "Must be ≥ 1.");
        ArgumentNullException.ThrowIfNull(Optimizer);
        ArgumentNullException.ThrowIfNull(Decay);
        Optimizer.Validate();
        Decay.Validate();
    }
}

/// <summary>Training stopped because a loss became NaN or infinite.</summary>
public sealed class TrainingDivergedException(int epoch, long step, double learningRate, double lambda, double loss)
    : ArithmeticException(string.Format(CultureInfo.InvariantCulture,
        "Training diverged at epoch {0}, step {1}: the loss is {2} (learning rate {3}, λ {4}). Lower the learning rate or check the data.",
        epoch, step, loss, learningRate, lambda))
{
    /// <summary>Epoch (1-based) at which the loss became non-finite.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>Global step (1-based).</summary>
    public long Step { get; } = step;

    /// <summary>The learning rate in use.</summary>
    public double LearningRate { get; } = learningRate;

    /// <summary>λ in use.</summary>
    public double Lambda { get; } = lambda;
}

/// <summary>Minibatch training with an explicit weight-decay method, recording a <see cref="TrainingHistory"/>.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place. Each step: the minibatch data loss L (mean over the batch), plus λ·R(θ) for the
    /// penalty method, is differentiated; the optimizer applies coupled or decoupled decay as configured. After every epoch
    /// the whole training and test sets are evaluated.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or data that does not fit the model.</exception>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    public static TrainingHistory Fit(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset? test, Loss loss, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckFits(model, train, loss, nameof(train));
        if (test is not null) CheckFits(model, test, loss, nameof(test));
        if (!string.Equals(options.Device, train.Features.device.ToString(), StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The data is on {train.Features.device} but the device option is '{options.Device}'.", nameof(options));

        ReclaimUnreferencedNativeMemory();
        random.manual_seed(options.Seed); // for models with torch's own dropout; ours reseed below and ignore the global stream
        if (model is IStochasticModel stochastic) stochastic.Reseed(options.Seed);
        var sampler = new MinibatchSampler(train.Count, options.BatchSize, shuffle: true, seed: options.Seed);
        using var optimizer = new WeightDecayOptimizer(model, options.Optimizer, options.Decay);
        var decay = options.Decay;
        double lambda = decay.Lambda;
        var settings = new RunSettings(decay.Method.ToString().ToLowerInvariant(), options.Optimizer.Label,
            decay.EffectiveRegularizer.Name, options.Optimizer.LearningRate, lambda, options.BatchSize, options.Seed);

        var epochs = new List<EpochMetrics>();
        var steps = new List<StepMetrics>();
        var snapshots = new List<ParameterSnapshot>();
        long step = 0;

        epochs.Add(Measure(0));
        if (options.SnapshotEveryEpochs > 0) snapshots.Add(Evaluation.Snapshot(model, 0, 0));
        model.train();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            int inEpoch = 0;
            foreach (var batch in sampler.NextEpoch())
            {
                options.Cancellation.ThrowIfCancellationRequested();
                step++;
                inEpoch++;
                double batchLoss, penaltyValue;
                using (var scope = NewDisposeScope())
                {
                    var (x, y) = train.Batch(batch);
                    optimizer.zero_grad();
                    var dataLoss = loss.Forward(model.forward(x), y);
                    // the penalty is part of the objective for Penalty; for the other methods it is only logged (StepMetrics),
                    // so it is computed only when steps are recorded, and without a graph
                    Tensor? penalty = null;
                    if (lambda != 0 && decay.Method == DecayMethod.Penalty) penalty = optimizer.Penalty();
                    else if (lambda != 0 && decay.Method != DecayMethod.None && options.RecordSteps)
                        using (no_grad()) penalty = optimizer.Penalty();
                    var objective = decay.Method == DecayMethod.Penalty && penalty is not null
                        ? dataLoss.Add(penalty) : dataLoss;
                    batchLoss = dataLoss.ItemAsDouble();
                    penaltyValue = penalty?.ItemAsDouble() ?? 0;
                    if (!double.IsFinite(batchLoss) || !double.IsFinite(penaltyValue))
                        throw new TrainingDivergedException(epoch, step, optimizer.LearningRate, lambda,
                            double.IsFinite(batchLoss) ? penaltyValue : batchLoss);
                    objective.backward();
                    optimizer.step();
                }
                if (options.RecordSteps)
                    steps.Add(new StepMetrics(epoch, step, batchLoss, penaltyValue, Evaluation.ParameterNorm(model)));
                options.Progress?.Invoke(new TrainingProgress(epoch, options.Epochs, inEpoch, sampler.BatchesPerEpoch, batchLoss, null));
            }
            var metrics = Measure(epoch);
            if (!double.IsFinite(metrics.TrainLoss) || !double.IsFinite(metrics.ParameterNorm))
                throw new TrainingDivergedException(epoch, step, optimizer.LearningRate, lambda,
                    double.IsFinite(metrics.TrainLoss) ? metrics.ParameterNorm : metrics.TrainLoss);
            epochs.Add(metrics);
            if (options.SnapshotEveryEpochs > 0 && epoch % options.SnapshotEveryEpochs == 0)
                snapshots.Add(Evaluation.Snapshot(model, epoch, step));
            options.Progress?.Invoke(new TrainingProgress(epoch, options.Epochs, inEpoch, sampler.BatchesPerEpoch,
                steps.Count > 0 ? steps[^1].BatchLoss : metrics.TrainLoss, metrics));
        }
        return new TrainingHistory(settings, epochs, steps, snapshots);

        EpochMetrics Measure(int epoch)
        {
            var (trainLoss, trainAcc) = Evaluation.Evaluate(model, train, loss, options.EvaluationBatchSize);
            (double Loss, double? Accuracy)? testResult = test is null ? null : Evaluation.Evaluate(model, test, loss, options.EvaluationBatchSize);
            double penalty = 0;
            if (decay.Method != DecayMethod.None && lambda != 0)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                penalty = optimizer.Penalty().ItemAsDouble();
            }
            var norms = Evaluation.LayerNorms(model);
            return new EpochMetrics(epoch, trainLoss, penalty, trainLoss + penalty, testResult?.Loss, trainAcc, testResult?.Accuracy,
                Math.Sqrt(norms.Values.Sum(v => v * v)), norms);
        }
    }

    /// <summary>Gen-0 collection count when the previous training started (-1: none yet).</summary>
    private static int _collectionsAtLastTraining = -1;

    /// <summary>
    /// Before a training, when no garbage collection has run since the previous training started: a first-generation
    /// collection and the pending finalizers. TorchSharp frees the native memory of wrappers nobody disposed only in
    /// their finalizers, and with a large CPU cache .NET's first-generation budget can outlast a whole λ sweep without
    /// a single collection, so each training's garbage would add to the sweep's peak memory (1.18× one training for 20
    /// trainings with collections suppressed, 1.6× before the library stopped making implicit Scalars;
    /// docs/performance.md, § 4). When the runtime collects on its own, nothing is forced. Costs milliseconds.
    /// </summary>
    /// <remarks>Safe with respect to the library: it makes no Scalar that only a finalizer frees (every Scalar is owned
    /// by a <c>using</c> or a static, enforced by ScalarGuardTests) and a training keeps its tensors in dispose scopes,
    /// so the finalizers run here cannot free anything a library call on another thread is still reading; on the
    /// calling thread nothing is in flight while it blocks. Code outside the library that leaves Scalars to finalizers
    /// (implicit conversions in user code, TorchSharp's own <c>optim</c> steps) stays exposed to every collection,
    /// forced or not, on other threads.</remarks>
    private static void ReclaimUnreferencedNativeMemory()
    {
        int collections = GC.CollectionCount(0);
        if (Interlocked.Exchange(ref _collectionsAtLastTraining, collections) != collections) return;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        Volatile.Write(ref _collectionsAtLastTraining, GC.CollectionCount(0));
    }

    private static void CheckFits(nn.Module<Tensor, Tensor> model, TensorDataset data, Loss loss, string name)
    {
        if (data.Count < 1) throw new ArgumentException($"The {name} set is empty.", name);
        if (model is IFeatureModel fm && data.FeatureCount != fm.InputFeatures)
            throw new ArgumentException(
                $"The {name} set has {data.FeatureCount} features per example but the model expects {fm.InputFeatures}.", name);
        if (loss.IsClassification && data.Targets.dtype != ScalarType.Int64)
            throw new ArgumentException($"The {name} targets are {data.Targets.dtype}; a classification loss needs int64 class indices.", name);
        if (!loss.IsClassification && data.Targets.numel() != data.Count)
            throw new ArgumentException(
                $"The {name} targets have {data.Targets.numel()} values for {data.Count} examples; expected one target per example.", name);
    }
}
