namespace WeightDecay.Experiments;

/// <summary>
/// The loss and the gradient of a scale-invariant weight after rescaling it by <see cref="Scale"/>: for a layer
/// followed by normalization the loss is unchanged, the gradient is orthogonal to the weight (Euler's theorem for a
/// function homogeneous of degree 0: ∇L(w)·w = 0) and its norm is ‖∇L(w)‖/c at c·w.
/// </summary>
/// <param name="Scale">The factor c applied to the weight.</param>
/// <param name="Loss">The loss at c·w.</param>
/// <param name="WeightNorm">‖c·w‖.</param>
/// <param name="GradientNorm">‖∇L(c·w)‖ with respect to the weight.</param>
/// <param name="Cosine">cos(∇L(c·w), w), 0 for an exactly scale-invariant loss.</param>
/// <remarks>Lesson 10: 10-weight-decay-with-normalization.</remarks>
public sealed record ScaleProbe(double Scale, double Loss, double WeightNorm, double GradientNorm, double Cosine);
