using WeightDecay.Optimization;

namespace WeightDecay.Experiments;

/// <summary>Pure decay (zero data gradient) under five optimizer set-ups, against the closed form (1 −
/// ηλ)ᵗθ₀.</summary>
/// <param name="LearningRate">η.</param>
/// <param name="Lambda">λ.</param>
/// <param name="Exact">(1 − ηλ)ᵗθ₀ for t = 0 … T.</param>
/// <param name="Runs">SGD with the penalty, SGD coupled, SGD decoupled, AdamW, Adam with coupled L2, in this
/// order.</param>
/// <remarks>Lesson 02: 02-the-gradient-derived-and-verified.</remarks>
public sealed record PureDecayComparison(double LearningRate, double Lambda, double[] Exact,
    IReadOnlyList<PureDecayRun> Runs)
{
    /// <summary>The five standard set-ups: the four that decay geometrically, then Adam with coupled L2, which does
    /// not.</summary>
    public static IReadOnlyList<(string Label, OptimizerKind Kind, DecayMethod Method)> SetUps { get; } =
    [
        ("SGD, penalty in the loss", OptimizerKind.Sgd, DecayMethod.Penalty),
        ("SGD, coupled", OptimizerKind.Sgd, DecayMethod.Coupled),
        ("SGD, decoupled", OptimizerKind.Sgd, DecayMethod.Decoupled),
        ("AdamW (Adam, decoupled)", OptimizerKind.Adam, DecayMethod.Decoupled),
        ("Adam + L2 (Adam, coupled)", OptimizerKind.Adam, DecayMethod.Coupled),
    ];

    /// <summary>Runs every set-up of <see cref="SetUps"/> for <paramref name="steps"/> steps from θ₀ = 1.</summary>
    public static PureDecayComparison Run(double learningRate, double lambda, int steps) =>
        new(learningRate, lambda, DecayDynamics.Geometric(learningRate, lambda, steps),
            SetUps.Select(s => new PureDecayRun(s.Label, s.Kind, s.Method,
                DecayDynamics.PureDecay(s.Kind, s.Method, learningRate, lambda, steps))).ToList());

    /// <summary>The run of one optimizer and method.</summary>
    public PureDecayRun Get(OptimizerKind kind, DecayMethod method) =>
        Runs.FirstOrDefault(r => r.Kind == kind && r.Method == method)
        ?? throw new ArgumentException($"No run of {kind} with {method} decay in this comparison.", nameof(method));

    /// <summary>max_t |θ_t − (1 − ηλ)ᵗθ₀| / ((1 − ηλ)ᵗθ₀) for a run.</summary>
    public double RelativeError(PureDecayRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Trajectory.Zip(Exact, (a, e) => Math.Abs(a - e) / Math.Abs(e)).Max();
    }
}
