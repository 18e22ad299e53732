using WeightDecay.Models;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// The rescaling symmetry of a one-hidden-layer ReLU network (Dinh et al. 2017, "Sharp Minima Can Generalize For Deep
/// Nets", ICML): since ReLU(cz) = c·ReLU(z) for c &gt; 0, multiplying hidden unit j's incoming weights and bias by cⱼ
/// and its outgoing weights (column j of the second layer) by 1/cⱼ leaves the function unchanged. With one factor for
/// all units it is Dinh et al.'s α-scale transformation.
/// </summary>
/// <remarks>Lesson 06: 06-seeing-the-landscape and its solutions.</remarks>
public static class ReluRescaling
{
    /// <summary>A copy of <paramref name="model"/> (one hidden layer) with hidden unit j rescaled by
    /// <paramref name="factors"/>[j] &gt; 0.</summary>
    /// <exception cref="ArgumentException">Not one hidden layer, or a factor count or value that does not
    /// fit.</exception>
    public static Mlp PerUnit(Mlp model, IReadOnlyList<double> factors)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(factors);
        if (model.HiddenSizes.Count != 1)
            throw new ArgumentException($"Need one hidden layer; the model has {model.HiddenSizes.Count}.",
                nameof(model));
        if (factors.Count != model.HiddenSizes[0])
            throw new ArgumentException($"{factors.Count} factors for {model.HiddenSizes[0]} hidden units.",
                nameof(factors));
        if (factors.Any(c => !(c > 0) || !double.IsFinite(c)))
            throw new ArgumentOutOfRangeException(nameof(factors), "Every factor must be finite and > 0.");
        var copy = new Mlp(model.InputFeatures, model.HiddenSizes, model.Outputs,
            dtype: model.Layers[0].weight!.dtype);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var ((_, target), (_, source)) in copy.named_parameters().Zip(model.named_parameters()))
                target.copy_(source);
            var c = tensor(factors.ToArray(), dtype: copy.Layers[0].weight!.dtype);
            copy.Layers[0].weight!.mul_(c.unsqueeze(1));
            copy.Layers[0].bias!.mul_(c);
            copy.Layers[1].weight!.div_(c.unsqueeze(0));
        }
        return copy;
    }

    /// <summary>A copy with every hidden unit rescaled by the same <paramref name="factor"/> &gt; 0.</summary>
    public static Mlp Uniform(Mlp model, double factor)
    {
        ArgumentNullException.ThrowIfNull(model);
        return PerUnit(model, Enumerable.Repeat(factor, model.HiddenSizes.Count == 1 ? model.HiddenSizes[0] : 0)
            .ToArray());
    }

    /// <summary><paramref name="count"/> factors log-uniform in [1/<paramref name="spread"/>,
    /// <paramref name="spread"/>], from <paramref name="seed"/>.</summary>
    public static double[] RandomFactors(int count, double spread, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Need at least one factor.");
        if (!(spread >= 1) || !double.IsFinite(spread))
            throw new ArgumentOutOfRangeException(nameof(spread), spread, "The spread must be finite and ≥ 1.");
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Math.Pow(spread, 2 * random.NextDouble() - 1)).ToArray();
    }

    /// <summary>The largest absolute logit difference between two models on <paramref name="inputs"/>.</summary>
    public static double MaxLogitDifference(Mlp a, Mlp b, Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        using var scope = NewDisposeScope();
        using (no_grad()) return (a.forward(inputs) - b.forward(inputs)).abs().max().item<float>();
    }
}
