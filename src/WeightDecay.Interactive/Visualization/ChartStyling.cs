using Plotly.NET;

namespace WeightDecay.Interactive.Visualization;

/// <summary>
/// Restyling calls for any chart (lesson 00 shows them) that Plotly.NET.CSharp lacks, with C# types only.
/// </summary>
/// <remarks>
/// Plotly.NET's own F# functions (<c>Plotly.NET.Chart.withTitle</c>, …) take and return FSharp.Core types
/// (<c>FSharpOption</c>, <c>FSharpFunc</c>). A notebook cell that names such a type does not compile in the
/// dotnet-interactive kernel Jupyter and VS Code run (1.0.712001): its compiler references the kernel's own
/// FSharp.Core 10.0.0.0, older than the 10.1.0.0 Plotly.NET 6 is built against (error CS1705). The workbook
/// runs them here, compiled against the right FSharp.Core, so cells only see <see cref="GenericChart"/> and
/// strings.
/// </remarks>
public static class ChartStyling
{
    /// <summary>The chart with the given title ("x_sub" and "x_{sub}" become subscripts, as in every
    /// workbook chart).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="chart"/> or <paramref name="title"/> is
    /// null.</exception>
    public static GenericChart WithTitle(this GenericChart chart, string title)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(title);
        return chart.Titled(title);
    }
}
