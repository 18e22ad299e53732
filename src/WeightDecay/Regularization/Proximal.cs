using static TorchSharp.torch;

namespace WeightDecay.Regularization;

/// <summary>
/// Proximal operators prox_{tR}(v) = argmin_θ ½‖θ − v‖² + t·R(θ) of the library's regularizers: applying one after a
/// data step gives proximal gradient descent, which for L1 sets weights <em>exactly</em> to zero (a subgradient step
/// ±tλ only makes them oscillate around zero).
/// </summary>
public static class Proximal
{
    /// <summary>Soft-thresholding, the prox of t‖θ‖₁: sign(v)·max(|v| − t, 0).</summary>
    public static Tensor SoftThreshold(Tensor v, double t)
    {
        if (!(t >= 0)) throw new ArgumentOutOfRangeException(nameof(t), t, "The threshold must be ≥ 0.");
        return v.sign() * v.abs().Sub(t).clamp_min(Scalars.Zero);
    }

    /// <summary>
    /// prox of t·R for <paramref name="regularizer"/>: L1 → soft-thresholding; L2 (½‖θ‖²) → v/(1 + t); elastic net
    /// α‖θ‖₁ + (1−α)½‖θ‖² → soft-threshold by tα, then divide by 1 + t(1−α).
    /// </summary>
    public static Tensor Apply(Regularizer regularizer, Tensor v, double t)
    {
        ArgumentNullException.ThrowIfNull(regularizer);
        if (!(t >= 0)) throw new ArgumentOutOfRangeException(nameof(t), t, "The step must be ≥ 0.");
        return regularizer.Name switch
        {
            "l1" => SoftThreshold(v, t),
            "l2" => v.Div(1 + t),
            _ when regularizer.Name.StartsWith("elastic_net(", StringComparison.Ordinal) =>
                ElasticNet(regularizer, v, t),
            _ => throw new ArgumentException($"No proximal operator is known for regularizer '{regularizer.Name}'.",
                nameof(regularizer)),
        };
    }

    private static Tensor ElasticNet(Regularizer r, Tensor v, double t)
    {
        double alpha =
            double.Parse(r.Name["elastic_net(".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        return SoftThreshold(v, t * alpha).Div(1 + t * (1 - alpha));
    }
}
