namespace WeightDecay.Experiments;

/// <summary>
/// One network's record from <see cref="GrokkingTraining"/>: at each recorded step, the accuracy on the training
/// and on the test pairs and the parameter norm ‖θ‖₂ (both weight matrices).
/// </summary>
/// <remarks>Lesson 12: 12-grokking.</remarks>
public sealed record GrokkingRun(GrokkingSettings Settings, int Seed, IReadOnlyList<double> Steps,
    IReadOnlyList<double> TrainAccuracy, IReadOnlyList<double> TestAccuracy, IReadOnlyList<double> Norm)
{
    /// <summary>The first recorded step at which <paramref name="accuracy"/> is ≥ <paramref name="threshold"/>, or
    /// null if it never is.</summary>
    public static double? FirstReached(IReadOnlyList<double> steps, IReadOnlyList<double> accuracy, double threshold)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(accuracy);
        for (int i = 0; i < accuracy.Count; i++)
            if (accuracy[i] >= threshold) return steps[i];
        return null;
    }

    /// <summary>The first recorded step with training accuracy ≥ <paramref name="threshold"/> (null: never).</summary>
    public double? TrainReached(double threshold = 0.99) => FirstReached(Steps, TrainAccuracy, threshold);

    /// <summary>The first recorded step with test accuracy ≥ <paramref name="threshold"/> (null: never).</summary>
    public double? TestReached(double threshold = 0.99) => FirstReached(Steps, TestAccuracy, threshold);

    /// <summary>The grokking delay: steps from training accuracy ≥ 99 % to test accuracy ≥ 99 % (null if either
    /// never happens).</summary>
    public double? Delay => TestReached() is { } test && TrainReached() is { } train ? test - train : null;

    /// <summary>‖θ‖ at the recorded step closest to <paramref name="step"/>.</summary>
    public double NormAt(double step)
    {
        int best = 0;
        for (int i = 1; i < Steps.Count; i++)
            if (Math.Abs(Steps[i] - step) < Math.Abs(Steps[best] - step)) best = i;
        return Norm[best];
    }
}
