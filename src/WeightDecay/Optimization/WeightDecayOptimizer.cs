using TorchSharp;
using TorchSharp.Modules;
using WeightDecay.Regularization;
using static TorchSharp.torch;

namespace WeightDecay.Optimization;

/// <summary>
/// SGD or Adam with weight decay applied in an explicit, named way (<see cref="DecayMethod"/>).
/// Shaped like <c>torch.optim</c>: <see cref="zero_grad"/>, the forward pass and the loss,
/// <c>backward()</c> of <see cref="Objective"/>, then <see cref="step"/>
/// (<see cref="Training.Trainer.Step"/> takes exactly these steps). The optimizer owns everything
/// about λ: the penalty term of the penalty method (<see cref="Objective"/>), the decay inside the
/// update (coupled, decoupled, proximal) and the per-step decay rate ηλ (<see cref="DecayRate"/>),
/// so no caller needs to ask which method is in use.
/// </summary>
/// <remarks>State and local names follow TorchSharp's <c>optim.SGD</c> and <c>optim.AdamW</c>:
/// <c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>bias_correction1</c>,
/// <c>bias_correction2</c>, <c>step_size</c>, <c>denom</c>.</remarks>
public sealed class WeightDecayOptimizer : IDisposable
{
    private readonly List<State> _state;
    private long _step;

    /// <summary>Optimizer hyper-parameters.</summary>
    public OptimizerOptions Options { get; }

    /// <summary>Weight-decay configuration.</summary>
    public WeightDecayOptions Decay { get; }

    /// <summary>The current learning rate (may be changed between steps, e.g. by a
    /// schedule).</summary>
    public double LearningRate { get; set; }

    /// <summary>Number of steps taken.</summary>
    public long StepCount => _step;

    /// <summary>Each optimized parameter's name and whether it is decayed.</summary>
    public IReadOnlyList<(string Name, bool Decayed)> Parameters =>
        _state.Select(p => (p.Name, p.Decayed)).ToList();

    /// <summary>Creates the optimizer over named parameters (e.g.
    /// <c>module.named_parameters()</c>).</summary>
    public WeightDecayOptimizer(IEnumerable<(string Name, Parameter Parameter)> parameters,
        OptimizerOptions options, WeightDecayOptions? decay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        decay ??= WeightDecayOptions.None;
        decay.Validate();
        (Options, Decay, LearningRate) = (options, decay, options.LearningRate);
        _state = parameters.Where(p => p.Parameter.requires_grad)
            .Select(p =>
                new State(p.Name, p.Parameter, ParameterSelection.IsDecayed(p.Parameter,
                decay.Selection)))
            .ToList();
        if (_state.Count == 0)
            throw new ArgumentException("No trainable parameters were given.", nameof(parameters));
    }

    /// <summary>Creates the optimizer over all trainable parameters of
    /// <paramref name="module"/>.</summary>
    public WeightDecayOptimizer(nn.Module module, OptimizerOptions options,
        WeightDecayOptions? decay = null)
        : this(ParameterSelection.Trainable(module), options, decay) { }

    /// <summary>SGD (optional momentum) with the given decay method (none at
    /// <paramref name="weightDecay"/> = 0).</summary>
    public static WeightDecayOptimizer Sgd(nn.Module module, double lr, double momentum = 0,
        double weightDecay = 0,
        DecayMethod method = DecayMethod.Coupled, DecaySelection selection =
            DecaySelection.WeightsOnly) =>
        new(module, new OptimizerOptions(OptimizerKind.Sgd, lr, momentum),
            WeightDecayOptions.For(method, weightDecay, selection: selection));

    /// <summary>Adam with the given decay method (<see cref="DecayMethod.Decoupled"/> gives AdamW;
    /// none at <paramref name="weightDecay"/> = 0).</summary>
    public static WeightDecayOptimizer Adam(nn.Module module, double lr = 1e-3,
        double weightDecay = 0,
        DecayMethod method = DecayMethod.Coupled, DecaySelection selection =
            DecaySelection.WeightsOnly,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) =>
        new(module, new OptimizerOptions(OptimizerKind.Adam, lr, 0, beta1, beta2, eps),
            WeightDecayOptions.For(method, weightDecay, selection: selection));

    /// <summary>Whether any decay acts: a method other than <see cref="DecayMethod.None"/> and λ ≠
    /// 0.</summary>
    public bool Decays => Decay.Method != DecayMethod.None && Decay.Lambda != 0;

