namespace WeightDecay.Landscape;

/// <summary>What a 1-D slice varies.</summary>
public enum Slice1DKind
{
    /// <summary>Linear interpolation θ(α) = (1 − α)·θ₀ + α·θ₁.</summary>
    Interpolation,

    /// <summary>A line θ + α·d along a direction.</summary>
    Direction,
}
