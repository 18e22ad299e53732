using WeightDecay.Data;

namespace WeightDecay.Experiments;

/// <summary>Data drawn from the Bayesian linear model itself, with the true parameters that generated it.</summary>
/// <param name="Data">Features x ~ N(0, I) [n, d] and targets y = x·w + b + ε [n], float64.</param>
/// <param name="TrueWeights">w, drawn from the prior N(0, τ² I).</param>
/// <param name="TrueBias">b.</param>
/// <param name="NoiseVariance">σ².</param>
/// <param name="PriorVariance">τ².</param>
/// <remarks>Lesson 01: 01-what-weight-decay-is.</remarks>
public sealed record BayesianSample(TensorDataset Data, double[] TrueWeights, double TrueBias, double NoiseVariance,
    double PriorVariance) : IDisposable
{
    /// <summary>Frees the tensors.</summary>
    public void Dispose() => Data.Dispose();
}
