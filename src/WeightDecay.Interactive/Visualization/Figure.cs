using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightDecay.Interactive.Visualization;

/// <summary>
/// A plotly.js figure (<c>data</c>, <c>layout</c>, <c>config</c>) built directly in plotly.js's JSON schema, so every
/// plotly.js feature (sliders, dropdowns, contours, surfaces, shared color scales) is reachable. Rendered offline by
/// the workbook's formatter (<see cref="Formatting.ChartHtml"/>) like Plotly.NET charts. Methods return the figure for
/// chaining.
/// </summary>
public sealed class Figure
{
    /// <summary>The traces.</summary>
    public JsonArray Data { get; } = [];

    /// <summary>The layout.</summary>
    public JsonObject Layout { get; } = new() { ["hovermode"] = "closest", ["template"] = null };

    /// <summary>The plotly.js config.</summary>
    public JsonObject Config { get; } = new() { ["responsive"] = true, ["displaylogo"] = false };

    /// <summary>Sets the title.</summary>
    public Figure WithTitle(string title)
    {
        Layout["title"] = new JsonObject { ["text"] = title };
        return this;
    }

    /// <summary>Sets the x axis title (state units in it) and scale.</summary>
    public Figure WithXAxis(string title, bool log = false, string axis = "xaxis") => WithAxis(axis, title, log);

    /// <summary>Sets the y axis title (state units in it) and scale.</summary>
    public Figure WithYAxis(string title, bool log = false, string axis = "yaxis") => WithAxis(axis, title, log);

    private Figure WithAxis(string axis, string title, bool log)
    {
        var a = Layout[axis] as JsonObject ?? new JsonObject();
        a["title"] = new JsonObject { ["text"] = title };
        a["type"] = log ? "log" : "linear";
        a["exponentformat"] = "power";
        Layout[axis] = a;
        return this;
    }

    /// <summary>Adds a trace given as a JSON object in plotly.js's schema.</summary>
    public Figure Add(JsonObject trace)
    {
        Data.Add(trace);
        return this;
    }

    /// <summary>Adds a line (and optional markers) trace.</summary>
    public Figure AddLine(IEnumerable<double> x, IEnumerable<double?> y, string name, bool markers = false,
        string? dash = null, string? color = null, string? legendGroup = null, bool visible = true)
    {
        var line = new JsonObject();
        if (dash is not null) line["dash"] = dash;
        if (color is not null) line["color"] = color;
        var trace = new JsonObject
        {
            ["type"] = "scatter", ["mode"] = markers ? "lines+markers" : "lines", ["name"] = name,
            ["x"] = Numbers(x), ["y"] = Numbers(y), ["line"] = line,
        };
        if (legendGroup is not null) trace["legendgroup"] = legendGroup;
        if (!visible) trace["visible"] = false;
        return Add(trace);
    }

    /// <summary>Adds a line trace from non-nullable values.</summary>
    public Figure AddLine(IEnumerable<double> x, IEnumerable<double> y, string name, bool markers = false,
        string? dash = null, string? color = null, string? legendGroup = null, bool visible = true) =>
        AddLine(x, y.Select(v => (double?)v), name, markers, dash, color, legendGroup, visible);

    /// <summary>
    /// Adds a slider that shows one group of traces at a time: step k makes the traces whose indices are in
    /// <paramref name="groups"/>[k] visible and hides the rest. Use it to explore precomputed runs (e.g. one per λ).
    /// </summary>
    public Figure WithSlider(string prefix, IReadOnlyList<string> labels,
        IReadOnlyList<IReadOnlyCollection<int>> groups, int active = 0)
    {
        if (labels.Count != groups.Count)
            throw new ArgumentException($"{labels.Count} labels for {groups.Count} groups; expected one label per " +
                "group.", nameof(labels));
        int n = Data.Count;
        var steps = new JsonArray();
        for (int k = 0; k < labels.Count; k++)
        {
            var visible = new JsonArray();
            for (int i = 0; i < n; i++) visible.Add(groups[k].Contains(i));
            steps.Add(new JsonObject
            {
                ["label"] = labels[k], ["method"] = "restyle",
                ["args"] = new JsonArray(new JsonObject { ["visible"] = visible }),
            });
        }
        for (int i = 0; i < n; i++) ((JsonObject)Data[i]!)["visible"] = groups[active].Contains(i);
        Layout["sliders"] = new JsonArray(new JsonObject
        {
            ["active"] = active, ["currentvalue"] = new JsonObject { ["prefix"] = prefix }, ["pad"] =
                new JsonObject { ["t"] = 40 }, ["steps"] = steps,
        });
        return this;
    }

    /// <summary>The figure as plotly.js JSON: <c>{"data":…,"layout":…,"config":…}</c>.</summary>
    public string ToJson() => new JsonObject
    {
        ["data"] = Data.DeepClone(), ["layout"] = Layout.DeepClone(), ["config"] = Config.DeepClone(),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    /// <summary>Numbers as a JSON array; NaN and ±∞ become null, which plotly.js draws as gaps.</summary>
    public static JsonArray Numbers(IEnumerable<double?> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(v is { } d && double.IsFinite(d) ? JsonValue.Create(d) : null);
        return a;
    }

    /// <summary>Numbers as a JSON array; NaN and ±∞ become null, which plotly.js draws as gaps.</summary>
    public static JsonArray Numbers(IEnumerable<double> values) => Numbers(values.Select(v => (double?)v));

    /// <summary>
    /// Rows of numbers (a heatmap's, contour's or surface's z) as a JSON array of arrays, rounded to what a color
    /// scale can show: to <paramref name="significantDigits"/> digits of the largest |value| (4: steps of 1/1000 to
    /// 1/10000 of the range, finer than any color or contour a reader can tell apart), so a 50 000-cell mosaic is not
    /// 1 MB of digits.
    /// NaN and ±∞ become null (gaps), as in <see cref="Numbers(IEnumerable{double})"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="significantDigits"/> not in 1…15.</exception>
    public static JsonArray Matrix(IEnumerable<IEnumerable<double>> rows, int significantDigits = 4) =>
        Matrix(rows.Select(r => r.Select(v => (double?)v)), significantDigits);

    /// <summary>
    /// Rows with gaps (null), rounded as in <see cref="Matrix(IEnumerable{IEnumerable{double}}, int)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="significantDigits"/> not in 1…15.</exception>
    public static JsonArray Matrix(IEnumerable<IEnumerable<double?>> rows, int significantDigits = 4)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (significantDigits is < 1 or > 15)
            throw new ArgumentOutOfRangeException(nameof(significantDigits), significantDigits,
                "Expected 1 to 15 significant digits.");
        var values = rows.Select(r => r.ToArray()).ToArray();
        double maxAbs = 0;
        foreach (var row in values)
            foreach (var v in row)
                if (v is { } d && double.IsFinite(d)) maxAbs = Math.Max(maxAbs, Math.Abs(d));
        // decimals > 0: round to that many decimals; decimals <= 0: to a multiple of 10^-decimals (exact for integers).
        int decimals = maxAbs == 0 ? 0 : significantDigits - 1 - (int)Math.Floor(Math.Log10(maxAbs));
        double step = decimals < 0 ? Math.Pow(10, -decimals) : 1;
        double Round(double d) => decimals >= 0 ? Math.Round(d, Math.Min(decimals, 15)) : Math.Round(d / step) * step;
        double? Cell(double? v) => v is { } d && double.IsFinite(d) ? Round(d) : v;
        return new JsonArray(values.Select(r => (JsonNode?)Numbers(r.Select(Cell))).ToArray());
    }
}
