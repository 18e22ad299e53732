namespace WeightDecay.Training;

/// <summary>The settings a history was produced with (stored with it, and as columns of its CSV).</summary>
/// <param name="Method">Decay method name (none, penalty, coupled, decoupled).</param>
/// <param name="Optimizer">Optimizer label (sgd, sgd(momentum=0.9), adam).</param>
/// <param name="Regularizer">Regularizer name (l2, l1, elastic_net(α)).</param>
/// <param name="LearningRate">η.</param>
/// <param name="Lambda">λ.</param>
/// <param name="BatchSize">Minibatch size.</param>
/// <param name="Seed">Seed of shuffling and dropout.</param>
public sealed record RunSettings(string Method, string Optimizer, string Regularizer, double LearningRate,
    double Lambda, int BatchSize, int Seed);
