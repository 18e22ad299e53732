using WeightDecay.Data;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Lesson 08: how closely τ steps of gradient descent from 0 match ridge, for each τ: the distance
/// ‖w_GD(τ) − w_ridge(λ)‖/‖w_ridge(λ)‖ at λ = 1/(τη), 10λ and λ/10, and the ridge λ on a fine grid that matches best.
/// The first-order correspondence λ ≈ 1/(τη) (Goodfellow et al., Deep Learning §7.8) needs ηhᵢ ≪ 1 and hᵢ ≪ λ for
/// the Hessian eigenvalues hᵢ; beyond it gradient descent converges exponentially, ridge algebraically, and the
/// best-matching λ moves below 1/(τη).
/// </summary>
/// <param name="Steps">τ.</param>
/// <param name="Lambda">1/(τη).</param>
/// <param name="AtLambda">Distance to ridge at λ.</param>
/// <param name="AtTenLambda">Distance to ridge at 10λ.</param>
/// <param name="AtTenthLambda">Distance to ridge at λ/10.</param>
/// <param name="BestLambda">The λ of the fine grid with the smallest distance.</param>
/// <param name="AtBestLambda">That smallest distance.</param>
/// <param name="Solution">The gradient-descent iterate after τ steps.</param>
/// <remarks>Lesson 08: 08-choosing-lambda-and-the-alternatives.</remarks>
public sealed record EarlyStoppingMatch(int Steps, double Lambda, double AtLambda, double AtTenLambda,
    double AtTenthLambda, double BestLambda, double AtBestLambda, LinearSolution Solution)
{
    /// <summary>BestLambda / λ: 1 where the first-order rule is exact.</summary>
    public double BestOverLambda => BestLambda / Lambda;

    /// <summary>
    /// The lesson's quadratic: least squares on 10 features of d2l's generator (true weights 1, σ = 0.5, 200
    /// examples) with feature j scaled by 10^(−j/6), so the Hessian eigenvalues span three decades.
    /// </summary>
    public static TensorDataset Quadratic(int seed)
    {
        using var d = SyntheticRegression.Create(inputs: 10, trainCount: 200, noiseStd: 0.5, weight: 1, seed: seed,
            dtype: ScalarType.Float64);
        using var scope = NewDisposeScope();
        var scales = tensor(Enumerable.Range(0, 10).Select(j => Math.Pow(10, -j / 6.0)).ToArray());
        var x = d.Train.Features.mul(scales).MoveToOuterDisposeScope();
        return new TensorDataset(x, d.Train.Targets.clone().MoveToOuterDisposeScope());
    }

    /// <summary>The Hessian eigenvalues (ascending) of the centered least-squares objective on the data.</summary>
    public static double[] HessianEigenvalues(TensorDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var (_, _, xc, _) = Ridge.Centered(data);
        return linalg.eigvalsh(xc.t().matmul(xc).Div(data.Count)).data<double>().ToArray();
    }

    /// <summary>One row per τ; the best-matching λ is searched on 10^−6 … 10^2 in steps of 10^(1/16).</summary>
    public static IReadOnlyList<EarlyStoppingMatch> Compute(TensorDataset data, double eta, IReadOnlyList<int> steps)
    {
        var path = EarlyStopping.GradientDescentPath(data, eta, steps);
        var fine = Enumerable.Range(0, 129).Select(i => Math.Pow(10, -6 + i / 16.0)).ToArray();
        var ridge = fine.Select(l => Ridge.Solve(data, l)).ToArray();
        return path.Select(p =>
        {
            double l = EarlyStopping.EquivalentLambda(eta, p.Steps);
            double To(double lambda) => Distance(p.Solution, Ridge.Solve(data, lambda));
            var dist = ridge.Select(r => Distance(p.Solution, r)).ToArray();
            int best = Enumerable.Range(0, fine.Length).MinBy(i => dist[i]);
            return new EarlyStoppingMatch(p.Steps, l, To(l), To(10 * l), To(l / 10), fine[best], dist[best],
                p.Solution);
        }).ToList();
    }

    /// <summary>‖a − b‖/‖b‖ over the weights.</summary>
    public static double Distance(LinearSolution a, LinearSolution b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Math.Sqrt(a.Weights.Zip(b.Weights, (x, y) => (x - y) * (x - y)).Sum()) / b.WeightNorm;
    }
}
