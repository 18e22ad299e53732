using Microsoft.Data.Analysis;

namespace WeightDecay.Optimization;

/// <summary>How weight decay acts on one parameter tensor.</summary>
/// <param name="Name">Parameter name, e.g. <c>fc1.weight</c>.</param>
/// <param name="Shape">Its shape, e.g. <c>[64, 784]</c>.</param>
/// <param name="Decayed">Whether any decay acts on it.</param>
/// <param name="How">How the decay enters (penalty in the loss, coupled gradient term, decoupled step), or why it does not.</param>
/// <param name="Lambda">λ acting on it (0 when not decayed).</param>
/// <param name="ShrinkPerStep">The factor the decay alone multiplies the tensor by per step at the current learning rate
/// (1 = no decay). For Adam with coupled/penalty L2 it is the median over coordinates of 1 − ηλ/(√v̂ + ε) and is only known
/// after a step (NaN before); for SGD with momentum and coupled/penalty L2 it is the long-run factor
/// <see cref="DecayAudit.MomentumDecayFactor"/> (≈ 1 − ηλ/(1 − μ)).</param>
/// <param name="Note">What a reader should know about this row.</param>
public sealed record DecayAuditRow(string Name, string Shape, bool Decayed, string How, double Lambda, double ShrinkPerStep, string Note);

/// <summary>The audit of an optimizer's weight decay: one row per parameter tensor, and warnings.</summary>
/// <param name="Rows">One row per optimized tensor.</param>
/// <param name="Warnings">Configurations that decay less than they seem to (e.g. λ &gt; 0 reaching no tensor).</param>
public sealed record DecayAudit(IReadOnlyList<DecayAuditRow> Rows, IReadOnlyList<string> Warnings)
{
    /// <summary>Whether decay acts on at least one tensor.</summary>
    public bool AnyDecay => Rows.Any(r => r.Decayed);

    /// <summary>
    /// Audits <paramref name="optimizer"/>: which tensors it decays, how, and by what factor per step at its current learning
    /// rate. This is the check that would have caught a regularizer that is created but never attached.
    /// </summary>
    public static DecayAudit Of(WeightDecayOptimizer optimizer, TorchSharp.torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(model);
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => $"[{string.Join(", ", p.parameter.shape)}]");
        var d = optimizer.Decay;
        var o = optimizer.Options;
        double lr = optimizer.LearningRate, lambda = d.Lambda;
        bool l2 = d.EffectiveRegularizer.Name == "l2";
        var rows = new List<DecayAuditRow>();
        var warnings = new List<string>();
        foreach (var (name, decayedByOptimizer) in optimizer.Parameters)
        {
            string shape = shapes.TryGetValue(name, out var s) ? s : "?";
            if (d.Method == DecayMethod.None || lambda == 0)
            {
                rows.Add(new DecayAuditRow(name, shape, false, "no decay configured", 0, 1, "λ = 0 or method None"));
                continue;
            }
            if (!decayedByOptimizer)
            {
                rows.Add(new DecayAuditRow(name, shape, false, $"not decayed ({d.Selection}: 1-D tensors such as biases are excluded)", 0, 1, ""));
                continue;
            }
            string how = d.Method switch
            {
                DecayMethod.Penalty => $"penalty λ·{d.EffectiveRegularizer.Name} added to the loss (autograd)",
                DecayMethod.Coupled => $"coupled: λ∇R(θ) added to the gradient before {o.Label}",
                DecayMethod.Proximal => $"proximal: θ ← prox of {(d.DecoupledScalesWithLearningRate ? "ηλ" : "λ")}·{d.EffectiveRegularizer.Name} after each step",
                _ => d.DecoupledScalesWithLearningRate ? "decoupled: θ ← θ − ηλ∇R(θ) outside the optimizer" : "decoupled: θ ← θ − λ∇R(θ) (not scaled by η)",
            };
            double shrink;
            string note;
            if (!l2)
            {
                shrink = double.NaN;
                note = $"{d.EffectiveRegularizer.Name} is not proportional to θ: no single shrink factor";
            }
            else if (d.Method == DecayMethod.Decoupled)
            {
                shrink = 1 - (d.DecoupledScalesWithLearningRate ? lr * lambda : lambda);
                note = "the same for every coordinate";
            }
            else if (d.Method == DecayMethod.Proximal)
            {
                shrink = 1 / (1 + (d.DecoupledScalesWithLearningRate ? lr * lambda : lambda));
                note = "the same for every coordinate";
            }
            else if (o.Kind == OptimizerKind.Adam)
            {
                double? scale = optimizer.MedianAdaptiveScale(name);
                shrink = scale is { } sc ? 1 - lr * lambda * sc : double.NaN;
                note = "Adam divides the decay term by √v̂: weights with large gradients are barely decayed" + (scale is null ? " (known after the first step)" : "");
            }
            else if (o.Momentum > 0)
            {
                shrink = MomentumDecayFactor(lr * lambda, o.Momentum);
                note = $"momentum {o.Momentum} amplifies the decay term (≈ 1 − ηλ/(1 − μ) when ηλ ≪ (1 − μ)²)";
            }
            else
            {
                shrink = 1 - lr * lambda;
                note = "plain SGD: coupled, penalty and decoupled coincide";
            }
            rows.Add(new DecayAuditRow(name, shape, true, how, lambda, shrink, note));
        }
        foreach (var (name, p) in model.named_parameters())
            if (!optimizer.Optimizes(p)) warnings.Add($"'{name}' is not optimized by this optimizer at all (frozen or from another module).");
        if (lambda > 0 && d.Method != DecayMethod.None && !rows.Any(r => r.Decayed))
            warnings.Add($"λ = {lambda} is configured but no parameter tensor is decayed (selection {d.Selection}): the decay does nothing.");
        if (l2 && o.Kind == OptimizerKind.Adam && d.Method is DecayMethod.Coupled or DecayMethod.Penalty && lambda > 0)
            warnings.Add("Adam with L2 in the loss or gradient is not weight decay: use DecayMethod.Decoupled (AdamW) for a uniform decay.");
        return new DecayAudit(rows, warnings);
    }

    /// <summary>
    /// The long-run factor per step of pure coupled decay under SGD with momentum μ: θₜ₊₁ = θₜ − η bₜ, bₜ = μ bₜ₋₁ + λθₜ gives
    /// θₜ₊₁ = (1 + μ − ηλ) θₜ − μ θₜ₋₁, whose dominant root r of r² − (1 + μ − ηλ) r + μ = 0 is the factor (its modulus √μ when
    /// the roots are complex and the decay oscillates). For ηλ ≪ (1 − μ)² it is ≈ 1 − ηλ/(1 − μ).
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
