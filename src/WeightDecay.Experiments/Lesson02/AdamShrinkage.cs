using Microsoft.Data.Analysis;
using WeightDecay.Optimization;

namespace WeightDecay.Experiments;

/// <summary>
/// Per-coordinate shrinkage under Adam (Loshchilov &amp; Hutter 2019, Sec. 2): weights whose data gradients differ in
/// scale are decayed at the same rate by AdamW but not by Adam with L2, which divides the decay term λθ by √v̂ — so
/// weights with large gradients are barely decayed. The same weights are trained three times, on the same gradient
/// noise (<see cref="ShrinkageTrajectory.Simulate"/>): without decay, with coupled L2 and with AdamW.
/// </summary>
/// <param name="LearningRate">η.</param>
/// <param name="Lambda">λ.</param>
/// <param name="GradientScales">sᵢ, the scale of weight i's alternating data gradient.</param>
/// <param name="Reference">Adam without decay.</param>
/// <param name="AdamL2">Adam with coupled L2.</param>
/// <param name="AdamW">Adam with decoupled decay (AdamW).</param>
/// <remarks>Lessons 02 and 07 (02-the-gradient-derived-and-verified, 07-l2-is-not-weight-decay-for-adam and their
/// solutions).</remarks>
public sealed record AdamShrinkage(double LearningRate, double Lambda, IReadOnlyList<double> GradientScales,
    ShrinkageTrajectory Reference, ShrinkageTrajectory AdamL2, ShrinkageTrajectory AdamW)
{
    /// <summary>Runs the three set-ups for <paramref name="steps"/> steps from θ₀ = 1.</summary>
    /// <exception cref="ArgumentException">No scales, a scale ≤ 0, or steps &lt; 1.</exception>
    public static AdamShrinkage Run(double learningRate, double lambda, IReadOnlyList<double> gradientScales,
        int steps) => new(
        learningRate, lambda, gradientScales.ToArray(),
        ShrinkageTrajectory.Simulate(gradientScales, DecayMethod.None, learningRate, 0, steps),
        ShrinkageTrajectory.Simulate(gradientScales, DecayMethod.Coupled, learningRate, lambda, steps),
        ShrinkageTrajectory.Simulate(gradientScales, DecayMethod.Decoupled, learningRate, lambda, steps));

    /// <summary>ηλ: the decay rate of plain decoupled decay.</summary>
    public double NominalRate => LearningRate * Lambda;

    /// <summary>Effective decay rate of weight <paramref name="i"/> under Adam with coupled L2, against the
    /// reference (<see cref="DecayDynamics.EffectiveDecayRate"/>).</summary>
    public double AdamL2Rate(int i) => DecayDynamics.EffectiveDecayRate(Reference[i], AdamL2[i]);

    /// <summary>Effective decay rate of weight <paramref name="i"/> under AdamW, against the reference.</summary>
    public double AdamWRate(int i) => DecayDynamics.EffectiveDecayRate(Reference[i], AdamW[i]);

    /// <summary>One row per weight: its gradient scale, both effective rates, ηλ and ηλ/s (Adam+L2's rate when
    /// s ≫ λ|θ|).</summary>
    public DataFrame ToDataFrame()
    {
        var idx = Enumerable.Range(0, GradientScales.Count).ToArray();
        return new DataFrame(
            new StringDataFrameColumn("weight", idx.Select(i => $"w{i + 1}")),
            new DoubleDataFrameColumn("gradient scale s", idx.Select(i => GradientScales[i])),
            new DoubleDataFrameColumn("rate under AdamW", idx.Select(AdamWRate)),
            new DoubleDataFrameColumn("rate under Adam + L2", idx.Select(AdamL2Rate)),
            new DoubleDataFrameColumn("ηλ", idx.Select(_ => NominalRate)),
            new DoubleDataFrameColumn("ηλ / s", idx.Select(i => NominalRate / GradientScales[i])));
    }
}
