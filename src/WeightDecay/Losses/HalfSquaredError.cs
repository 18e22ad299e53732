using static TorchSharp.torch;

namespace WeightDecay.Losses;

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
                $"Prediction has {prediction.numel()} values (shape [{string.Join(", ", prediction.shape)}]) but " +
                $"target has {target.numel()} (shape [{string.Join(", ", target.shape)}]); expected one prediction " +
                "per target.", nameof(target));
        var diff = prediction.reshape(-1) - target.reshape(-1);
        return diff.Square().mean().Mul(0.5);
    }
}
