using System.Globalization;

namespace WeightDecay.Benchmarks;

/// <summary>Settings read from the environment, so that one can shorten a run without editing code.</summary>
public static class BenchSettings
{
    /// <summary>
    /// libtorch intra-op thread counts to run every benchmark with: <c>WD_BENCH_THREADS</c> (comma-separated, e.g. <c>1</c>),
    /// default 1 and 2 (this machine has 2 cores). On a busy machine use 1: OpenMP threads then wait for descheduled peers.
    /// </summary>
    public static IEnumerable<int> Threads()
    {
        var text = Environment.GetEnvironmentVariable("WD_BENCH_THREADS");
        if (string.IsNullOrWhiteSpace(text)) return [1, 2];
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
    }
}
