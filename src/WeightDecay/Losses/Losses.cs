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

/// <summary>
/// Squared error with d2l's ½ convention: L = (1/n) Σᵢ ½ (ŷᵢ − yᵢ)². Predictions and targets are flattened first, so
/// [n, 1] predictions never broadcast against [n] targets into an n × n matrix.
/// </summary>
public sealed class HalfSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "half_mse";

    /// <inheritdoc/>
    public override bool IsClassification => false;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target)
    {
        if (prediction.numel() != target.numel())
            throw new ArgumentException(
                $"Prediction has {prediction.numel()} values (shape [{string.Join(", ", prediction.shape)}]) but target has " +
                $"{target.numel()} (shape [{string.Join(", ", target.shape)}]); expected one prediction per target.", nameof(target));
        var diff = prediction.reshape(-1) - target.reshape(-1);
        return diff.Square().mean().Mul(0.5);
    }
}

/// <summary>Cross-entropy on logits (softmax applied inside, as in PyTorch's <c>cross_entropy</c>), mean over the batch.</summary>
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
                $"Cross-entropy expects logits [n, classes] and class indices [n]; got [{string.Join(", ", prediction.shape)}] " +
                $"and [{string.Join(", ", target.shape)}].", nameof(prediction));
        return nn.functional.cross_entropy(prediction, target);
    }
}

/// <summary>
/// The seed's bug, kept to demonstrate it: cross-entropy "from logits" applied to softmax <em>probabilities</em>, i.e. a
/// softmax applied twice (Keras <c>SparseCategoricalCrossentropy(from_logits=True)</c> on a softmax output layer). Its inputs
/// lie in [0, 1], so the best possible loss is log(1 + (C − 1)/e) (≈ 1.461 for C = 10 classes), reached only when the
/// network is certain, and its gradients are damped.
/// </summary>
public sealed class DoubleSoftmaxCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "double_softmax_cross_entropy";

    /// <inheritdoc/>
    public override bool IsClassification => true;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) =>
        new CrossEntropy().Forward(nn.functional.softmax(prediction, 1), target);

    /// <summary>The smallest value the loss can take with <paramref name="classes"/> classes: log(1 + (C − 1)/e).</summary>
    public static double LowerBound(int classes) =>
        classes >= 2 ? Math.Log(1 + (classes - 1) / Math.E) : throw new ArgumentOutOfRangeException(nameof(classes), classes, "Need at least two classes.");
}
