using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Regularization;
using static TorchSharp.torch;

namespace WeightDecay.Benchmarks;

/// <summary>
/// <c>steps [--blocks 41] [--steps 40] [--threads 1] [--legacy]</c>: the training step of <see cref="TrainingStepBenchmarks"/>
/// for every decay method (and, with <c>--legacy</c>, the step as it was before the optimization, <see cref="LegacyStep"/>),
/// measured <em>interleaved</em> in one process: each block times <c>--steps</c> steps of every configuration in turn (rotating
/// the order), and a configuration's ratio to no decay is the median over blocks of the per-block ratio. On a shared machine
/// load changes between BenchmarkDotNet's sequential runs; here both sides of a ratio see the same load within a block.
/// </summary>
public static class InterleavedStepCommand
{
    private sealed record Config(string Name, OptimizerKind Kind, DecayMethod Method, bool Legacy, Func<double> Step, IDisposable Owner);

    /// <summary>Runs the comparison and prints a Markdown table.</summary>
    public static int Run(string[] args)
    {
        int blocks = Option(args, "--blocks", 41), steps = Option(args, "--steps", 40), threads = Option(args, "--threads", 1);
        bool legacy = args.Contains("--legacy");
        set_num_threads(threads);
        using var mnist = Mnist.Load();
        using var x = mnist.Train.Features.narrow(0, 0, TrainingStepBenchmarks.BatchSize).clone();
        using var y = mnist.Train.Targets.narrow(0, 0, TrainingStepBenchmarks.BatchSize).clone();
        var loss = new CrossEntropy();
        var configs = new List<Config>();
        foreach (var kind in new[] { OptimizerKind.Sgd, OptimizerKind.Adam })
            foreach (var method in new[] { DecayMethod.None, DecayMethod.Penalty, DecayMethod.Coupled, DecayMethod.Decoupled })
                foreach (bool old in legacy ? new[] { false, true } : new[] { false })
                {
                    var model = new Mlp(seed: 0);
                    model.train();
                    var options = new OptimizerOptions(kind, kind == OptimizerKind.Sgd ? 0.1 : 1e-3);
                    var decay = new WeightDecayOptions(method, method == DecayMethod.None ? 0 : TrainingStepBenchmarks.Lambda);
                    if (old)
                    {
                        var step = new LegacyStep(model, options, decay);
                        configs.Add(new Config($"{kind} {method} (before)", kind, method, true, () => step.Run(loss, x, y), new Owner(model, step)));
                    }
                    else
                    {
                        var opt = new WeightDecayOptimizer(model, options, decay);
                        configs.Add(new Config($"{kind} {method}", kind, method, false, () => TrainingStep.Run(model, opt, loss, x, y), new Owner(model, opt)));
                    }
                }
        Console.WriteLine($"# Training step, interleaved: {blocks} blocks × {steps} steps per configuration, threads {threads}; load average {Load()}");
        foreach (var c in configs) for (int i = 0; i < 20; i++) c.Step(); // warm-up
        var times = configs.ToDictionary(c => c, _ => new List<double>());
        var clock = new Stopwatch();
        for (int b = 0; b < blocks; b++)
            for (int j = 0; j < configs.Count; j++)
            {
                var c = configs[(j + b) % configs.Count];
                clock.Restart();
                for (int s = 0; s < steps; s++) c.Step();
                times[c].Add(clock.Elapsed.TotalMicroseconds / steps);
            }
        Console.WriteLine();
        Console.WriteLine("| optimizer | decay | code | median µs/step | min µs/step | ratio vs none (median of per-block ratios) | interquartile range |");
        Console.WriteLine("|---|---|---|--:|--:|--:|--:|");
        foreach (var c in configs)
        {
            var baseline = configs.First(b => b.Kind == c.Kind && b.Method == DecayMethod.None && b.Legacy == c.Legacy);
            var ratios = times[c].Zip(times[baseline], (a, b) => a / b).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Kind} | {c.Method} | {(c.Legacy ? "before" : "after")} | {Median(times[c]):F1} | {times[c].Min():F1} | {Median(ratios):F3} | {Quantile(ratios, 0.25):F3}–{Quantile(ratios, 0.75):F3} |"));
        }
        if (legacy)
        {
            Console.WriteLine();
            Console.WriteLine("| optimizer | decay | after / before (median of per-block ratios) |");
            Console.WriteLine("|---|---|--:|");
            foreach (var c in configs.Where(c => !c.Legacy))
            {
                var old = configs.First(o => o.Legacy && o.Kind == c.Kind && o.Method == c.Method);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c.Kind} | {c.Method} | {Median(times[c].Zip(times[old], (a, b) => a / b).ToList()):F3} |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine($"load average after: {Load()}");
        foreach (var c in configs) c.Owner.Dispose();
        return 0;
    }

