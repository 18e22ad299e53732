namespace WeightDecay.Runner;

/// <summary>Reads a <c>grid:</c> annotation (<see cref="GridRule"/>).</summary>
public static class GridRules
{
    /// <summary>Parses <c>any</c>, <c>subsequence</c> or <c>measured</c>.</summary>
    /// <exception cref="ArgumentException">Another word.</exception>
    public static GridRule Parse(string text) => text.Trim() switch
    {
        "any" => GridRule.Any,
        "subsequence" => GridRule.Subsequence,
        "measured" => GridRule.Measured,
        var t => throw new ArgumentException(
            $"'grid: {t}' is not a grid rule; write 'grid: any', 'grid: subsequence' or 'grid: measured'."),
    };
}
