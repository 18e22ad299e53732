using TorchSharp;
using WeightDecay.Optimization;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>Optimizer steps with the data gradient switched off, so that only weight decay acts.</summary>
public static class DecayOnly
{
    /// <summary>
    /// Runs <paramref name="steps"/> steps of <paramref name="optimizer"/> with every gradient set to zero and returns ‖θ‖₂ of
    /// the named parameter before the first step and after each step (<paramref name="steps"/> + 1 values). With plain SGD
    /// (or any decoupled decay) and L2 this is exactly ‖θ₀‖·(1 − ηλ)ᵗ; the model is changed in place.
    /// </summary>
    public static IReadOnlyList<double> Run(nn.Module model, WeightDecayOptimizer optimizer, int steps, string parameter)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Must be ≥ 0.");
        var p = model.named_parameters().FirstOrDefault(q => q.name == parameter).parameter
                ?? throw new ArgumentException($"The model has no parameter '{parameter}'. It has: {string.Join(", ", model.named_parameters().Select(q => q.name))}.", nameof(parameter));
        var norms = new List<double>(steps + 1);
        double Norm() { using var s = NewDisposeScope(); using var ng = no_grad(); return p.to_type(ScalarType.Float64).norm().item<double>(); }
        norms.Add(Norm());
        for (int t = 0; t < steps; t++)
        {
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                // a zero data loss that still reaches every parameter, so each has a (zero) gradient
                model.parameters().Select(q => q.sum().Mul(0.0)).Aggregate((a, b) => a.Add(b)).backward();
                optimizer.step();
            }
            norms.Add(Norm());
        }
        return norms;
    }
}