    private static double Quantile(List<double> v, double q)
    {
        var s = v.OrderBy(t => t).ToList();
        double pos = q * (s.Count - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    private static double Median(List<double> v)
    {
        var s = v.OrderBy(t => t).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class Owner(params IDisposable[] items) : IDisposable
    {
        public void Dispose() { foreach (var i in items) i.Dispose(); }
    }
}

/// <summary>
/// The training step as it was before the performance work (commit af53c3c): <c>Trainer.Fit</c> computed λR(θ) with a graph
/// for every decayed run (coupled and decoupled too, for the log), and <c>WeightDecayOptimizer.step</c> built each update
/// out of temporaries (<c>grad + θ.clone()·λ</c>, <c>θ.sub_(θ.clone()·ηλ)</c>, <c>θ.sub_(d·η)</c>, Adam's
/// <c>M/denom·(η/c₁)</c>). Kept only to measure the before/after in one process; SGD without momentum and Adam, L2.
/// </summary>
public sealed class LegacyStep : IDisposable
{
    private readonly Mlp _model;
    private readonly OptimizerOptions _o;
    private readonly WeightDecayOptions _d;
    private readonly List<(Parameter P, bool Decayed)> _params;
    private readonly Dictionary<Parameter, (Tensor M, Tensor V)> _adam = [];
    private long _t;

    /// <summary>Wraps the model's parameters.</summary>
    public LegacyStep(Mlp model, OptimizerOptions options, WeightDecayOptions decay)
    {
        (_model, _o, _d) = (model, options, decay);
        _params = ParameterSelection.Trainable(model).Select(p => (p.Parameter, ParameterSelection.IsDecayed(p.Parameter, decay.Selection))).ToList();
    }

    private Tensor Penalty() =>
        Regularizer.L2.Total(_params.Where(p => p.Decayed).Select(p => (Tensor)p.P)).Mul(_d.Lambda);

    /// <summary>One step as before; returns the data loss.</summary>
    public double Run(Loss loss, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        foreach (var (p, _) in _params) { using var g = p.grad; g?.zero_(); }
        var dataLoss = loss.Forward(_model.forward(x), y);
        var penalty = _d.Lambda == 0 || _d.Method == DecayMethod.None ? null : Penalty();
        var objective = _d.Method == DecayMethod.Penalty && penalty is not null ? dataLoss.Add(penalty) : dataLoss;
        double batchLoss = dataLoss.ItemAsDouble();
        double penaltyValue = penalty?.ItemAsDouble() ?? 0;
        if (!double.IsFinite(batchLoss) || !double.IsFinite(penaltyValue)) throw new ArithmeticException("diverged");
        objective.backward();
        Step();
        return batchLoss;
    }

    private void Step()
    {
        _t++;
        double lr = _o.LearningRate, lambda = _d.Lambda;
        var reg = Regularizer.L2;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (theta, decayed) in _params)
        {
            var grad = theta.grad;
            if (grad is null) continue;
            bool decay = decayed && lambda != 0;
            if (decay && _d.Method == DecayMethod.Coupled) grad = grad.Add(reg.Gradient(theta).Mul(lambda));
            if (decay && _d.Method == DecayMethod.Decoupled) theta.sub_(reg.Gradient(theta).Mul(lr * lambda));
            if (_o.Kind == OptimizerKind.Sgd) theta.sub_(grad.Mul(lr));
            else
            {
                if (!_adam.TryGetValue(theta, out var mv))
                    _adam[theta] = mv = (zeros_like(theta).DetachFromDisposeScope(), zeros_like(theta).DetachFromDisposeScope());
                double b1 = _o.Beta1, b2 = _o.Beta2;
                using (var b1S = b1.ToScalar()) mv.M.mul_(b1S).Add_(grad.Mul(1 - b1));
                using (var b2S = b2.ToScalar()) mv.V.mul_(b2S).Add_(grad.Square().Mul(1 - b2));
                double c1 = 1 - Math.Pow(b1, _t), c2 = 1 - Math.Pow(b2, _t);
                using var epsilon = _o.Epsilon.ToScalar();
                var denom = mv.V.Div(c2).sqrt_().add_(epsilon, Scalars.One);
                theta.sub_((mv.M / denom).Mul(lr / c1));
            }
        }
    }

    /// <summary>Frees Adam's moments.</summary>
    public void Dispose()
    {
        foreach (var (m, v) in _adam.Values) { m.Dispose(); v.Dispose(); }
        _adam.Clear();
    }
}
