using System.Globalization;
using WeightDecay.Losses;
using WeightDecay.Regularization;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Verifies ∂L'/∂θ = ∂L/∂θ + λθ for L'(θ) = L(θ) + (λ/2)‖θ‖² (over the decayed tensors) three ways: autograd of the
/// penalized loss, autograd of the data loss plus λθ, and central finite differences (L'(θ + h eᵢ) − L'(θ − h eᵢ)) / 2h
/// in float64.
/// </summary>
/// <remarks>Lesson 02: 02-the-gradient-derived-and-verified and its solutions.</remarks>
public static class GradientCheck
{
    /// <summary>Runs the check on a float64 model and one batch.</summary>
    /// <param name="model">A model with float64 parameters (evaluated in evaluation mode, restored afterwards).</param>
    /// <param name="loss">The data loss L (mean over the batch).</param>
    /// <param name="x">Inputs (float64).</param>
    /// <param name="y">Targets.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    /// <param name="selection">Which tensors are decayed.</param>
    /// <param name="coordinatesPerTensor">Entries per tensor checked by finite differences (all when the tensor is
    /// smaller), drawn at random without replacement.</param>
    /// <param name="step">The finite-difference step h.</param>
    /// <param name="seed">Seed of the choice of entries.</param>
    /// <param name="kinkCurvature">Entries whose second difference |L'(θ + h eᵢ) − 2L'(θ) + L'(θ − h eᵢ)| / h²
    /// exceeds this are left out of the finite-difference error and counted as kinks: within ±h a ReLU
    /// pre-activation changes sign, L' has a corner there, and its central difference is off by (second difference)
    /// · h / 2 however right the gradient is. A smooth loss's second difference is its curvature ∂²L'/∂θᵢ², orders
    /// of magnitude smaller. Lesson 02 uses its tolerance / h (= 1), so a kink it keeps misses by at most half the
    /// tolerance (Lesson02ClaimSpreadTests measures both sides). The default (∞) compares every entry.</param>
    public static GradientCheckResult Run(nn.Module<Tensor, Tensor> model, Loss loss, Tensor x, Tensor y, double lambda,
        DecaySelection selection = DecaySelection.WeightsOnly, int coordinatesPerTensor = 100, double step =
            1e-6, int seed = 0, double kinkCurvature = double.PositiveInfinity)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be finite and ≥ 0.");
        if (coordinatesPerTensor < 1)
            throw new ArgumentOutOfRangeException(nameof(coordinatesPerTensor), coordinatesPerTensor,
                "Check at least one entry per tensor.");
        if (!(step > 0) || double.IsInfinity(step))
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step h must be finite and > 0.");
        if (!(kinkCurvature > 0))
            throw new ArgumentOutOfRangeException(nameof(kinkCurvature), kinkCurvature,
                "The kink threshold must be > 0 (∞: compare every entry).");
        var parameters = ParameterSelection.Trainable(model);
        foreach (var (name, p) in parameters)
            if (p.dtype != ScalarType.Float64)
                throw new ArgumentException($"Parameter '{name}' is {p.dtype}; finite differences need float64 " +
                    "(create the model with dtype: ScalarType.Float64).", nameof(model));

        using var threads = TorchThreads.Limit(1);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            var penalized = parameters.Where(p => ParameterSelection.IsDecayed(p.Parameter, selection))
                .Select(p => (Tensor)p.Parameter).ToList();
            Tensor Penalized() => loss.Forward(model.forward(x), y).Add(Regularizer.L2.Total(penalized).Mul(lambda));
            var withPenalty = Gradients(model, Penalized);
            var dataOnly = Gradients(model, () => loss.Forward(model.forward(x), y));
            double Objective()
            {
                using var s = NewDisposeScope();
                using var ng = no_grad();
                return Penalized().item<double>();
            }

