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
