namespace WeightDecay.Experiments;

/// <summary>
/// The PCA baseline for a training path (Antognini &amp; Sohl-Dickstein 2018, "PCA of high dimensional random walks
/// with comparison to neural network training"): the explained-variance ratios that an isotropic Gaussian random walk
/// of the same number of points would give, in the high-dimensional limit where the sample PCA concentrates on its
/// expectation. For T centered points of a walk the variances are λₖ ∝ 1/(2 − 2 cos(kπ/T)), k = 1 … T − 1, so even a
/// pure random walk puts most of its variance in its first components (PC 1 → 6/π² ≈ 0.61 for long walks).
/// </summary>
/// <remarks>Lesson 06: 06-seeing-the-landscape. The formula is checked against the eigenvalues of the centered
/// random-walk Gram matrix in tests/WeightDecay.Tests/RandomWalkPcaTests.cs.</remarks>
public static class RandomWalkPca
{
    /// <summary>
    /// The expected explained-variance ratios, descending, of the PCA of <paramref name="points"/> consecutive points
    /// of an isotropic random walk (rows centered, as <see cref="WeightDecay.Landscape.Trajectory.Pca"/> does with its
    /// m = snapshots − 1 difference rows). There are points − 1 non-zero components.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">points &lt; 2.</exception>
    public static double[] ExplainedVarianceRatio(int points)
    {
        if (points < 2)
            throw new ArgumentOutOfRangeException(nameof(points), points, "A walk needs at least 2 points.");
        var v = Enumerable.Range(1, points - 1).Select(k => 1 / (2 - 2 * Math.Cos(k * Math.PI / points))).ToArray();
        double sum = v.Sum();
        return v.Select(x => x / sum).ToArray();
    }
}
