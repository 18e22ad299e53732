using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace WeightDecay.Benchmarks;

/// <summary>
/// A numeric summary column computed from the run's results (<see cref="Value"/>); shown as "-" where it does not apply.
/// The derived columns (<see cref="RatioColumn"/>, <see cref="FlopColumns"/>) only supply the value.
/// </summary>
public abstract class DerivedColumn(string name, string legend, string format) : IColumn
{
    /// <summary>The value for <paramref name="benchmarkCase"/>, or null where it does not apply.</summary>
    public abstract double? Value(Summary summary, BenchmarkCase benchmarkCase);

    /// <summary>Median time per operation (ns) of a case: on a shared machine contention only adds time, and the median
    /// ignores the odd slow iteration.</summary>
    protected static double? Median(Summary s, BenchmarkCase c) => s[c]?.ResultStatistics?.Median;

    /// <summary>The benchmark method's name.</summary>
    public static string Method(BenchmarkCase c) => c.Descriptor.WorkloadMethod.Name;

    /// <inheritdoc/>
    public string Id => GetType().Name + "." + ColumnName;

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
