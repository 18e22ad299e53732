using Microsoft.Data.Analysis;

namespace WeightDecay.Optimization;

/// <summary>The audit of an optimizer's weight decay: one row per parameter tensor, and warnings.</summary>
/// <param name="Rows">One row per optimized tensor.</param>
/// <param name="Warnings">Configurations that decay less than they seem to (e.g. λ &gt; 0 reaching no
/// tensor).</param>
public sealed record DecayAudit(IReadOnlyList<DecayAuditRow> Rows, IReadOnlyList<string> Warnings)
{
    /// <summary>Whether decay acts on at least one tensor.</summary>
    public bool AnyDecay => Rows.Any(r => r.Decayed);

    /// <summary>
    /// Audits <paramref name="optimizer"/>: which tensors it decays, how, and by what factor per step at its current
    /// learning rate (from the optimizer's own <see cref="WeightDecayOptimizer.DecayRate"/> ηλ). This is the check that
    /// would have caught a regularizer that is created but never attached.
    /// </summary>
    public static DecayAudit Of(WeightDecayOptimizer optimizer, TorchSharp.torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(model);
        var shapes = model.named_parameters()
            .ToDictionary(p => p.name, p => $"[{string.Join(", ", p.parameter.shape)}]");
        var d = optimizer.Decay;
        var rows = new List<DecayAuditRow>();
        var warnings = new List<string>();
        foreach (var (name, decayedByOptimizer) in optimizer.Parameters)
        {
            string shape = shapes.TryGetValue(name, out var s) ? s : "?";
            if (!optimizer.Decays)
                rows.Add(new DecayAuditRow(name, shape, false, "no decay configured", 0, 1, "λ = 0 or method None"));
            else if (!decayedByOptimizer)
                rows.Add(new DecayAuditRow(name, shape, false,
                    $"not decayed ({d.Selection}: 1-D tensors such as biases are excluded)", 0, 1, ""));
            else
            {
                var (shrink, note) = ShrinkPerStep(optimizer, name);
                rows.Add(new DecayAuditRow(name, shape, true, How(optimizer), d.Lambda, shrink, note));
            }
        }
        foreach (var (name, p) in model.named_parameters())
            if (!optimizer.Optimizes(p))
                warnings.Add($"'{name}' is not optimized by this optimizer at all (frozen or from another module).");
        if (optimizer.Decays && !rows.Any(r => r.Decayed))
            warnings.Add($"λ = {d.Lambda} is configured but no parameter tensor is decayed (selection " +
                $"{d.Selection}): " +
                "the decay does nothing.");
        if (optimizer.Decays && IsL2(d) && optimizer.Options.Kind == OptimizerKind.Adam
            && d.Method is DecayMethod.Coupled or DecayMethod.Penalty)
            warnings.Add("Adam with L2 in the loss or gradient is not weight decay: use DecayMethod.Decoupled " +
                "(AdamW) " +
                "for a uniform decay.");
        return new DecayAudit(rows, warnings);
    }

    /// <summary>How the decay of <paramref name="optimizer"/> enters the update, in words.</summary>
    private static string How(WeightDecayOptimizer optimizer)
    {
        var d = optimizer.Decay;
        string r = d.EffectiveRegularizer.Name;
        return d.Method switch
        {
            DecayMethod.Penalty => $"penalty λ·{r} added to the loss (autograd)",
            DecayMethod.Coupled => $"coupled: λ∇R(θ) added to the gradient before {optimizer.Options.Label}",
            DecayMethod.Proximal =>
                $"proximal: θ ← prox of {(d.DecoupledScalesWithLearningRate ? "ηλ" : "λ")}·{r} after each step",
            _ => d.DecoupledScalesWithLearningRate
                ? "decoupled: θ ← θ − ηλ∇R(θ) outside the optimizer"
                : "decoupled: θ ← θ − λ∇R(θ) (not scaled by η)",
        };
    }

    /// <summary>The factor decay alone multiplies tensor <paramref name="name"/> by per step, and a note on
    /// it.</summary>
    private static (double Shrink, string Note) ShrinkPerStep(WeightDecayOptimizer optimizer, string name)
    {
        var d = optimizer.Decay;
        var o = optimizer.Options;
        double rate = optimizer.DecayRate; // ηλ (λ for the paper's decoupled form)
        if (!IsL2(d))
            return (double.NaN, $"{d.EffectiveRegularizer.Name} is not proportional to θ: no single shrink factor");
        if (d.Method == DecayMethod.Decoupled) return (1 - rate, "the same for every coordinate");
        if (d.Method == DecayMethod.Proximal) return (1 / (1 + rate), "the same for every coordinate");
        if (o.Kind == OptimizerKind.Adam)
        {
            double? scale = optimizer.MedianAdaptiveScale(name);
            return (scale is { } sc ? 1 - rate * sc : double.NaN,
                "Adam divides the decay term by √v̂: weights with large gradients are barely decayed"
                + (scale is null ? " (known after the first step)" : ""));
        }
        if (o.Momentum > 0)
            return (MomentumDecayFactor(rate, o.Momentum),
                $"momentum {o.Momentum} amplifies the decay term (≈ 1 − ηλ/(1 − μ) when ηλ ≪ (1 − μ)²)");
        return (1 - rate, "plain SGD: coupled, penalty and decoupled coincide");
    }

    private static bool IsL2(WeightDecayOptions d) => d.EffectiveRegularizer.Name == "l2";

    /// <summary>
    /// The long-run factor per step of pure coupled decay under SGD with momentum μ: θₜ₊₁ = θₜ − η bₜ,
    /// bₜ = μ bₜ₋₁ + λθₜ gives θₜ₊₁ = (1 + μ − ηλ) θₜ − μ θₜ₋₁, whose dominant root r of
    /// r² − (1 + μ − ηλ) r + μ = 0 is the factor (its modulus √μ when the roots are complex and the decay oscillates).
    /// For ηλ ≪ (1 − μ)² it is ≈ 1 − ηλ/(1 − μ).
    /// </summary>
    public static double MomentumDecayFactor(double etaLambda, double momentum)
    {
        double b = 1 + momentum - etaLambda, disc = b * b - 4 * momentum;
        return disc >= 0 ? (b + Math.Sqrt(disc)) / 2 : Math.Sqrt(momentum);
    }

    /// <summary>The rows as a DataFrame (for display in notebooks).</summary>
    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("parameter", Rows.Select(r => r.Name)),
        new StringDataFrameColumn("shape", Rows.Select(r => r.Shape)),
        new BooleanDataFrameColumn("decayed", Rows.Select(r => r.Decayed)),
        new StringDataFrameColumn("how", Rows.Select(r => r.How)),
        new DoubleDataFrameColumn("lambda", Rows.Select(r => r.Lambda)),
        new DoubleDataFrameColumn("shrink per step", Rows.Select(r => r.ShrinkPerStep)),
        new StringDataFrameColumn("note", Rows.Select(r => r.Note)));
}
