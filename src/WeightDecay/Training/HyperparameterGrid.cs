using System.Globalization;
using Microsoft.Data.Analysis;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Theory;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>One (learning rate, λ) setting of a grid and its final metrics.</summary>
/// <param name="LearningRate">η (Adam: α).</param>
/// <param name="Lambda">λ in the convention of the optimizer that was run (see <see cref="GridResult.Decay"/>).</param>
/// <param name="TestLoss">Mean test cross-entropy after training; NaN when training diverged.</param>
/// <param name="TestAccuracy">Test accuracy in [0, 1]; NaN when training diverged.</param>
/// <param name="TrainLoss">Mean training data loss (no penalty) after training; NaN when training diverged.</param>
public sealed record GridCell(double LearningRate, double Lambda, double TestLoss, double TestAccuracy, double TrainLoss)
{
    /// <summary>Whether training diverged (non-finite loss).</summary>
    public bool Diverged => !double.IsFinite(TestLoss);
}

/// <summary>
/// A learning rate × λ grid of final metrics for one optimizer and decay method. Rows of <see cref="Matrix"/> are λ values
/// (y), columns learning rates (x), as a heatmap draws them.
/// </summary>
/// <param name="Label">E.g. <c>Adam+L2</c>.</param>
/// <param name="Optimizer">The optimizer (its learning rate is replaced by each grid value).</param>
/// <param name="Decay">The decay method; its λ is replaced by each grid value. For <see cref="DecayMethod.Decoupled"/>,
/// <see cref="WeightDecayOptions.DecoupledScalesWithLearningRate"/> says whether λ is multiplied by the learning rate
/// (PyTorch's form, θ ← θ − ηλθ) or not (the paper's form, θ ← θ − λθ).</param>
/// <param name="LearningRates">The x values, ascending.</param>
/// <param name="Lambdas">The y values, ascending.</param>
/// <param name="Cells">One cell per (learning rate, λ), λ-major (row by row).</param>
public sealed record GridResult(string Label, OptimizerOptions Optimizer, WeightDecayOptions Decay,
    IReadOnlyList<double> LearningRates, IReadOnlyList<double> Lambdas, IReadOnlyList<GridCell> Cells)
{
    /// <summary>The cell at λ index <paramref name="row"/> and learning-rate index <paramref name="column"/>.</summary>
    public GridCell this[int row, int column] => Cells[row * LearningRates.Count + column];

    /// <summary>z[λ index][learning-rate index] of a metric (for a heatmap).</summary>
    public double[][] Matrix(Func<GridCell, double> metric) =>
        Enumerable.Range(0, Lambdas.Count).Select(r => Enumerable.Range(0, LearningRates.Count).Select(c => metric(this[r, c])).ToArray()).ToArray();

    /// <summary>The cell with the lowest test loss (ties: the first in row order).</summary>
    public GridCell Best => Cells.Where(c => !c.Diverged).MinBy(c => c.TestLoss)
        ?? throw new InvalidOperationException($"Every cell of {Label} diverged.");

    /// <summary>The best test loss in each learning-rate column (NaN when the whole column diverged).</summary>
    public IReadOnlyList<double> BestLossPerLearningRate =>
        Enumerable.Range(0, LearningRates.Count).Select(c => Column(c).Where(x => !x.Diverged).Select(x => x.TestLoss).DefaultIfEmpty(double.NaN).Min()).ToList();

    /// <summary>
    /// For each learning rate, log₂ of the λ with the lowest test loss, refined between grid points by a parabola through
    /// the best cell and its two neighbours in log₂ λ (moved by at most half a grid step; no refinement at the grid's edge).
    /// NaN when the whole column diverged.
    /// </summary>
    public IReadOnlyList<double> BestLog2LambdaPerLearningRate =>
        Enumerable.Range(0, LearningRates.Count).Select(c => GridStatistics.RefinedArgmin(Lambdas.Select(Math.Log2).ToArray(),
            Column(c).Select(x => x.TestLoss).ToArray())).ToList();

    /// <summary>
    /// The least-squares slope of <see cref="BestLog2LambdaPerLearningRate"/> against log₂ η: ≈ −1 when the good region is a
    /// diagonal ηλ = const (λ and η entangled), ≈ 0 when it is axis-aligned (best λ independent of η), ≈ +1 when
    /// λ/η = const. Learning rates whose whole column diverged are left out.
    /// </summary>
    public double BestLambdaSlope => GridStatistics.Slope(LearningRates.Select(Math.Log2).ToArray(), BestLog2LambdaPerLearningRate.ToArray());

    /// <summary>
    /// For each learning rate, log₂ of the largest λ at which the test loss is still within a factor (1 + <paramref name="tolerance"/>)
    /// of that learning rate's best: the upper edge of the good region, where decay starts to hurt (linearly interpolated in
    /// log₂ λ between the last cell inside and the first outside, scanning up from the best cell). NaN when the edge lies
    /// above the grid or the whole column diverged. Unlike the argmin, the edge is well defined even where the loss is flat in λ.
    /// </summary>
    public IReadOnlyList<double> EdgeLog2LambdaPerLearningRate(double tolerance = 0.1) =>
        Enumerable.Range(0, LearningRates.Count).Select(c => GridStatistics.UpperEdge(Lambdas.Select(Math.Log2).ToArray(),
            Column(c).Select(x => x.TestLoss).ToArray(), tolerance)).ToList();

    /// <summary>The least-squares slope of <see cref="EdgeLog2LambdaPerLearningRate"/> against log₂ η (≈ −1: the edge is the
    /// diagonal ηλ = const; ≈ 0: axis-aligned; ≈ +1: λ/η = const). Columns without an edge are left out.</summary>
    public double EdgeSlope(double tolerance = 0.1) =>
        GridStatistics.Slope(LearningRates.Select(Math.Log2).ToArray(), EdgeLog2LambdaPerLearningRate(tolerance).ToArray());

    /// <summary>The same grid in another λ convention: every λ multiplied by η^<paramref name="power"/> (power −1 turns the
    /// paper's per-step decay λ into PyTorch's weight_decay = λ/η). The grid is then no longer rectangular; the slope moves by
    /// exactly <paramref name="power"/>.</summary>
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

/// <summary>One grid's summary row (<see cref="HyperparameterGrid.Summary"/>).</summary>
/// <param name="Label">The grid's label.</param>
/// <param name="Convention">What λ means: the L2 coefficient, or the decoupled step with or without η.</param>
/// <param name="BestLearningRate">η of the best cell.</param>
/// <param name="BestLambda">λ of the best cell, in the grid's convention.</param>
/// <param name="BestTestLoss">Its test loss.</param>
/// <param name="BestTestAccuracy">Its test accuracy.</param>
/// <param name="EdgeSlope">The slope of the good region's upper edge (<see cref="GridResult.EdgeSlope"/>) in the grid's convention.</param>
/// <param name="EdgeSlopePaper">The same slope in Loshchilov &amp; Hutter's convention, where decoupled decay is θ ← θ − λθ
/// (λ not multiplied by η): EdgeSlope + 1 for decoupled decay run in PyTorch's form; unchanged otherwise.</param>
public sealed record GridSummary(string Label, string Convention, double BestLearningRate, double BestLambda, double BestTestLoss,
    double BestTestAccuracy, double EdgeSlope, double EdgeSlopePaper);

/// <summary>Settings of the short MNIST training run behind each grid cell.</summary>
/// <param name="Epochs">Epochs (≥ 1).</param>
/// <param name="BatchSize">Minibatch size (≥ 1).</param>
/// <param name="Hidden">Hidden layer widths of the <see cref="Mlp"/>.</param>
/// <param name="Seed">Seed of the initialization and the minibatch order (the same for every cell).</param>
public sealed record GridTrainingOptions(int Epochs = 25, int BatchSize = 50, int[]? Hidden = null, int Seed = 0)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Need at least one epoch.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be ≥ 1.");
    }
}

