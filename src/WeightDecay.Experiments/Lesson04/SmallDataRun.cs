namespace WeightDecay.Experiments;

/// <summary>One trained network of <see cref="SmallDataStudy"/>: its seed, λ and final metrics on the
/// training subset, the validation split and the test set.</summary>
/// <remarks>Lesson 04: 04-the-seeds-mlp-on-mnist.</remarks>
public sealed record SmallDataRun(int Seed, double Lambda, double TrainLoss, double TrainAccuracy,
    double ValidationLoss, double ValidationAccuracy, double TestLoss, double TestAccuracy);
