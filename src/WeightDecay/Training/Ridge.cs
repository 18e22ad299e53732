using WeightDecay.Data;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>
/// Closed-form ridge regression under this library's conventions: minimizes
/// L'(w, b) = (1/n) Σᵢ ½ (xᵢ·w + b − yᵢ)² + (λ/2)‖w‖² (mean ½-squared error, L2 = ½‖w‖², bias not penalized by
/// default), i.e. the objective that <see cref="Trainer"/> with <see cref="Losses.HalfSquaredError"/>, L2 and
/// <see cref="Regularization.DecaySelection.WeightsOnly"/> minimizes. Solved in float64:
/// (XcᵀXc/n + λI) w = Xcᵀyc/n on centered data, b = ȳ − x̄·w.
/// </summary>
public static class Ridge
{
    /// <summary>Solves for (w, b). With <paramref name="penalizeBias"/> the bias is penalized too ((λ/2)(‖w‖² +
    /// b²)).</summary>
    /// <exception cref="ArgumentException">λ &lt; 0 or not finite; λ = 0 with a singular system (more features than
    /// examples).</exception>
    public static LinearSolution Solve(TensorDataset data, double lambda, bool penalizeBias = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckLambda(lambda);
        using var scope = NewDisposeScope();
        var (x, y) = Design(data);
        long n = data.Count, d = x.shape[1];
        Tensor w;
        double b;
        if (penalizeBias)
        {
            var xa = cat([x, ones(n, 1, dtype: ScalarType.Float64)], 1);
            var a = xa.t().matmul(xa).Div(n).Add(eye(d + 1, dtype: ScalarType.Float64).Mul(lambda));
            var sol = SolveChecked(a, xa.t().matmul(y).Div(n), lambda, d);
            w = sol.narrow(0, 0, d);
            b = sol[d].item<double>();
        }
        else
        {
            var xm = x.mean([0]);
            var ym = y.mean();
            var xc = x - xm;
            var a = xc.t().matmul(xc).Div(n).Add(eye(d, dtype: ScalarType.Float64).Mul(lambda));
            w = SolveChecked(a, xc.t().matmul(y - ym).Div(n), lambda, d);
            b = (ym - xm.dot(w)).item<double>();
        }
        return new LinearSolution(w.data<double>().ToArray(), b);
    }

    /// <summary>The closed-form solution for each λ (the regularization path), in the given order.</summary>
    public static IReadOnlyList<(double Lambda, LinearSolution Solution)> Path(TensorDataset data,
        IEnumerable<double> lambdas, bool penalizeBias = false) =>
        lambdas.Select(l => (l, Solve(data, l, penalizeBias))).ToList();