            double center = Objective();
            var rng = new Random(Data.Seeds.DeriveInt(seed, "gradient-check"));
            var rows = new List<GradientCheckRow>();
            foreach (var (name, p) in parameters)
            {
                bool decayed = ParameterSelection.IsDecayed(p, selection);
                double[] theta = Flat(p);
                double[] g = withPenalty[name], gData = dataOnly[name];
                double analytic = 0, decayTerm = 0;
                for (int i = 0; i < theta.Length; i++)
                {
                    double term = decayed ? lambda * theta[i] : 0;
                    decayTerm = Math.Max(decayTerm, Math.Abs(term));
                    analytic = Math.Max(analytic, Math.Abs(g[i] - (gData[i] + term)));
                }
                int[] entries = Enumerable.Range(0, theta.Length).ToArray();
                if (entries.Length > coordinatesPerTensor)
                {
                    rng.Shuffle(entries);
                    entries = entries[..coordinatesPerTensor];
                }
                double fdError = 0, smoothCurvature = 0;
                int kinks = 0;
                using (no_grad())
                {
                    using var flat = p.view(-1);
                    // each value is disposed explicitly: a temporary left to the finalizer can be freed while
                    // the native copy still reads it ("tensor does not have a device")
                    void Set(int i, double value)
                    {
                        using var v = tensor(value, ScalarType.Float64);
                        flat[i] = v;
                    }
                    foreach (int i in entries)
                    {
                        Set(i, theta[i] + step);
                        double up = Objective();
                        Set(i, theta[i] - step);
                        double down = Objective();
                        Set(i, theta[i]);
                        double curvature = Math.Abs(up - 2 * center + down) / (step * step);
                        if (curvature > kinkCurvature)
                        {
                            kinks++;
                            continue;
                        }
                        smoothCurvature = Math.Max(smoothCurvature, curvature);
                        fdError = Math.Max(fdError, Math.Abs((up - down) / (2 * step) - g[i]));
                    }
                }
                rows.Add(new GradientCheckRow(name,
                    string.Join("×", p.shape.Select(s => s.ToString(CultureInfo.InvariantCulture))), decayed,
                    g.Max(Math.Abs), decayTerm, analytic, entries.Length - kinks, fdError, kinks, smoothCurvature));
            }
            return new GradientCheckResult(rows, lambda, step);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The gradient of <paramref name="objective"/> with respect to each trainable parameter (by name), by
    /// autograd. Existing gradients are cleared first and afterwards.</summary>
    public static IReadOnlyDictionary<string, double[]> Gradients(nn.Module model, Func<Tensor> objective)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(objective);
        using var scope = NewDisposeScope();
        model.zero_grad();
        objective().backward();
        var result = ParameterSelection.Trainable(model).ToDictionary(p => p.Name,
            p => p.Parameter.grad is { } g ? g.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray()
                : new double[p.Parameter.numel()]);
        model.zero_grad();
        return result;
    }

    /// <summary>The gradient of <paramref name="objective"/> over all trainable parameters, concatenated in
    /// registration order.</summary>
    public static double[] FlatGradient(nn.Module model, Func<Tensor> objective) =>
        Gradients(model, objective).Values.SelectMany(v => v).ToArray();

    /// <summary>All trainable parameters concatenated in registration order, as float64.</summary>
    public static double[] FlatParameters(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ParameterSelection.Trainable(model).SelectMany(p => Flat(p.Parameter)).ToArray();
    }

    /// <summary>max |a − b| over two equally long vectors (e.g. flattened parameters or gradients).</summary>
    public static double MaxAbsDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"Lengths differ: {a.Count} and {b.Count}.", nameof(b));
        double m = 0;
        for (int i = 0; i < a.Count; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    /// <summary>max |a − reference| / max |reference|.</summary>
    public static double MaxRelativeDifference(IReadOnlyList<double> a, IReadOnlyList<double> reference)
    {
        double scale = reference.Count == 0 ? 0 : reference.Max(Math.Abs);
        return MaxAbsDifference(a, reference) / (scale > 0 ? scale : 1);
    }

    private static double[] Flat(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
    }
}
