using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace WeightDecay.Benchmarks;

/// <summary>
/// Derived columns of <see cref="LandscapeBenchmarks"/>, computed from the measured median time per operation (robust to the odd slow iteration on a shared machine):
/// <list type="bullet">
/// <item><b>GFLOP/s</b>: FLOPs the benchmark performs per operation / median time (per-point: one dense forward; batched: see
/// <see cref="LandscapeBenchmarks.BatchedFlopsPerPoint"/>; sgemm: 2·2048³).</item>
/// <item><b>Dense-eq GFLOP/s</b>: one dense forward per grid point / median time — the rate a per-point evaluation would
/// need to match this speed (exceeds the sgemm peak when the algebra saves work).</item>
/// <item><b>% sgemm peak</b>: GFLOP/s / the sgemm benchmark's GFLOP/s at the same thread count, in the same run.</item>
/// <item><b>Speed-up</b>: the per-point benchmark's time per grid point / this benchmark's, at the same thread count.</item>
/// </list>
/// </summary>
public sealed class FlopColumns : DerivedColumn
{
    private readonly Func<Summary, BenchmarkCase, double?> _value;

    private FlopColumns(string name, string legend, string format, Func<Summary, BenchmarkCase, double?> value) : base(name, legend, format)
    {
        _value = value;
    }

    /// <inheritdoc/>
    public override double? Value(Summary summary, BenchmarkCase benchmarkCase) => _value(summary, benchmarkCase);

    /// <summary>Performed GFLOP/s.</summary>
    public static readonly IColumn Performed = new FlopColumns("GFLOP/s", "FLOPs performed per operation / median time", "F1",
        (s, c) => Rate(s, c, Flops(c)));

    /// <summary>Dense-equivalent GFLOP/s.</summary>
    public static readonly IColumn DenseEquivalent = new FlopColumns("Dense-eq GFLOP/s",
        "One dense MLP forward per grid point / median time", "F1",
        (s, c) => Method(c) is nameof(LandscapeBenchmarks.PerPoint) or nameof(LandscapeBenchmarks.Batched) ? Rate(s, c, LandscapeBenchmarks.DenseForwardFlops) : null);

    /// <summary>Share of the sgemm peak measured in the same run.</summary>
    public static readonly IColumn ShareOfPeak = new FlopColumns("% sgemm peak", "GFLOP/s / GFLOP/s of SgemmPeak at the same Threads", "F1",
        (s, c) =>
        {
            var peak = Find(s, c, nameof(LandscapeBenchmarks.SgemmPeak));
            return peak is null || double.IsNaN(Flops(c)) ? null : 100 * Rate(s, c, Flops(c)) / Rate(s, peak, LandscapeBenchmarks.SgemmFlops);
        });

    /// <summary>Speed-up over the per-point path.</summary>
    public static readonly IColumn SpeedUp = new FlopColumns("Speed-up", "Per-point time per grid point / this time per grid point (medians)", "F1",
        (s, c) =>
        {
            if (Method(c) is not (nameof(LandscapeBenchmarks.PerPoint) or nameof(LandscapeBenchmarks.Batched))) return null;
            var baseline = Find(s, c, nameof(LandscapeBenchmarks.PerPoint));
            double? b = baseline is null ? null : Median(s, baseline), m = Median(s, c);
            return b is null || m is null ? null : b / m;
        });

    /// <summary>Memory bandwidth of the bandwidth benchmarks: bytes read + written / median time.</summary>
    public static readonly IColumn Bandwidth = new FlopColumns("GB/s", "Bytes read + written per operation / median time (bandwidth benchmarks)", "F1",
        (s, c) => LandscapeBenchmarks.BytesMoved(Method(c)) is > 0 and var bytes ? Rate(s, c, bytes) : null);

    private static double Flops(BenchmarkCase c) => Method(c) switch
    {
        nameof(LandscapeBenchmarks.PerPoint) => LandscapeBenchmarks.DenseForwardFlops,
        nameof(LandscapeBenchmarks.Batched) => LandscapeBenchmarks.BatchedFlopsPerPoint,
        nameof(LandscapeBenchmarks.SgemmPeak) => LandscapeBenchmarks.SgemmFlops,
        _ => double.NaN,
    };

    private static double? Rate(Summary s, BenchmarkCase c, double flops) => Median(s, c) is double ns ? flops / ns : null; // FLOP/ns = GFLOP/s

    private static BenchmarkCase? Find(Summary s, BenchmarkCase like, string method) =>
        s.BenchmarksCases.FirstOrDefault(b => Method(b) == method && b.Parameters.ValueInfo == like.Parameters.ValueInfo
                                              && b.Job == like.Job);
}
