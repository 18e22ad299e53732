namespace WeightDecay.Regularization;

/// <summary>Which parameter tensors weight decay applies to.</summary>
public enum DecaySelection
{
    /// <summary>Only weight matrices and filters: tensors with ≥ 2 dimensions. Biases and normalization scales/shifts
    /// (1-D) are not decayed. The default, as in d2l and common practice.</summary>
    WeightsOnly,

    /// <summary>Every parameter, biases included (what <c>optim.SGD(weight_decay:)</c> does when given all
    /// parameters).</summary>
    All,
}
