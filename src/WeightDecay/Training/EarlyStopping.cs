namespace WeightDecay.Training;

/// <summary>
/// Early stopping as implicit L2 (Goodfellow et al., Deep Learning §7.8). On a quadratic loss with Hessian eigenvalues hᵢ,
/// gradient descent from 0 with step η reaches, after τ steps, the fraction 1 − (1 − ηhᵢ)^τ of the minimizer along each
/// eigendirection; ridge with λ keeps the fraction hᵢ/(hᵢ + λ). With λ ≈ 1/(τη) the two agree where ηhᵢτ ≪ 1 (both ≈ ηhᵢτ)
/// and where ηhᵢτ ≫ 1 (both ≈ 1), and differ by at most ≈ 0.2 in between.
/// </summary>
public static class EarlyStopping
{
    /// <summary>The fraction 1 − (1 − ηh)^τ of the minimizer that gradient descent reaches along an eigendirection.</summary>
    public static double GradientDescentFraction(double h, double eta, int steps)
    {
        if (!(h >= 0)) throw new ArgumentOutOfRangeException(nameof(h), h, "Curvature must be ≥ 0.");
        if (!(eta > 0) || eta * h >= 2) throw new ArgumentOutOfRangeException(nameof(eta), eta, "Need 0 < η·h < 2 for convergence.");
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Must be ≥ 0.");
        return 1 - Math.Pow(1 - eta * h, steps);
    }

    /// <summary>The fraction h/(h + λ) of the minimizer that ridge keeps along an eigendirection.</summary>
    public static double RidgeFraction(double h, double lambda) =>
        h >= 0 && lambda >= 0 && h + lambda > 0 ? h / (h + lambda) : throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Need h, λ ≥ 0, not both 0.");

    /// <summary>The λ that τ steps of size η correspond to: 1/(τη).</summary>
    public static double EquivalentLambda(double eta, int steps) =>
        eta > 0 && steps > 0 ? 1 / (steps * eta) : throw new ArgumentOutOfRangeException(nameof(steps), steps, "Need η > 0 and τ > 0.");
}
