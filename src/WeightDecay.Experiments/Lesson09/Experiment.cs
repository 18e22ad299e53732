using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Notebook 09's experiment: the data, and one model trained per λ with the same seed (same data, initialization and
/// batches). Dispose it to free the models and data.
/// </summary>
/// <remarks>Lesson 09: 09-your-experiment and its solutions.</remarks>
public sealed class Experiment : IDisposable
{
    private readonly List<nn.Module<Tensor, Tensor>> _models = [];
    private readonly List<ExperimentRun> _runs = [];
    private readonly IDisposable _data;

    /// <summary>The configuration.</summary>
    public ExperimentConfig Config { get; }

    /// <summary>The training set.</summary>
    public TensorDataset Train { get; }

    /// <summary>The test set: used once, to report the chosen model.</summary>
    public TensorDataset Test { get; }

    /// <summary>
    /// The validation set, carved from the training pool and disjoint from <see cref="Train"/>: it chooses the best λ
    /// (<see cref="BestIndex"/>). MNIST: as many digits as the training set, every (8000/Digits)-th of the pool shifted
    /// by half a stride. Regression: 20 further draws from the same generator (another seed, the same true weights).
    /// </summary>
    public TensorDataset Validation { get; }

    /// <summary>The data loss: ½-squared error (mean) for regression, cross-entropy on logits for MNIST.</summary>
    public Loss Loss { get; }

    /// <summary>One run per λ, in grid order (filled by <see cref="Run"/>).</summary>
    public IReadOnlyList<ExperimentRun> Runs => _runs;

    /// <summary>The trained model of each run, in grid order.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Models => _models;

    private Experiment(ExperimentConfig config, TensorDataset train, TensorDataset validation, TensorDataset test,
        Loss loss, IDisposable data) =>
        (Config, Train, Validation, Test, Loss, _data) = (config, train, validation, test, loss, data);

