using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Optimization;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>
/// Everything <see cref="Trainer.Fit"/> records around its loop, kept out of the loop so that the
/// loop reads like torch.optim's: the metrics of epoch 0 (on construction) and of every epoch
/// (<see cref="AfterEpoch"/>), per-step metrics and progress reports (<see cref="AfterStep"/>),
/// parameter snapshots, and the divergence check that stops a run whose loss is no longer finite.
/// </summary>
internal sealed class TrainingLog
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly TensorDataset _train;
    private readonly TensorDataset? _test;
    private readonly Loss _loss;
    private readonly WeightDecayOptimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly int _stepsPerEpoch;
    private readonly List<EpochMetrics> _epochs = [];
    private readonly List<StepMetrics> _steps = [];
    private readonly List<ParameterSnapshot> _snapshots = [];
    private long _step;
    private int _stepInEpoch;
    private double _penaltyBeforeStep;

    /// <summary>Starts the log: measures the initial model (epoch 0) and takes its snapshot if
    /// snapshots are on.</summary>
    public TrainingLog(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset? test,
        Loss loss, WeightDecayOptimizer optimizer, TrainerOptions options, int stepsPerEpoch)
    {
        (_model, _train, _test, _loss) = (model, train, test, loss);
        (_optimizer, _options, _stepsPerEpoch) = (optimizer, options, stepsPerEpoch);
        _epochs.Add(Measure(0));
        if (options.SnapshotEveryEpochs > 0) _snapshots.Add(Evaluation.Snapshot(model, 0, 0));
        if (options.RecordSteps) _penaltyBeforeStep = optimizer.PenaltyValue();
    }

    /// <summary>The history recorded so far.</summary>
    public TrainingHistory History
    {
        get
        {
            var (decay, optimizer) = (_options.Decay, _options.Optimizer);
            var settings = new RunSettings(decay.Method.ToString().ToLowerInvariant(), optimizer.Label,
                decay.EffectiveRegularizer.Name, optimizer.LearningRate, decay.Lambda,
                _options.BatchSize, _options.Seed);
            return new TrainingHistory(settings, _epochs, _steps, _snapshots);
        }
    }

    /// <summary>
    /// After a step of <paramref name="epoch"/>: stops the run when the minibatch's data loss
    /// <paramref name="batchLoss"/> or the objective is not finite, records the step's metrics if
    /// asked to, reports progress.
    /// </summary>
    public void AfterStep(int epoch, Tensor batchLoss, Tensor objective)
    {
        _step++;
        _stepInEpoch++;
        double loss = batchLoss.ItemAsDouble();
        double total = ReferenceEquals(objective, batchLoss) ? loss : objective.ItemAsDouble();
        if (!double.IsFinite(loss) || !double.IsFinite(total))
            throw Diverged(epoch, double.IsFinite(loss) ? total : loss);
        if (_options.RecordSteps)
        {
            // the penalty before this step's update is the one measured after the previous step
            _steps.Add(new StepMetrics(epoch, _step, loss, _penaltyBeforeStep,
                Evaluation.ParameterNorm(_model), _optimizer.LearningRate, _optimizer.DecayRate));
            _penaltyBeforeStep = _optimizer.PenaltyValue();
        }
        _options.Progress?.Invoke(
            new TrainingProgress(epoch, _options.Epochs, _stepInEpoch, _stepsPerEpoch, loss, null));
    }

    /// <summary>
    /// At the end of <paramref name="epoch"/>: measures the model on the whole training and test
    /// sets (stopping the run when the training loss or the parameters are no longer finite), takes
    /// a snapshot if one is due, reports progress.
    /// </summary>
    public void AfterEpoch(int epoch)
    {
        var metrics = Measure(epoch);
        if (!double.IsFinite(metrics.TrainLoss) || !double.IsFinite(metrics.ParameterNorm))
            throw Diverged(epoch, double.IsFinite(metrics.TrainLoss) ? metrics.ParameterNorm
                : metrics.TrainLoss);
        _epochs.Add(metrics);
        if (_options.SnapshotEveryEpochs > 0 && epoch % _options.SnapshotEveryEpochs == 0)
            _snapshots.Add(Evaluation.Snapshot(_model, epoch, _step));
        _options.Progress?.Invoke(new TrainingProgress(epoch, _options.Epochs, _stepInEpoch,
            _stepsPerEpoch, _steps.Count > 0 ? _steps[^1].BatchLoss : metrics.TrainLoss, metrics));
        _stepInEpoch = 0;
    }

    private EpochMetrics Measure(int epoch)
    {
        int batchSize = _options.EvaluationBatchSize;
        var (trainLoss, trainAccuracy) = Evaluation.Evaluate(_model, _train, _loss, batchSize);
        (double Loss, double? Accuracy)? test =
            _test is null ? null : Evaluation.Evaluate(_model, _test, _loss, batchSize);
        double penalty = _optimizer.PenaltyValue();
        var norms = Evaluation.LayerNorms(_model);
        return new EpochMetrics(epoch, trainLoss, penalty, trainLoss + penalty, test?.Loss,
            trainAccuracy, test?.Accuracy, Math.Sqrt(norms.Values.Sum(v => v * v)), norms);
    }

    private TrainingDivergedException Diverged(int epoch, double loss) =>
        new(epoch, _step, _optimizer.LearningRate, _options.Decay.Lambda, loss);
}
