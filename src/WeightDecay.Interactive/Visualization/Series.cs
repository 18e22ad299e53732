namespace WeightDecay.Interactive.Visualization;

/// <summary>One line of a chart: y against 0, 1, 2, … (or the chart's x values).</summary>
/// <param name="Label">Legend entry (x_sub becomes a subscript).</param>
/// <param name="Y">Values (NaN and ±∞ are drawn as gaps; exact zeros on a log axis on its floor tick
/// "0").</param>
/// <param name="Markers">Markers instead of a line.</param>
/// <param name="Dash">plotly.js dash style (<c>dash</c>, <c>dot</c>, <c>dashdot</c>) or null for
/// solid.</param>
/// <param name="Color">A colour (#rrggbb), or null for the palette's next one.</param>
public sealed record Series(string Label, IReadOnlyList<double> Y, bool Markers = false, string? Dash = null,
    string? Color = null);
