namespace WeightDecay.Experiments;

/// <summary>The gradient check of one parameter tensor.</summary>
/// <param name="Tensor">Parameter name, e.g. <c>fc1.weight</c>.</param>
/// <param name="Shape">Its shape, e.g. <c>64×784</c>.</param>
/// <param name="Decayed">Whether weight decay applies to it.</param>
/// <param name="MaxGradient">max |∂L'/∂θ| (autograd): the scale the errors compare with.</param>
/// <param name="MaxDecayTerm">max |λθ| over its entries (0 when not decayed): how much the decay term
/// contributes.</param>
/// <param name="AnalyticError">max |autograd ∂L'/∂θ − (∂L/∂θ + λθ)| over all its entries.</param>
/// <param name="FiniteDifferenceCoordinates">How many of its entries were compared with finite differences (kinks
/// left out).</param>
/// <param name="FiniteDifferenceError">max |autograd ∂L'/∂θ − central difference of L'| over those entries.</param>
/// <param name="KinkCoordinates">Entries left out because L' has a kink within ±h of them (see
/// <see cref="GradientCheck.Run"/>'s kinkCurvature).</param>
/// <param name="MaxCurvature">The largest second difference |L'(θ + h eᵢ) − 2L'(θ) + L'(θ − h eᵢ)| / h² among the
/// compared entries: how far below the kink threshold the smooth ones stayed.</param>
/// <remarks>Lesson 02: 02-the-gradient-derived-and-verified.</remarks>
public sealed record GradientCheckRow(string Tensor, string Shape, bool Decayed, double MaxGradient,
    double MaxDecayTerm, double AnalyticError, int FiniteDifferenceCoordinates, double FiniteDifferenceError,
    int KinkCoordinates = 0, double MaxCurvature = 0);
