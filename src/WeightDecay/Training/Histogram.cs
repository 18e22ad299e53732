namespace WeightDecay.Training;

/// <summary>A histogram with equal-width bins.</summary>
/// <param name="Edges">Bin edges (count + 1 values).</param>
/// <param name="Counts">Values per bin; values outside [first edge, last edge] are not counted.</param>
public sealed record Histogram(double[] Edges, long[] Counts)
{
    /// <summary>Bin centres.</summary>
    public double[] Centers => Edges.Zip(Edges.Skip(1), (a, b) => (a + b) / 2).ToArray();

    /// <summary>Counts divided by the total and the bin width: a density that integrates to the counted
    /// share.</summary>
    public double[] Density(long total) => Counts.Select(c => c / (double)total / (Edges[1] - Edges[0])).ToArray();
}
