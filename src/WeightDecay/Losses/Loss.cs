using static TorchSharp.torch;

namespace WeightDecay.Losses;

/// <summary>A data loss L(ŷ, y) averaged over the examples of a batch (mean reduction).</summary>
public abstract class Loss
{
    /// <summary>Short name used in tables.</summary>
    public abstract string Name { get; }

    /// <summary>Whether targets are class indices and accuracy is meaningful.</summary>
    public abstract bool IsClassification { get; }

    /// <summary>The mean loss over the batch (a scalar tensor).</summary>
    public abstract Tensor Forward(Tensor prediction, Tensor target);
}
