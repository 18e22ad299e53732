using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// A two-parameter quadratic loss L(w) = ½ (w − w*)ᵀ H (w − w*) with an anisotropic Hessian H = Q diag(h₁, h₂) Qᵀ,
/// where Q's columns q₁ = (cos α, sin α) and q₂ = (−sin α, cos α) are H's eigenvectors — the local model of any smooth
/// loss near a minimum (Goodfellow, Bengio &amp; Courville, <i>Deep Learning</i>, §7.1.1). With weight decay the
/// minimizer of L(w) + (λ/2)‖w‖² is w̃(λ) = (H + λI)⁻¹ H w* = Q (Λ + λI)⁻¹ Λ Qᵀ w*: in the eigenbasis each component of
/// w* is scaled by hᵢ / (hᵢ + λ).
/// </summary>
/// <remarks>Lesson 01: 01-what-weight-decay-is and its solutions.</remarks>
public sealed class QuadraticBowl
{
    /// <summary>Creates the bowl.</summary>
    /// <param name="h1">Curvature along q₁ (&gt; 0).</param>
    /// <param name="h2">Curvature along q₂ (&gt; 0).</param>
    /// <param name="angleDegrees">α, the angle of q₁ from the first axis, in degrees.</param>
    /// <param name="minimizer">w* (two values).</param>
    public QuadraticBowl(double h1, double h2, double angleDegrees, IReadOnlyList<double> minimizer)
    {
        if (!(h1 > 0) || double.IsInfinity(h1))
            throw new ArgumentOutOfRangeException(nameof(h1), h1, "Curvatures must be finite and > 0.");
        if (!(h2 > 0) || double.IsInfinity(h2))
            throw new ArgumentOutOfRangeException(nameof(h2), h2, "Curvatures must be finite and > 0.");
        if (!double.IsFinite(angleDegrees))
            throw new ArgumentOutOfRangeException(nameof(angleDegrees), angleDegrees, "The angle must be finite.");
        ArgumentNullException.ThrowIfNull(minimizer);
        if (minimizer.Count != 2 || !minimizer.All(double.IsFinite))
            throw new ArgumentException("The minimizer w* must be two finite numbers.", nameof(minimizer));
        (H1, H2, AngleDegrees, Minimizer) = (h1, h2, angleDegrees, minimizer.ToArray());
        double a = angleDegrees * Math.PI / 180;
        Q1 = [Math.Cos(a), Math.Sin(a)];
        Q2 = [-Math.Sin(a), Math.Cos(a)];
    }

    /// <summary>Curvature h₁ along <see cref="Q1"/>.</summary>
    public double H1 { get; }

    /// <summary>Curvature h₂ along <see cref="Q2"/>.</summary>
    public double H2 { get; }

    /// <summary>α in degrees.</summary>
    public double AngleDegrees { get; }

    /// <summary>w*, the unregularized minimizer.</summary>
    public IReadOnlyList<double> Minimizer { get; }

    /// <summary>Unit eigenvector of h₁.</summary>
    public IReadOnlyList<double> Q1 { get; }

    /// <summary>Unit eigenvector of h₂.</summary>
    public IReadOnlyList<double> Q2 { get; }

    /// <summary>H = h₁ q₁q₁ᵀ + h₂ q₂q₂ᵀ as a 2 × 2 array.</summary>
    public double[,] Hessian => new[,]
    {
        { H1 * Q1[0] * Q1[0] + H2 * Q2[0] * Q2[0], H1 * Q1[0] * Q1[1] + H2 * Q2[0] * Q2[1] },
        { H1 * Q1[1] * Q1[0] + H2 * Q2[1] * Q2[0], H1 * Q1[1] * Q1[1] + H2 * Q2[1] * Q2[1] },
    };

    /// <summary>L(w) = ½ (w − w*)ᵀ H (w − w*).</summary>
    public double Loss(IReadOnlyList<double> w)
    {
        var (c1, c2) = EigenCoordinates([w[0] - Minimizer[0], w[1] - Minimizer[1]]);
        return 0.5 * (H1 * c1 * c1 + H2 * c2 * c2);
    }

    /// <summary>∇L(w) = H (w − w*).</summary>
    public double[] Gradient(IReadOnlyList<double> w)
    {
        var h = Hessian;
        double d0 = w[0] - Minimizer[0], d1 = w[1] - Minimizer[1];
        return [h[0, 0] * d0 + h[0, 1] * d1, h[1, 0] * d0 + h[1, 1] * d1];
    }

