using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>The data set of an <see cref="Experiment"/>.</summary>
public enum ExperimentDataset
{
    /// <summary>d2l's high-dimensional regression: d = 200 inputs, 20 training and 100 test examples, σ = 0.01, a linear model, ½-squared error.</summary>
    Regression,

    /// <summary>The bundled MNIST subset (the first <see cref="ExperimentConfig.Digits"/> of its 8,000 training digits, all 2,000 test digits), an MLP, cross-entropy.</summary>
    Mnist,
}

/// <summary>
/// The configuration of notebook 09's experiment: one training per λ of <see cref="Lambdas"/>, everything else shared.
/// λ = 0 trains without decay (<see cref="DecayMethod.None"/>); λ &gt; 0 uses <see cref="Method"/> with L2, R(θ) = ½‖θ‖², on
/// the weights only (biases are not decayed). For <see cref="DecayMethod.Decoupled"/> the step is θ ← θ − ηλθ (λ multiplied
/// by the learning rate, as in PyTorch's AdamW).
/// </summary>
/// <param name="Dataset">Regression or MNIST.</param>
/// <param name="Hidden">Hidden layer sizes of the MNIST MLP (ignored for regression, whose model is linear).</param>
/// <param name="Method">Penalty, Coupled or Decoupled.</param>
/// <param name="Optimizer">SGD or Adam.</param>
/// <param name="Lambdas">The λ grid (distinct, ≥ 0, finite).</param>
/// <param name="LearningRate">η.</param>
/// <param name="Epochs">Epochs per training.</param>
/// <param name="BatchSize">Minibatch size.</param>
/// <param name="Seed">Seed of data, initialization and batches (the same for every λ).</param>
/// <param name="Digits">MNIST training digits used (1 … 8000; every (8000/Digits)-th, so all classes are present).</param>
public sealed record ExperimentConfig(
    ExperimentDataset Dataset, IReadOnlyList<int> Hidden, DecayMethod Method, OptimizerKind Optimizer, IReadOnlyList<double> Lambdas,
    double LearningRate, int Epochs, int BatchSize, int Seed, int Digits = 2000)
{
    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">Naming the bad value.</exception>
    public void Validate()
    {
        if (Method is not (DecayMethod.Penalty or DecayMethod.Coupled or DecayMethod.Decoupled))
            throw new ArgumentException($"Method '{Method}' is not one of penalty, coupled, decoupled.", nameof(Method));
        if (Lambdas is null || Lambdas.Count == 0) throw new ArgumentException("The λ grid is empty.", nameof(Lambdas));
        foreach (var l in Lambdas)
            if (!(l >= 0) || !double.IsFinite(l)) throw new ArgumentException($"λ = {l} is not a finite number ≥ 0.", nameof(Lambdas));
        if (Lambdas.Distinct().Count() != Lambdas.Count) throw new ArgumentException("The λ grid has duplicates.", nameof(Lambdas));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"Learning rate {LearningRate} must be > 0.", nameof(LearningRate));
        if (Epochs < 1) throw new ArgumentException($"Epochs {Epochs} must be ≥ 1.", nameof(Epochs));
        if (BatchSize < 1) throw new ArgumentException($"Batch size {BatchSize} must be ≥ 1.", nameof(BatchSize));
        if (Digits is < 1 or > 8000) throw new ArgumentException($"Digits {Digits} must be in 1 … 8000.", nameof(Digits));
        foreach (var h in Hidden ?? throw new ArgumentException("Hidden sizes are null.", nameof(Hidden)))
            if (h < 1) throw new ArgumentException($"Hidden size {h} must be ≥ 1.", nameof(Hidden));
    }

    /// <summary>The decay options of one λ: <see cref="WeightDecayOptions.None"/> at λ = 0.</summary>
    public WeightDecayOptions DecayFor(double lambda) => lambda == 0 ? WeightDecayOptions.None : new WeightDecayOptions(Method, lambda);

    /// <summary>The optimizer options (plain SGD without momentum, or Adam with its defaults).</summary>
    public OptimizerOptions OptimizerOptions => new(Optimizer, LearningRate);

    /// <summary>The configuration as (name, value) rows, for the report.</summary>
    public IReadOnlyList<(string Setting, string Value)> Describe() =>
    [
        ("dataset", Dataset == ExperimentDataset.Regression ? "regression (d2l: d = 200, 20 train / 100 test, σ = 0.01)" : $"mnist ({Digits} train / 2000 test digits)"),
        ("model", Dataset == ExperimentDataset.Regression ? "linear regression 200 → 1" : $"MLP {string.Join(" → ", new[] { 784 }.Concat(Hidden).Append(10))}"),
        ("method", ExperimentParameters.Name(Method)),
        ("optimizer", ExperimentParameters.Name(Optimizer)),
        ("lambdas", string.Join(", ", Lambdas.Select(l => l.ToString("R", CultureInfo.InvariantCulture)))),
        ("learning rate", LearningRate.ToString("R", CultureInfo.InvariantCulture)),
        ("epochs", Epochs.ToString(CultureInfo.InvariantCulture)),
        ("batch size", BatchSize.ToString(CultureInfo.InvariantCulture)),
        ("seed", Seed.ToString(CultureInfo.InvariantCulture)),
    ];
}

