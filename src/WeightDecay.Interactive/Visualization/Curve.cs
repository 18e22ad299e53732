namespace WeightDecay.Interactive.Visualization;

/// <summary>How one curve of a 2-D chart is drawn (the builders' internal description, composed by <see
/// cref="Plot.Curves"/>).</summary>
/// <param name="Name">Legend entry (x_sub becomes a subscript).</param>
/// <param name="X">x values.</param>
/// <param name="Y">y values; NaN and ±∞ are drawn as gaps.</param>
internal sealed record Curve(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>Colour as #rrggbb.</summary>
    public string Color { get; init; } = Charts.Palette[0];

    /// <summary>plotly.js dash name or null for solid.</summary>
    public string? Dash { get; init; }

    /// <summary>Whether the points are joined by a line.</summary>
    public bool Line { get; init; } = true;

    /// <summary>Whether every point gets a marker (zeros on a log axis always do).</summary>
    public bool Markers { get; init; }

    /// <summary>plotly.js marker symbol (<c>circle</c>, <c>square</c>, <c>star</c>, …) or null for the
    /// default.</summary>
    public string? Symbol { get; init; }

    /// <summary>Whether exact zeros on a log axis get a marker on the floor (off for histogram
    /// outlines).</summary>
    public bool FloorMarkers { get; init; } = true;

    /// <summary>Marker outline colour, or null for none.</summary>
    public string? MarkerLine { get; init; }

    /// <summary>Line width in px.</summary>
    public double Width { get; init; } = 2;

    /// <summary>Marker size in px.</summary>
    public double MarkerSize { get; init; } = 7;

    /// <summary>Legend group (curves of one group toggle together).</summary>
    public string? Group { get; init; }

    /// <summary>Whether the curve has a legend entry.</summary>
    public bool ShowLegend { get; init; } = true;

    /// <summary>Whether the curve belongs to the right-hand y axis.</summary>
    public bool RightAxis { get; init; }

    /// <summary>The slider position that shows the curve, or null to show it at every position.</summary>
    public int? Step { get; init; }

    /// <summary>Symmetric error bars (half-widths), or null.</summary>
    public IReadOnlyList<double>? ErrorY { get; init; }

    /// <summary>Per-point values a hover template can show as %{customdata}, or null.</summary>
    public IReadOnlyList<double>? CustomData { get; init; }

    /// <summary>A plotly.js hover template, or null for the default.</summary>
    public string? Hover { get; init; }

    /// <summary>plotly.js line shape (<c>hvh</c> draws the outline of a histogram through bin centres), or
    /// null.</summary>
    public string? LineShape { get; init; }
}
