namespace WeightDecay.Training;

/// <summary>Metrics at the end of one epoch (epoch 0 = before training).</summary>
/// <param name="Epoch">Epoch number; 0 is the initial model.</param>
/// <param name="TrainLoss">Data loss L(θ) on the whole training set (evaluation mode, mean over examples).</param>
/// <param name="Penalty">λ·R(θ) over the decayed parameters: the term the penalty method adds to the loss, reported for
/// every method so runs are comparable (0 without decay).</param>
/// <param name="TotalLoss">TrainLoss + Penalty: the regularized objective L'(θ).</param>
/// <param name="TestLoss">Data loss on the test set, if one was given.</param>
/// <param name="TrainAccuracy">Training accuracy for classification, else null.</param>
/// <param name="TestAccuracy">Test accuracy for classification with a test set, else null.</param>
/// <param name="ParameterNorm">Global ‖θ‖₂ over all trainable parameters (biases included).</param>
/// <param name="LayerNorms">‖θ‖₂ (Frobenius) of each parameter tensor by name, e.g. <c>fc1.weight</c>.</param>
public sealed record EpochMetrics(
    int Epoch, double TrainLoss, double Penalty, double TotalLoss, double? TestLoss,
    double? TrainAccuracy, double? TestAccuracy, double ParameterNorm, IReadOnlyDictionary<string, double> LayerNorms);

/// <summary>Metrics of one optimization step (recorded when <see cref="TrainerOptions.RecordSteps"/> is set).</summary>
/// <param name="Epoch">Epoch (1-based).</param>
/// <param name="Step">Global step number (1-based).</param>
/// <param name="BatchLoss">Data loss on the minibatch, before the update.</param>
/// <param name="Penalty">λ·R(θ) before the update.</param>
/// <param name="ParameterNorm">Global ‖θ‖₂ after the update.</param>
public sealed record StepMetrics(int Epoch, long Step, double BatchLoss, double Penalty, double ParameterNorm);

/// <summary>A copy of every trainable parameter at one point of training (for histograms and PCA trajectories).</summary>
/// <param name="Epoch">Epoch at which it was taken (0 = initial).</param>
/// <param name="Step">Global step at which it was taken.</param>
/// <param name="Values">Each parameter's values (row-major, as float64) by name, in registration order.</param>
public sealed record ParameterSnapshot(int Epoch, long Step, IReadOnlyList<KeyValuePair<string, double[]>> Values)
{
    /// <summary>All parameters concatenated in registration order: θ as one vector.</summary>
    public double[] Flatten() => Values.SelectMany(v => v.Value).ToArray();
}

/// <summary>The settings a history was produced with (stored with it, and as columns of its CSV).</summary>
/// <param name="Method">Decay method name (none, penalty, coupled, decoupled).</param>
/// <param name="Optimizer">Optimizer label (sgd, sgd(momentum=0.9), adam).</param>
/// <param name="Regularizer">Regularizer name (l2, l1, elastic_net(α)).</param>
/// <param name="LearningRate">η.</param>
/// <param name="Lambda">λ.</param>
/// <param name="BatchSize">Minibatch size.</param>
/// <param name="Seed">Seed of shuffling and dropout.</param>
public sealed record RunSettings(string Method, string Optimizer, string Regularizer, double LearningRate, double Lambda, int BatchSize, int Seed);

/// <summary>Everything recorded while training one model.</summary>
/// <param name="Settings">The settings of the run.</param>
/// <param name="Epochs">Per-epoch metrics, starting with epoch 0 (the initial model).</param>
/// <param name="Steps">Per-step metrics (empty unless requested).</param>
/// <param name="Snapshots">Parameter snapshots (empty unless requested).</param>
public sealed record TrainingHistory(
    RunSettings Settings, IReadOnlyList<EpochMetrics> Epochs, IReadOnlyList<StepMetrics> Steps, IReadOnlyList<ParameterSnapshot> Snapshots)
{
    /// <summary>The metrics after the last epoch.</summary>
    public EpochMetrics Final => Epochs[^1];
}
