using WeightDecay.Data;
using WeightDecay.Losses;
using static TorchSharp.torch;

namespace WeightDecay.Landscape;

/// <summary>
/// The flatness of a 1-D slice, as Li et al. (2018) read their plots: how much the training loss rises at a fixed
/// distance from θ along random directions, <c>rise(r) = mean over k of [L(θ + r·dₖ) + L(θ − r·dₖ)]/2 − L(θ)</c>
/// (L the mean data loss, no penalty, evaluation mode). With <see cref="DirectionNormalization.None"/> the directions
/// are raw N(0, I) draws, so r is an absolute distance per parameter; with <see cref="DirectionNormalization.Filter"/>
/// each filter of dₖ has the norm of the same filter of θ, so r is a relative distance and the rise does not depend on
/// the network's scale.
/// </summary>
public static class Flatness
{
    /// <summary>
    /// The mean loss rise at ±<paramref name="radius"/> over <paramref name="directions"/> random directions; direction
    /// k is <see cref="ParameterDirection.Random"/>(model, seed + k, normalization) (biases get no perturbation). The
    /// model is restored after every slice.
    /// </summary>
    /// <exception cref="ArgumentException">radius not finite and &gt; 0, directions &lt; 1, or data that does not fit
    /// the model.</exception>
    public static double Rise(nn.Module<Tensor, Tensor> model, TensorDataset data, Loss loss,
        DirectionNormalization normalization, double radius, int directions = 4, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        if (!(radius > 0) || !double.IsFinite(radius))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be finite and > 0.");
        if (directions < 1)
            throw new ArgumentOutOfRangeException(nameof(directions), directions, "Need at least 1 direction.");
        var axis = new GridAxis(-radius, radius, 3);
        double sum = 0;
        for (int k = 0; k < directions; k++)
        {
            using var d = ParameterDirection.Random(model, seed + k, normalization);
            var s = LossLandscape.Line(model, d, data, null, loss, axis);
            sum += (s.TrainLoss[0] + s.TrainLoss[2]) / 2 - s.TrainLoss[1];
        }
        return sum / directions;
    }
}
