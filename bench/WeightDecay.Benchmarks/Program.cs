using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace WeightDecay.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/WeightDecay.Benchmarks -- --filter '*'</c> runs every benchmark
/// (see docs/performance.md); any BenchmarkDotNet argument works (<c>--list flat</c>, <c>--job dry</c>, <c>--filter</c>).
/// <c>-- memory [--trainings 20] [--epochs 3] [--threads N]</c> runs the peak-RSS comparison instead (<see cref="MemoryCommand"/>);
/// <c>-- steps [--legacy]</c> the interleaved training-step comparison (<see cref="InterleavedStepCommand"/>).
/// <c>--allow-debug</c> lets BenchmarkDotNet run against a Debug build of the library (the CI smoke runs in the tests'
/// configuration, usually Debug); its timings then mean nothing, so measurements never use it.
/// </summary>
public static class Program
{
    /// <summary>Loads the TorchSharp natives (with the Debian 12 fix) and hands the arguments to BenchmarkSwitcher.</summary>
    public static int Main(string[] args)
    {
        Native.TorchNativeLoader.EnsureLoaded();
        if (args.Length > 0 && args[0] == "memory") return MemoryCommand.Run(args[1..]);
        if (args.Length > 0 && args[0] == "steps") return InterleavedStepCommand.Run(args[1..]);
        if (args.Length > 0 && args[0] == "memory-child") return MemoryCommand.RunChild(args[1..]);
        bool allowDebug = args.Contains("--allow-debug");
        var config = allowDebug ? DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator) : null;
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Where(a => a != "--allow-debug").ToArray(), config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
