using WeightDecay.Optimization;

namespace WeightDecay.Experiments;

/// <summary>One optimizer's pure-decay trajectory in a <see cref="PureDecayComparison"/>.</summary>
/// <param name="Label">A legend label such as <c>AdamW (Adam, decoupled)</c>.</param>
/// <param name="Kind">Optimizer.</param>
/// <param name="Method">Decay method.</param>
/// <param name="Trajectory">θ₀ … θ_T.</param>
/// <remarks>Lesson 02: 02-the-gradient-derived-and-verified.</remarks>
public sealed record PureDecayRun(string Label, OptimizerKind Kind, DecayMethod Method, double[] Trajectory);
