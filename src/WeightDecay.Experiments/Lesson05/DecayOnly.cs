using WeightDecay.Optimization;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>Optimizer steps with the data gradient switched off, so that only weight decay acts.</summary>
/// <remarks>Lesson 05 (05-norm-decay and its solutions).</remarks>
public static class DecayOnly
{
    /// <summary>
    /// Runs <paramref name="steps"/> steps of <paramref name="optimizer"/> (<see cref="Trainer.Step"/>) on a data loss
    /// whose gradient is zero and returns ‖θ‖₂ of the named parameter before the first step and after each step
    /// (<paramref name="steps"/> + 1 values). With plain SGD (or any decoupled decay) and L2 this is exactly
    /// ‖θ₀‖·(1 − ηλ)ᵗ; the model is changed in place.
    /// </summary>
    public static IReadOnlyList<double> Run(nn.Module model, WeightDecayOptimizer optimizer, int steps,
        string parameter)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Must be ≥ 0.");
        var p = model.named_parameters().FirstOrDefault(q => q.name == parameter).parameter
            ?? throw new ArgumentException($"The model has no parameter '{parameter}'. It has: " +
                $"{string.Join(", ", model.named_parameters().Select(q => q.name))}.", nameof(parameter));
        var norms = new List<double>(steps + 1) { Norm(p) };
        for (int t = 0; t < steps; t++)
        {
            using (var scope = NewDisposeScope())
                Trainer.Step(optimizer, () => ZeroLoss(model));
            norms.Add(Norm(p));
        }
        return norms;
    }

    /// <summary>A zero data loss that still reaches every parameter, so each has a (zero) gradient.</summary>
    private static Tensor ZeroLoss(nn.Module model) =>
        model.parameters().Select(q => q.sum().Mul(0.0)).Aggregate((a, b) => a.Add(b));

    private static double Norm(Tensor p)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return p.to_type(ScalarType.Float64).norm().item<double>();
    }
}
