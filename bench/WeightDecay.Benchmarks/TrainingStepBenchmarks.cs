using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using static TorchSharp.torch;

namespace WeightDecay.Benchmarks;

/// <summary>
/// One training step of the seed's MLP (784 → 64 → ReLU → 10, <c>new Mlp()</c>) on a minibatch of 128 MNIST training
/// digits, exactly as <see cref="Training.Trainer.Fit"/> runs it (<see cref="Training.Trainer.Step"/>): zero_grad, forward,
/// cross-entropy, the optimizer's objective (plus λR(θ) for <see cref="DecayMethod.Penalty"/>; for the other methods the
/// penalty is only logged, when steps are recorded, which the benchmark does not do), backward,
/// <see cref="WeightDecayOptimizer.step"/>, the loss read back as a double. The batch is preallocated: data
/// loading (the index_select of a shuffled batch) is not measured. λ = 5e-4, learning rate 0.1 (SGD) or 1e-3 (Adam).
/// "Ratio" = median time / median time of <see cref="DecayMethod.None"/> with the same optimizer and thread count.
/// </summary>
[Config(typeof(TrainingStepConfig))]
public class TrainingStepBenchmarks
{
    /// <summary>Minibatch size.</summary>
    public const int BatchSize = 128;

    /// <summary>λ of the decayed runs.</summary>
    public const double Lambda = 5e-4;

    private MnistSubset _mnist = null!;
    private Mlp _model = null!;
    private WeightDecayOptimizer _optimizer = null!;
    private Tensor _x = null!, _y = null!;
    private readonly CrossEntropy _loss = new();

    /// <summary>How decay enters the step.</summary>
    [Params(DecayMethod.None, DecayMethod.Penalty, DecayMethod.Coupled, DecayMethod.Decoupled)]
    public DecayMethod Decay { get; set; }

    /// <summary>SGD (the seed's optimizer) or Adam.</summary>
    [Params(OptimizerKind.Sgd, OptimizerKind.Adam)]
    public OptimizerKind Optimizer { get; set; }

    /// <summary>libtorch intra-op threads (<see cref="BenchSettings.Threads"/>).</summary>
    [ParamsSource(typeof(BenchSettings), nameof(BenchSettings.Threads))]
    public int Threads { get; set; }

    /// <summary>Loads the data, builds the model, the optimizer and the batch; sets the thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(Threads);
        _mnist = Mnist.Load();
        _x = _mnist.Train.Features.narrow(0, 0, BatchSize).clone();
        _y = _mnist.Train.Targets.narrow(0, 0, BatchSize).clone();
        _model = new Mlp(seed: 0);
        _model.train();
        var options = new OptimizerOptions(Optimizer, Optimizer == OptimizerKind.Sgd ? 0.1 : 1e-3);
        _optimizer = new WeightDecayOptimizer(_model, options,
            new WeightDecayOptions(Decay, Decay == DecayMethod.None ? 0 : Lambda));
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _x.Dispose();
        _y.Dispose();
        _mnist.Dispose();
    }

    /// <summary>One step; returns the batch loss (so nothing is optimized away).</summary>
    [Benchmark]
    public double Step() => TrainingStep.Run(_model, _optimizer, _loss, _x, _y);
}

/// <summary>One step of <see cref="Training.Trainer.Fit"/> without data loading: the shared
/// <see cref="Training.Trainer.Step"/> and the divergence check the trainer's log makes after it.</summary>
public static class TrainingStep
{
    /// <summary>zero_grad, forward, loss (+ penalty), backward, step; returns the data loss.</summary>
    public static double Run(nn.Module<Tensor, Tensor> model, WeightDecayOptimizer optimizer, Loss loss, Tensor x,
        Tensor y)
    {
        using var scope = NewDisposeScope();
        var (dataLoss, objective) = Training.Trainer.Step(optimizer, () => loss.Forward(model.forward(x), y));
        double batchLoss = dataLoss.ItemAsDouble();
        double total = ReferenceEquals(objective, dataLoss) ? batchLoss : objective.ItemAsDouble();
        if (!double.IsFinite(batchLoss) || !double.IsFinite(total)) throw new ArithmeticException("diverged");
        return batchLoss;
    }
}

/// <summary>Median, Min and the ratio to no decay.</summary>
public sealed class TrainingStepConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public TrainingStepConfig()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(new RatioColumn("Ratio vs None", "Median time / median time of Decay=None (same optimizer, threads)",
            (b, c) => RatioColumn.Param(b, "Decay") == nameof(DecayMethod.None)
                      && RatioColumn.Param(b, "Optimizer") == RatioColumn.Param(c, "Optimizer")
                      && RatioColumn.Param(b, "Threads") == RatioColumn.Param(c, "Threads")));
        WithOptions(ConfigOptions.DisableLogFile);
    }
}
