using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Measurements of a scale-invariant weight (one followed by BatchNorm or LayerNorm): the loss and gradient under
/// rescaling (<see cref="Probe"/>) and the angle a step turns it by (<see cref="Angle"/>).
/// </summary>
/// <remarks>Lesson 10: 10-weight-decay-with-normalization.</remarks>
public static class ScaleInvariance
{
    /// <summary>
    /// The angle (radians) between two tensors of the same shape, each flattened to one vector: 2·asin(‖â − b̂‖/2)
    /// with â = a/‖a‖, computed in float64 (accurate for small angles, where acos of the cosine is not).
    /// </summary>
    /// <exception cref="ArgumentException">Different shapes, or a zero tensor.</exception>
    public static double Angle(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException(
                $"Shapes differ: [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].", nameof(b));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = a.detach().flatten().to_type(ScalarType.Float64);
        var y = b.detach().flatten().to_type(ScalarType.Float64);
        double nx = x.norm().item<double>(), ny = y.norm().item<double>();
        if (nx == 0 || ny == 0) throw new ArgumentException("The angle to a zero tensor is undefined.", nameof(a));
        using var ix = (1 / nx).ToScalar();
        using var iy = (1 / ny).ToScalar();
        double chord = x.mul(ix).sub_(y.mul(iy)).norm().item<double>();
        return 2 * Math.Asin(Math.Min(1, chord / 2));
    }

    /// <summary>
    /// For each scale c: multiplies <paramref name="weight"/> by c, evaluates <paramref name="loss"/> (a closure
    /// running the forward pass and the loss, e.g. on one fixed batch) and its gradient with respect to the weight,
    /// then restores the weight exactly (it is copied, not divided). Other parameters' gradients are cleared.
    /// </summary>
    /// <exception cref="ArgumentException">A scale that is not finite and &gt; 0, or no scales.</exception>
    public static IReadOnlyList<ScaleProbe> Probe(nn.Module model, Parameter weight, Func<Tensor> loss,
        IEnumerable<double> scales)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(loss);
        var list = scales?.ToList() ?? throw new ArgumentNullException(nameof(scales));
        if (list.Count == 0) throw new ArgumentException("Give at least one scale.", nameof(scales));
        foreach (double c in list)
            if (!(c > 0) || !double.IsFinite(c))
                throw new ArgumentException($"Scales must be finite and > 0, got {c}.", nameof(scales));
        using var original = weight.detach().clone();
        var result = new List<ScaleProbe>();
        foreach (double c in list)
        {
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                using var s = c.ToScalar();
                weight.copy_(original).mul_(s);
            }
            model.zero_grad();
            var value = loss();
            value.backward();
            var g = weight.grad!.detach().to_type(ScalarType.Float64);
            var w = weight.detach().to_type(ScalarType.Float64);
            double gn = g.norm().item<double>(), wn = w.norm().item<double>();
            double cos = gn == 0 ? 0 : g.mul(w).sum().item<double>() / (gn * wn);
            result.Add(new ScaleProbe(c, value.ItemAsDouble(), wn, gn, cos));
        }
        using (no_grad()) weight.copy_(original);
        model.zero_grad();
        return result;
    }
}
