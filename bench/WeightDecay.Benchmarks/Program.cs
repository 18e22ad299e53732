using BenchmarkDotNet.Running;

namespace WeightDecay.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/WeightDecay.Benchmarks -- --filter '*'</c> runs every benchmark
/// (see docs/performance.md); any BenchmarkDotNet argument works (<c>--list flat</c>, <c>--job dry</c>, <c>--filter</c>).
/// </summary>
public static class Program
{
    /// <summary>Loads the TorchSharp natives (with the Debian 12 fix) and hands the arguments to BenchmarkSwitcher.</summary>
    public static int Main(string[] args)
    {
        Native.TorchNativeLoader.EnsureLoaded();
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
