namespace WeightDecay.Experiments;

/// <summary>
/// Where a validation-loss curve over a log₂ λ grid is best and where its good region ends, and power-law slopes.
/// </summary>
/// <remarks>Lesson 11: 11-the-timescale.</remarks>
public static class CurveStatistics
{
    /// <summary>
    /// The upper edge of the good region: the largest log₂ λ at which the loss is still within (1 +
    /// <paramref name="tolerance"/>) of the curve's minimum, by linear interpolation between the last grid point
    /// inside and the first one outside (searching upwards from the minimum); the grid's top when the curve never
    /// leaves the region there (<paramref name="censored"/> is then true).
    /// </summary>
    public static double Edge(IReadOnlyList<double> log2Lambdas, IReadOnlyList<double> losses, double tolerance,
        out bool censored)
    {
        Check(log2Lambdas, losses);
        int best = ArgMin(losses);
        double threshold = losses[best] * (1 + tolerance);
        for (int k = best + 1; k < losses.Count; k++)
            if (losses[k] > threshold)
            {
                censored = false;
                double f = (threshold - losses[k - 1]) / (losses[k] - losses[k - 1]);
                return log2Lambdas[k - 1] + f * (log2Lambdas[k] - log2Lambdas[k - 1]);
            }
        censored = true;
        return log2Lambdas[^1];
    }

    /// <summary>The log₂ λ of the minimum, refined by the parabola through it and its two neighbours (the grid
    /// point itself at either end of the grid).</summary>
    public static double RefinedArgMin(IReadOnlyList<double> log2Lambdas, IReadOnlyList<double> losses)
    {
        Check(log2Lambdas, losses);
        int k = ArgMin(losses);
        if (k == 0 || k == losses.Count - 1) return log2Lambdas[k];
        double h = log2Lambdas[k + 1] - log2Lambdas[k];
        double curvature = losses[k - 1] - 2 * losses[k] + losses[k + 1];
        if (!(curvature > 0)) return log2Lambdas[k];
        double shift = 0.5 * (losses[k - 1] - losses[k + 1]) / curvature;
        return log2Lambdas[k] + Math.Clamp(shift, -0.5, 0.5) * h;
    }

    /// <summary>The least-squares slope of <paramref name="y"/> on <paramref name="x"/>.</summary>
    public static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count || x.Count < 2)
            throw new ArgumentException($"Need two or more (x, y) pairs; got {x.Count} x and {y.Count} y.");
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    private static int ArgMin(IReadOnlyList<double> v)
    {
        int best = 0;
        for (int i = 1; i < v.Count; i++) if (v[i] < v[best]) best = i;
        return best;
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count || x.Count < 1)
            throw new ArgumentException($"Need one loss per grid point; got {x.Count} points and {y.Count} losses.");
    }
}
