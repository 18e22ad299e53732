using System.Globalization;
using WeightDecay.Optimization;

namespace WeightDecay.Experiments;

/// <summary>Parsing of notebook 09's string parameters (the runner passes them as strings, e.g. <c>--param
/// lambdas=0,1e-3</c>).</summary>
/// <remarks>Lesson 09: 09-your-experiment and its solutions.</remarks>
public static class ExperimentParameters
{
    /// <summary>Parses a λ grid such as <c>"0,1e-4,1e-3"</c> (commas or semicolons; invariant culture).</summary>
    /// <exception cref="ArgumentException">Empty, not a number, negative, not finite, or duplicated — naming the
    /// value.</exception>
    public static double[] ParseLambdas(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ArgumentException("The λ grid is empty; give comma-separated numbers, e.g. \"0,1e-4,1e-3\".",
                nameof(text));
        var parts = text.Split([',', ';'], StringSplitOptions.TrimEntries);
        var result = new List<double>();
        foreach (var p in parts)
        {
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new ArgumentException($"λ '{p}' in \"{text}\" is not a finite number; give comma-separated " +
                    "numbers, e.g. \"0,1e-4,1e-3\".", nameof(text));
            if (v < 0) throw new ArgumentException($"λ {p} in \"{text}\" is negative; λ must be ≥ 0.", nameof(text));
            if (result.Contains(v)) throw new ArgumentException($"λ {p} appears twice in \"{text}\".", nameof(text));
            result.Add(v);
        }
        return result.ToArray();
    }

    /// <summary>Parses hidden layer sizes such as <c>"64"</c> or <c>"128,64"</c>; <c>""</c> or <c>"none"</c> gives no
    /// hidden layer.</summary>
    /// <exception cref="ArgumentException">A size that is not an integer ≥ 1.</exception>
    public static int[] ParseHidden(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
            return [];
        return text.Split([',', ';'], StringSplitOptions.TrimEntries).Select(p =>
            int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h >= 1 ? h
                : throw new ArgumentException($"Hidden size '{p}' in \"{text}\" is not an integer ≥ 1; give sizes " +
                    "like \"64\" or \"128,64\".", nameof(text))).ToArray();
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
        var config = new ExperimentConfig(ParseDataset(dataset), ParseHidden(hidden), ParseMethod(method),
            ParseOptimizer(optimizer), ParseLambdas(lambdas), learningRate, epochs, batchSize, seed, digits);
        config.Validate();
        return config;
    }

    /// <summary>Builds and validates a configuration whose λ grid is given as numbers (the notebook's <c>double[]</c>
    /// parameter); the grid is checked like <see cref="ParseLambdas"/> checks a string.</summary>
    /// <exception cref="ArgumentException">Any value that does not parse or is out of range.</exception>
    public static ExperimentConfig Parse(string dataset, string hidden, string method, string optimizer,
        double[] lambdas, double learningRate, int epochs, int batchSize, int seed, int digits = 2000)
    {
        ArgumentNullException.ThrowIfNull(lambdas);
        return Parse(dataset, hidden, method, optimizer,
            string.Join(",",
                lambdas.Select(l => l.ToString("R", CultureInfo.InvariantCulture))), learningRate, epochs, batchSize,
            seed, digits);
    }
}
