namespace WeightDecay.Landscape;

/// <summary>The extreme eigenvalues of the Hessian of the training loss.</summary>
/// <param name="Max">The largest eigenvalue λ_max (the sharpness).</param>
/// <param name="Min">The smallest eigenvalue λ_min, when requested.</param>
public sealed record HessianSpectrum(EigenEstimate Max, EigenEstimate? Min)
{
    /// <summary>λ_min / λ_max (Li et al. 2018, §6, map |λ_min/λ_max| to show convexity), when λ_min was
    /// requested.</summary>
    public double? MinMaxRatio => Min is null ? null : Min.Value / Max.Value;
}
