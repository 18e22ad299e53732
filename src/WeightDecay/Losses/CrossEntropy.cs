using static TorchSharp.torch;

namespace WeightDecay.Losses;

/// <summary>Cross-entropy on logits (softmax applied inside, as in PyTorch's <c>cross_entropy</c>), mean over the
/// batch.</summary>
public sealed class CrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "cross_entropy";

    /// <inheritdoc/>
    public override bool IsClassification => true;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target)
    {
        if (prediction.dim() != 2 || target.dim() != 1 || prediction.shape[0] != target.shape[0])
            throw new ArgumentException(
                "Cross-entropy expects logits [n, classes] and class indices [n]; got " +
                $"[{string.Join(", ", prediction.shape)}] and " +
                $"[{string.Join(", ", target.shape)}].", nameof(prediction));
        return nn.functional.cross_entropy(prediction, target);
    }
}