    /// <summary>
    /// ηλ at the current learning rate: the fraction of a decayed weight that one step of decay
    /// removes, θ ← (1 − ηλ)θ, for decoupled decay with any optimizer and for every method with
    /// plain SGD (the one place the library computes it). λ alone for decoupled and proximal decay
    /// when <see cref="WeightDecayOptions.DecoupledScalesWithLearningRate"/> is false; 0 when
    /// nothing decays. With Adam or momentum, coupled and penalty decay are rescaled by the
    /// optimizer (see <see cref="DecayAudit"/>). Decoupled and proximal decay with
    /// <see cref="WeightDecayOptions.DecayFollowsSchedule"/> false use the base rate η₀
    /// (<see cref="OptimizerOptions.LearningRate"/>) instead of the current <see cref="LearningRate"/>.
    /// </summary>
    public double DecayRate => !Decays ? 0
        : Decay.Method is DecayMethod.Decoupled or DecayMethod.Proximal
            && !Decay.DecoupledScalesWithLearningRate
            ? Decay.Lambda
            : (Decay.DecayFollowsSchedule ? LearningRate : Options.LearningRate) * Decay.Lambda;

    /// <summary>
    /// The objective to differentiate: <paramref name="dataLoss"/> plus λ·Σ R(θ) for the penalty
    /// method; the data loss itself for every other method, whose decay acts inside
    /// <see cref="step"/>.
    /// </summary>
    public Tensor Objective(Tensor dataLoss)
    {
        ArgumentNullException.ThrowIfNull(dataLoss);
        return Decays && Decay.Method == DecayMethod.Penalty ? dataLoss.Add(Penalty()) : dataLoss;
    }

    /// <summary>λ·Σ R(θ) over the decayed parameters, differentiable.</summary>
    public Tensor Penalty()
    {
        var decayed = _state.Where(p => p.Decayed).Select(p => (Tensor)p.Parameter);
        return Decay.EffectiveRegularizer.Total(decayed).Mul(Decay.Lambda);
    }

    /// <summary>λ·Σ R(θ) at the current parameters as a number, computed without gradients (0 when
    /// nothing decays): the term the penalty method adds, reported for every method so that runs
    /// are comparable.</summary>
    public double PenaltyValue()
    {
        if (!Decays) return 0;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Penalty().ItemAsDouble();
    }

