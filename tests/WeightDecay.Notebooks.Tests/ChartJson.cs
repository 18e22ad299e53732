using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace WeightDecay.Notebooks.Tests;

/// <summary>A chart builder's output as plotly.js figure JSON (<see cref="GenericChart.toFigureJson"/>), and readers
/// for it.</summary>
internal static partial class ChartJson
{
    public static JsonNode Of(GenericChart chart) => JsonNode.Parse(GenericChart.toFigureJson(chart))!;

    public static JsonArray Data(this JsonNode json) => json["data"]!.AsArray();

    public static JsonNode Layout(this JsonNode json) => json["layout"]!;

    public static double[] Doubles(this JsonNode? array) =>
        array!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    public static double?[] NullableDoubles(this JsonNode? array) =>
        array!.AsArray().Select(v => v?.GetValue<double>()).ToArray();

    public static string[] Strings(this JsonNode? array) =>
        array!.AsArray().Select(v => v!.GetValue<string>()).ToArray();

    public static string Text(this JsonNode? title) => title!["text"]!.GetValue<string>();

    /// <summary>Which traces slider position <paramref name="step"/> shows.</summary>
    public static bool[] Visible(this JsonNode json, int step) =>
        json.Layout()["sliders"]![0]!["steps"]![step]!["args"]![0]!["visible"]!.AsArray()
            .Select(v => v!.GetValue<bool>()).ToArray();

    /// <summary>Every axis object of the layout (xaxis, yaxis2, …), by name.</summary>
    public static IEnumerable<(string Name, JsonNode Axis)> Axes(this JsonNode json) =>
        json.Layout().AsObject().Where(p => AxisName().IsMatch(p.Key)).Select(p => (p.Key, p.Value!));

    /// <summary>
    /// The number a tick label states: plain numbers, "10&lt;sup&gt;−5&lt;/sup&gt;", "2×10&lt;sup&gt;−5&lt;/sup&gt;";
    /// null for anything else.
    /// </summary>
    public static double? LabelValue(string label)
    {
        var power = PowerLabel().Match(label);
        if (power.Success)
        {
            double m = power.Groups[1].Success ? double.Parse(power.Groups[1].Value, CultureInfo.InvariantCulture) : 1;
            int k = int.Parse(power.Groups[2].Value.Replace('−', '-'), CultureInfo.InvariantCulture);
            return m * Math.Pow(10, k);
        }
        return double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }

    [GeneratedRegex(@"^[xy]axis\d*$")]
    private static partial Regex AxisName();

    [GeneratedRegex(@"^(?:([\d.]+)×)?10<sup>([−-]?\d+)</sup>$")]
    private static partial Regex PowerLabel();
}
