using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using WeightDecay.Regularization;
using static TorchSharp.torch;

namespace WeightDecay.Optimization;

/// <summary>How weight decay enters training. Each method is explicit so that experiments can compare them.</summary>
public enum DecayMethod
{
    /// <summary>No decay (λ must be 0: a λ &gt; 0 that silently does nothing is the bug this enum exists to prevent).</summary>
    None,

    /// <summary>Penalty in the loss: L'(θ) = L(θ) + λ·R(θ), differentiated by autograd.</summary>
    Penalty,

    /// <summary>Coupled: λ·∇R(θ) (λθ for L2) added to the gradient before the optimizer's update, so it passes through
    /// momentum and Adam's normalization. What <c>optim.SGD/Adam(weight_decay:)</c> do.</summary>
    Coupled,

    /// <summary>Decoupled (SGDW, AdamW; Loshchilov &amp; Hutter 2019): θ ← θ − η·λ·∇R(θ) applied to the parameters directly,
    /// outside the adaptive step, using the pre-step θ. η is the learning rate unless
    /// <see cref="WeightDecayOptions.DecoupledScalesWithLearningRate"/> is false.</summary>
    Decoupled,

    /// <summary>Proximal: after the optimizer's data step, θ ← prox_{ηλR}(θ) (<see cref="Regularization.Proximal"/>). For L1 this
    /// is soft-thresholding, which sets small weights exactly to zero; for L2 it is θ/(1 + ηλ).</summary>
    Proximal,
}

/// <summary>The optimizer's update rule.</summary>
public enum OptimizerKind
{
    /// <summary>SGD, optionally with momentum: b ← μb + g (b = g at the first step), θ ← θ − η·b (PyTorch's convention).</summary>
    Sgd,

    /// <summary>Adam (Kingma &amp; Ba 2015) with bias correction: θ ← θ − η·m̂/(√v̂ + ε).</summary>
    Adam,
}

/// <summary>Optimizer hyper-parameters.</summary>
/// <param name="Kind">SGD or Adam.</param>
/// <param name="LearningRate">η &gt; 0.</param>
/// <param name="Momentum">SGD momentum μ ∈ [0, 1).</param>
/// <param name="Beta1">Adam β₁ ∈ [0, 1).</param>
/// <param name="Beta2">Adam β₂ ∈ [0, 1).</param>
/// <param name="Epsilon">Adam ε &gt; 0.</param>
public sealed record OptimizerOptions(
    OptimizerKind Kind = OptimizerKind.Sgd, double LearningRate = 0.01, double Momentum = 0,
    double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be finite and > 0.");
        if (!(Momentum >= 0 && Momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "β₁ must be in [0, 1).");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "β₂ must be in [0, 1).");
        if (!(Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "ε must be > 0.");
    }

    /// <summary>A short label such as <c>sgd</c>, <c>sgd(momentum=0.9)</c> or <c>adam</c>.</summary>
    public string Label => Kind == OptimizerKind.Adam ? "adam"
        : Momentum > 0 ? $"sgd(momentum={Momentum.ToString(CultureInfo.InvariantCulture)})" : "sgd";
}

/// <summary>Weight-decay configuration.</summary>
/// <param name="Method">How decay enters training.</param>
/// <param name="Lambda">λ ≥ 0, the coefficient of R(θ). With the default L2 = ½‖θ‖² the gradient term is λθ.</param>
/// <param name="Regularizer">R; null means L2 = ½‖θ‖².</param>
/// <param name="Selection">Which tensors are decayed (default: weights only, biases excluded).</param>
/// <param name="DecoupledScalesWithLearningRate">For <see cref="DecayMethod.Decoupled"/>: true (default) multiplies λ by the
/// learning rate, θ ← (1 − ηλ)θ, as PyTorch's and TorchSharp's AdamW do; false applies θ ← (1 − λ)θ, the paper's form with
/// schedule multiplier 1 (there λ must then be small).</param>
public sealed record WeightDecayOptions(
    DecayMethod Method = DecayMethod.None, double Lambda = 0, Regularizer? Regularizer = null,
    DecaySelection Selection = DecaySelection.WeightsOnly, bool DecoupledScalesWithLearningRate = true)
{
    /// <summary>No weight decay.</summary>
    public static WeightDecayOptions None { get; } = new();

    /// <summary>The regularizer in effect (L2 when none was given).</summary>
    public Regularizer EffectiveRegularizer => Regularizer ?? Regularization.Regularizer.L2;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!(Lambda >= 0) || double.IsInfinity(Lambda))
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "λ (weight decay) must be finite and ≥ 0.");
        if (Method == DecayMethod.None && Lambda != 0)
            throw new ArgumentException(
                $"λ = {Lambda.ToString(CultureInfo.InvariantCulture)} was given with DecayMethod.None, so it would silently do nothing; " +
                "choose Penalty, Coupled or Decoupled, or set λ = 0.", nameof(Lambda));
    }
}

