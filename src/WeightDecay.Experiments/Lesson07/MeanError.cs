namespace WeightDecay.Experiments;

/// <summary>A mean over seeds and its standard error (sample standard deviation / √n).</summary>
/// <param name="Mean">The mean.</param>
/// <param name="Error">The standard error of the mean; NaN for fewer than two values.</param>
/// <param name="Count">How many values.</param>
/// <remarks>Lesson 07: 07-l2-is-not-weight-decay-for-adam.</remarks>
public sealed record MeanError(double Mean, double Error, int Count)
{
    /// <summary>Mean and standard error of <paramref name="values"/> (at least one value).</summary>
    public static MeanError Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.ToArray();
        if (v.Length == 0) throw new ArgumentException("Need at least one value.", nameof(values));
        double mean = v.Average();
        double error = v.Length < 2 ? double.NaN
            : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1) / v.Length);
        return new MeanError(mean, error, v.Length);
    }

    /// <summary>"mean ± error", both formatted with <paramref name="format"/> (e.g. <c>"P1"</c>,
    /// <c>"F3"</c>).</summary>
    public string ToString(string format) => $"{Mean.ToString(format)} ± {Error.ToString(format)}";
}
