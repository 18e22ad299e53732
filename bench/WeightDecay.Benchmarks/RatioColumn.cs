using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace WeightDecay.Benchmarks;

/// <summary>
/// A derived column: this benchmark's median time per operation divided by a baseline case's median in the same run (the
/// baseline is chosen by <c>baseline</c>: same job, and whatever else the benchmark class decides). Medians, not means: on a
/// shared machine contention only adds time, and the median ignores the odd slow iteration.
/// </summary>
public sealed class RatioColumn(string name, string legend, Func<BenchmarkCase, BenchmarkCase, bool> isBaselineOf, string format = "F3") : IColumn
{
    private static double? Median(Summary s, BenchmarkCase c) => s[c]?.ResultStatistics?.Median;

    /// <summary>The ratio for <paramref name="c"/>, or null when the baseline is not in the run.</summary>
    public double? Value(Summary s, BenchmarkCase c)
    {
        var baseline = s.BenchmarksCases.FirstOrDefault(b => b.Job == c.Job && isBaselineOf(b, c));
        double? b = baseline is null ? null : Median(s, baseline), m = Median(s, c);
        return b is null || m is null || b == 0 ? null : m / b;
    }

    /// <summary>The value of parameter <paramref name="name"/> of a case, as text.</summary>
    public static string Param(BenchmarkCase c, string name) =>
        Convert.ToString(c.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value, CultureInfo.InvariantCulture) ?? "";

    /// <summary>The benchmark method's name.</summary>
    public static string Method(BenchmarkCase c) => c.Descriptor.WorkloadMethod.Name;

    /// <inheritdoc/>
    public string Id => nameof(RatioColumn) + "." + ColumnName;

    /// <inheritdoc/>
    public string ColumnName { get; } = name;

    /// <inheritdoc/>
    public string Legend { get; } = legend;

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        Value(summary, benchmarkCase) is double v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc/>
    public override string ToString() => ColumnName;
}