/// <summary>
/// Learning rate × λ sweeps (Loshchilov &amp; Hutter 2019, Fig. 1–2, at small scale): every cell trains the same
/// initialization on the same minibatch order and records the final test loss and accuracy. Cells run one after the other
/// on one torch thread (the tensors are small; see <see cref="TorchThreads"/>).
/// </summary>
public static class HyperparameterGrid
{
    /// <summary>
    /// <paramref name="count"/> powers of two with exponents evenly spaced from <paramref name="from"/> to
    /// <paramref name="to"/> (both included), ascending: a log₂ grid.
    /// </summary>
    public static double[] PowersOfTwo(double from, double to, int count)
    {
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, "A grid needs at least two values.");
        if (!(to > from) || double.IsInfinity(to) || double.IsInfinity(from))
            throw new ArgumentOutOfRangeException(nameof(to), to, $"Need finite exponents with to > from = {from.ToString(CultureInfo.InvariantCulture)}.");
        return Enumerable.Range(0, count).Select(k => Math.Pow(2, from + (to - from) * k / (count - 1))).ToArray();
    }

    /// <summary>
    /// Trains an <see cref="Mlp"/> with cross-entropy for every (learning rate, λ) and evaluates it on
    /// <paramref name="test"/>. <paramref name="decay"/> gives the method (and the decoupled convention); its λ is replaced.
    /// A cell whose loss becomes non-finite is recorded as diverged (NaN metrics).
    /// </summary>
    public static GridResult Train(string label, OptimizerOptions optimizer, WeightDecayOptions decay,
        IReadOnlyList<double> learningRates, IReadOnlyList<double> lambdas, TensorDataset train, TensorDataset test,
        GridTrainingOptions? options = null, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(decay);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        options ??= new GridTrainingOptions();
        options.Validate();
        CheckAxis(learningRates, nameof(learningRates));
        CheckAxis(lambdas, nameof(lambdas));
        if (decay.Method == DecayMethod.None)
            throw new ArgumentException("DecayMethod.None with a λ grid would silently do nothing; choose Coupled, Penalty or Decoupled.", nameof(decay));

        using var threads = TorchThreads.Limit(1);
        var cells = new List<GridCell>();
        int total = learningRates.Count * lambdas.Count;
        foreach (double lambda in lambdas)
            foreach (double lr in learningRates)
            {
                cells.Add(TrainCell(optimizer with { LearningRate = lr }, decay with { Lambda = lambda }, train, test, options));
                progress?.Invoke(cells.Count, total);
            }
        return new GridResult(label, optimizer, decay, learningRates.ToArray(), lambdas.ToArray(), cells);
    }

    /// <summary>One summary row per grid: best cell, edge slope in the grid's and in the paper's λ convention.</summary>
    public static IReadOnlyList<GridSummary> Summary(IEnumerable<GridResult> grids, double tolerance = 0.1)
    {
        ArgumentNullException.ThrowIfNull(grids);
        return grids.Select(g =>
        {
            var b = g.Best;
            bool pytorchForm = g.Decay.Method == DecayMethod.Decoupled && g.Decay.DecoupledScalesWithLearningRate;
            string convention = g.Decay.Method == DecayMethod.Decoupled
                ? (pytorchForm ? "decoupled θ ← θ − ηλθ (PyTorch)" : "decoupled θ ← θ − λθ (paper)")
                : "L2: λθ added to the gradient";
            double slope = g.EdgeSlope(tolerance);
            return new GridSummary(g.Label, convention, b.LearningRate, b.Lambda, b.TestLoss, b.TestAccuracy, slope, pytorchForm ? slope + 1 : slope);
        }).ToList();
    }

    /// <summary>The summary rows as a DataFrame.</summary>
    public static DataFrame SummaryTable(IEnumerable<GridResult> grids, double tolerance = 0.1)
    {
        var rows = Summary(grids, tolerance);
        return new DataFrame(
            new StringDataFrameColumn("method", rows.Select(r => r.Label)),
            new StringDataFrameColumn("λ convention", rows.Select(r => r.Convention)),
            new DoubleDataFrameColumn("best η", rows.Select(r => r.BestLearningRate)),
            new DoubleDataFrameColumn("best λ", rows.Select(r => r.BestLambda)),
            new DoubleDataFrameColumn("best test loss", rows.Select(r => Math.Round(r.BestTestLoss, 4))),
            new DoubleDataFrameColumn("its accuracy", rows.Select(r => Math.Round(r.BestTestAccuracy, 4))),
            new DoubleDataFrameColumn("edge slope (this λ)", rows.Select(r => Math.Round(r.EdgeSlope, 2))),
            new DoubleDataFrameColumn("edge slope (paper's λ)", rows.Select(r => Math.Round(r.EdgeSlopePaper, 2))));
    }

    /// <summary>Trains one cell (see <see cref="Train"/>).</summary>
    public static GridCell TrainCell(OptimizerOptions optimizer, WeightDecayOptions decay, TensorDataset train, TensorDataset test,
        GridTrainingOptions options)
    {
        using var model = new Mlp(inputs: train.FeatureCount, hidden: options.Hidden ?? [32], seed: options.Seed);
        var loss = new CrossEntropy();
        try
        {
            Trainer.Fit(model, train, null, loss, new TrainerOptions
            {
                Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed, Optimizer = optimizer, Decay = decay,
            });
        }
        catch (TrainingDivergedException)
        {
            return new GridCell(optimizer.LearningRate, decay.Lambda, double.NaN, double.NaN, double.NaN);
        }
        var (testLoss, testAcc) = Evaluation.Evaluate(model, test, loss);
        var (trainLoss, _) = Evaluation.Evaluate(model, train, loss);
        if (!double.IsFinite(testLoss)) return new GridCell(optimizer.LearningRate, decay.Lambda, double.NaN, double.NaN, double.NaN);
        return new GridCell(optimizer.LearningRate, decay.Lambda, testLoss, testAcc ?? double.NaN, trainLoss);
    }

    private static void CheckAxis(IReadOnlyList<double> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count < 2) throw new ArgumentException($"The {name} axis needs at least two values; it has {values.Count}.", name);
        foreach (var v in values)
            if (!(v > 0) || double.IsInfinity(v))
                throw new ArgumentOutOfRangeException(name, v, "Values must be finite and > 0 (the axes are logarithmic).");
        for (int i = 1; i < values.Count; i++)
            if (!(values[i] > values[i - 1]))
                throw new ArgumentException($"The {name} axis must be strictly ascending; value {i} ({values[i].ToString(CultureInfo.InvariantCulture)}) is not.", name);
    }
}

