using Microsoft.Data.Analysis;

namespace WeightDecay.Landscape;

/// <summary>
/// The optimization path in the plane of its two principal directions (Li et al. 2018, §7): the directions, how much of
/// the path's variance they explain, and every snapshot's coordinates relative to the final parameters θₙ. Owns the
/// three <see cref="ParameterDirection"/>s: dispose it.
/// </summary>
/// <param name="X">First principal direction (unit norm, float64), shaped like the model's trainable
/// parameters.</param>
/// <param name="Y">Second principal direction (unit norm, orthogonal to <paramref name="X"/>).</param>
/// <param name="Center">θₙ, the last snapshot: use it as <see cref="SliceOptions.Center"/> of a 2-D slice along X and Y
/// so that the path (<paramref name="PathX"/>, <paramref name="PathY"/>) is drawn in the slice's coordinates.</param>
/// <param name="ExplainedVariance">Variance of the (centered) difference rows along X and Y: σᵢ² / (m − 1) for m
/// rows.</param>
/// <param name="ExplainedVarianceRatio">Share of the rows' total variance explained by X and Y: σᵢ² / Σⱼ σⱼ².</param>
/// <param name="Epochs">Epoch of each snapshot, in order.</param>
/// <param name="Steps">Global step of each snapshot.</param>
/// <param name="PathX">(θᵢ − θₙ)·X for each snapshot i (the last is 0).</param>
/// <param name="PathY">(θᵢ − θₙ)·Y for each snapshot i (the last is 0).</param>
public sealed record PcaTrajectory(
    ParameterDirection X, ParameterDirection Y, ParameterDirection Center, double[] ExplainedVariance,
    double[] ExplainedVarianceRatio, int[] Epochs, long[] Steps, double[] PathX, double[] PathY) : IDisposable
{
    /// <summary>The path as a table: epoch, step, x, y (one row per snapshot).</summary>
    public DataFrame ToDataFrame() => new(
        new Int32DataFrameColumn("epoch", Epochs),
        new Int64DataFrameColumn("step", Steps),
        new DoubleDataFrameColumn("x", PathX),
        new DoubleDataFrameColumn("y", PathY));

    /// <summary>Frees the directions' tensors.</summary>
    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
        Center.Dispose();
    }
}
