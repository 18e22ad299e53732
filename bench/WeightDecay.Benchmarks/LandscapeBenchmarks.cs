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
/// The 51 × 51 plane θ + α·d₁ + β·d₂ over [−1, 1]² of the seed's MLP (784 → 64 → ReLU → 10, seed 0, untrained) on the 2,000
/// MNIST test digits (one dataset, cross-entropy and accuracy), with filter-normalized random directions (seed 0):
/// <list type="bullet">
/// <item><see cref="PerPoint"/> — the reference path, one forward pass per grid point. The full grid would take minutes, so
/// it evaluates the first <see cref="PerPointRows"/> β-rows (3 × 51 = 153 points; every point costs the same).</item>
/// <item><see cref="Batched"/> — the batched path on the full grid (2,601 points).</item>
/// <item><see cref="SgemmPeak"/> — one float32 torch.mm of two 2048 × 2048 matrices: libtorch's sgemm peak on this machine,
/// measured in the same run.</item>
/// <item><see cref="CopyDram"/> and <see cref="ReluInCache"/> — the memory bandwidth the batched path's elementwise work can
/// use: a 64 MiB float32 copy_ (DRAM) and an in-place relu_ on a 2 MiB tensor (fits the 2 MiB L2: the best case for the
/// batched path's elementwise passes); the "GB/s" column counts bytes read + written.</item>
/// </list>
/// Both landscape benchmarks report time per grid point (OperationsPerInvoke), so "Speed-up" compares like with like;
/// a full batched grid takes (time per point) × 2,601. The derived columns (GFLOP/s, speed-up; from medians) are explained in
/// <see cref="FlopColumns"/>.
/// </summary>
[Config(typeof(LandscapeConfig))]
public class LandscapeBenchmarks
{
    /// <summary>Grid points per axis.</summary>
    public const int Axis = 51;

    /// <summary>β-rows the per-point benchmark evaluates.</summary>
    public const int PerPointRows = 3;

    /// <summary>Size of the square matrices of <see cref="SgemmPeak"/>.</summary>
    public const int SgemmSize = 2048;

    /// <summary>Floats of each <see cref="CopyDram"/> tensor (64 MiB).</summary>
    public const int CopyFloats = 16 << 20;

    /// <summary>Floats of the <see cref="ReluInCache"/> tensor (2 MiB).</summary>
    public const int CacheFloats = 512 << 10;

    /// <summary>Test digits.</summary>
    public const int Examples = 2000;

    private MnistSubset _mnist = null!;
    private Mlp _model = null!;
    private ParameterDirection _x = null!, _y = null!;
    private Tensor _a = null!, _b = null!, _src = null!, _dst = null!, _block = null!;
    private readonly CrossEntropy _loss = new();
    private static readonly GridAxis Full = new(-1, 1, Axis);
    // the first three β values of the full grid: −1, −0.96, −0.92
    private static readonly GridAxis FirstRows = new(-1, -1 + (PerPointRows - 1) * 2.0 / (Axis - 1), PerPointRows);

    /// <summary>libtorch intra-op threads (this machine has 2 cores).</summary>
    [ParamsSource(typeof(BenchSettings), nameof(BenchSettings.Threads))]
    public int Threads { get; set; }

