namespace WeightDecay.Experiments;

/// <summary>How many of a set of weights are zero.</summary>
/// <param name="Count">Number of weights.</param>
/// <param name="ExactZeros">Weights exactly 0.0.</param>
/// <param name="NearZeros">Weights with |w| ≤ the tolerance (exact zeros included).</param>
/// <param name="Tolerance">The tolerance of <paramref name="NearZeros"/>.</param>
/// <remarks>Lesson 08: 08-choosing-lambda-and-the-alternatives.</remarks>
public sealed record Sparsity(long Count, long ExactZeros, long NearZeros, double Tolerance)
{
    /// <summary>Share of exact zeros.</summary>
    public double ExactFraction => Count == 0 ? 0 : (double)ExactZeros / Count;

    /// <summary>Share of weights with |w| ≤ tolerance.</summary>
    public double NearFraction => Count == 0 ? 0 : (double)NearZeros / Count;

    /// <summary>Counts exact and near zeros of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite tolerance.</exception>
    public static Sparsity Of(IEnumerable<double> values, double tolerance = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(tolerance >= 0) || double.IsInfinity(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance,
                "The tolerance must be finite and ≥ 0.");
        long n = 0, exact = 0, near = 0;
        foreach (var v in values)
        {
            n++;
            if (v == 0) exact++;
            if (Math.Abs(v) <= tolerance) near++;
        }
        return new Sparsity(n, exact, near, tolerance);
    }
}
