using System.Globalization;
using System.Text.RegularExpressions;

namespace WeightDecay.Runner;

/// <summary>
/// The values a parameter accepts, declared in its comment in the parameters cell — <c>range: ≥ 1</c>, <c>range: &gt;
/// 0</c>, <c>range: [0, 1)</c> for numbers (each entry of an array), optionally followed by <c>, odd</c> (an odd
/// integer: a grid of that many points from −1 to 1 then has its middle point at 0), <c>one of: mnist, regression</c>
/// for strings. The
/// runner checks every value a notebook would run with (the default, the quick value, a <c>--param</c>) against it
/// before any work.
/// </summary>
public sealed partial class ParameterRange
{
    private readonly double? _low, _high;
    private readonly bool _lowInclusive, _highInclusive, _odd;
    private readonly IReadOnlyList<string>? _choices;

    /// <summary>The declaration as written, e.g. <c>≥ 1</c> or <c>one of: sgd, adam</c>.</summary>
    public string Text { get; }

    private ParameterRange(string text, double? low, bool lowInclusive, double? high, bool highInclusive,
        IReadOnlyList<string>? choices, bool odd = false)
    {
        (Text, _low, _lowInclusive, _high, _highInclusive, _choices, _odd) =
            (text, low, lowInclusive, high, highInclusive, choices, odd);
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>A list of allowed strings (<c>one of: a, b</c>).</summary>
    public static ParameterRange Choices(string list)
    {
        var items = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
            throw new ArgumentException("'one of:' needs at least one value, e.g. 'one of: sgd, adam'.");
        return new ParameterRange("one of: " + string.Join(", ", items), null, false, null, false, items);
    }

    /// <summary>Parses a numeric range: <c>&gt; a</c>, <c>≥ a</c> (or <c>&gt;=</c>), <c>&lt; b</c>, <c>≤ b</c> (or
    /// <c>&lt;=</c>), or an interval <c>[a, b]</c>, <c>[a, b)</c>, <c>(a, b]</c>, <c>(a, b)</c>; any of them followed
    /// by <c>, odd</c> admits only the odd integers in it.</summary>
    /// <exception cref="ArgumentException">Not one of these forms.</exception>
    public static ParameterRange Parse(string text)
    {
        string t = text.Trim();
        if (t.EndsWith(", odd", StringComparison.Ordinal))
        {
            var r = Parse(t[..^", odd".Length]);
            return new ParameterRange(t, r._low, r._lowInclusive, r._high, r._highInclusive, null, odd: true);
        }
        var inv = CultureInfo.InvariantCulture;
        var bound = Bound().Match(t);
        if (bound.Success && double.TryParse(bound.Groups["v"].Value, NumberStyles.Float, inv, out var v))
        {
            string op = bound.Groups["op"].Value;
            return op switch
            {
                ">" => new ParameterRange(t, v, false, null, false, null),
                ">=" or "≥" => new ParameterRange(t, v, true, null, false, null),
                "<" => new ParameterRange(t, null, false, v, false, null),
                _ => new ParameterRange(t, null, false, v, true, null),
            };
        }
        var interval = Interval().Match(t);
        if (interval.Success && double.TryParse(interval.Groups["a"].Value, NumberStyles.Float, inv, out var a) &&
            double.TryParse(interval.Groups["b"].Value, NumberStyles.Float, inv, out var b) && a <= b)
            return new ParameterRange(t, a, interval.Groups["l"].Value == "[", b, interval.Groups["r"].Value == "]",
                null);
        throw new ArgumentException(
            $"'range: {text}' is not a range; write e.g. 'range: > 0', 'range: ≥ 1', 'range: [0, 1)', " +
            "'range: ≥ 3, odd' or 'one of: a, b'.");
    }

    /// <summary>Whether a number lies in the range (NaN never does; a list of choices accepts no number).</summary>
    public bool Contains(double value)
    {
        if (_choices is not null || double.IsNaN(value)) return false;
        if (_low is { } lo && (value < lo || (!_lowInclusive && value == lo))) return false;
        if (_high is { } hi && (value > hi || (!_highInclusive && value == hi))) return false;
        return !_odd || (Math.Abs(value) < 1e15 && Math.Floor(value) == value && Math.Abs(value % 2) == 1);
    }

    /// <summary>Whether a string is one of the choices (a numeric range accepts no string).</summary>
    public bool Contains(string value) => _choices?.Contains(value, StringComparer.Ordinal) == true;

    /// <summary>Whether this range constrains numbers (else strings).</summary>
    public bool IsNumeric => _choices is null;

    [GeneratedRegex(@"^(?<op>>=|<=|≥|≤|>|<)\s*(?<v>[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)$")]
    private static partial Regex Bound();

    [GeneratedRegex(@"^(?<l>[\[(])\s*(?<a>[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*,\s*" +
                    @"(?<b>[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*(?<r>[\])])$")]
    private static partial Regex Interval();
}
