namespace WeightDecay.Landscape;

/// <summary>How the grid points of a slice are evaluated.</summary>
public enum EvaluationPath
{
    /// <summary><see cref="Batched"/> when the model is a <see cref="Models.Mlp"/> and the loss is cross-entropy or
    /// half squared error; <see cref="PerPoint"/> otherwise.</summary>
    Auto,

    /// <summary>The reference (Li et al.): set the model's parameters to each point, run its normal forward over the
    /// data, restore the parameters afterwards.</summary>
    PerPoint,

    /// <summary>Many points per pass for a <see cref="Models.Mlp"/>: the K points' weights are stacked into [K, out,
    /// in] tensors and multiplied with the shared input by batched matmul; the first layer, linear in the grid
    /// coordinates, is computed once per direction. Agrees with <see cref="PerPoint"/> to float rounding.</summary>
    Batched,
}
