using System.Globalization;

namespace WeightDecay.Optimization;

/// <summary>Optimizer hyper-parameters.</summary>
/// <param name="Kind">SGD or Adam.</param>
/// <param name="LearningRate">η &gt; 0.</param>
/// <param name="Momentum">SGD momentum μ ∈ [0, 1).</param>
/// <param name="Beta1">Adam β₁ ∈ [0, 1).</param>
/// <param name="Beta2">Adam β₂ ∈ [0, 1).</param>
/// <param name="Epsilon">Adam ε &gt; 0.</param>
public sealed record OptimizerOptions(
    OptimizerKind Kind = OptimizerKind.Sgd, double LearningRate = 0.01, double Momentum = 0,
    double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate,
                "The learning rate must be finite and > 0.");
        if (!(Momentum >= 0 && Momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (!(Beta1 >= 0 && Beta1 < 1))
            throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "β₁ must be in [0, 1).");
        if (!(Beta2 >= 0 && Beta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "β₂ must be in [0, 1).");
        if (!(Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "ε must be > 0.");
    }

    /// <summary>A short label such as <c>sgd</c>, <c>sgd(momentum=0.9)</c> or <c>adam</c>.</summary>
    public string Label => Kind == OptimizerKind.Adam ? "adam"
        : Momentum > 0 ? $"sgd(momentum={Momentum.ToString(CultureInfo.InvariantCulture)})" : "sgd";
}
