namespace WeightDecay.Training;

/// <summary>A copy of every trainable parameter at one point of training (for histograms and PCA
/// trajectories).</summary>
/// <param name="Epoch">Epoch at which it was taken (0 = initial).</param>
/// <param name="Step">Global step at which it was taken.</param>
/// <param name="Values">Each parameter's values (row-major, as float64) by name, in registration order.</param>
public sealed record ParameterSnapshot(int Epoch, long Step, IReadOnlyList<KeyValuePair<string, double[]>> Values)
{
    /// <summary>All parameters concatenated in registration order: θ as one vector.</summary>
    public double[] Flatten() => Values.SelectMany(v => v.Value).ToArray();
}
