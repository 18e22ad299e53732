namespace WeightDecay.Landscape;

/// <summary>How a random direction is rescaled against the parameters it perturbs (Li et al. 2018, §4).</summary>
public enum DirectionNormalization
{
    /// <summary>The raw Gaussian draw, d ~ N(0, I).</summary>
    None,

    /// <summary>Each parameter tensor with ≥ 2 dimensions is rescaled as a whole: d ← d / (‖d‖ + 1e-10) · ‖θ‖
    /// (Frobenius).</summary>
    Layer,

    /// <summary>
    /// Each filter — each slice along dimension 0 of a tensor with ≥ 2 dimensions; for a linear layer the row of
    /// incoming weights of one output neuron — is rescaled: d_f ← d_f / (‖d_f‖ + 1e-10) · ‖θ_f‖ (Frobenius per filter),
    /// as <c>normalize_directions_for_weights(norm='filter')</c> in tomgoldstein/loss-landscape's
    /// <c>net_plotter.py</c>.
    /// </summary>
    Filter,
}
