using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using WeightDecay.Training;
using static WeightDecay.Interactive.Formatting.ChartHtml;

namespace WeightDecay.Interactive.Formatting;

/// <summary>
/// HTML renderings of the library's result types, written for a reader: the table scrolls inside its own box when wide;
/// columns with one value in every row move to the caption; missing values (null, NaN) show as "—" with a note; headers
/// are words (<see cref="Header"/>); up to <see cref="MaxRows"/> rows show in full, longer tables show their first
/// and last rows, say how many are hidden and — while the runner executes the notebook — write every row to a CSV
/// beside the report and link it.
/// </summary>
public static class Tables
{
    /// <summary>Tables with at most this many rows are shown in full.</summary>
    public const int MaxRows = 20;

    /// <summary>Rows shown at the start and at the end of a longer table.</summary>
    public const int HeadRows = 10, TailRows = 5;

    /// <summary>Constant columns move to the caption in tables of at least this many rows (two compare).</summary>
    public const int MinRowsForConstantColumns = 3;

    private const string Missing = "—";
    private const string ScrollBox =
        "<div class=\"wd-table\"><div class=\"wd-table-scroll\" style=\"overflow-x:auto;max-width:100%\">";
    private static int _csvCounter;

    /// <summary>Restarts the numbering of long tables' CSV files (called by <see cref="Workbook.Init"/>).</summary>
    public static void Reset() => Interlocked.Exchange(ref _csvCounter, 0);

