using System.Globalization;
using WeightDecay.Regularization;

namespace WeightDecay.Optimization;

/// <summary>Weight-decay configuration.</summary>
/// <param name="Method">How decay enters training.</param>
/// <param name="Lambda">λ ≥ 0, the coefficient of R(θ). With the default L2 = ½‖θ‖² the gradient
/// term is λθ.</param>
/// <param name="Regularizer">R; null means L2 = ½‖θ‖².</param>
/// <param name="Selection">Which tensors are decayed (default: weights only, biases
/// excluded).</param>
/// <param name="DecoupledScalesWithLearningRate">For <see cref="DecayMethod.Decoupled"/> (and
/// <see cref="DecayMethod.Proximal"/>): true (default) multiplies λ by the learning rate, θ ← (1 −
/// ηλ)θ, as PyTorch's and TorchSharp's AdamW do; false applies θ ← (1 − λ)θ, the paper's form with
/// schedule multiplier 1 (there λ must then be small).</param>
public sealed record WeightDecayOptions(
    DecayMethod Method = DecayMethod.None, double Lambda = 0, Regularizer? Regularizer = null,
    DecaySelection Selection = DecaySelection.WeightsOnly, bool DecoupledScalesWithLearningRate =
        true)
{
    /// <summary>No weight decay.</summary>
    public static WeightDecayOptions None { get; } = new();

    /// <summary>
    /// Decay by <paramref name="method"/> with coefficient <paramref name="lambda"/> — or
    /// <see cref="None"/> when λ = 0, so that the λ = 0 run of a sweep is labelled and audited as a
    /// run without decay.
    /// </summary>
    public static WeightDecayOptions For(DecayMethod method, double lambda,
        Regularizer? regularizer = null, DecaySelection selection = DecaySelection.WeightsOnly) =>
        lambda == 0 ? None : new WeightDecayOptions(method, lambda, regularizer, selection);

    /// <summary>
    /// For <see cref="DecayMethod.Decoupled"/> and <see cref="DecayMethod.Proximal"/> decay under a learning-rate
    /// schedule: true (default) decays with the current learning rate, θ ← (1 − η_tλ)θ — PyTorch's AdamW, and
    /// Loshchilov &amp; Hutter's Algorithm 2, where the schedule multiplier η_t scales the decay too; false decays at
    /// the base rate η₀ of <see cref="OptimizerOptions.LearningRate"/> whatever the schedule does, θ ← (1 − η₀λ)θ (an
    /// optimizer given a constant decay rate while only its learning rate is scheduled). Coupled and penalty decay
    /// act through the gradient and always follow η_t, so false is refused for them.
    /// </summary>
    public bool DecayFollowsSchedule { get; init; } = true;

    /// <summary>The regularizer in effect (L2 when none was given).</summary>
    public Regularizer EffectiveRegularizer => Regularizer ?? Regularization.Regularizer.L2;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!(Lambda >= 0) || double.IsInfinity(Lambda))
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda,
                "λ (weight decay) must be finite and ≥ 0.");
        if (Method == DecayMethod.None && Lambda != 0)
            throw new ArgumentException(
                $"λ = {Lambda.ToString(CultureInfo.InvariantCulture)} was given with " +
                "DecayMethod.None, so it would silently do nothing; choose Penalty, Coupled or " +
                "Decoupled, or set λ = 0.", nameof(Lambda));
        if (!DecayFollowsSchedule && Method is DecayMethod.Coupled or DecayMethod.Penalty)
            throw new ArgumentException(
                $"DecayFollowsSchedule = false was given with DecayMethod.{Method}, whose decay acts through the " +
                "gradient and always follows the learning rate; only Decoupled or Proximal decay can stay at the " +
                "base rate.", nameof(DecayFollowsSchedule));
    }
}