    /// <summary>The data loss (1/n) Σ ½(x·w + b − y)² of a solution on a dataset (same convention as the
    /// trainer).</summary>
    public static double Loss(TensorDataset data, LinearSolution solution)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(solution);
        using var scope = NewDisposeScope();
        var x = data.Features.reshape(data.Count, -1).to_type(ScalarType.Float64);
        if (x.shape[1] != solution.Weights.Length)
            throw new ArgumentException($"The data has {x.shape[1]} features but the solution has " +
                $"{solution.Weights.Length} weights.", nameof(solution));
        var y = data.Targets.reshape(-1).to_type(ScalarType.Float64);
        var r = x.matmul(tensor(solution.Weights)).Add(solution.Bias) - y;
        return r.Square().mean().Mul(0.5).item<double>();
    }

    /// <summary>
    /// Full-batch gradient descent on the same objective, from w = 0, in float64. The unpenalized bias is eliminated
    /// first (for any w its optimum is b = ȳ − x̄·w), so descent runs on w over centered data with the step 1/L, L the
    /// largest eigenvalue of XcᵀXc/n + λI: the iterates stay in the row space of Xc, where the problem is well
    /// conditioned, and converge linearly whatever λ. Returns the iterate after <paramref name="steps"/> steps.
    /// </summary>
    public static LinearSolution GradientDescent(TensorDataset data, double lambda, int steps = 500)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckLambda(lambda);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Need at least one step.");
        using var scope = NewDisposeScope();
        var (xm, ym, xc, yc) = Centered(data);
        long n = data.Count, d = xc.shape[1];
        double l = linalg.eigvalsh(xc.t().matmul(xc).Div(n)).max().item<double>() + lambda;
        var w = zeros(d, dtype: ScalarType.Float64);
        for (int t = 0; t < steps; t++)
        {
            var grad = xc.t().matmul(xc.matmul(w) - yc).Div(n).Add(w.Mul(lambda));
            w = w - grad.Div(l);
        }
        double b = (ym - xm.dot(w)).item<double>();
        return new LinearSolution(w.data<double>().ToArray(), b);
    }

    /// <summary>
    /// Leave-one-out and generalized cross-validation of ridge (bias unpenalized) in closed form. Ridge is a linear
    /// smoother, ŷ = H y with H = A (AᵀA + nΛ)⁻¹ Aᵀ for the design A = [1, X] and Λ = diag(0, λI); the leave-one-out
    /// residual of example i is exactly eᵢ/(1 − Hᵢᵢ), so no refit is needed. The shortcut keeps the penalty nλ of the
    /// sum-of-squares form fixed, so in our mean convention it equals refitting each (n − 1)-subset with λ·n/(n − 1).
    /// GCV replaces each Hᵢᵢ by their mean tr(H)/n. Both are reported as the mean ½-squared error, the trainer's
    /// convention.
    /// </summary>
    public static (double LeaveOneOut, double Gcv) CrossValidation(TensorDataset data, double lambda)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckLambda(lambda);
        using var scope = NewDisposeScope();
        var (x, y) = Design(data);
        long n = data.Count, d = x.shape[1];
        var a = cat([ones(n, 1, dtype: ScalarType.Float64), x], 1);
        var penalty = eye(d + 1, dtype: ScalarType.Float64).Mul(n * lambda);
        penalty[0, 0] = tensor(0.0, ScalarType.Float64);
        var gram = a.t().matmul(a).Add(penalty);
        if (lambda == 0 && linalg.matrix_rank(gram).item<long>() < d + 1)
            throw new ArgumentException($"With λ = 0 the least-squares system for {d} features is singular; use λ > 0.",
                nameof(lambda));
        var h = a.matmul(linalg.solve(gram, a.t()));
        var e = y - h.matmul(y);
        var diag = h.diagonal();
        double loo = (e / diag.RSub(1)).Square().mean().Mul(0.5).item<double>();
        double trace = diag.sum().item<double>();
        double gcv = e.Square().mean().Mul(0.5).item<double>() / Math.Pow(1 - trace / n, 2);
        return (loo, gcv);
    }

    private static void CheckLambda(double lambda)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be finite and ≥ 0.");
    }

    /// <summary>The float64 design, centered for the unpenalized bias (b = ȳ − x̄·w): means x̄, ȳ and centered
    /// Xc [n, d], yc [n] (tensors in the caller's dispose scope).</summary>
    public static (Tensor Xm, Tensor Ym, Tensor Xc, Tensor Yc) Centered(TensorDataset data)
    {
        var (x, y) = Design(data);
        var xm = x.mean([0]);
        var ym = y.mean();
        return (xm, ym, x - xm, y - ym);
    }

    private static (Tensor X, Tensor Y) Design(TensorDataset data) =>
        (data.Features.reshape(data.Count, -1).to_type(ScalarType.Float64),
            data.Targets.reshape(-1).to_type(ScalarType.Float64));

    private static Tensor SolveChecked(Tensor a, Tensor rhs, double lambda, long d)
    {
        if (lambda == 0 && linalg.matrix_rank(a).item<long>() < a.shape[0])
            throw new ArgumentException(
                $"With λ = 0 the least-squares system for {d} features is singular (fewer independent examples than " +
                "features); use λ > 0.", nameof(lambda));
        return linalg.solve(a, rhs);
    }
}