    /// <summary>A DataFrame as an HTML table (see the class summary).</summary>
    public static string Html(DataFrame df)
    {
        ArgumentNullException.ThrowIfNull(df);
        long n = df.Rows.Count;
        var shown = new List<DataFrameColumn>();
        var constant = new List<string>();
        var empty = new List<string>();
        foreach (var c in df.Columns)
        {
            var texts = Enumerable.Range(0, (int)n).Select(r => Cell(c[r])).ToList();
            if (n >= MinRowsForConstantColumns && texts.All(t => t == Missing)) empty.Add(Header(c.Name));
            else if (n >= MinRowsForConstantColumns && texts.All(t => t == texts[0]))
                constant.Add($"{Encode(Header(c.Name))} = {Encode(texts[0])}");
            else shown.Add(c);
        }
        if (shown.Count == 0) { shown = [.. df.Columns]; constant.Clear(); empty.Clear(); }

        var sb = new StringBuilder(ScrollBox).Append("<table><thead><tr>");
        foreach (var c in shown) sb.Append("<th>").Append(Encode(Header(c.Name))).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        bool anyMissing = false;
        string? csv = n > MaxRows ? SaveCsv(df) : null;
        foreach (long r in RowsToShow(n))
        {
            if (r < 0) { sb.Append(HiddenRow(shown.Count, n, csv)); continue; }
            sb.Append("<tr>");
            foreach (var c in shown)
            {
                string text = Cell(c[r]);
                anyMissing |= text == Missing;
                sb.Append("<td>").Append(Encode(text)).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></div>");
        var caption = new List<string>();
        if (constant.Count > 0) caption.Add("In every row: " + string.Join(" · ", constant) + ".");
        if (empty.Count > 0) caption.Add("No values for " + Encode(string.Join(", ", empty)) + ".");
        if (anyMissing) caption.Add($"{Missing} = no value (not measured for that row).");
        caption.Add(Size(n, shown.Count, csv));
        sb.Append("<p class=\"wd-caption\">").Append(string.Join(" ", caption)).Append("</p></div>");
        return sb.ToString();
    }

    /// <summary>A training history: its settings, a compact per-epoch table and the summary chart.</summary>
    public static string Html(TrainingHistory h)
    {
        ArgumentNullException.ThrowIfNull(h);
        var s = h.Settings;
        var sb = new StringBuilder("<div class=\"wd-history\">");
        sb.Append(CultureInfo.InvariantCulture,
            $"<p><b>TrainingHistory</b> · method {Encode(s.Method)} · {Encode(s.Optimizer)} · " +
            $"lr {s.LearningRate:G4} · λ {s.Lambda:G4} · " +
            $"{Encode(s.Regularizer)} · batch {s.BatchSize} · seed {s.Seed} · {h.Epochs.Count - 1} epochs</p>");
        bool cls = h.Epochs.Any(e => e.TestAccuracy.HasValue || e.TrainAccuracy.HasValue);
        bool test = h.Epochs.Any(e => e.TestLoss.HasValue);
        int columns = 4 + (test ? 1 : 0) + (cls ? 2 : 0);
        sb.Append(ScrollBox).Append("<table><thead><tr><th>epoch</th><th>train loss</th><th>penalty λR(θ)</th>");
        if (test) sb.Append("<th>test loss</th>");
        if (cls) sb.Append("<th>train acc.</th><th>test acc.</th>");
        sb.Append("<th>‖θ‖₂</th></tr></thead><tbody>");
        string? csv = null;
        if (h.Epochs.Count > MaxRows && Next(".history") is { } path)
        {
            h.SaveCsv(path);
            csv = Path.GetFileName(path);
        }
        bool anyMissing = false;
        foreach (long r in RowsToShow(h.Epochs.Count))
        {
            if (r < 0) { sb.Append(HiddenRow(columns, h.Epochs.Count, csv)); continue; }
            var e = h.Epochs[(int)r];
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{e.Epoch}</td><td>{e.TrainLoss:G5}</td><td>{e.Penalty:G4}</td>");
            if (test) sb.Append("<td>").Append(Cell(e.TestLoss)).Append("</td>");
            if (cls) sb.Append($"<td>{Pct(e.TrainAccuracy)}</td><td>{Pct(e.TestAccuracy)}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td>{e.ParameterNorm:G5}</td></tr>");
            anyMissing |= test && e.TestLoss is null || cls && (e.TrainAccuracy is null || e.TestAccuracy is null);
        }
        sb.Append("</tbody></table></div><p class=\"wd-caption\">");
        if (anyMissing) sb.Append(Missing).Append(" = no value (not measured for that epoch). ");
        sb.Append(Size(h.Epochs.Count, columns, csv)).Append("</p></div>");
        string lambda = s.Lambda.ToString("G4", CultureInfo.InvariantCulture);
        sb.Append(Render(Visualization.Charts.Summary(h, $"{s.Optimizer}, {s.Method} decay, λ = {lambda}")));
        sb.Append("</div>");
        return sb.ToString();
    }

    /// <summary>
    /// A column name as words for a header: <c>relative_error_of_B_times_our_gradient</c> → "relative error of B times
    /// our gradient", <c>TestLoss</c> → "Test loss", <c>lambda</c> → "λ", <c>lr</c> → "learning rate". Names that are
    /// already words (spaces, symbols, brackets) are kept.
    /// </summary>
    public static string Header(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains(' ') || name.Contains('[')) return name;
        var words = new List<string>();
        foreach (var part in name.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            var word = new StringBuilder();
            for (int i = 0; i < part.Length; i++)
            {
                // a lower-case letter followed by an upper-case one that starts a word (TestLoss, not MAP or B)
                bool boundary = i > 0 && char.IsUpper(part[i]) && char.IsLower(part[i - 1])
                                && i + 1 < part.Length && char.IsLower(part[i + 1]);
                if (boundary)
                {
                    words.Add(word.ToString());
                    word.Clear().Append(char.ToLowerInvariant(part[i]));
                }
                else word.Append(part[i]);
            }
            words.Add(word.ToString());
        }
        var mapped = words.Select(w => w switch
        {
            "lambda" => "λ", "lr" => "learning rate", "param" => "parameter", _ => w,
        });
        string result = string.Join(' ', mapped);
        return result.Length == 0 ? name : result;
    }

    private static string HiddenRow(int columns, long n, string? csv) =>
        FormattableString.Invariant($"<tr class=\"wd-hidden-rows\"><td colspan=\"{columns}\">") +
        FormattableString.Invariant($"⋯ {n - HeadRows - TailRows} of {n} rows not shown") +
        (csv is null ? "" : $" — all rows in <a href=\"{Encode(csv)}\">{Encode(csv)}</a>") + " ⋯</td></tr>";

    private static string Size(long rows, int columns, string? csv) =>
        FormattableString.Invariant($"{rows} rows × {columns} columns") + (rows <= MaxRows ? "." :
            FormattableString.Invariant($"; {HeadRows + TailRows} shown") +
            (csv is null ? "." : $", every row in <a href=\"{Encode(csv)}\">{Encode(csv)}</a>."));

    /// <summary>Writes every row of <paramref name="df"/> beside the report (runner only); its name, or null.</summary>
    private static string? SaveCsv(DataFrame df)
    {
        if (Next(".table") is not { } path) return null;
        var sb = new StringBuilder();
        sb.AppendJoin(',', df.Columns.Select(c => Csv(c.Name))).Append('\n');
        for (long r = 0; r < df.Rows.Count; r++)
            sb.AppendJoin(',', df.Columns.Select(c => Csv(c[r] switch
            {
                null => "",
                double d => double.IsNaN(d) ? "" : d.ToString("R", CultureInfo.InvariantCulture),
                float f => float.IsNaN(f) ? "" : f.ToString("R", CultureInfo.InvariantCulture),
                var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
            }))).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
        return Path.GetFileName(path);
    }

    private static string? Next(string kind)
    {
        int k = Interlocked.Increment(ref _csvCounter);
        return Workbook.RunnerReportFile(string.Create(CultureInfo.InvariantCulture, $"{kind}-{k}.csv"));
    }

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static IEnumerable<long> RowsToShow(long n)
    {
        if (n <= MaxRows) { for (long i = 0; i < n; i++) yield return i; yield break; }
        for (long i = 0; i < HeadRows; i++) yield return i;
        yield return -1;
        for (long i = n - TailRows; i < n; i++) yield return i;
    }

    private static string Pct(double? v) =>
        v is { } d && !double.IsNaN(d) ? d.ToString("P2", CultureInfo.InvariantCulture) : Missing;

    private static string Cell(object? v) => v switch
    {
        null => Missing,
        double d => double.IsNaN(d) ? Missing : d.ToString("G6", CultureInfo.InvariantCulture),
        float f => float.IsNaN(f) ? Missing : f.ToString("G6", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };
}
