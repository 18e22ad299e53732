namespace WeightDecay.Experiments;

/// <summary>The outcome of one <see cref="TimescaleTraining.Run"/>.</summary>
/// <param name="Lambda">λ (PyTorch's convention).</param>
/// <param name="TrainCount">N, training digits.</param>
/// <param name="ValidationLoss">Cross-entropy on the validation digits after training.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation digits.</param>
/// <param name="TestLoss">Cross-entropy on the test digits.</param>
/// <param name="TestAccuracy">Accuracy on the test digits.</param>
/// <param name="ParameterNorm">‖θ‖ after training.</param>
/// <param name="History">The trainer's history (per-step learning rate and ‖θ‖ when recorded).</param>
/// <remarks>Lesson 11: 11-the-timescale.</remarks>
public sealed record TimescaleRun(double Lambda, int TrainCount, double ValidationLoss, double ValidationAccuracy,
    double TestLoss, double TestAccuracy, double ParameterNorm, Training.TrainingHistory History);
