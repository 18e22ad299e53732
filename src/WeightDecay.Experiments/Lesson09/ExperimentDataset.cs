namespace WeightDecay.Experiments;

/// <summary>The data set of an <see cref="Experiment"/>.</summary>
/// <remarks>Lesson 09: 09-your-experiment.</remarks>
public enum ExperimentDataset
{
    /// <summary>d2l's high-dimensional regression: d = 200 inputs, 20 training and 100 test examples, σ = 0.01, a
    /// linear model, ½-squared error.</summary>
    Regression,

    /// <summary>The bundled MNIST subset (the first <see cref="ExperimentConfig.Digits"/> of its 8,000 training digits,
    /// all 2,000 test digits), an MLP, cross-entropy.</summary>
    Mnist,
}
