namespace WeightDecay.Tests;

/// <summary>
/// PyTorch's SGD (with momentum), Adam and AdamW updates as the torch.optim documentation states them (dampening 0,
/// no Nesterov, β = (0.9, 0.999), ε = 10⁻⁸, no AMSGrad), written out plainly: the reference the library's
/// <see cref="WeightDecayOptimizer"/> is compared with.
/// </summary>
/// <remarks>
/// <para>It stands in for TorchSharp's <c>optim.SGD</c>, <c>optim.Adam</c> and <c>optim.AdamW</c>, whose
/// <c>step</c> passes its numbers as Scalars that only a finalizer frees (issue 11): a garbage collection in the
/// test host during such a step can free a Scalar while libtorch reads it and abort the whole test run.
/// Every number here is a Scalar owned for the length of its call.</para>
/// <para>The textbook form is kept on purpose (the library follows TorchSharp's in-place order instead):
/// m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), θ ← θ − η·m̂/(√v̂ + ε); coupled weight decay adds λθ to the gradient,
/// AdamW first multiplies θ by 1 − ηλ. The two orders agree to rounding. Checked against TorchSharp 0.107's
/// optimizers when this replaced them (100 float64 steps of <see cref="OptimizerTests"/>' regression, λ = 0.2): largest
/// parameter differences 1.1·10⁻¹⁶ (SGD), 6.4·10⁻¹⁷ (SGD, momentum 0.9), 2.2·10⁻¹⁶ (Adam, AdamW).</para>
/// </remarks>
internal sealed class ReferenceOptimizer : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly bool _adam, _decoupled;
    private readonly double _momentum, _weightDecay;
    private double _lr;
    private readonly Tensor?[] _first, _second; // SGD: momentum buffer in _first; Adam: m and v
    private int _step;

    private ReferenceOptimizer(IEnumerable<Tensor> parameters, bool adam, bool decoupled, double lr, double momentum,
        double weightDecay)
    {
        _parameters = parameters.ToList();
        (_adam, _decoupled, _lr, _momentum, _weightDecay) = (adam, decoupled, lr, momentum, weightDecay);
        _first = new Tensor?[_parameters.Count];
        _second = new Tensor?[_parameters.Count];
    }

    /// <summary>torch.optim.SGD(params, lr, momentum, weight_decay): g ← ∇ + λθ; b ← μb + g (b = g at the first
    /// step); θ ← θ − ηb (θ − ηg without momentum).</summary>
    public static ReferenceOptimizer Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0,
        double weightDecay = 0) => new(parameters, adam: false, decoupled: false, lr, momentum, weightDecay);

    /// <summary>torch.optim.Adam(params, lr, weight_decay): Adam on g = ∇ + λθ.</summary>
    public static ReferenceOptimizer Adam(IEnumerable<Tensor> parameters, double lr, double weightDecay = 0) =>
        new(parameters, adam: true, decoupled: false, lr, 0, weightDecay);

    /// <summary>torch.optim.AdamW(params, lr, weight_decay): θ ← (1 − ηλ)θ, then Adam on ∇.</summary>
    public static ReferenceOptimizer AdamW(IEnumerable<Tensor> parameters, double lr, double weightDecay) =>
        new(parameters, adam: true, decoupled: true, lr, 0, weightDecay);

    /// <summary>The learning rate of the next step (a schedule sets it before each step, as torch.optim's
    /// <c>param_group["lr"]</c>).</summary>
    public double LearningRate { get => _lr; set => _lr = value; }

    /// <summary>AdamW only: the rate its decay uses, θ ← (1 − rate·λ)θ; null = the current learning rate (PyTorch's
    /// AdamW); a number = that rate at every step whatever the learning rate is.</summary>
    public double? DecayRateOverride { get; set; }

    /// <summary>Sets every gradient to zero.</summary>
    public void zero_grad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void step()
    {
        _step++;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < _parameters.Count; i++)
        {
            var theta = _parameters[i];
            if (theta.grad is not { } grad) continue;
            Tensor g = grad;
            if (_decoupled)
            {
                using var keep = (1 - (DecayRateOverride ?? _lr) * _weightDecay).ToScalar();
                theta.mul_(keep);
            }
            else if (_weightDecay != 0) g = g.Add(theta.Mul(_weightDecay));

            if (_adam)
            {
                var m = Replace(_first, i, _first[i] is { } m0 ? m0.Mul(Beta1).Add(g.Mul(1 - Beta1)) : g.Mul(1 - Beta1));
                var v = Replace(_second, i,
                    _second[i] is { } v0 ? v0.Mul(Beta2).Add(g.Square().Mul(1 - Beta2)) : g.Square().Mul(1 - Beta2));
                var mHat = m.Div(1 - Math.Pow(Beta1, _step));
                var vHat = v.Div(1 - Math.Pow(Beta2, _step));
                theta.sub_(mHat.div(vHat.sqrt().Add(Epsilon)).Mul(_lr));
            }
            else
            {
                if (_momentum != 0)
                    g = Replace(_first, i, _first[i] is { } b0 ? b0.Mul(_momentum).Add(g) : g.clone());
                theta.sub_(g.Mul(_lr));
            }
        }
    }

    /// <summary>
    /// Trains <paramref name="model"/> full-batch on (x, y) for <paramref name="steps"/> steps with this optimizer
    /// (one torch thread, as <see cref="DecayDynamics.Train(nn.Module{Tensor, Tensor}, Tensor, Tensor, Loss,
    /// OptimizerOptions, WeightDecayOptions, int)"/> trains the library's) and returns its flattened parameters.
    /// </summary>
    public double[] Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, Loss loss, int steps)
    {
        using var threads = TorchThreads.Limit(1);
        for (int t = 0; t < steps; t++)
        {
            using var scope = NewDisposeScope();
            zero_grad();
            loss.Forward(model.forward(x), y).backward();
            step();
        }
        return GradientCheck.FlatParameters(model);
    }

    /// <summary>Stores <paramref name="value"/> as state <paramref name="i"/> (kept beyond the step's dispose scope)
    /// and disposes the state it replaces.</summary>
    private static Tensor Replace(Tensor?[] state, int i, Tensor value)
    {
        var old = state[i];
        state[i] = value.DetachFromDisposeScope();
        old?.Dispose();
        return state[i]!;
    }

    public void Dispose()
    {
        foreach (var t in _first.Concat(_second)) t?.Dispose();
    }
}
