using System.Globalization;
using WeightDecay.Optimization;

namespace WeightDecay.Experiments;

/// <summary>
/// The configuration of notebook 09's experiment: one training per λ of <see cref="Lambdas"/>, everything else shared.
/// λ = 0 trains without decay (<see cref="DecayMethod.None"/>); λ &gt; 0 uses <see cref="Method"/> with L2, R(θ) =
/// ½‖θ‖², on the weights only (biases are not decayed). For <see cref="DecayMethod.Decoupled"/> the step is θ ← θ − ηλθ
/// (λ multiplied by the learning rate, as in PyTorch's AdamW).
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
/// <param name="Digits">MNIST training digits used (1 … 4000; every (8000/Digits)-th, so all classes are
/// present; as many validation digits come from between them).</param>
/// <remarks>Lesson 09: 09-your-experiment.</remarks>
public sealed record ExperimentConfig(
    ExperimentDataset Dataset, IReadOnlyList<int> Hidden, DecayMethod Method, OptimizerKind Optimizer,
    IReadOnlyList<double> Lambdas, double LearningRate, int Epochs, int BatchSize, int Seed, int Digits = 2000)
{
    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">Naming the bad value.</exception>
    public void Validate()
    {
        if (Method is not (DecayMethod.Penalty or DecayMethod.Coupled or DecayMethod.Decoupled))
            throw new ArgumentException($"Method '{Method}' is not one of penalty, coupled, decoupled.",
                nameof(Method));
        if (Lambdas is null || Lambdas.Count == 0) throw new ArgumentException("The λ grid is empty.", nameof(Lambdas));
        foreach (var l in Lambdas)
            if (!(l >= 0) || !double.IsFinite(l))
                throw new ArgumentException($"λ = {l} is not a finite number ≥ 0.", nameof(Lambdas));
        if (Lambdas.Distinct().Count() != Lambdas.Count)
            throw new ArgumentException("The λ grid has duplicates.", nameof(Lambdas));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentException($"Learning rate {LearningRate} must be > 0.", nameof(LearningRate));
        if (Epochs < 1) throw new ArgumentException($"Epochs {Epochs} must be ≥ 1.", nameof(Epochs));
        if (BatchSize < 1) throw new ArgumentException($"Batch size {BatchSize} must be ≥ 1.", nameof(BatchSize));
        if (Digits is < 1 or > 4000)
            throw new ArgumentException($"Digits {Digits} must be in 1 … 4000 (the other half of the 8000-digit " +
                "pool is the validation set).", nameof(Digits));
        foreach (var h in Hidden ?? throw new ArgumentException("Hidden sizes are null.", nameof(Hidden)))
            if (h < 1) throw new ArgumentException($"Hidden size {h} must be ≥ 1.", nameof(Hidden));
    }

    /// <summary>The decay options of one λ: <see cref="WeightDecayOptions.None"/> at λ = 0.</summary>
    public WeightDecayOptions DecayFor(double lambda) => WeightDecayOptions.For(Method, lambda);

    /// <summary>The optimizer options (plain SGD without momentum, or Adam with its defaults).</summary>
    public OptimizerOptions OptimizerOptions => new(Optimizer, LearningRate);

    /// <summary>The configuration as (name, value) rows, for the report.</summary>
    public IReadOnlyList<(string Setting, string Value)> Describe() =>
    [
        ("dataset", Dataset == ExperimentDataset.Regression
            ? "regression (d2l: d = 200, 20 train / 20 validation / 100 test, σ = 0.01)"
            : $"mnist ({Digits} train / {Digits} validation / 2000 test digits)"),
        ("model", Dataset == ExperimentDataset.Regression ? "linear regression 200 → 1"
            : $"MLP {string.Join(" → ", new[] { 784 }.Concat(Hidden).Append(10))}"),
        ("method", ExperimentParameters.Name(Method)),
        ("optimizer", ExperimentParameters.Name(Optimizer)),
        ("lambdas", string.Join(", ", Lambdas.Select(l => l.ToString("R", CultureInfo.InvariantCulture)))),
        ("learning rate", LearningRate.ToString("R", CultureInfo.InvariantCulture)),
        ("epochs", Epochs.ToString(CultureInfo.InvariantCulture)),
        ("batch size", BatchSize.ToString(CultureInfo.InvariantCulture)),
        ("seed", Seed.ToString(CultureInfo.InvariantCulture)),
    ];
}
