namespace WeightDecay.Experiments;

/// <summary>Small statistics on grids: sub-grid argmin, least-squares slopes and the median.</summary>
/// <remarks>Lesson 07: 07-l2-is-not-weight-decay-for-adam (<see cref="Slope"/> also measures the decay rates of
/// <see cref="ShrinkageTrajectory"/>, lessons 02 and 07).</remarks>
public static class GridStatistics
{
    /// <summary>
    /// The x of the minimum of y over a grid x (NaN values ignored), refined by the vertex of the parabola through the
    /// minimum and its two neighbours when both exist and are finite; the refinement moves the argmin by at most half
    /// the neighbouring spacing. NaN when every y is NaN.
    /// </summary>
    public static double RefinedArgmin(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} x values for {y.Count} y values.", nameof(y));
        int k = -1;
        for (int i = 0; i < y.Count; i++)
            if (double.IsFinite(y[i]) && (k < 0 || y[i] < y[k])) k = i;
        if (k < 0) return double.NaN;
        if (k == 0 || k == y.Count - 1 || !double.IsFinite(y[k - 1]) || !double.IsFinite(y[k + 1])) return x[k];
        double h1 = x[k] - x[k - 1], h2 = x[k + 1] - x[k];
        double d1 = (y[k] - y[k - 1]) / h1, d2 = (y[k + 1] - y[k]) / h2;
        double curvature = (d2 - d1) / ((h1 + h2) / 2);
        if (!(curvature > 0)) return x[k];
        // vertex of the parabola through the three points: slope at x_k is (d1·h2 + d2·h1)/(h1 + h2)
        double slopeAtK = (d1 * h2 + d2 * h1) / (h1 + h2);
        double shift = -slopeAtK / curvature;
        return x[k] + Math.Clamp(shift, -h1 / 2, h2 / 2);
    }

    /// <summary>
    /// The upper edge of the region where y ≤ (1 + tolerance)·min y: scanning up from the argmin, the x where y first
    /// crosses that level, linearly interpolated; NaN when y stays below it to the end of the grid or every y is NaN. A
    /// NaN (diverged) cell counts as outside.
    /// </summary>
    public static double UpperEdge(IReadOnlyList<double> x, IReadOnlyList<double> y, double tolerance = 0.1)
    {
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} x values for {y.Count} y values.", nameof(y));
        if (!(tolerance > 0))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be > 0.");
        int k = -1;
        for (int i = 0; i < y.Count; i++)
            if (double.IsFinite(y[i]) && (k < 0 || y[i] < y[k])) k = i;
        if (k < 0) return double.NaN;
        double level = y[k] * (1 + tolerance);
        for (int i = k + 1; i < y.Count; i++)
        {
            if (double.IsFinite(y[i]) && y[i] <= level) continue;
            if (!double.IsFinite(y[i])) return x[i - 1];
            return x[i - 1] + (level - y[i - 1]) / (y[i] - y[i - 1]) * (x[i] - x[i - 1]);
        }
        return double.NaN;
    }

    /// <summary>Least-squares slope of y on x over the pairs where both are finite; NaN with fewer than two such pairs
    /// or no spread in x.</summary>
    public static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} x values for {y.Count} y values.", nameof(y));
        var pts = x.Zip(y).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        if (pts.Count < 2) return double.NaN;
        double mx = pts.Average(p => p.First), my = pts.Average(p => p.Second);
        double sxx = pts.Sum(p => (p.First - mx) * (p.First - mx));
        return sxx > 0 ? pts.Sum(p => (p.First - mx) * (p.Second - my)) / sxx : double.NaN;
    }

    /// <summary>The median of the finite values (the mean of the two middle ones for an even count); NaN when none
    /// is finite. Lesson 07 reads the offset between two edges by it: one column whose edge is off by several octaves
    /// moves a mean of six columns by half an octave, but not the median.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).Order().ToArray();
        return v.Length == 0 ? double.NaN : (v[(v.Length - 1) / 2] + v[v.Length / 2]) / 2;
    }
}
