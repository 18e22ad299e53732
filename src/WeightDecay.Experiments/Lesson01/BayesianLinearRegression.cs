using WeightDecay.Data;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Bayesian linear regression and its link to weight decay. Model: yᵢ = xᵢ·w + b + εᵢ with εᵢ ~ N(0, σ²), prior
/// w ~ N(0, τ² I), a flat prior on b. The negative log posterior is, up to a constant,
/// (1/(2σ²)) Σᵢ (xᵢ·w + b − yᵢ)² + (1/(2τ²)) ‖w‖². Multiplying it by σ²/n (which does not move its minimizer) gives
/// this library's objective (1/n) Σᵢ ½ (…)² + (λ/2)‖w‖² with λ = σ² / (n τ²): the posterior mode (MAP estimate) is the
/// ridge solution <see cref="Ridge.Solve"/> with that λ (with a sum-reduced loss it would be λ = σ²/τ²).
/// </summary>
/// <remarks>Lesson 01: 01-what-weight-decay-is and its solutions.</remarks>
public static class BayesianLinearRegression
{
    /// <summary>λ = σ² / (n τ²): the weight decay of this library's mean loss that equals the prior N(0, τ² I) with
    /// noise σ².</summary>
    public static double LambdaFromPrior(double noiseVariance, double priorVariance, long n)
    {
        Positive(noiseVariance, nameof(noiseVariance));
        Positive(priorVariance, nameof(priorVariance));
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Need at least one example.");
        return noiseVariance / (n * priorVariance);
    }

    /// <summary>τ² = σ² / (n λ): the prior variance that a weight decay λ on the mean loss of n examples
    /// encodes.</summary>
    public static double PriorVarianceFromLambda(double lambda, double noiseVariance, long n)
    {
        Positive(lambda, nameof(lambda));
        Positive(noiseVariance, nameof(noiseVariance));
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Need at least one example.");
        return noiseVariance / (n * lambda);
    }

    /// <summary>Draws w ~ N(0, τ² I), x ~ N(0, I) and y = x·w + b + ε (float64); the same arguments give the same
    /// sample.</summary>
    public static BayesianSample Sample(int n, int d, double noiseStd, double priorStd, double bias = 1.0,
        long seed = 0)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Need at least one example.");
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "Need at least one feature.");
        Positive(noiseStd, nameof(noiseStd));
        Positive(priorStd, nameof(priorStd));
        using var scope = NewDisposeScope();
        using var gen = new Generator(Seeds.Derive(seed, "bayesian-linear-regression"));
        var w = randn(new long[] { d }, dtype: ScalarType.Float64, generator: gen).Mul(priorStd);
        var x = randn(new long[] { n, d }, dtype: ScalarType.Float64, generator: gen);
        var noise = randn(new long[] { n }, dtype: ScalarType.Float64, generator: gen).Mul(noiseStd);
        var y = x.matmul(w).Add(bias).Add(noise);
        var data = new TensorDataset(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
        return new BayesianSample(data, w.data<double>().ToArray(), bias, noiseStd * noiseStd, priorStd * priorStd);
    }

    /// <summary>
    /// The closed-form posterior mean of (w, b) — which for a Gaussian posterior is also its mode. The posterior
    /// precision is A = [XᵀX/σ² + I/τ², Xᵀ1/σ²; 1ᵀX/σ², n/σ²] and the mean solves A·(w, b) = (Xᵀy, 1ᵀy)/σ². Computed
    /// directly in this form (no centering), independently of <see cref="Ridge.Solve"/>.
    /// </summary>
    public static LinearSolution PosteriorMean(TensorDataset data, double noiseVariance, double priorVariance)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var (a, rhs) = NormalEquations(data, noiseVariance, priorVariance);
        var sol = linalg.solve(a, rhs);
        long d = sol.shape[0] - 1;
        return new LinearSolution(sol.narrow(0, 0, d).data<double>().ToArray(), sol[d].item<double>());
    }

    /// <summary>−log p(w, b | data) up to an additive constant: (1/(2σ²)) Σ (x·w + b − y)² + (1/(2τ²)) ‖w‖²
    /// (differentiable).</summary>
    public static Tensor NegativeLogPosterior(Tensor x, Tensor y, Tensor w, Tensor b, double noiseVariance,
        double priorVariance)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(b);
        var r = x.matmul(w).Add(b) - y;
        return r.Square().sum().Div(2 * noiseVariance).Add(w.Square().sum().Div(2 * priorVariance));
    }

    /// <summary>
    /// The posterior mode found by gradient descent on <see cref="NegativeLogPosterior"/> with TorchSharp autograd,
    /// from (w, b) = 0, with step 1/L (L the largest eigenvalue of the posterior precision, the objective's Hessian),
    /// in float64. Returns the last iterate and the norm of the gradient there.
    /// </summary>
    public static (LinearSolution Mode, double GradientNorm) PosteriorModeByGradientDescent(TensorDataset data,
        double noiseVariance, double priorVariance, int steps = 2000)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Need at least one step.");
        using var threads = TorchThreads.Limit(1);
        using var scope = NewDisposeScope();
        var (a, _) = NormalEquations(data, noiseVariance, priorVariance);
        double step = 1.0 / linalg.eigvalsh(a).max().item<double>();
        var x = data.Features.reshape(data.Count, -1).to_type(ScalarType.Float64);
        var y = data.Targets.reshape(-1).to_type(ScalarType.Float64);
        var w = zeros(x.shape[1], dtype: ScalarType.Float64).requires_grad_();
        var b = zeros(1, dtype: ScalarType.Float64).requires_grad_();
        double gradNorm = double.NaN;
        for (int t = 0; t <= steps; t++)
        {
            using var inner = NewDisposeScope();
            w.grad?.zero_();
            b.grad?.zero_();
            NegativeLogPosterior(x, y, w, b, noiseVariance, priorVariance).backward();
            using (no_grad())
            {
                gradNorm = Math.Sqrt(w.grad!.Square().sum().item<double>() + b.grad!.Square().sum().item<double>());
                if (t == steps) break; // the gradient at the returned iterate
                w.sub_(w.grad!.Mul(step));
                b.sub_(b.grad!.Mul(step));
            }
        }
        return (new LinearSolution(w.detach().data<double>().ToArray(), b.item<double>()), gradNorm);
    }

    private static (Tensor A, Tensor Rhs) NormalEquations(TensorDataset data, double noiseVariance,
        double priorVariance)
    {
        Positive(noiseVariance, nameof(noiseVariance));
        Positive(priorVariance, nameof(priorVariance));
        var x = data.Features.reshape(data.Count, -1).to_type(ScalarType.Float64);
        var y = data.Targets.reshape(-1).to_type(ScalarType.Float64);
        long n = data.Count, d = x.shape[1];
        var xa = cat([x, ones(n, 1, dtype: ScalarType.Float64)], 1);
        var prior = eye(d + 1, dtype: ScalarType.Float64).Div(priorVariance);
        prior[d, d] = tensor(0.0, ScalarType.Float64); // flat prior on the bias
        var a = xa.t().matmul(xa).Div(noiseVariance).Add(prior);
        return (a, xa.t().matmul(y).Div(noiseVariance));
    }

    private static void Positive(double v, string name)
    {
        if (!(v > 0) || double.IsInfinity(v)) throw new ArgumentOutOfRangeException(name, v, "Must be finite and > 0.");
    }
}
