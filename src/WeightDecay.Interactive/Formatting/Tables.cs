using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using WeightDecay.Training;
using static WeightDecay.Interactive.Formatting.ChartHtml;

namespace WeightDecay.Interactive.Formatting;

/// <summary>HTML renderings of the library's result types.</summary>
public static class Tables
{
    /// <summary>Rows shown before a table is elided in the middle.</summary>
    public const int MaxRows = 12;

    /// <summary>A DataFrame as an HTML table (first and last rows when long), with its size.</summary>
    public static string Html(DataFrame df)
    {
        ArgumentNullException.ThrowIfNull(df);
        var sb = new StringBuilder("<div class=\"wd-table\"><table><thead><tr>");
        foreach (var c in df.Columns) sb.Append("<th>").Append(Encode(c.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        long n = df.Rows.Count;
        foreach (long r in RowsToShow(n))
        {
            if (r < 0) { sb.Append("<tr><td colspan=\"").Append(df.Columns.Count).Append("\">⋯</td></tr>"); continue; }
            sb.Append("<tr>");
            foreach (var c in df.Columns) sb.Append("<td>").Append(Encode(Cell(c[r]))).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"</tbody></table><p class=\"wd-caption\">{n} rows × {df.Columns.Count} columns</p></div>");
        return sb.ToString();
    }

    /// <summary>A training history: its settings, a compact per-epoch table and the summary chart.</summary>
    public static string Html(TrainingHistory h)
    {
        ArgumentNullException.ThrowIfNull(h);
        var s = h.Settings;
        var sb = new StringBuilder("<div class=\"wd-history\">");
        sb.Append(CultureInfo.InvariantCulture,
            $"<p><b>TrainingHistory</b> · method {Encode(s.Method)} · {Encode(s.Optimizer)} · lr {s.LearningRate:G4} · λ {s.Lambda:G4} · " +
            $"{Encode(s.Regularizer)} · batch {s.BatchSize} · seed {s.Seed} · {h.Epochs.Count - 1} epochs</p>");
        bool cls = h.Epochs.Any(e => e.TestAccuracy.HasValue || e.TrainAccuracy.HasValue);
        sb.Append("<table><thead><tr><th>epoch</th><th>train loss</th><th>penalty λR(θ)</th><th>test loss</th>");
        if (cls) sb.Append("<th>train acc.</th><th>test acc.</th>");
        sb.Append("<th>‖θ‖₂</th></tr></thead><tbody>");
        foreach (long r in RowsToShow(h.Epochs.Count))
        {
            if (r < 0) { sb.Append("<tr><td colspan=\"7\">⋯</td></tr>"); continue; }
            var e = h.Epochs[(int)r];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.Epoch}</td><td>{e.TrainLoss:G5}</td><td>{e.Penalty:G4}</td><td>{Cell(e.TestLoss)}</td>");
            if (cls) sb.Append(CultureInfo.InvariantCulture, $"<td>{Pct(e.TrainAccuracy)}</td><td>{Pct(e.TestAccuracy)}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td>{e.ParameterNorm:G5}</td></tr>");
        }
        sb.Append("</tbody></table>");
        sb.Append(Render(Visualization.Charts.Summary(h, $"{s.Optimizer}, {s.Method} decay, λ = {s.Lambda.ToString("G4", CultureInfo.InvariantCulture)}")));
        sb.Append("</div>");
        return sb.ToString();
    }

    private static IEnumerable<long> RowsToShow(long n)
    {
        if (n <= MaxRows) { for (long i = 0; i < n; i++) yield return i; yield break; }
        for (long i = 0; i < MaxRows / 2; i++) yield return i;
        yield return -1;
        for (long i = n - MaxRows / 2; i < n; i++) yield return i;
    }

    private static string Pct(double? v) => v is { } d ? d.ToString("P2", CultureInfo.InvariantCulture) : "";

    private static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };
}
