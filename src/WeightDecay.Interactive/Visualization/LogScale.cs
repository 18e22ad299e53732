using System.Globalization;

namespace WeightDecay.Interactive.Visualization;

/// <summary>
/// The ticks and range of a log axis for a set of values, chosen so that every label is a full value:
/// <list type="bullet">
/// <item>three decades or more: powers of ten (every second or third when there are many);</item>
/// <item>about one to three decades: 1, 2, 5 × 10ᵏ (1, 2, 3, 5, 7 × 10ᵏ below 1.3 decades);</item>
/// <item>less than half a decade: a round linear step (0.02, 0.025, 0.03, …).</item>
/// </list>
/// plotly.js's automatic log ticks label the values between powers of ten with bare digits ("3" for 0.03),
/// which reads wrongly when no power of ten is in view. Exact zeros cannot sit on a log axis: they are drawn
/// at <see cref="Floor"/>, half a decade to a decade below the smallest positive value (a quarter of the
/// positive values' span), on a tick labelled "0". Negative values are not representable and stay off the
/// axis.
/// </summary>
internal sealed class LogScale
{
    private LogScale(double? floor, double[] tickValues, string[] tickTexts, double[] range)
    {
        Floor = floor;
        TickValues = tickValues;
        TickTexts = tickTexts;
        Range = range;
    }

    /// <summary>Where exact zeros are drawn, or null when there are none.</summary>
    public double? Floor { get; }

    /// <summary>Tick positions (data units).</summary>
    public double[] TickValues { get; }

    /// <summary>Tick labels (plotly.js text: powers of ten as 10&lt;sup&gt;k&lt;/sup&gt;).</summary>
    public string[] TickTexts { get; }

    /// <summary>The axis range in log₁₀ units, as plotly.js expects for log axes.</summary>
    public double[] Range { get; }

    /// <summary>Where a value is drawn: zeros at the floor, everything else where it is.</summary>
    public double Place(double value) => value == 0 && Floor is { } f ? f : value;

    /// <summary>The scale for these values (NaN and ±∞ ignored).</summary>
    public static LogScale Of(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        bool zeros = finite.Contains(0);
        var positive = finite.Where(v => v > 0).ToList();
        double lo = positive.Count > 0 ? positive.Min() : 1, hi = positive.Count > 0 ? positive.Max() : 1;
        if (hi / lo < 1.5)
        {
            double mid = Math.Sqrt(lo * hi);
            (lo, hi) = (mid / 1.25, mid * 1.25);
        }
        double l0 = Math.Log10(lo), l1 = Math.Log10(hi), span = l1 - l0, pad = Math.Max(0.04 * span, 0.02);
        var ticks = Ticks(l0 - pad, l1 + pad, span);
        double? floor = null;
        double bottom = l0 - pad;
        if (zeros)
        {
            floor = Math.Pow(10, l0 - Math.Clamp(0.25 * span, 0.5, 1.0));
            ticks.Insert(0, (floor.Value, "0"));
            bottom = Math.Log10(floor.Value) - 0.3;
        }
        return new LogScale(floor, ticks.Select(t => t.Value).ToArray(), ticks.Select(t => t.Text).ToArray(),
            [bottom, l1 + pad]);
    }

    private static List<(double Value, string Text)> Ticks(double a, double b, double span)
    {
        var ticks = new List<(double, string)>();
        if (span >= 3)
        {
            int first = (int)Math.Ceiling(a), last = (int)Math.Floor(b);
            int step = Math.Max(1, (int)Math.Ceiling((last - first + 1) / 8.0));
            for (int k = first; k <= last; k++)
                if (k % step == 0) ticks.Add((Math.Pow(10, k), Decade(k)));
        }
        else if (span >= 0.5)
        {
            double[] mantissas = span >= 1.3 ? [1, 2, 5] : [1, 2, 3, 5, 7];
            for (int k = (int)Math.Floor(a); k <= (int)Math.Ceiling(b); k++)
                foreach (var m in mantissas)
                {
                    double v = m * Math.Pow(10, k), l = Math.Log10(v);
                    if (l >= a && l <= b) ticks.Add((v, m == 1 ? Decade(k) : Full(v)));
                }
        }
        else
        {
            double lo = Math.Pow(10, a), hi = Math.Pow(10, b), step = Nice((hi - lo) / 5);
            for (long k = (long)Math.Ceiling(lo / step); k * step <= hi; k++)
                ticks.Add((k * step, Full(k * step)));
        }
        return ticks;
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 × 10ᵏ that is at least <paramref name="raw"/>.</summary>
    private static double Nice(double raw)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var m in new[] { 1, 2, 2.5, 5, 10 })
            if (m * p >= raw * (1 - 1e-9)) return m * p;
        return 10 * p;
    }

    /// <summary>10ᵏ as a label: plain from 0.001 to 10⁴, else 10&lt;sup&gt;k&lt;/sup&gt;.</summary>
    internal static string Decade(int k) =>
        k is >= -3 and <= 4 ? Full(Math.Pow(10, k)) : $"10<sup>{Signed(k)}</sup>";

    /// <summary>A full value as a label: plain from 0.001 to 10⁵, else
    /// m×10&lt;sup&gt;k&lt;/sup&gt;.</summary>
    internal static string Full(double v)
    {
        double a = Math.Abs(v);
        if (a == 0 || (a >= 1e-3 && a < 1e5))
            return double.Parse(v.ToString("G6", Invariant), Invariant).ToString("G6", Invariant);
        int k = (int)Math.Floor(Math.Log10(a));
        double m = Math.Round(v / Math.Pow(10, k), 3);
        return (m == 1 ? "" : m.ToString("G3", Invariant) + "×") + $"10<sup>{Signed(k)}</sup>";
    }

    private static CultureInfo Invariant => CultureInfo.InvariantCulture;

    private static string Signed(int k) => k < 0 ? "−" + (-k).ToString(Invariant) : k.ToString(Invariant);
}
