namespace WeightDecay.Interactive.Visualization;

/// <summary>Settings of one axis of a <see cref="Plot.Curves"/> chart.</summary>
/// <param name="Title">Axis title (state units in it; x_sub becomes a subscript).</param>
internal sealed record Axis(string Title)
{
    /// <summary>Log scale (exact zeros on a floor tick "0").</summary>
    public bool Log { get; init; }

    /// <summary>Values are fractions shown as percentages.</summary>
    public bool Percent { get; init; }

    /// <summary>A fixed range in data units, or null for the automatic one.</summary>
    public double[]? Range { get; init; }

    /// <summary>Whether the axis is drawn.</summary>
    public bool Visible { get; init; } = true;
}
