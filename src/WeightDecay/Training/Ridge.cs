using WeightDecay.Data;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>A fitted linear model ŷ = x·w + b.</summary>
/// <param name="Weights">w.</param>
/// <param name="Bias">b.</param>
public sealed record LinearSolution(double[] Weights, double Bias);

/// <summary>
/// Closed-form ridge regression under this library's conventions: minimizes
/// L'(w, b) = (1/n) Σᵢ ½ (xᵢ·w + b − yᵢ)² + (λ/2)‖w‖² (mean ½-squared error, L2 = ½‖w‖², bias not penalized by default),
/// i.e. the objective that <see cref="Trainer"/> with <see cref="Losses.HalfSquaredError"/>, L2 and
/// <see cref="Regularization.DecaySelection.WeightsOnly"/> minimizes. Solved in float64:
/// (XcᵀXc/n + λI) w = Xcᵀyc/n on centered data, b = ȳ − x̄·w.
/// </summary>
public static class Ridge
{
    /// <summary>Solves for (w, b). With <paramref name="penalizeBias"/> the bias is penalized too ((λ/2)(‖w‖² + b²)).</summary>
    /// <exception cref="ArgumentException">λ &lt; 0 or not finite; λ = 0 with a singular system (more features than examples).</exception>
    public static LinearSolution Solve(TensorDataset data, double lambda, bool penalizeBias = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be finite and ≥ 0.");
        using var scope = NewDisposeScope();
        var x = data.Features.reshape(data.Count, -1).to_type(ScalarType.Float64);
        var y = data.Targets.reshape(-1).to_type(ScalarType.Float64);
        long n = data.Count, d = x.shape[1];
        Tensor w;
        double b;
        if (penalizeBias)
        {
            var xa = cat([x, ones(n, 1, dtype: ScalarType.Float64)], 1);
            var a = xa.t().matmul(xa) / n + eye(d + 1, dtype: ScalarType.Float64) * lambda;
            var sol = SolveChecked(a, xa.t().matmul(y) / n, lambda, d);
            w = sol.narrow(0, 0, d);
            b = sol[d].item<double>();
        }
        else
        {
            var xm = x.mean([0]);
            var ym = y.mean();
            var xc = x - xm;
            var a = xc.t().matmul(xc) / n + eye(d, dtype: ScalarType.Float64) * lambda;
            w = SolveChecked(a, xc.t().matmul(y - ym) / n, lambda, d);
            b = (ym - xm.dot(w)).item<double>();
        }
        return new LinearSolution(w.data<double>().ToArray(), b);
    }

    private static Tensor SolveChecked(Tensor a, Tensor rhs, double lambda, long d)
    {
        if (lambda == 0 && linalg.matrix_rank(a).item<long>() < a.shape[0])
            throw new ArgumentException(
                $"With λ = 0 the least-squares system for {d} features is singular (fewer independent examples than features); use λ > 0.",
                nameof(lambda));
        return linalg.solve(a, rhs);
    }
}
