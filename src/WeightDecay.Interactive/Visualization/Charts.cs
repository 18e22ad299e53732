using Plotly.NET;
using WeightDecay.Training;

namespace WeightDecay.Interactive.Visualization;

/// <summary>
/// Charts of training histories: titled, labelled axes, legends and hover, log scales where values span
/// decades. Every builder returns a Plotly.NET <see cref="GenericChart"/>: restyle or combine it with
/// Plotly.NET's own calls.
/// </summary>
public static class Charts
{
    /// <summary>
    /// The workbook's qualitative palette, for white backgrounds and colour-blind readers: the first four are
    /// Okabe &amp; Ito's blue, vermillion, bluish green and reddish purple, then a brown, Tol's indigo and
    /// wine, and a dark green. Okabe &amp; Ito's yellow (contrast 1.3 : 1 against white) and light orange and
    /// sky blue (2.3 : 1) are left out. Every colour has a contrast of at least 3 : 1 against white, and
    /// under simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009) any two of the first six
    /// differ by ΔE ≥ 15 (CIE 1976), any two of all eight by ΔE ≥ 12 (tested).
    /// </summary>
    public static readonly string[] Palette =
        ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#993404", "#332288", "#882255", "#117733"];

    /// <summary>A neutral grey for reference lines (bounds, true values).</summary>
    public const string Reference = "#666666";

    /// <summary>The palette's colour number <paramref name="i"/> (cycling).</summary>
    public static string Color(int i) => Palette[((i % Palette.Length) + Palette.Length) % Palette.Length];

    /// <summary>
    /// Training (solid) and test (dashed) data loss against epoch for one or more labelled runs, with
    /// optional horizontal reference lines (e.g. a lower bound), drawn dotted in grey.
    /// </summary>
    public static GenericChart LearningCurves(IEnumerable<(string Label, TrainingHistory History)> runs,
        bool logY = true, string title = "Learning curves", IEnumerable<(string Label, double Y)>? references = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var curves = LossCurves(runs.ToList(), _ => null).ToList();
        curves.AddRange(ReferenceLines(curves, references));
        return Plot.Curves(title, curves, new Axis("epoch"), new Axis("data loss L(θ)") { Log = logY });
    }

    /// <summary>Global ‖θ‖₂ against epoch for one or more labelled runs.</summary>
    public static GenericChart NormCurves(IEnumerable<(string Label, TrainingHistory History)> runs,
        bool logY = false, string title = "Parameter norm ‖θ‖₂") =>
        Metric(runs, e => e.ParameterNorm, title, "‖θ‖₂", logY);

    /// <summary>
    /// One per-epoch metric (e.g. a layer's norm) against epoch for labelled runs; <paramref name="style"/>
    /// gives each run's colour and dash from its index (default: the palette in order, solid).
    /// </summary>
    public static GenericChart Metric(IEnumerable<(string Label, TrainingHistory History)> runs,
        Func<EpochMetrics, double> metric, string title, string yTitle, bool logY = false,
        Func<int, (string Color, string? Dash)>? style = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(metric);
        var curves = runs.Select((r, i) =>
        {
            var (color, dash) = style?.Invoke(i) ?? (Color(i), null);
            var y = r.History.Epochs.Select(metric).ToList();
            return new Curve(r.Label, Epochs(r.History), y) { Color = color, Dash = dash };
        }).ToList();
        return Plot.Curves(title, curves, new Axis("epoch"), new Axis(yTitle) { Log = logY });
    }

    /// <summary>
    /// The norm of every parameter tensor against epoch (log scale), one run at a time by a slider: the same
    /// colour for the same tensor in every run, and one y range for all runs so that moving the slider does
    /// not rescale the axis.
    /// </summary>
    public static GenericChart LayerNorms(IReadOnlyList<(string Label, TrainingHistory History)> runs,
        string title = "Per-tensor norms", int? active = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("Give at least one run.", nameof(runs));
        var names = runs[0].History.Epochs[0].LayerNorms.Keys.ToList();
        var curves = runs.SelectMany((r, k) => names.Select((name, j) =>
            new Curve(name, Epochs(r.History), r.History.Epochs.Select(e => e.LayerNorms[name]).ToList())
                { Color = Color(j), Step = k })).ToList();
        return Plot.Curves(title, curves, new Axis("epoch"), new Axis("‖·‖₂ (Frobenius)") { Log = true },
            sliderLabels: runs.Select(r => r.Label).ToList(), active: active ?? runs.Count - 1);
    }

    /// <summary>The standard summary of one run: loss curves (log y) and ‖θ‖₂ on a second axis.</summary>
    public static GenericChart Summary(TrainingHistory h, string title = "Training")
    {
        ArgumentNullException.ThrowIfNull(h);
        var curves = LossCurves([("", h)], _ => null).ToList();
        curves.Add(new Curve("‖θ‖₂", Epochs(h), h.Epochs.Select(e => e.ParameterNorm).ToList())
            { Color = Color(1), RightAxis = true });
        var loss = new Axis("data loss L(θ)") { Log = true };
        return Plot.Curves(title, curves, new Axis("epoch"), loss, new Axis("‖θ‖₂")).LegendBelow();
    }

    /// <summary>Epoch numbers of a history as x values.</summary>
    internal static List<double> Epochs(TrainingHistory h) => h.Epochs.Select(e => (double)e.Epoch).ToList();

    /// <summary>Train (solid) and, when recorded, test (dashed) loss curves of each run, one colour per
    /// run.</summary>
    internal static IEnumerable<Curve> LossCurves(IReadOnlyList<(string Label, TrainingHistory History)> runs,
        Func<int, int?> step)
    {
        for (int i = 0; i < runs.Count; i++)
        {
            var (label, h) = runs[i];
            string prefix = label.Length == 0 ? "" : $"{label} · ";
            var x = Epochs(h);
            yield return new Curve($"{prefix}train", x, h.Epochs.Select(e => e.TrainLoss).ToList())
                { Color = Color(i), Group = Group(label), Step = step(i) };
            if (h.Epochs.Any(e => e.TestLoss.HasValue))
                yield return new Curve($"{prefix}test", x, h.Epochs.Select(e => e.TestLoss ?? double.NaN).ToList())
                    { Color = Color(i), Dash = "dash", Group = Group(label), Step = step(i) };
        }
    }

    private static string? Group(string label) => label.Length == 0 ? null : label;

    /// <summary>Horizontal reference lines across the x range of the curves, dotted grey.</summary>
    internal static IEnumerable<Curve> ReferenceLines(IReadOnlyList<Curve> curves,
        IEnumerable<(string Label, double Y)>? references)
    {
        if (references is null) yield break;
        var xs = curves.SelectMany(c => c.X).Where(double.IsFinite).ToList();
        foreach (var (label, y) in references)
            yield return new Curve(label, [xs.Min(), xs.Max()], [y, y]) { Color = Reference, Dash = "dot" };
    }
}