/// <summary>
/// SGD or Adam with weight decay applied in an explicit, named way (<see cref="DecayMethod"/>). Shaped like
/// <c>torch.optim</c>: <see cref="zero_grad"/>, then <c>loss.backward()</c>, then <see cref="step"/>.
/// For <see cref="DecayMethod.Penalty"/> the optimizer adds nothing itself: add <see cref="Penalty"/> to the loss.
/// </summary>
public sealed class WeightDecayOptimizer : IDisposable
{
    private readonly List<ParamState> _params;
    private long _t;

    /// <summary>Optimizer hyper-parameters.</summary>
    public OptimizerOptions Options { get; }

    /// <summary>Weight-decay configuration.</summary>
    public WeightDecayOptions Decay { get; }

    /// <summary>The current learning rate (may be changed between steps, e.g. by a schedule).</summary>
    public double LearningRate { get; set; }

    /// <summary>Number of steps taken.</summary>
    public long StepCount => _t;

    /// <summary>Each optimized parameter's name and whether it is decayed.</summary>
    public IReadOnlyList<(string Name, bool Decayed)> Parameters => _params.Select(p => (p.Name, p.Decayed)).ToList();

    /// <summary>Creates the optimizer over named parameters (e.g. <c>module.named_parameters()</c>).</summary>
    public WeightDecayOptimizer(IEnumerable<(string Name, Parameter Parameter)> parameters, OptimizerOptions options, WeightDecayOptions? decay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        decay ??= WeightDecayOptions.None;
        decay.Validate();
        (Options, Decay, LearningRate) = (options, decay, options.LearningRate);
        _params = parameters.Where(p => p.Parameter.requires_grad)
            .Select(p => new ParamState(p.Name, p.Parameter, ParameterSelection.IsDecayed(p.Parameter, decay.Selection)))
            .ToList();
        if (_params.Count == 0) throw new ArgumentException("No trainable parameters were given.", nameof(parameters));
    }

    /// <summary>Creates the optimizer over all trainable parameters of <paramref name="module"/>.</summary>
    public WeightDecayOptimizer(nn.Module module, OptimizerOptions options, WeightDecayOptions? decay = null)
        : this(ParameterSelection.Trainable(module), options, decay) { }

    /// <summary>SGD (optional momentum) with the given decay method.</summary>
    public static WeightDecayOptimizer Sgd(nn.Module module, double lr, double momentum = 0, double weightDecay = 0,
        DecayMethod method = DecayMethod.Coupled, DecaySelection selection = DecaySelection.WeightsOnly) =>
        new(module, new OptimizerOptions(OptimizerKind.Sgd, lr, momentum),
            new WeightDecayOptions(weightDecay == 0 ? DecayMethod.None : method, weightDecay, null, selection));

    /// <summary>Adam with the given decay method (<see cref="DecayMethod.Decoupled"/> gives AdamW).</summary>
    public static WeightDecayOptimizer Adam(nn.Module module, double lr = 1e-3, double weightDecay = 0,
        DecayMethod method = DecayMethod.Coupled, DecaySelection selection = DecaySelection.WeightsOnly,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) =>
        new(module, new OptimizerOptions(OptimizerKind.Adam, lr, 0, beta1, beta2, eps),
            new WeightDecayOptions(weightDecay == 0 ? DecayMethod.None : method, weightDecay, null, selection));

    /// <summary>λ·Σ R(θ) over the decayed parameters, differentiable (add it to the loss for the penalty method).</summary>
    public Tensor Penalty()
    {
        var decayed = _params.Where(p => p.Decayed).Select(p => (Tensor)p.Parameter);
        return Decay.EffectiveRegularizer.Total(decayed).Mul(Decay.Lambda);
    }