    /// <summary>Clears the gradients.</summary>
    public void zero_grad()
    {
        foreach (var p in _state)
        {
            using var grad = p.Parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    /// <remarks>In-place updates with scalar factors (<c>add_(x, alpha)</c>, <c>addcmul_</c>,
    /// <c>addcdiv_</c>), in the order TorchSharp's SGD, Adam and AdamW use, so that a step
    /// allocates at most one temporary per parameter; the L2 terms use θ itself instead of a copy
    /// (∇½‖θ‖² = θ). The decoupled L2 step is θ ← (1 − ηλ)θ, as in AdamW; for plain SGD (no
    /// momentum) the coupled L2 step θ − η(g + λθ) is computed as (1 − ηλ)θ − ηg, in
    /// place.</remarks>
    public void step()
    {
        _step++;
        double lr = LearningRate;
        var regularizer = Decay.EffectiveRegularizer;
        bool l2 = ReferenceEquals(regularizer, Regularizer.L2);
        double bias_correction1 = 1 - Math.Pow(Options.Beta1, _step);
        double bias_correction2 = 1 - Math.Pow(Options.Beta2, _step);
        double step_size = lr / bias_correction1;
        // every number of this step as a Scalar owned here (a number passed as a Scalar is freed by
        // a finalizer that can run while libtorch reads it: see Scalars)
        using var neg_lr = (-lr).ToScalar();
        using var weight_decay = (Decays ? Decay.Lambda : 0).ToScalar();
        using var keep = (1 - DecayRate).ToScalar();        // θ ← (1 − ηλ)θ
        using var neg_decay_rate = (-DecayRate).ToScalar();
        using var momentum = Options.Momentum.ToScalar();
        using var beta1 = Options.Beta1.ToScalar();
        using var one_minus_beta1 = (1 - Options.Beta1).ToScalar();
        using var beta2 = Options.Beta2.ToScalar();
        using var one_minus_beta2 = (1 - Options.Beta2).ToScalar();
        using var sqrt_bias_correction2 = Math.Sqrt(bias_correction2).ToScalar();
        using var eps = Options.Epsilon.ToScalar();
        using var neg_step_size = (-step_size).ToScalar();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var p in _state)
        {
            var param = p.Parameter;
            var grad = param.grad;
            if (grad is null) continue;
            var method = p.Decayed && Decays ? Decay.Method : DecayMethod.None;
            if (method == DecayMethod.Coupled && l2 && Options.Kind == OptimizerKind.Sgd
                && Options.Momentum == 0)
            {
                // θ − η(g + λθ) = (1 − ηλ)θ − ηg, in place
                param.mul_(keep).add_(grad, alpha: neg_lr);
                continue;
            }
            if (method == DecayMethod.Coupled) // a new tensor: .grad itself is left unchanged
                grad = grad.add(l2 ? param : regularizer.Gradient(param), alpha: weight_decay);
            if (method == DecayMethod.Decoupled)
            {
                if (l2) param.mul_(keep);
                else param.add_(regularizer.Gradient(param), alpha: neg_decay_rate);
            }

            if (Options.Kind == OptimizerKind.Sgd)
            {
                if (Options.Momentum > 0)
                {
                    if (p.momentum_buffer is null)
                        p.momentum_buffer = grad.detach().clone().DetachFromDisposeScope();
                    else p.momentum_buffer.mul_(momentum).add_(grad, alpha: Scalars.One);
                    grad = p.momentum_buffer;
                }
                param.add_(grad, alpha: neg_lr);
            }
            else
            {
                p.exp_avg ??= zeros_like(param).DetachFromDisposeScope();
                p.exp_avg_sq ??= zeros_like(param).DetachFromDisposeScope();
                p.exp_avg.mul_(beta1).add_(grad, alpha: one_minus_beta1);
                p.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value: one_minus_beta2);
                var denom = p.exp_avg_sq.sqrt().div_(sqrt_bias_correction2).add_(eps,
                    alpha: Scalars.One);
                param.addcdiv_(p.exp_avg, denom, value: neg_step_size);
            }
            if (method == DecayMethod.Proximal)
                param.copy_(Proximal.Apply(regularizer, param, DecayRate));
        }
    }

    /// <summary>
    /// For Adam: the median over the coordinates of <paramref name="name"/> of 1/(√v̂ + ε), the
    /// factor by which Adam scales a gradient term — and therefore a coupled decay term λθ — of
    /// that coordinate; null before the first step or for SGD.
    /// </summary>
    public double? MedianAdaptiveScale(string name)
    {
        var p = _state.FirstOrDefault(q => q.Name == name)
            ?? throw new ArgumentException($"No optimized parameter is named '{name}'.",
                nameof(name));
        if (Options.Kind != OptimizerKind.Adam || p.exp_avg_sq is null || _step == 0) return null;
        double bias_correction2 = 1 - Math.Pow(Options.Beta2, _step);
        using var scope = NewDisposeScope();
        var scale = p.exp_avg_sq.Div(bias_correction2).sqrt().Add(Options.Epsilon).reciprocal();
        return scale.to_type(ScalarType.Float64).median().item<double>();
    }

    /// <summary>Whether <paramref name="parameter"/> (the tensor itself, not just a tensor of the
    /// same name) is optimized here.</summary>
    public bool Optimizes(Tensor parameter) =>
        _state.Any(p => p.Parameter.Handle == parameter.Handle);

    /// <summary>Frees the optimizer state (momentum buffers and Adam moments).</summary>
    public void Dispose()
    {
        foreach (var p in _state)
        {
            p.momentum_buffer?.Dispose();
            p.exp_avg?.Dispose();
            p.exp_avg_sq?.Dispose();
            p.momentum_buffer = p.exp_avg = p.exp_avg_sq = null;
        }
    }

    /// <summary>One parameter and its optimizer state, named as in TorchSharp's <c>SGD.State</c>
    /// and <c>AdamW.State</c>.</summary>
    private sealed class State(string name, Parameter parameter, bool decayed)
    {
        public string Name { get; } = name;
        public Parameter Parameter { get; } = parameter;
        public bool Decayed { get; } = decayed;
        public Tensor? momentum_buffer;
        public Tensor? exp_avg;
        public Tensor? exp_avg_sq;
    }
}
