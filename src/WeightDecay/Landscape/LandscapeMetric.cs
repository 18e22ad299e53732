namespace WeightDecay.Landscape;

/// <summary>Which metric of a slice.</summary>
public enum LandscapeMetric
{
    /// <summary>Mean data loss on the training set.</summary>
    TrainLoss,

    /// <summary>Training accuracy (classification).</summary>
    TrainAccuracy,

    /// <summary>Mean data loss on the test set.</summary>
    TestLoss,

    /// <summary>Test accuracy (classification).</summary>
    TestAccuracy,
}
