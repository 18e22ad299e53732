using Microsoft.Data.Analysis;
using WeightDecay.Optimization;

namespace WeightDecay.Experiments;

/// <summary>
/// A learning rate × λ grid of final metrics for one optimizer and decay method. Rows of <see cref="Matrix"/> are λ
/// values (y), columns learning rates (x), as a heatmap draws them.
/// </summary>
/// <param name="Label">E.g. <c>Adam+L2</c>.</param>
/// <param name="Optimizer">The optimizer (its learning rate is replaced by each grid value).</param>
/// <param name="Decay">The decay method; its λ is replaced by each grid value. For <see cref="DecayMethod.Decoupled"/>,
/// <see cref="WeightDecayOptions.DecoupledScalesWithLearningRate"/> says whether λ is multiplied by the learning rate
/// (PyTorch's form, θ ← θ − ηλθ) or not (the paper's form, θ ← θ − λθ).</param>
/// <param name="LearningRates">The x values, ascending.</param>
/// <param name="Lambdas">The y values, ascending.</param>
/// <param name="Cells">One cell per (learning rate, λ), λ-major (row by row).</param>
/// <remarks>Lesson 07: 07-l2-is-not-weight-decay-for-adam and its solutions.</remarks>
public sealed record GridResult(string Label, OptimizerOptions Optimizer, WeightDecayOptions Decay,
    IReadOnlyList<double> LearningRates, IReadOnlyList<double> Lambdas, IReadOnlyList<GridCell> Cells)
{
    /// <summary>The cell at λ index <paramref name="row"/> and learning-rate index <paramref name="column"/>.</summary>
    public GridCell this[int row, int column] => Cells[row * LearningRates.Count + column];

    /// <summary>z[λ index][learning-rate index] of a metric (for a heatmap).</summary>
    public double[][] Matrix(Func<GridCell, double> metric) =>
        Enumerable.Range(0, Lambdas.Count)
            .Select(r => Enumerable.Range(0, LearningRates.Count).Select(c => metric(this[r, c])).ToArray()).ToArray();

    /// <summary>The cell with the lowest test loss (ties: the first in row order).</summary>
    public GridCell Best => Cells.Where(c => !c.Diverged).MinBy(c => c.TestLoss)
        ?? throw new InvalidOperationException($"Every cell of {Label} diverged.");

    /// <summary>The best test loss in each learning-rate column (NaN when the whole column diverged).</summary>
    public IReadOnlyList<double> BestLossPerLearningRate =>
        Enumerable.Range(0, LearningRates.Count)
            .Select(c => Column(c).Where(x => !x.Diverged).Select(x => x.TestLoss).DefaultIfEmpty(double.NaN).Min())
            .ToList();

    /// <summary>
    /// For each learning rate, log₂ of the λ with the lowest test loss, refined between grid points by a parabola
    /// through the best cell and its two neighbours in log₂ λ (moved by at most half a grid step; no refinement at the
    /// grid's edge). NaN when the whole column diverged.
    /// </summary>
    public IReadOnlyList<double> BestLog2LambdaPerLearningRate =>
        Enumerable.Range(0, LearningRates.Count)
            .Select(c => GridStatistics.RefinedArgmin(Lambdas.Select(Math.Log2).ToArray(),
            Column(c).Select(x => x.TestLoss).ToArray())).ToList();

    /// <summary>
    /// The least-squares slope of <see cref="BestLog2LambdaPerLearningRate"/> against log₂ η: ≈ −1 when the good region
    /// is a diagonal ηλ = const (λ and η entangled), ≈ 0 when it is axis-aligned (best λ independent of η), ≈ +1 when
    /// λ/η = const. Learning rates whose whole column diverged are left out.
    /// </summary>
    public double BestLambdaSlope => GridStatistics.Slope(LearningRates.Select(Math.Log2).ToArray(),
        BestLog2LambdaPerLearningRate.ToArray());

    /// <summary>
    /// For each learning rate, log₂ of the largest λ at which the test loss is still within a factor (1 +
    /// <paramref name="tolerance"/>) of that learning rate's best: the upper edge of the good region, where decay
    /// starts to hurt (linearly interpolated in log₂ λ between the last cell inside and the first outside, scanning up
    /// from the best cell). NaN when the edge lies above the grid or the whole column diverged. Unlike the argmin, the
    /// edge is well defined even where the loss is flat in λ.
    /// <para>With a finite <paramref name="trainingTolerance"/>, NaN also at a learning rate that does not train: one
    /// whose best cell is more than a factor (1 + <paramref name="trainingTolerance"/>) above the grid's best
    /// (<see cref="Best"/>). Such a column has no good region, and the "edge" of a bad one is noise — in lesson 07's
    /// grids, SGD with momentum 0.9 at η = 2⁰ scatters its edge by several octaves from seed to seed
    /// (Lesson07GridSpreadTests), so the lesson passes 0.5. The default (∞) keeps every column.</para>
    /// </summary>
    public IReadOnlyList<double> EdgeLog2LambdaPerLearningRate(double tolerance = 0.1,
        double trainingTolerance = double.PositiveInfinity)
    {
        if (!(trainingTolerance > 0))
            throw new ArgumentOutOfRangeException(nameof(trainingTolerance), trainingTolerance,
                "The training tolerance must be > 0 (0.5: a column whose best is within 1.5× the grid's best "
                + "trains; ∞: every column).");
        double trains = Best.TestLoss * (1 + trainingTolerance);
        var log2Lambdas = Lambdas.Select(Math.Log2).ToArray();
        return Enumerable.Range(0, LearningRates.Count)
            .Select(c => BestLossPerLearningRate[c] <= trains
                ? GridStatistics.UpperEdge(log2Lambdas, Column(c).Select(x => x.TestLoss).ToArray(), tolerance)
                : double.NaN).ToList();
    }

    /// <summary>The least-squares slope of <see cref="EdgeLog2LambdaPerLearningRate"/> against log₂ η (≈ −1: the edge
    /// is the diagonal ηλ = const; ≈ 0: axis-aligned; ≈ +1: λ/η = const). Columns without an edge (above the grid,
    /// diverged, or a learning rate that does not train) are left out.</summary>
    public double EdgeSlope(double tolerance = 0.1, double trainingTolerance = double.PositiveInfinity) =>
        GridStatistics.Slope(LearningRates.Select(Math.Log2).ToArray(),
            EdgeLog2LambdaPerLearningRate(tolerance, trainingTolerance).ToArray());

    /// <summary>The same grid in another λ convention: every λ multiplied by η^<paramref name="power"/> (power −1 turns
    /// the paper's per-step decay λ into PyTorch's weight_decay = λ/η). The grid is then no longer rectangular; the
    /// slope moves by exactly <paramref name="power"/>.</summary>
    public IReadOnlyList<(double LearningRate, double Lambda)> Reparameterized(double power) =>
        Cells.Select(c => (c.LearningRate, c.Lambda * Math.Pow(c.LearningRate, power))).ToList();

    /// <summary>All cells as a DataFrame (method, learning rate, λ, test loss, test accuracy, train loss).</summary>
    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("method", Cells.Select(_ => Label)),
        new DoubleDataFrameColumn("learning rate", Cells.Select(c => c.LearningRate)),
        new DoubleDataFrameColumn("λ", Cells.Select(c => c.Lambda)),
        new DoubleDataFrameColumn("test loss", Cells.Select(c => c.TestLoss)),
        new DoubleDataFrameColumn("test accuracy", Cells.Select(c => c.TestAccuracy)),
        new DoubleDataFrameColumn("train loss", Cells.Select(c => c.TrainLoss)));

    private IEnumerable<GridCell> Column(int c) => Enumerable.Range(0, Lambdas.Count).Select(r => this[r, c]);
}
