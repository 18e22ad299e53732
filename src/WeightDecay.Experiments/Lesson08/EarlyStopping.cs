using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Early stopping as implicit L2 (Goodfellow et al., Deep Learning §7.8). On a quadratic loss with Hessian eigenvalues
/// hᵢ, gradient descent from 0 with step η reaches, after τ steps, the fraction 1 − (1 − ηhᵢ)^τ of the minimizer along
/// each eigendirection; ridge with λ keeps the fraction hᵢ/(hᵢ + λ). With λ ≈ 1/(τη) the two agree where ηhᵢτ ≪ 1 (both
/// ≈ ηhᵢτ) and where ηhᵢτ ≫ 1 (both ≈ 1). In between, where ηhᵢ ≪ 1, they differ by at most ≈ 0.20 (1 − e^−x against
/// x/(1 + x), x = ηhᵢτ: largest near x ≈ 2.5, ≈ 0.13 at x = 1); where ηhᵢ is not small the gap can be larger.
/// </summary>
/// <remarks>Lesson 08: 08-choosing-lambda-and-the-alternatives.</remarks>
public static class EarlyStopping
{
    /// <summary>The fraction 1 − (1 − ηh)^τ of the minimizer that gradient descent reaches along an
    /// eigendirection.</summary>
    public static double GradientDescentFraction(double h, double eta, int steps)
    {
        if (!(h >= 0)) throw new ArgumentOutOfRangeException(nameof(h), h, "Curvature must be ≥ 0.");
        if (!(eta > 0) || eta * h >= 2)
            throw new ArgumentOutOfRangeException(nameof(eta), eta, "Need 0 < η·h < 2 for convergence.");
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Must be ≥ 0.");
        return 1 - Math.Pow(1 - eta * h, steps);
    }

    /// <summary>The fraction h/(h + λ) of the minimizer that ridge keeps along an eigendirection.</summary>
    public static double RidgeFraction(double h, double lambda) =>
        h >= 0 && lambda >= 0
            && h + lambda > 0 ? h / (h + lambda) : throw new ArgumentOutOfRangeException(nameof(lambda), lambda,
            "Need h, λ ≥ 0, not both 0.");

    /// <summary>The λ that τ steps of size η correspond to: 1/(τη).</summary>
    public static double EquivalentLambda(double eta, int steps) =>
        eta > 0 && steps > 0 ? 1 / (steps * eta) : throw new ArgumentOutOfRangeException(nameof(steps), steps,
            "Need η > 0 and τ > 0.");

    /// <summary>
    /// Full-batch gradient descent with step <paramref name="eta"/> on the unpenalized ridge objective (1/n) Σ ½(x·w +
    /// b − y)² from w = 0, in float64, with the bias eliminated as in <see cref="Ridge.GradientDescent"/> (b = ȳ −
    /// x̄·w, descent on centered data). Returns the iterate after each of <paramref name="steps"/> (ascending, ≥ 1):
    /// the early-stopping path to compare with the ridge path <see cref="Ridge.Solve"/> at λ =
    /// <see cref="EquivalentLambda"/>(η, τ).
    /// </summary>
    /// <exception cref="ArgumentException">η ≤ 0 or η ≥ 2/h_max (divergent), steps not ascending positive.</exception>
    public static IReadOnlyList<(int Steps, LinearSolution Solution)> GradientDescentPath(TensorDataset data,
        double eta, IReadOnlyList<int> steps)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0 || steps[0] < 1 || steps.Zip(steps.Skip(1)).Any(p => p.Second <= p.First))
            throw new ArgumentException("Steps must be positive and strictly ascending.", nameof(steps));
        using var scope = NewDisposeScope();
        var (xm, ym, xc, yc) = Ridge.Centered(data);
        long n = data.Count;
        var hessian = xc.t().matmul(xc).Div(n);
        double hMax = linalg.eigvalsh(hessian).max().item<double>();
        if (!(eta > 0) || eta * hMax >= 2)
            throw new ArgumentOutOfRangeException(nameof(eta), eta,
                $"Need 0 < η < 2/h_max = {2 / hMax:G4} for gradient descent to converge.");
        var rhs = xc.t().matmul(yc).Div(n);
        var w = zeros(xc.shape[1], dtype: ScalarType.Float64);
        var result = new List<(int, LinearSolution)>();
        int t = 0;
        foreach (var target in steps)
        {
            for (; t < target; t++)
                w = w - (hessian.matmul(w) - rhs).Mul(eta);
            result.Add((t, new LinearSolution(w.data<double>().ToArray(), (ym - xm.dot(w)).item<double>())));
        }
        return result;
    }

    /// <summary>The epoch with the lowest validation loss (the first on ties): early stopping with unlimited patience,
    /// i.e. keeping the best checkpoint.</summary>
    public static int BestEpoch(IReadOnlyList<double> validationLosses)
    {
        ArgumentNullException.ThrowIfNull(validationLosses);
        if (validationLosses.Count == 0) throw new ArgumentException("No validation losses.", nameof(validationLosses));
        int best = 0;
        for (int i = 1; i < validationLosses.Count; i++)
            if (validationLosses[i] < validationLosses[best]) best = i;
        return best;
    }

    /// <summary>Copies a <see cref="ParameterSnapshot"/> back into <paramref name="model"/> (by parameter
    /// name).</summary>
    /// <exception cref="ArgumentException">A parameter of the model is missing from the snapshot or has another
    /// size.</exception>
    public static void Restore(nn.Module model, ParameterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(snapshot);
        var values = snapshot.Values.ToDictionary(v => v.Key, v => v.Value);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!p.requires_grad) continue;
            if (!values.TryGetValue(name, out var v) || v.Length != p.numel())
                throw new ArgumentException($"The snapshot has no values of size {p.numel()} for parameter '{name}'.",
                    nameof(snapshot));
            p.copy_(tensor(v, dtype: ScalarType.Float64).reshape(p.shape).to_type(p.dtype));
        }
    }

    /// <summary>Loss and accuracy of every snapshot of a training on <paramref name="data"/> (the model is left at the
    /// last snapshot).</summary>
    public static IReadOnlyList<(int Epoch, double Loss, double? Accuracy)> EvaluateSnapshots(nn.Module<Tensor,
        Tensor> model, IReadOnlyList<ParameterSnapshot> snapshots, TensorDataset data, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var result = new List<(int, double, double?)>();
        foreach (var s in snapshots)
        {
            Restore(model, s);
            var (l, a) = Evaluation.Evaluate(model, data, loss);
            result.Add((s.Epoch, l, a));
        }
        return result;
    }
}
