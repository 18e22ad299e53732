using System.Globalization;
using Plotly.NET;
using WeightDecay.Optimization;
using WeightDecay.Experiments;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts of the decay experiments of lessons 02 and 07.</summary>
public static class DecayCharts
{
    private static string G3(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>
    /// θ_t/θ₀ under pure decay for every set-up of a <see cref="PureDecayComparison"/> and the exact (1 −
    /// ηλ)ᵗ, one λ per slider position (fixed y axis). The geometric set-ups are drawn as markers on the
    /// exact curve, Adam + L2 as a line.
    /// </summary>
    public static GenericChart PureDecay(IReadOnlyList<PureDecayComparison> comparisons, int active = 0,
        int stride = 10)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var groups = comparisons.Select(c => (TheoryCharts.Format(c.Lambda), (IReadOnlyList<Series>)
            new[] { new Series("(1 − ηλ)ᵗ, exact", c.Exact, Dash: "dash", Color: "#000000") }
                .Concat(c.Runs.Select((r, i) => new Series(r.Label, r.Trajectory,
                    Markers: r.Method == DecayMethod.Decoupled || r.Kind == OptimizerKind.Sgd,
                    Color: Charts.Color(i))))
                .ToList())).ToList();
        double lr = comparisons.Count > 0 ? comparisons[0].LearningRate : double.NaN;
        return TheoryCharts.SliderLines($"Pure decay (zero data gradient), η = {G3(lr)}", "step t",
            "weight θ_t / θ₀", "λ = ", groups, active, stride);
    }

    /// <summary>The weights of an <see cref="AdamShrinkage"/> experiment against the step: no decay (dotted),
    /// Adam + L2 (solid), AdamW (dashed), one colour per weight.</summary>
    public static GenericChart AdamShrinkage(AdamShrinkage run, int stride = 5)
    {
        ArgumentNullException.ThrowIfNull(run);
        var series = new List<Series>();
        for (int i = 0; i < run.GradientScales.Count; i++)
        {
            string s = $"w_{i + 1} (gradient scale {G3(run.GradientScales[i])})";
            string color = Charts.Color(i);
            series.Add(new Series($"{s}, no decay", run.Reference[i], Dash: "dot", Color: color));
            series.Add(new Series($"{s}, Adam + L2", run.AdamL2[i], Color: color));
            series.Add(new Series($"{s}, AdamW", run.AdamW[i], Dash: "dash", Color: color));
        }
        string title = $"Two weights under Adam, η = {G3(run.LearningRate)}, λ = {G3(run.Lambda)}: " +
            "L2 spares the weight with large gradients, AdamW does not";
        return TheoryCharts.Lines(title, "step t", "weight θ_t", series, stride: stride).LegendBelow(-0.25);
    }

    /// <summary>
    /// Decay only under Adam (lesson 07): each weight of a coupled (Adam + L2, solid) and a decoupled (AdamW,
    /// dashed) run against the step on a log axis, one colour per gradient scale; every <paramref
    /// name="stride"/>-th step drawn.
    /// </summary>
    public static GenericChart DecayOnlyUnderAdam(ShrinkageTrajectory coupled, ShrinkageTrajectory decoupled,
        int stride = 10)
    {
        ArgumentNullException.ThrowIfNull(coupled);
        ArgumentNullException.ThrowIfNull(decoupled);
        if (coupled.Weights.Count != decoupled.Weights.Count
            || !coupled.GradientScales.SequenceEqual(decoupled.GradientScales))
            throw new ArgumentException("The two runs must have the same steps and gradient scales.",
                nameof(decoupled));
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be ≥ 1.");
        int last = coupled.Weights.Count - 1;
        var t = Enumerable.Range(0, last + 1).Where(k => k % stride == 0 || k == last).ToList();
        IReadOnlyList<double> W(ShrinkageTrajectory r, int i) => t.Select(k => r.Weights[k][i]).ToList();
        return SweepCharts.PairedLines(t.Select(k => (double)k).ToList(),
            coupled.GradientScales.Select((s, i) => ($"gradient scale {G3(s)}", W(coupled, i), W(decoupled, i))),
            "Adam+L2", "AdamW", $"Decay only, under Adam (η = {G3(coupled.LearningRate)}, λ = {G3(coupled.Lambda)})",
            "step t", "weight θ_i (log scale)", logY: true);
    }
}
