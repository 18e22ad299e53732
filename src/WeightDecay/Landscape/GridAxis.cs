using System.Globalization;

namespace WeightDecay.Landscape;

/// <summary>
/// Evenly spaced coordinates along one axis of a slice: <see cref="Points"/> values from <see cref="Min"/> to
/// <see cref="Max"/>, both included (like <c>linspace</c>; the last value is exactly <see cref="Max"/>).
/// </summary>
public sealed record GridAxis
{
    /// <summary>The interpolation default of Li et al.: α ∈ [−0.5, 1.5], 101 points (θ₀ at α = 0, θ₁ at α =
    /// 1).</summary>
    public static GridAxis InterpolationDefault { get; } = new(-0.5, 1.5, 101);

    /// <summary>The default of a random-direction slice: [−1, 1], 51 points (per axis for 2-D slices).</summary>
    public static GridAxis DirectionDefault { get; } = new(-1, 1, 51);

    /// <summary>Creates the axis.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="points"/> &lt; 2, a bound is not finite, or min ≥
    /// max.</exception>
    public GridAxis(double min, double max, int points)
    {
        if (!double.IsFinite(min))
            throw new ArgumentOutOfRangeException(nameof(min), min, "The axis minimum must be finite.");
        if (!double.IsFinite(max))
            throw new ArgumentOutOfRangeException(nameof(max), max, "The axis maximum must be finite.");
        if (!(min < max))
            throw new ArgumentOutOfRangeException(nameof(min), min,
                string.Create(CultureInfo.InvariantCulture,
                    $"The axis minimum {min} must be less than its maximum {max}."));
        if (points < 2)
            throw new ArgumentOutOfRangeException(nameof(points), points, "An axis needs at least 2 points.");
        (Min, Max, Points) = (min, max, points);
    }

    /// <summary>The first coordinate.</summary>
    public double Min { get; }

    /// <summary>The last coordinate.</summary>
    public double Max { get; }

    /// <summary>Number of coordinates (≥ 2).</summary>
    public int Points { get; }

    /// <summary>The coordinates Min + i·(Max − Min)/(Points − 1), i = 0 … Points − 1.</summary>
    public double[] Values()
    {
        var v = new double[Points];
        double step = (Max - Min) / (Points - 1);
        for (int i = 0; i < Points; i++) v[i] = Min + i * step;
        v[^1] = Max;
        return v;
    }
}