/// <summary>Parsing of notebook 09's string parameters (the runner passes them as strings, e.g. <c>--param lambdas=0,1e-3</c>).</summary>
public static class ExperimentParameters
{
    /// <summary>Parses a λ grid such as <c>"0,1e-4,1e-3"</c> (commas or semicolons; invariant culture).</summary>
    /// <exception cref="ArgumentException">Empty, not a number, negative, not finite, or duplicated — naming the value.</exception>
    public static double[] ParseLambdas(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("The λ grid is empty; give comma-separated numbers, e.g. \"0,1e-4,1e-3\".", nameof(text));
        var parts = text.Split([',', ';'], StringSplitOptions.TrimEntries);
        var result = new List<double>();
        foreach (var p in parts)
        {
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new ArgumentException($"λ '{p}' in \"{text}\" is not a finite number; give comma-separated numbers, e.g. \"0,1e-4,1e-3\".", nameof(text));
            if (v < 0) throw new ArgumentException($"λ {p} in \"{text}\" is negative; λ must be ≥ 0.", nameof(text));
            if (result.Contains(v)) throw new ArgumentException($"λ {p} appears twice in \"{text}\".", nameof(text));
            result.Add(v);
        }
        return result.ToArray();
    }

    /// <summary>Parses hidden layer sizes such as <c>"64"</c> or <c>"128,64"</c>; <c>""</c> or <c>"none"</c> gives no hidden layer.</summary>
    /// <exception cref="ArgumentException">A size that is not an integer ≥ 1.</exception>
    public static int[] ParseHidden(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        return text.Split([',', ';'], StringSplitOptions.TrimEntries).Select(p =>
            int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h >= 1 ? h
                : throw new ArgumentException($"Hidden size '{p}' in \"{text}\" is not an integer ≥ 1; give sizes like \"64\" or \"128,64\".", nameof(text))).ToArray();
    }

    /// <summary>Parses <c>regression</c> or <c>mnist</c> (case-insensitive).</summary>
    public static ExperimentDataset ParseDataset(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "regression" => ExperimentDataset.Regression,
        "mnist" => ExperimentDataset.Mnist,
        _ => throw new ArgumentException($"Dataset '{text}' is not one of regression, mnist.", nameof(text)),
    };

    /// <summary>Parses <c>penalty</c>, <c>coupled</c> or <c>decoupled</c> (case-insensitive).</summary>
    public static DecayMethod ParseMethod(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "penalty" => DecayMethod.Penalty,
        "coupled" => DecayMethod.Coupled,
        "decoupled" => DecayMethod.Decoupled,
        _ => throw new ArgumentException($"Method '{text}' is not one of penalty, coupled, decoupled.", nameof(text)),
    };

    /// <summary>Parses <c>sgd</c> or <c>adam</c> (case-insensitive).</summary>
    public static OptimizerKind ParseOptimizer(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adam" => OptimizerKind.Adam,
        _ => throw new ArgumentException($"Optimizer '{text}' is not one of sgd, adam.", nameof(text)),
    };

    /// <summary>The lower-case name of a method, as the parameter spells it.</summary>
    public static string Name(DecayMethod method) => method.ToString().ToLowerInvariant();

