using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Landscape;
using WeightDecay.Losses;
using WeightDecay.Models;
using static TorchSharp.torch;

namespace WeightDecay.Benchmarks;

/// <summary>
/// The cost of one iteration of <see cref="Sharpness.Estimate"/>'s power iteration against one gradient, for the seed's MLP
/// (784 → 64 → ReLU → 10, seed 0) on the 2,000 training digits notebook 06 uses (every 4th of the 8,000), one batch:
/// <list type="bullet">
/// <item><see cref="Gradient"/> — forward, mean cross-entropy, backward into .grad (what a full-batch gradient step costs).</item>
/// <item><see cref="PowerIterationStep"/> — one Hessian-vector product by double backward
/// (<see cref="Sharpness.HessianVectorProduct"/>: gradient with create_graph, g·v, second backward, result in float64) and
/// the iteration's vector work (Rayleigh quotient, residual, norm, normalization), as in <c>Sharpness.PowerIteration</c>.</item>
/// </list>
/// "Ratio vs Gradient" = median time / median time of <see cref="Gradient"/> at the same thread count (theory: an HVP costs a
/// small multiple of a gradient, ≈ 2–4×).
/// </summary>
[Config(typeof(HessianConfig))]
public class HessianBenchmarks
{
    /// <summary>Training digits in the subset.</summary>
    public const int Examples = 2000;

    private MnistSubset _mnist = null!;
    private TensorDataset _subset = null!;
    private Mlp _model = null!;
    private ParameterDirection _v = null!;
    private readonly CrossEntropy _loss = new();

    /// <summary>libtorch intra-op threads (<see cref="BenchSettings.Threads"/>).</summary>
    [ParamsSource(typeof(BenchSettings), nameof(BenchSettings.Threads))]
    public int Threads { get; set; }

    /// <summary>Loads the data and builds the model and a unit start vector.</summary>
    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(Threads);
        _mnist = Mnist.Load();
        _subset = _mnist.Train.Subset(Enumerable.Range(0, Examples).Select(i => (long)i * 4).ToArray());
        _model = new Mlp(seed: 0);
        using var raw = ParameterDirection.Random(_model, seed: 0);
        _v = raw.Scale(1 / raw.Norm());
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _v.Dispose();
        _model.Dispose();
        _subset.Dispose();
        _mnist.Dispose();
    }

    /// <summary>One full-batch gradient (forward + backward).</summary>
    [Benchmark]
    public double Gradient()
    {
        using var scope = NewDisposeScope();
        _model.zero_grad();
        var l = _loss.Forward(_model.forward(_subset.Features), _subset.Targets);
        l.backward();
        return l.ItemAsDouble();
    }

    /// <summary>One power-iteration step: Hv, then vᵀHv, ‖Hv − λv‖, ‖Hv‖ and Hv/‖Hv‖ (the new iterate is discarded, so
    /// every invocation does the same work).</summary>
    [Benchmark]
    public double PowerIterationStep()
    {
        using var h = Sharpness.HessianVectorProduct(_model, _subset, _loss, _v);
        double lambda = _v.Dot(h);
        double residual;
        using (var r = h.Add(_v, -lambda)) residual = r.Norm();
        double norm = h.Norm();
        using var next = h.Scale(1 / norm);
        return lambda + residual;
    }
}

/// <summary>Median, Min and the ratio to one gradient.</summary>
public sealed class HessianConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public HessianConfig()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(new RatioColumn("Ratio vs Gradient", "Median time / median time of Gradient (same threads)",
            (b, c) => RatioColumn.Method(b) == nameof(HessianBenchmarks.Gradient)
                      && RatioColumn.Param(b, "Threads") == RatioColumn.Param(c, "Threads")));
        WithOptions(ConfigOptions.DisableLogFile);
    }
}