/// <summary>Small statistics on grids: sub-grid argmin and least-squares slopes.</summary>
public static class GridStatistics
{
    /// <summary>
    /// The x of the minimum of y over a grid x (NaN values ignored), refined by the vertex of the parabola through the
    /// minimum and its two neighbours when both exist and are finite; the refinement moves the argmin by at most half the
    /// neighbouring spacing. NaN when every y is NaN.
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
    /// The upper edge of the region where y ≤ (1 + tolerance)·min y: scanning up from the argmin, the x where y first crosses
    /// that level, linearly interpolated; NaN when y stays below it to the end of the grid or every y is NaN. A NaN (diverged)
    /// cell counts as outside.
    /// </summary>
    public static double UpperEdge(IReadOnlyList<double> x, IReadOnlyList<double> y, double tolerance = 0.1)
    {
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} x values for {y.Count} y values.", nameof(y));
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be > 0.");
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

    /// <summary>Least-squares slope of y on x over the pairs where both are finite; NaN with fewer than two such pairs or no spread in x.</summary>
    public static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} x values for {y.Count} y values.", nameof(y));
        var pts = x.Zip(y).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        if (pts.Count < 2) return double.NaN;
        double mx = pts.Average(p => p.First), my = pts.Average(p => p.Second);
        double sxx = pts.Sum(p => (p.First - mx) * (p.First - mx));
        return sxx > 0 ? pts.Sum(p => (p.First - mx) * (p.Second - my)) / sxx : double.NaN;
    }
}
