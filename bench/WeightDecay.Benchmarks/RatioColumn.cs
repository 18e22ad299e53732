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
public sealed class RatioColumn(string name, string legend, Func<BenchmarkCase, BenchmarkCase, bool> isBaselineOf, string format = "F3")
    : DerivedColumn(name, legend, format)
{
    /// <summary>The ratio for <paramref name="c"/>, or null when the baseline is not in the run.</summary>
    public override double? Value(Summary s, BenchmarkCase c)
    {
        var baseline = s.BenchmarksCases.FirstOrDefault(b => b.Job == c.Job && isBaselineOf(b, c));
        double? b = baseline is null ? null : Median(s, baseline), m = Median(s, c);
        return b is null || m is null || b == 0 ? null : m / b;
    }

    /// <summary>The value of parameter <paramref name="name"/> of a case, as text.</summary>
    public static string Param(BenchmarkCase c, string name) =>
        Convert.ToString(c.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value, CultureInfo.InvariantCulture) ?? "";
}
