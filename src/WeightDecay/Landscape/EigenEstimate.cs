namespace WeightDecay.Landscape;

/// <summary>One eigenvalue of the Hessian estimated by power iteration.</summary>
/// <param name="Value">The eigenvalue estimate (Rayleigh quotient vᵀHv of the last unit iterate v).</param>
/// <param name="Iterations">Hessian-vector products spent on this estimate.</param>
/// <param name="Converged">Whether the relative change fell to the tolerance within the iteration budget.</param>
/// <param name="RelativeChange">|λₖ − λₖ₋₁| / |λₖ| at the last iteration.</param>
/// <param name="Residual">‖Hv − λv‖ at the last iteration: H has an eigenvalue within this distance of
/// <paramref name="Value"/>.</param>
public sealed record EigenEstimate(double Value, int Iterations, bool Converged, double RelativeChange,
    double Residual);
