namespace WeightDecay.Experiments;

/// <summary>
/// One run of <see cref="RotationTraining"/>: per step t (when recorded) ‖W₁‖ before the step, the angle Δ_t between
/// W₁ before and after it, and ‖∇L(W₁)‖ of its minibatch; after training, loss and accuracies (BatchNorm in
/// evaluation mode, running statistics).
/// </summary>
/// <remarks>Lesson 10: 10-weight-decay-with-normalization.</remarks>
public sealed record RotationRun(RotationSettings Settings, IReadOnlyList<double> WeightNorm,
    IReadOnlyList<double> Angle, IReadOnlyList<double> GradientNorm, double TrainLoss, double TrainAccuracy,
    double ValidationAccuracy, double TestAccuracy)
{
    /// <summary>The equilibrium angular update per step predicted for SGD with momentum μ and coupled L2,
    /// √(2ηλ/(1 + μ)) (√(2ηλ) for plain SGD).</summary>
    public static double PredictedAngle(double learningRate, double lambda, double momentum = 0) =>
        Math.Sqrt(2 * learningRate * lambda / (1 + momentum));

    /// <summary>The prediction for this run's settings.</summary>
    public double Predicted => PredictedAngle(Settings.LearningRate, Settings.Lambda, Settings.Momentum);

    /// <summary>The root mean square of Δ_t over the last <paramref name="steps"/> recorded steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More steps than recorded, or fewer than one.</exception>
    public double RmsAngle(int steps)
    {
        if (steps < 1 || steps > Angle.Count)
            throw new ArgumentOutOfRangeException(nameof(steps), steps,
                $"Need 1 … {Angle.Count} steps (the recorded ones).");
        return Math.Sqrt(Angle.Skip(Angle.Count - steps).Average(a => a * a));
    }
}
