namespace WeightDecay.Training;

/// <summary>A fitted linear model ŷ = x·w + b.</summary>
/// <param name="Weights">w.</param>
/// <param name="Bias">b.</param>
public sealed record LinearSolution(double[] Weights, double Bias)
{
    /// <summary>‖w‖₂ (the bias excluded).</summary>
    public double WeightNorm => Math.Sqrt(Weights.Sum(v => v * v));
}