    /// <summary>The lower-case name of an optimizer, as the parameter spells it.</summary>
    public static string Name(OptimizerKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Builds and validates a configuration from the notebook's parameter strings.</summary>
    /// <exception cref="ArgumentException">Any value that does not parse or is out of range.</exception>
    public static ExperimentConfig Parse(string dataset, string hidden, string method, string optimizer, string lambdas,
        double learningRate, int epochs, int batchSize, int seed, int digits = 2000)
    {
        var config = new ExperimentConfig(ParseDataset(dataset), ParseHidden(hidden), ParseMethod(method), ParseOptimizer(optimizer),
            ParseLambdas(lambdas), learningRate, epochs, batchSize, seed, digits);
        config.Validate();
        return config;
    }

    /// <summary>Builds and validates a configuration whose λ grid is given as numbers (the notebook's <c>double[]</c>
    /// parameter); the grid is checked like <see cref="ParseLambdas"/> checks a string.</summary>
    /// <exception cref="ArgumentException">Any value that does not parse or is out of range.</exception>
    public static ExperimentConfig Parse(string dataset, string hidden, string method, string optimizer, double[] lambdas,
        double learningRate, int epochs, int batchSize, int seed, int digits = 2000)
    {
        ArgumentNullException.ThrowIfNull(lambdas);
        return Parse(dataset, hidden, method, optimizer,
            string.Join(",", lambdas.Select(l => l.ToString("R", CultureInfo.InvariantCulture))), learningRate, epochs, batchSize,
            seed, digits);
    }
}

/// <summary>One λ of an experiment: its history and final numbers.</summary>
/// <param name="Lambda">λ.</param>
/// <param name="History">Per-epoch metrics (epoch 0 = initial model).</param>
public sealed record ExperimentRun(double Lambda, TrainingHistory History)
{
    /// <summary>Final test loss minus final training loss (the generalization gap, in data loss).</summary>
    public double Gap => (History.Final.TestLoss ?? double.NaN) - History.Final.TrainLoss;
}

/// <summary>
/// Notebook 09's experiment: the data, and one model trained per λ with the same seed (same data, initialization and batches).
/// Dispose it to free the models and data.
/// </summary>
public sealed class Experiment : IDisposable
{
    private readonly List<nn.Module<Tensor, Tensor>> _models = [];
    private readonly List<ExperimentRun> _runs = [];
    private readonly IDisposable _data;

    /// <summary>The configuration.</summary>
    public ExperimentConfig Config { get; }

    /// <summary>The training set.</summary>
    public TensorDataset Train { get; }

    /// <summary>The test set.</summary>
    public TensorDataset Test { get; }

    /// <summary>The data loss: ½-squared error (mean) for regression, cross-entropy on logits for MNIST.</summary>
    public Loss Loss { get; }

    /// <summary>One run per λ, in grid order (filled by <see cref="Run"/>).</summary>
    public IReadOnlyList<ExperimentRun> Runs => _runs;

    /// <summary>The trained model of each run, in grid order.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Models => _models;

    private Experiment(ExperimentConfig config, TensorDataset train, TensorDataset test, Loss loss, IDisposable data) =>
        (Config, Train, Test, Loss, _data) = (config, train, test, loss, data);

    /// <summary>Loads the data of <paramref name="config"/> (nothing is trained yet).</summary>
    /// <exception cref="ArgumentException">An invalid configuration.</exception>
    public static Experiment Prepare(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Dataset == ExperimentDataset.Regression)
        {
            var reg = SyntheticRegression.Create(inputs: 200, trainCount: 20, testCount: 100, noiseStd: 0.01, seed: config.Seed);
            return new Experiment(config, reg.Train, reg.Test, new HalfSquaredError(), reg);
        }
        var mnist = Mnist.Load();
        int stride = 8000 / config.Digits;
        var train = mnist.Train.Subset(Enumerable.Range(0, config.Digits).Select(i => (long)i * stride).ToArray());
        return new Experiment(config, train, mnist.Test, new CrossEntropy(), new Both(train, mnist));
    }