    /// <summary>Clears the gradients.</summary>
    public void zero_grad()
    {
        foreach (var p in _params)
        {
            using var g = p.Parameter.grad;
            g?.zero_();
        }
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    /// <remarks>In-place updates with scalar factors (<c>add_(x, alpha)</c>, <c>addcmul_</c>, <c>addcdiv_</c>), in the order
    /// PyTorch's SGD, Adam and AdamW use, so that a step allocates at most one temporary per parameter; the L2 terms use θ
    /// itself instead of a copy (∇½‖θ‖² = θ). The decoupled L2 step is θ ← (1 − ηλ)θ, as in AdamW; for plain SGD (no momentum)
    /// the coupled L2 step θ − η(g + λθ) is computed as (1 − ηλ)θ − ηg, in place.</remarks>
    public void step()
    {
        _t++;
        double lr = LearningRate;
        double lambda = Decay.Lambda;
        var reg = Decay.EffectiveRegularizer;
        bool l2 = ReferenceEquals(reg, Regularizer.L2);
        double f = Decay.DecoupledScalesWithLearningRate ? lr * lambda : lambda;
        double b1 = Options.Beta1, b2 = Options.Beta2;
        double c1 = 1 - Math.Pow(b1, _t), c2 = 1 - Math.Pow(b2, _t);
        // every factor of this step as a Scalar owned here (a number passed as a Scalar is freed by a finalizer that
        // can run while libtorch reads it: see Scalars)
        using var negLr = (-lr).ToScalar();
        using var lambdaS = lambda.ToScalar();
        using var coupledKeep = (1 - lr * lambda).ToScalar();
        using var decoupledKeep = (1 - f).ToScalar();
        using var negF = (-f).ToScalar();
        using var momentum = Options.Momentum.ToScalar();
        using var b1S = b1.ToScalar();
        using var oneMinusB1 = (1 - b1).ToScalar();
        using var b2S = b2.ToScalar();
        using var oneMinusB2 = (1 - b2).ToScalar();
        using var sqrtC2 = Math.Sqrt(c2).ToScalar();
        using var epsilon = Options.Epsilon.ToScalar();
        using var adamStep = (-lr / c1).ToScalar();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var p in _params)
        {
            var theta = p.Parameter;
            var grad = theta.grad;
            if (grad is null) continue;
            bool decay = p.Decayed && lambda != 0;
            if (decay && Decay.Method == DecayMethod.Coupled && l2 && Options.Kind == OptimizerKind.Sgd && Options.Momentum == 0)
            {
                theta.mul_(coupledKeep).add_(grad, alpha: negLr); // θ − η(g + λθ) = (1 − ηλ)θ − ηg, in place
                continue;
            }
            if (decay && Decay.Method == DecayMethod.Coupled)
                grad = grad.add(l2 ? theta : reg.Gradient(theta), alpha: lambdaS); // new: .grad is left unchanged
            if (decay && Decay.Method == DecayMethod.Decoupled)
            {
                if (l2) theta.mul_(decoupledKeep);
                else theta.add_(reg.Gradient(theta), alpha: negF);
            }

            if (Options.Kind == OptimizerKind.Sgd)
            {
                var direction = grad;
                if (Options.Momentum > 0)
                {
                    if (p.M is null) p.M = grad.detach().clone().DetachFromDisposeScope();
                    else p.M.mul_(momentum).add_(grad, alpha: Scalars.One);
                    direction = p.M;
                }
                theta.add_(direction, alpha: negLr);
            }
            else
            {
                p.M ??= zeros_like(theta).DetachFromDisposeScope();
                p.V ??= zeros_like(theta).DetachFromDisposeScope();
                p.M.mul_(b1S).add_(grad, alpha: oneMinusB1);
                p.V.mul_(b2S).addcmul_(grad, grad, value: oneMinusB2);
                var denom = p.V.sqrt().div_(sqrtC2).add_(epsilon, alpha: Scalars.One);
                theta.addcdiv_(p.M, denom, value: adamStep);
            }
            if (decay && Decay.Method == DecayMethod.Proximal)
                theta.copy_(Regularization.Proximal.Apply(reg, theta, (Decay.DecoupledScalesWithLearningRate ? lr : 1) * lambda));
        }
    }

    /// <summary>
    /// For Adam: the median over the coordinates of <paramref name="name"/> of 1/(√v̂ + ε), the factor by which Adam scales a
    /// gradient term — and therefore a coupled decay term λθ — of that coordinate; null before the first step or for SGD.
    /// </summary>
    public double? MedianAdaptiveScale(string name)
    {
        var p = _params.FirstOrDefault(q => q.Name == name) ?? throw new ArgumentException($"No optimized parameter is named '{name}'.", nameof(name));
        if (Options.Kind != OptimizerKind.Adam || p.V is null || _t == 0) return null;
        using var scope = NewDisposeScope();
        var scale = p.V.Div(1 - Math.Pow(Options.Beta2, _t)).sqrt().Add(Options.Epsilon).reciprocal();
        return scale.to_type(ScalarType.Float64).median().item<double>();
    }

    /// <summary>Whether <paramref name="parameter"/> (the tensor itself, not just a tensor of the same name) is optimized here.</summary>
    public bool Optimizes(Tensor parameter) => _params.Any(p => p.Parameter.Handle == parameter.Handle);

    /// <summary>Frees the optimizer state (momentum and Adam moments).</summary>
    public void Dispose()
    {
        foreach (var p in _params)
        {
            p.M?.Dispose();
            p.V?.Dispose();
            p.M = p.V = null;
        }
    }

    private sealed class ParamState(string name, Parameter parameter, bool decayed)
    {
        public string Name { get; } = name;
        public Parameter Parameter { get; } = parameter;
        public bool Decayed { get; } = decayed;
        public Tensor? M { get; set; }
        public Tensor? V { get; set; }
    }
}
