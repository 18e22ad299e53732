namespace WeightDecay.Experiments;

/// <summary>
/// Reads a quantity along a training path at a given training loss: the path passes every loss between its first and
/// last epoch, so a run that ended at a higher loss can be compared with this path where it had the same loss
/// (comparison at matched training loss).
/// </summary>
/// <remarks>Lesson 06: 06-seeing-the-landscape.</remarks>
public static class PathInterpolation
{
    /// <summary>
    /// <paramref name="values"/> linearly interpolated at <paramref name="loss"/> between the first pair of consecutive
    /// epochs whose losses bracket it (losses[i] ≥ loss ≥ losses[i + 1]); NaN when the path never had that loss.
    /// </summary>
    /// <exception cref="ArgumentException">The two lists differ in length.</exception>
    public static double AtLoss(IReadOnlyList<double> losses, IReadOnlyList<double> values, double loss)
    {
        ArgumentNullException.ThrowIfNull(losses);
        ArgumentNullException.ThrowIfNull(values);
        if (losses.Count != values.Count)
            throw new ArgumentException($"{losses.Count} losses for {values.Count} values.", nameof(values));
        for (int i = 0; i + 1 < losses.Count; i++)
        {
            double a = losses[i], b = losses[i + 1];
            if (!(a >= loss && loss >= b)) continue;
            return a == b ? values[i] : values[i] + (a - loss) / (a - b) * (values[i + 1] - values[i]);
        }
        return double.NaN;
    }
}
