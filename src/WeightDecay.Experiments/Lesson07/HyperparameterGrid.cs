using System.Globalization;
using Microsoft.Data.Analysis;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>
/// Learning rate × λ sweeps (Loshchilov &amp; Hutter 2019, Fig. 1–2, at small scale): every cell trains the same
/// initialization on the same minibatch order and records the final test loss and accuracy. Cells run one after the
/// other on one torch thread (the tensors are small; see <see cref="TorchThreads"/>).
/// </summary>
/// <remarks>Lesson 07: 07-l2-is-not-weight-decay-for-adam and its solutions.</remarks>
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
            throw new ArgumentOutOfRangeException(nameof(to), to,
                $"Need finite exponents with to > from = {from.ToString(CultureInfo.InvariantCulture)}.");
        return Enumerable.Range(0, count).Select(k => Math.Pow(2, from + (to - from) * k / (count - 1))).ToArray();
    }

    /// <summary>
    /// Trains an <see cref="Mlp"/> with cross-entropy for every (learning rate, λ) and evaluates it on
    /// <paramref name="test"/>. <paramref name="decay"/> gives the method (and the decoupled convention); its λ is
    /// replaced. A cell whose loss becomes non-finite is recorded as diverged (NaN metrics).
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
            throw new ArgumentException("DecayMethod.None with a λ grid would silently do nothing; choose Coupled, " +
                "Penalty or Decoupled.", nameof(decay));

        using var threads = TorchThreads.Limit(1);
        var cells = new List<GridCell>();
        int total = learningRates.Count * lambdas.Count;
        foreach (double lambda in lambdas)
            foreach (double lr in learningRates)
            {
                cells.Add(TrainCell(optimizer with { LearningRate = lr }, decay with { Lambda = lambda }, train, test,
                    options));
                progress?.Invoke(cells.Count, total);
            }
        return new GridResult(label, optimizer, decay, learningRates.ToArray(), lambdas.ToArray(), cells);
    }

    /// <summary>One summary row per grid: best cell, edge slope in the grid's and in the paper's λ
    /// convention (<see cref="GridResult.EdgeSlope"/> with <paramref name="tolerance"/> and
    /// <paramref name="trainingTolerance"/>).</summary>
    public static IReadOnlyList<GridSummary> Summary(IEnumerable<GridResult> grids, double tolerance = 0.1,
        double trainingTolerance = double.PositiveInfinity)
    {
        ArgumentNullException.ThrowIfNull(grids);
        return grids.Select(g =>
        {
            var b = g.Best;
            bool pytorchForm = g.Decay.Method == DecayMethod.Decoupled && g.Decay.DecoupledScalesWithLearningRate;
            string convention = g.Decay.Method == DecayMethod.Decoupled
                ? (pytorchForm ? "decoupled θ ← θ − ηλθ (PyTorch)" : "decoupled θ ← θ − λθ (paper)")
                : "L2: λθ added to the gradient";
            double slope = g.EdgeSlope(tolerance, trainingTolerance);
            return new GridSummary(g.Label, convention, b.LearningRate, b.Lambda, b.TestLoss, b.TestAccuracy, slope,
                pytorchForm ? slope + 1 : slope);
        }).ToList();
    }

    /// <summary>The summary rows as a DataFrame.</summary>
    /// <param name="grids">The grids.</param>
    /// <param name="tolerance">The edge tolerance.</param>
    /// <param name="evaluated">The name of the set the cells were evaluated on (the column titles say it).</param>
    /// <param name="trainingTolerance">Learning rates whose best cell is more than (1 + this)× the grid's best have
    /// no edge (<see cref="GridResult.EdgeLog2LambdaPerLearningRate"/>); ∞ keeps every column.</param>
    public static DataFrame SummaryTable(IEnumerable<GridResult> grids, double tolerance = 0.1,
        string evaluated = "test", double trainingTolerance = double.PositiveInfinity)
    {
        var rows = Summary(grids, tolerance, trainingTolerance);
        return new DataFrame(
            new StringDataFrameColumn("method", rows.Select(r => r.Label)),
            new StringDataFrameColumn("λ convention", rows.Select(r => r.Convention)),
            new DoubleDataFrameColumn("best η", rows.Select(r => r.BestLearningRate)),
            new DoubleDataFrameColumn("best λ", rows.Select(r => r.BestLambda)),
            new DoubleDataFrameColumn($"best {evaluated} loss", rows.Select(r => Math.Round(r.BestTestLoss, 4))),
            new DoubleDataFrameColumn("its accuracy", rows.Select(r => Math.Round(r.BestTestAccuracy, 4))),
            new DoubleDataFrameColumn("edge slope (this λ)", rows.Select(r => Math.Round(r.EdgeSlope, 2))),
            new DoubleDataFrameColumn("edge slope (paper's λ)", rows.Select(r => Math.Round(r.EdgeSlopePaper, 2))));
    }

    /// <summary>Trains one cell (see <see cref="Train"/>), on one torch thread: the tensors are small, and on a
    /// loaded machine several threads spend their time waiting for each other.</summary>
    public static GridCell TrainCell(OptimizerOptions optimizer, WeightDecayOptions decay, TensorDataset train,
        TensorDataset test, GridTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(decay);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var threads = TorchThreads.Limit(1);
        using var model = new Mlp(inputs: train.FeatureCount, hidden: options.Hidden ?? [32], seed: options.Seed);
        var loss = new CrossEntropy();
        var trainerOptions = new TrainerOptions
        {
            Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed, Optimizer = optimizer,
            Decay = decay,
        };
        try
        {
            if (options.CosineSchedule) FitCosine(model, train, loss, trainerOptions);
            else Trainer.Fit(model, train, null, loss, trainerOptions);
        }
        catch (TrainingDivergedException)
        {
            return new GridCell(optimizer.LearningRate, decay.Lambda, double.NaN, double.NaN, double.NaN);
        }
        var (testLoss, testAcc) = Evaluation.Evaluate(model, test, loss);
        var (trainLoss, _) = Evaluation.Evaluate(model, train, loss);
        if (!double.IsFinite(testLoss))
            return new GridCell(optimizer.LearningRate, decay.Lambda, double.NaN, double.NaN, double.NaN);
        return new GridCell(optimizer.LearningRate, decay.Lambda, testLoss, testAcc ?? double.NaN, trainLoss);
    }

    /// <summary>
    /// <see cref="Trainer.Fit"/>'s loop (same seeding, minibatch order and <see cref="Trainer.Step"/>) with the
    /// learning rate annealed per step, η_t = η·½(1 + cos(π(t − 1)/T)); no per-epoch evaluation.
    /// </summary>
    private static void FitCosine(Mlp model, TensorDataset train, CrossEntropy loss, TrainerOptions options)
    {
        TorchSharp.torch.random.manual_seed(options.Seed);
        var sampler = new MinibatchSampler(train.Count, options.BatchSize, shuffle: true, seed: options.Seed);
        using var optimizer = new WeightDecayOptimizer(model, options.Optimizer, options.Decay);
        long total = (long)sampler.BatchesPerEpoch * options.Epochs, t = 0;
        double eta = options.Optimizer.LearningRate;
        model.train();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
            foreach (var batch in sampler.NextEpoch())
            {
                double rate = eta * 0.5 * (1 + Math.Cos(Math.PI * t / total));
                optimizer.LearningRate = rate;
                t++;
                using var scope = TorchSharp.torch.NewDisposeScope();
                var (x, y) = train.Batch(batch);
                var (batchLoss, _) = Trainer.Step(optimizer, () => loss.Forward(model.forward(x), y));
                double value = batchLoss.item<float>();
                if (!double.IsFinite(value))
                    throw new TrainingDivergedException(epoch, t, rate, options.Decay.Lambda, value);
            }
    }

    private static void CheckAxis(IReadOnlyList<double> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count < 2)
            throw new ArgumentException($"The {name} axis needs at least two values; it has {values.Count}.", name);
        foreach (var v in values)
            if (!(v > 0) || double.IsInfinity(v))
                throw new ArgumentOutOfRangeException(name, v,
                    "Values must be finite and > 0 (the axes are logarithmic).");
        for (int i = 1; i < values.Count; i++)
            if (!(values[i] > values[i - 1]))
                throw new ArgumentException($"The {name} axis must be strictly ascending; value {i} " +
                    $"({values[i].ToString(CultureInfo.InvariantCulture)}) is not.", name);
    }
}
