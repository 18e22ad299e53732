namespace WeightDecay.Optimization;

/// <summary>How weight decay acts on one parameter tensor.</summary>
/// <param name="Name">Parameter name, e.g. <c>fc1.weight</c>.</param>
/// <param name="Shape">Its shape, e.g. <c>[64, 784]</c>.</param>
/// <param name="Decayed">Whether any decay acts on it.</param>
/// <param name="How">How the decay enters (penalty in the loss, coupled gradient term, decoupled step), or why it does
/// not.</param>
/// <param name="Lambda">λ acting on it (0 when not decayed).</param>
/// <param name="ShrinkPerStep">The factor the decay alone multiplies the tensor by per step at the current learning
/// rate (1 = no decay). For Adam with coupled/penalty L2 it is the median over coordinates of 1 − ηλ/(√v̂ + ε) and is
/// only known after a step (NaN before); for SGD with momentum and coupled/penalty L2 it is the long-run factor
/// <see cref="DecayAudit.MomentumDecayFactor"/> (≈ 1 − ηλ/(1 − μ)).</param>
/// <param name="Note">What a reader should know about this row.</param>
public sealed record DecayAuditRow(string Name, string Shape, bool Decayed, string How, double Lambda,
    double ShrinkPerStep, string Note);