    /// <summary>Qᵀw: the coordinates of w along q₁ and q₂.</summary>
    public (double C1, double C2) EigenCoordinates(IReadOnlyList<double> w) =>
        (Q1[0] * w[0] + Q1[1] * w[1], Q2[0] * w[0] + Q2[1] * w[1]);

    /// <summary>The shrink factors hᵢ / (hᵢ + λ) of the two eigen-coordinates.</summary>
    public (double S1, double S2) ShrinkFactors(double lambda)
    {
        NonNegative(lambda, nameof(lambda));
        return (H1 / (H1 + lambda), H2 / (H2 + lambda));
    }

    /// <summary>w̃(λ) = Q (Λ + λI)⁻¹ Λ Qᵀ w*, the minimizer of L(w) + (λ/2)‖w‖² (closed form).</summary>
    public double[] RegularizedMinimizer(double lambda)
    {
        var (s1, s2) = ShrinkFactors(lambda);
        var (c1, c2) = EigenCoordinates(Minimizer);
        return [s1 * c1 * Q1[0] + s2 * c2 * Q2[0], s1 * c1 * Q1[1] + s2 * c2 * Q2[1]];
    }

    /// <summary>Points of the level set L(w) = <paramref name="level"/>: the ellipse w* + √(2c/h₁) cos t q₁ + √(2c/h₂)
    /// sin t q₂.</summary>
    public double[][] LevelSet(double level, int points = 121)
    {
        NonNegative(level, nameof(level));
        if (points < 3) throw new ArgumentOutOfRangeException(nameof(points), points, "Need at least 3 points.");
        double r1 = Math.Sqrt(2 * level / H1), r2 = Math.Sqrt(2 * level / H2);
        return Enumerable.Range(0, points).Select(k =>
        {
            double t = 2 * Math.PI * k / (points - 1), a = r1 * Math.Cos(t), b = r2 * Math.Sin(t);
            return new[] { Minimizer[0] + a * Q1[0] + b * Q2[0], Minimizer[1] + a * Q1[1] + b * Q2[1] };
        }).ToArray();
    }

    /// <summary>
    /// Minimizes L(w) + (λ/2)‖w‖² for every λ at once by gradient descent, the gradient taken by TorchSharp autograd of
    /// the penalized loss (float64, from w = 0, step 1/(max(h₁, h₂) + λ) per λ). Returns one w per λ.
    /// </summary>
    public double[][] MinimizeWithAutograd(IReadOnlyList<double> lambdas, int steps = 1000)
    {
        ArgumentNullException.ThrowIfNull(lambdas);
        foreach (var l in lambdas) NonNegative(l, nameof(lambdas));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Need at least one step.");
        using var threads = TorchThreads.Limit(1);
        using var scope = NewDisposeScope();
        int k = lambdas.Count;
        var lam = tensor(lambdas.ToArray()).reshape(k, 1);
        var h = tensor(new[] { Hessian[0, 0], Hessian[0, 1], Hessian[1, 0], Hessian[1, 1] }).reshape(2, 2);
        var wStar = tensor(Minimizer.ToArray()).reshape(1, 2);
        var lr = lam.Add(Math.Max(H1, H2)).RDiv(1.0);
        var w = zeros(new long[] { k, 2 }, dtype: ScalarType.Float64).requires_grad_();
        for (int t = 0; t < steps; t++)
        {
            using var inner = NewDisposeScope();
            w.grad?.zero_();
            var d = w - wStar;
            // Σ over λ of ½ (w−w*)ᵀH(w−w*) + (λ/2)‖w‖²: the rows do not interact, so one backward gives every gradient
            var penalized = (d.matmul(h) * d).sum(1).Mul(0.5).Add(lam.reshape(k).Mul(0.5) * w.Square().sum(1));
            penalized.sum().backward();
            using (no_grad()) w.sub_(w.grad! * lr);
        }
        var result = w.detach().data<double>().ToArray();
        return Enumerable.Range(0, k).Select(i => new[] { result[2 * i], result[2 * i + 1] }).ToArray();
    }

    private static void NonNegative(double v, string name)
    {
        if (!(v >= 0) || double.IsInfinity(v))
            throw new ArgumentOutOfRangeException(name, v, "Must be finite and ≥ 0.");
    }
}