    /// <summary>Loads the data, builds the model and directions, sets the thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(Threads);
        _mnist = Mnist.Load();
        if (_mnist.Test.Count != Examples) throw new InvalidOperationException($"Expected {Examples} test digits, got {_mnist.Test.Count}.");
        _model = new Mlp(seed: 0);
        (_x, _y) = ParameterDirection.RandomPair(_model, seed: 0);
        using var gen = new Generator(1);
        _a = randn(new long[] { SgemmSize, SgemmSize }, generator: gen);
        _b = randn(new long[] { SgemmSize, SgemmSize }, generator: gen);
        _src = randn(new long[] { CopyFloats }, generator: gen);
        _dst = zeros(CopyFloats);
        _block = randn(new long[] { CacheFloats }, generator: gen);
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
        _model.Dispose();
        _mnist.Dispose();
        _a.Dispose();
        _b.Dispose();
        _src.Dispose();
        _dst.Dispose();
        _block.Dispose();
    }

    /// <summary>Reference path on 3 × 51 points; time per point.</summary>
    [Benchmark(OperationsPerInvoke = Axis * PerPointRows)]
    public Slice2D PerPoint() =>
        LossLandscape.Plane(_model, _x, _y, _mnist.Test, null, _loss, Full, FirstRows, new SliceOptions { Path = EvaluationPath.PerPoint });

    /// <summary>Batched path on the full 51 × 51 grid; time per point.</summary>
    [Benchmark(OperationsPerInvoke = Axis * Axis)]
    public Slice2D Batched() =>
        LossLandscape.Plane(_model, _x, _y, _mnist.Test, null, _loss, Full, Full, new SliceOptions { Path = EvaluationPath.Batched });

    /// <summary>One float32 matrix product 2048 × 2048 × 2048.</summary>
    [Benchmark]
    public double SgemmPeak()
    {
        using var c = mm(_a, _b);
        return c[0, 0].ItemAsDouble();
    }

    /// <summary>64 MiB float32 copy: 128 MiB moved through DRAM.</summary>
    [Benchmark]
    public double CopyDram()
    {
        _dst.copy_(_src);
        return _dst[0].ItemAsDouble();
    }

    /// <summary>In-place ReLU on 2 MiB (in L2 after the first pass): 4 MiB moved.</summary>
    [Benchmark]
    public double ReluInCache()
    {
        _block.relu_();
        return _block[0].ItemAsDouble();
    }

    /// <summary>Bytes read + written per operation of the bandwidth benchmarks (0 for the others).</summary>
    public static double BytesMoved(string method) => method switch
    {
        nameof(CopyDram) => 2.0 * 4 * CopyFloats,
        nameof(ReluInCache) => 2.0 * 4 * CacheFloats,
        _ => 0,
    };

    // ------------------------------------------------------------------------------------------------------------------
    // FLOP counts per operation (one grid point, or one sgemm), multiply–add = 2 FLOPs; biases, ReLU and the loss are not
    // counted (they are O(n·width), not O(n·width·width)).
    // ------------------------------------------------------------------------------------------------------------------

    private const double D = 784, H = 64, O = 10, N = Examples;

    /// <summary>One dense forward pass of the MLP over the digits: 2·n·(784·64 + 64·10).</summary>
    public const double DenseForwardFlops = 2 * N * (D * H + H * O);

    /// <summary>
    /// What the batched path computes per point of the full grid: its share of the three first-layer products X·Wᵀ, X·D₁ᵀ,
    /// X·D₂ᵀ (3·2·n·784·64 / 2,601), the first layer at the point as a GEMM with inner dimension 3 (2·3·n·64) and the
    /// second layer (2·n·64·10).
    /// </summary>
    public const double BatchedFlopsPerPoint = 3 * 2 * N * D * H / (Axis * Axis) + 2 * 3 * N * H + 2 * N * H * O;

    /// <summary>One sgemm: 2·2048³.</summary>
    public const double SgemmFlops = 2.0 * SgemmSize * SgemmSize * SgemmSize;
}

/// <summary>Adds the GFLOP/s and speed-up columns; keeps BenchmarkDotNet's defaults otherwise.</summary>
public sealed class LandscapeConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public LandscapeConfig()
    {
        // Median and Min besides the Mean: the machine this was written on is shared, and contention only adds time
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(FlopColumns.Performed, FlopColumns.DenseEquivalent, FlopColumns.ShareOfPeak, FlopColumns.SpeedUp, FlopColumns.Bandwidth);
        WithOptions(ConfigOptions.DisableLogFile);
    }
}
