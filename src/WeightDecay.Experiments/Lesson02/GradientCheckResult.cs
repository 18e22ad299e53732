using Microsoft.Data.Analysis;

namespace WeightDecay.Experiments;

/// <summary>The result of <see cref="GradientCheck.Run"/>: one row per parameter tensor.</summary>
/// <param name="Rows">Per-tensor results.</param>
/// <param name="Lambda">λ of the penalized loss L'(θ) = L(θ) + (λ/2)‖θ‖² (decayed tensors).</param>
/// <param name="Step">The finite-difference step h.</param>
/// <remarks>Lesson 02: 02-the-gradient-derived-and-verified.</remarks>
public sealed record GradientCheckResult(IReadOnlyList<GradientCheckRow> Rows, double Lambda, double Step)
{
    /// <summary>Largest analytic error over all tensors.</summary>
    public double MaxAnalyticError => Rows.Max(r => r.AnalyticError);

    /// <summary>Largest finite-difference error over all tensors.</summary>
    public double MaxFiniteDifferenceError => Rows.Max(r => r.FiniteDifferenceError);

    /// <summary>Largest |λθ| over all decayed entries.</summary>
    public double MaxDecayTerm => Rows.Max(r => r.MaxDecayTerm);

    /// <summary>Number of entries checked by finite differences.</summary>
    public int FiniteDifferenceCoordinates => Rows.Sum(r => r.FiniteDifferenceCoordinates);

    /// <summary>Entries left out because L' has a kink within ±h of them.</summary>
    public int KinkCoordinates => Rows.Sum(r => r.KinkCoordinates);

    /// <summary>The largest second difference among the compared entries.</summary>
    public double MaxCurvature => Rows.Max(r => r.MaxCurvature);

    /// <summary>The table (a DataFrame renders as an HTML table in the notebooks).</summary>
    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("tensor", Rows.Select(r => r.Tensor)),
        new StringDataFrameColumn("shape", Rows.Select(r => r.Shape)),
        new BooleanDataFrameColumn("decayed", Rows.Select(r => r.Decayed)),
        new DoubleDataFrameColumn("max |∂L'/∂θ|", Rows.Select(r => r.MaxGradient)),
        new DoubleDataFrameColumn("max |λθ|", Rows.Select(r => r.MaxDecayTerm)),
        new DoubleDataFrameColumn("max error of ∂L/∂θ + λθ", Rows.Select(r => r.AnalyticError)),
        new Int32DataFrameColumn("entries by FD", Rows.Select(r => r.FiniteDifferenceCoordinates)),
        new DoubleDataFrameColumn("max error of FD", Rows.Select(r => r.FiniteDifferenceError)),
        new Int32DataFrameColumn("left out (kink)", Rows.Select(r => r.KinkCoordinates)));
}
