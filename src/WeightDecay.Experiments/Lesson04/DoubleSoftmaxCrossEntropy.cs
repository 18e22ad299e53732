using WeightDecay.Losses;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// The seed's bug, kept to demonstrate it: cross-entropy "from logits" applied to softmax <em>probabilities</em>, i.e.
/// a softmax applied twice (Keras <c>SparseCategoricalCrossentropy(from_logits=True)</c> on a softmax output layer).
/// Its inputs lie in [0, 1], so the best possible loss is log(1 + (C − 1)/e) (≈ 1.461 for C = 10 classes), reached only
/// when the network is certain, and its gradients are damped.
/// </summary>
/// <remarks>Lesson 04: 04-the-seeds-mlp-on-mnist and its solutions.</remarks>
public sealed class DoubleSoftmaxCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "double_softmax_cross_entropy";

    /// <inheritdoc/>
    public override bool IsClassification => true;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) =>
        new CrossEntropy().Forward(nn.functional.softmax(prediction, 1), target);

    /// <summary>The smallest value the loss can take with <paramref name="classes"/> classes: log(1 + (C −
    /// 1)/e).</summary>
    public static double LowerBound(int classes) =>
        classes >= 2 ? Math.Log(1 + (classes - 1) / Math.E) : throw new ArgumentOutOfRangeException(nameof(classes),
            classes, "Need at least two classes.");
}