    /// <summary>A fresh, untrained model of the configuration (the same for every λ: it depends only on the seed).</summary>
    public nn.Module<Tensor, Tensor> NewModel() => Config.Dataset == ExperimentDataset.Regression
        ? new LinearRegression(200, seed: Config.Seed)
        : new Mlp(hidden: Config.Hidden, seed: Config.Seed);

    /// <summary>Trains one model per λ (in grid order); <paramref name="progress"/> is told each λ as it starts.</summary>
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
            _models.Add(model);
            _runs.Add(new ExperimentRun(lambda, history));
        }
    }

    /// <summary>The index of the run with the lowest final test loss.</summary>
    public int BestIndex => _runs.Count == 0 ? throw new InvalidOperationException("Run the experiment first.")
        : Enumerable.Range(0, _runs.Count).MinBy(i => _runs[i].History.Final.TestLoss ?? double.PositiveInfinity);

    /// <summary>
    /// The decay audit of the configuration at <paramref name="lambda"/> (default: the largest λ of the grid), on a fresh model with
    /// a fresh optimizer: which tensors the decay reaches, how, and the shrink factor per step at the configured learning rate.
    /// </summary>
    public DecayAudit Audit(double? lambda = null)
    {
        double l = lambda ?? Config.Lambdas.Max();
        using var model = NewModel();
        using var opt = new WeightDecayOptimizer(model, Config.OptimizerOptions, Config.DecayFor(l));
        return DecayAudit.Of(opt, model);
    }

    /// <summary>
    /// The results table, one row per λ: lambda, train_loss, test_loss, gap (test − train), train_accuracy and test_accuracy
    /// (NaN for regression), norm (global ‖θ‖₂, biases included), penalty (λ·½‖w‖² on the decayed weights), then the shared
    /// settings dataset, method, optimizer, learning_rate, epochs, seed.
    /// </summary>
    public DataFrame ResultsTable()
    {
        if (_runs.Count == 0) throw new InvalidOperationException("Run the experiment first.");
        var f = _runs.Select(r => r.History.Final).ToList();
        int n = _runs.Count;
        return new DataFrame(
            new DoubleDataFrameColumn("lambda", _runs.Select(r => r.Lambda)),
            new DoubleDataFrameColumn("train_loss", f.Select(e => e.TrainLoss)),
            new DoubleDataFrameColumn("test_loss", f.Select(e => e.TestLoss ?? double.NaN)),
            new DoubleDataFrameColumn("gap", _runs.Select(r => r.Gap)),
            new DoubleDataFrameColumn("train_accuracy", f.Select(e => e.TrainAccuracy ?? double.NaN)),
            new DoubleDataFrameColumn("test_accuracy", f.Select(e => e.TestAccuracy ?? double.NaN)),
            new DoubleDataFrameColumn("norm", f.Select(e => e.ParameterNorm)),
            new DoubleDataFrameColumn("penalty", f.Select(e => e.Penalty)),
            new StringDataFrameColumn("dataset", Enumerable.Repeat(Config.Dataset.ToString().ToLowerInvariant(), n)),
            new StringDataFrameColumn("method", Enumerable.Repeat(ExperimentParameters.Name(Config.Method), n)),
            new StringDataFrameColumn("optimizer", Enumerable.Repeat(ExperimentParameters.Name(Config.Optimizer), n)),
            new DoubleDataFrameColumn("learning_rate", Enumerable.Repeat(Config.LearningRate, n)),
            new Int32DataFrameColumn("epochs", Enumerable.Repeat(Config.Epochs, n)),
            new Int32DataFrameColumn("seed", Enumerable.Repeat(Config.Seed, n)));
    }

    /// <summary>
    /// Writes <see cref="ResultsTable"/> as CSV atomically (header row, invariant culture, round-trip numbers, NaN as <c>NaN</c>)
    /// and returns the path.
    /// </summary>
    public string SaveResultsCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var df = ResultsTable();
        // not DataFrame.SaveCsv (HistoryTables, LandscapeTables): it writes doubles as G17 (0.003 → 0.0030000000000000001),
        // and this table is meant to be read by people too
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
        if (col < 0) throw new InvalidDataException($"'{path}' has no 'lambda' column; expected a CSV written by Experiment.SaveResultsCsv.");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => double.Parse(l.Split(',')[col], CultureInfo.InvariantCulture)).ToArray();
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
