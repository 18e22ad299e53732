using System.Text.RegularExpressions;
using WeightDecay.Runner;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>
/// No notebook cell names Plotly.NET's F# API (<c>Plotly.NET.Chart.withTitle</c>, <c>FSharpOption</c>, a
/// <c>using Plotly.NET;</c> that brings it in, …). Such a cell compiles in the runner, which loads FSharp.Core
/// 10.1, but not in the dotnet-interactive kernel Jupyter and VS Code run, whose compiler references its own
/// FSharp.Core 10.0.0.0 — older than the 10.1.0.0 Plotly.NET 6 is built against (error CS1705, shown by Jupyter as
/// a bare "compilation error"). Cells use Plotly.NET.CSharp and the workbook's <c>ChartStyling</c> instead. This
/// checks every notebook in milliseconds; <see cref="JupyterCompatibilityTests"/> runs three of them in the kernel.
/// </summary>
public class FSharpApiTests
{
    private static readonly Regex FSharpApi = new(
        @"\bPlotly\.NET\.Chart\s*\.|\bFSharp(Option|ValueOption|Func|List|Map|Set|Ref)\b|\bMicrosoft\.FSharp\b" +
        @"|^\s*using\s+(static\s+)?Plotly\.NET\s*;",
        RegexOptions.Multiline);

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void NoCellUsesPlotlyNetsFSharpApi(string rel)
    {
        var cells = NotebookSource.Read(Path.Combine(Repo.Notebooks, rel + ".dib")).Cells;
        var offending = cells.Where(c => c.Kind == CellKind.Code)
            .SelectMany(c => c.Source.Split('\n')).Where(line => FSharpApi.IsMatch(line)).ToList();
        Assert.True(offending.Count == 0,
            $"{rel}: these lines use Plotly.NET's F# API, which does not compile in the Jupyter kernel (CS1705, its " +
            "FSharp.Core 10.0 is older than Plotly.NET's 10.1); use Plotly.NET.CSharp or ChartStyling:\n" +
            string.Join("\n", offending));
    }

    [Fact]
    public void ThePatternCatchesTheFormThatFailed() =>
        Assert.Matches(FSharpApi, "Plotly.NET.Chart.withTitle(\"t\", null).Invoke(chart)");
}