    /// <summary>Loads the data of <paramref name="config"/> (nothing is trained yet).</summary>
    /// <exception cref="ArgumentException">An invalid configuration.</exception>
    public static Experiment Prepare(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Dataset == ExperimentDataset.Regression)
        {
            var reg = SyntheticRegression.Create(inputs: 200, trainCount: 20, testCount: 100, noiseStd: 0.01,
                seed: config.Seed);
            var held = SyntheticRegression.Create(inputs: 200, trainCount: 20, testCount: 1, noiseStd: 0.01,
                seed: Seeds.DeriveInt(config.Seed, "experiment-validation"));
            return new Experiment(config, reg.Train, held.Train, reg.Test, new HalfSquaredError(), new Both(reg, held));
        }
        var mnist = Mnist.Load();
        int stride = 8000 / config.Digits;
        var train = mnist.Train.Subset(Enumerable.Range(0, config.Digits).Select(i => (long)i * stride).ToArray());
        var validation = mnist.Train.Subset(Enumerable.Range(0, config.Digits)
            .Select(i => (long)i * stride + stride / 2).ToArray());
        return new Experiment(config, train, validation, mnist.Test, new CrossEntropy(),
            new Both(new Both(train, validation), mnist));
    }

    /// <summary>A fresh, untrained model of the configuration (the same for every λ: it depends only on the
    /// seed).</summary>
    public nn.Module<Tensor, Tensor> NewModel() => Config.Dataset == ExperimentDataset.Regression
        ? new LinearRegression(200, seed: Config.Seed)
        : new Mlp(hidden: Config.Hidden, seed: Config.Seed);

    /// <summary>Trains one model per λ (in grid order); <paramref name="progress"/> is told each λ as it
    /// starts.</summary>
    /// <exception cref="InvalidOperationException">Already run.</exception>
    public void Run(Action<double>? progress = null)
    {
        if (_runs.Count > 0) throw new InvalidOperationException("The experiment has already been run.");
        foreach (var lambda in Config.Lambdas)
        {
            progress?.Invoke(lambda);
            var model = NewModel();
            var history = Trainer.Fit(model, Train, Test, Loss, new TrainerOptions
            {
                Epochs = Config.Epochs, BatchSize = Config.BatchSize, Seed = Config.Seed,
                Optimizer = Config.OptimizerOptions, Decay = Config.DecayFor(lambda),
            });
            var (validationLoss, validationAccuracy) = Evaluation.Evaluate(model, Validation, Loss);
            _models.Add(model);
            _runs.Add(new ExperimentRun(lambda, history, validationLoss, validationAccuracy));
        }
    }

    /// <summary>The index of the run with the lowest validation loss (the test set plays no part in the
    /// choice).</summary>
    public int BestIndex => _runs.Count == 0 ? throw new InvalidOperationException("Run the experiment first.")
        : Enumerable.Range(0, _runs.Count).MinBy(i => _runs[i].ValidationLoss);

    /// <summary>
    /// The constant predictor's test loss, the baseline every loss is read against: regression, ½·mean (y − ȳ)² with ȳ
    /// the training targets' mean; MNIST, the cross-entropy of predicting the training set's class frequencies (≈ ln 10
    /// = 2.303 for balanced classes).
    /// </summary>
    public double BaselineTestLoss
    {
        get
        {
            using var scope = NewDisposeScope();
            if (Config.Dataset == ExperimentDataset.Regression)
            {
                var mean = Train.Targets.to_type(ScalarType.Float64).mean();
                return (Test.Targets.to_type(ScalarType.Float64) - mean).Square().mean().item<double>() / 2;
            }
            var p = ClassFrequencies();
            return -Test.Targets.data<long>().ToArray().Average(y => Math.Log(Math.Max(p[y], 1e-12)));
        }
    }

    /// <summary>MNIST: the test accuracy of always predicting the most frequent training class (chance level);
    /// regression: NaN.</summary>
    public double BaselineTestAccuracy
    {
        get
        {
            if (Config.Dataset == ExperimentDataset.Regression) return double.NaN;
            var p = ClassFrequencies();
            int majority = Array.IndexOf(p, p.Max());
            return Test.Targets.data<long>().ToArray().Count(y => y == majority) / (double)Test.Count;
        }
    }

    /// <summary>
    /// Whether run <paramref name="index"/> collapsed to (near) the constant predictor: its final test loss is at least
    /// 90 % of <see cref="BaselineTestLoss"/>. A collapsed network has learned (almost) nothing, whatever its norm.
    /// </summary>
    public bool IsCollapsed(int index) =>
        (_runs[index].History.Final.TestLoss ?? double.NaN) >= 0.9 * BaselineTestLoss;

    private double[] ClassFrequencies()
    {
        var counts = new double[10];
        foreach (var y in Train.Targets.data<long>().ToArray()) counts[y]++;
        return counts.Select(c => c / Train.Count).ToArray();
    }

    /// <summary>
    /// The decay audit of the configuration at <paramref name="lambda"/> (default: the largest λ of the grid), on a
    /// fresh model with a fresh optimizer: which tensors the decay reaches, how, and the shrink factor per step at the
    /// configured learning rate.
    /// </summary>
    public DecayAudit Audit(double? lambda = null)
    {
        double l = lambda ?? Config.Lambdas.Max();
        using var model = NewModel();
        using var opt = new WeightDecayOptimizer(model, Config.OptimizerOptions, Config.DecayFor(l));
        return DecayAudit.Of(opt, model);
    }

    /// <summary>
    /// The results table, one row per λ: lambda, train_loss, validation_loss, test_loss, gap (test − train),
    /// train_accuracy, validation_accuracy and test_accuracy (NaN for regression), norm (global ‖θ‖₂, biases
    /// included), l2_term (λ·½‖w‖² on the decayed weights: the value an L2 penalty would add — a term of the
    /// minimized objective for penalty and coupled decay and for decoupled decay under SGD, but under decoupled decay
    /// with Adam (AdamW) no objective contains it: there it only measures size), then the shared settings dataset,
    /// method, optimizer, learning_rate, epochs, seed.
    /// </summary>
    public DataFrame ResultsTable()
    {
        if (_runs.Count == 0) throw new InvalidOperationException("Run the experiment first.");
        var f = _runs.Select(r => r.History.Final).ToList();
        int n = _runs.Count;
        return new DataFrame(
            new DoubleDataFrameColumn("lambda", _runs.Select(r => r.Lambda)),
            new DoubleDataFrameColumn("train_loss", f.Select(e => e.TrainLoss)),
            new DoubleDataFrameColumn("validation_loss", _runs.Select(r => r.ValidationLoss)),
            new DoubleDataFrameColumn("test_loss", f.Select(e => e.TestLoss ?? double.NaN)),
            new DoubleDataFrameColumn("gap", _runs.Select(r => r.Gap)),
            new DoubleDataFrameColumn("train_accuracy", f.Select(e => e.TrainAccuracy ?? double.NaN)),
            new DoubleDataFrameColumn("validation_accuracy", _runs.Select(r => r.ValidationAccuracy ?? double.NaN)),
            new DoubleDataFrameColumn("test_accuracy", f.Select(e => e.TestAccuracy ?? double.NaN)),
            new DoubleDataFrameColumn("norm", f.Select(e => e.ParameterNorm)),
            new DoubleDataFrameColumn("l2_term", f.Select(e => e.Penalty)),
            new StringDataFrameColumn("dataset", Enumerable.Repeat(Config.Dataset.ToString().ToLowerInvariant(), n)),
            new StringDataFrameColumn("method", Enumerable.Repeat(ExperimentParameters.Name(Config.Method), n)),
            new StringDataFrameColumn("optimizer", Enumerable.Repeat(ExperimentParameters.Name(Config.Optimizer), n)),
            new DoubleDataFrameColumn("learning_rate", Enumerable.Repeat(Config.LearningRate, n)),
            new Int32DataFrameColumn("epochs", Enumerable.Repeat(Config.Epochs, n)),
            new Int32DataFrameColumn("seed", Enumerable.Repeat(Config.Seed, n)));
    }

    /// <summary>
    /// Writes <see cref="ResultsTable"/> as CSV atomically (header row, invariant culture, round-trip numbers, NaN as
    /// <c>NaN</c>) and returns the path.
    /// </summary>
    public string SaveResultsCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var df = ResultsTable();
        // not DataFrame.SaveCsv (HistoryTables, LandscapeTables): it writes doubles as G17 (0.003 →
        // 0.0030000000000000001), and this table is meant to be read by people too
        var sb = new StringBuilder(string.Join(",", df.Columns.Select(c => c.Name))).Append('\n');
        for (long r = 0; r < df.Rows.Count; r++)
            sb.Append(string.Join(",", df.Columns.Select(c => c[r] switch
            {
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                var o => o?.ToString() ?? "",
            }))).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>Reads the λ column of a CSV written by <see cref="SaveResultsCsv"/>.</summary>
    /// <exception cref="InvalidDataException">No <c>lambda</c> column.</exception>
    public static double[] ReadLambdas(string path)
    {
        var lines = File.ReadAllLines(path);
        int col = lines.Length == 0 ? -1 : Array.IndexOf(lines[0].Split(','), "lambda");
        if (col < 0)
            throw new InvalidDataException($"'{path}' has no 'lambda' column; expected a CSV written by " +
                "Experiment.SaveResultsCsv.");
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split(',')[col], CultureInfo.InvariantCulture)).ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var m in _models) m.Dispose();
        _models.Clear();
        _data.Dispose();
    }

    private sealed class Both(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose() { a.Dispose(); b.Dispose(); }
    }
}
