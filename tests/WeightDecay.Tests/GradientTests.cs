namespace WeightDecay.Tests;

/// <summary>∂L'/∂θ = ∂L/∂θ + λθ for L'(θ) = L(θ) + (λ/2)‖θ‖², checked three ways in float64.</summary>
public class GradientTests
{
    private const double Lambda = 0.3;

    private static (Tensor X, Tensor Y) Batch(long inputs, long classes, int n, int seed)
    {
        using var g = new Generator((ulong)seed);
        return (randn(new long[] { n, inputs }, dtype: ScalarType.Float64, generator: g),
                randint(classes, new long[] { n }, generator: g));
    }

    private static Dictionary<string, double[]> Gradients(Mlp model, Tensor x, Tensor y, bool penalized, DecaySelection sel)
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        var opt = new WeightDecayOptimizer(model, new OptimizerOptions(), new WeightDecayOptions(DecayMethod.Penalty, Lambda, null, sel));
        var loss = new CrossEntropy().Forward(model.forward(x), y);
        (penalized ? loss.Add(opt.Penalty()) : loss).backward();
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.reshape(-1).data<double>().ToArray());
    }

    private static double Objective(Mlp model, Tensor x, Tensor y, DecaySelection sel)
    {
        using var scope = NewDisposeScope();
        using var ng = no_grad();
        var opt = new WeightDecayOptimizer(model, new OptimizerOptions(), new WeightDecayOptions(DecayMethod.Penalty, Lambda, null, sel));
        return new CrossEntropy().Forward(model.forward(x), y).Add(opt.Penalty()).item<double>();
    }

    [Theory]
    [InlineData(DecaySelection.WeightsOnly)]
    [InlineData(DecaySelection.All)]
    public void AutogradAnalyticAndFiniteDifferencesAgreeOnSmallMlp(DecaySelection sel)
    {
        using var model = new Mlp(inputs: 12, hidden: [7, 5], outputs: 4, seed: 3, dtype: ScalarType.Float64);
        var (x, y) = Batch(12, 4, 16, 1);
        using var _x = x; using var _y = y;

        var penalized = Gradients(model, x, y, penalized: true, sel);
        var data = Gradients(model, x, y, penalized: false, sel);
        double maxAnalytic = 0, maxFd = 0;
        const double h = 1e-6;
        foreach (var (name, p) in model.named_parameters())
        {
            bool decayed = ParameterSelection.IsDecayed(p, sel);
            var theta = p.reshape(-1).data<double>().ToArray();
            for (int i = 0; i < theta.Length; i++)
            {
                // analytic: ∂L/∂θ + λθ on decayed tensors, ∂L/∂θ elsewhere
                double analytic = data[name][i] + (decayed ? Lambda * theta[i] : 0);
                maxAnalytic = Math.Max(maxAnalytic, Math.Abs(analytic - penalized[name][i]));
                // central finite difference of L'(θ)
                double fd;
                using (no_grad())
                {
                    var flat = p.view(-1);
                    flat[i] = tensor(theta[i] + h, ScalarType.Float64);
                    double up = Objective(model, x, y, sel);
                    flat[i] = tensor(theta[i] - h, ScalarType.Float64);
                    double down = Objective(model, x, y, sel);
                    flat[i] = tensor(theta[i], ScalarType.Float64);
                    fd = (up - down) / (2 * h);
                }
                maxFd = Math.Max(maxFd, Math.Abs(fd - penalized[name][i]));
            }
        }
        Assert.True(maxAnalytic <= 1e-12, $"autograd vs ∂L/∂θ + λθ: max abs error {maxAnalytic:E2} (tolerance 1e-12)");
        Assert.True(maxFd <= 1e-6, $"autograd vs central finite differences: max abs error {maxFd:E2} (tolerance 1e-6)");
    }

    [Fact]
    public void AnalyticGradientMatchesAutogradOnTheSeedsMlpWithMnistDigits()
    {
        using var model = new Mlp(seed: 0, dtype: ScalarType.Float64); // 784 → 64 → ReLU → 10
        using var scope = NewDisposeScope();
        var (xs, ys) = Shared.Mnist.Train.Batch(Enumerable.Range(0, 64).Select(i => (long)i * 97).ToArray());
        var x = xs.to_type(ScalarType.Float64);
        var penalized = Gradients(model, x, ys, true, DecaySelection.WeightsOnly);
        var data = Gradients(model, x, ys, false, DecaySelection.WeightsOnly);
        double maxErr = 0, maxDecay = 0;
        foreach (var (name, p) in model.named_parameters())
        {
            var theta = p.reshape(-1).data<double>().ToArray();
            bool decayed = p.dim() >= 2;
            for (int i = 0; i < theta.Length; i++)
            {
                double term = decayed ? Lambda * theta[i] : 0;
                maxDecay = Math.Max(maxDecay, Math.Abs(term));
                maxErr = Math.Max(maxErr, Math.Abs(data[name][i] + term - penalized[name][i]));
            }
        }
        Assert.True(maxDecay > 1e-3, "the decay term must be non-trivial for the check to mean something");
        Assert.True(maxErr <= 1e-12, $"max abs error {maxErr:E2} (tolerance 1e-12)");
    }
}
