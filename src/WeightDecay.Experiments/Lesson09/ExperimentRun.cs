using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>One λ of an experiment: its history and final numbers.</summary>
/// <param name="Lambda">λ.</param>
/// <param name="History">Per-epoch metrics (epoch 0 = initial model).</param>
/// <param name="ValidationLoss">The final model's loss on the validation set (chooses λ).</param>
/// <param name="ValidationAccuracy">Its validation accuracy (null for regression).</param>
/// <remarks>Lesson 09: 09-your-experiment.</remarks>
public sealed record ExperimentRun(double Lambda, TrainingHistory History, double ValidationLoss,
    double? ValidationAccuracy)
{
    /// <summary>Final test loss minus final training loss (the generalization gap, in data loss).</summary>
    public double Gap => (History.Final.TestLoss ?? double.NaN) - History.Final.TrainLoss;
}
