using WeightDecay.Losses;
using WeightDecay.Native;
using WeightDecay.Optimization;
using WeightDecay.Regularization;
using WeightDecay.Training;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace WeightDecay.Experiments;

/// <summary>
/// Small, exact experiments on what the decay step does: pure decay, coupled against decoupled decay run in lockstep,
/// and weights with very different gradient scales under Adam with L2 against AdamW. Every step is
/// <see cref="Trainer.Step"/>, the step the trainer takes.
/// </summary>
/// <remarks>Lesson 02 (02-the-gradient-derived-and-verified and its solutions); <see cref="Simulate"/> also runs
/// lesson 07's <see cref="AdamShrinkage"/>.</remarks>
public static class DecayDynamics
{
    /// <summary>
    /// θ₀, θ₁, …, θ_steps of one weight trained with <see cref="WeightDecayOptimizer"/> on a loss whose gradient is
    /// zero, so that only the decay acts (for <see cref="DecayMethod.Penalty"/> the gradient of the penalty is taken
    /// by autograd).
    /// </summary>
    public static double[] PureDecay(OptimizerKind kind, DecayMethod method, double learningRate, double lambda,
        int steps, double theta0 = 1.0) =>
        Trajectories(kind, method, learningRate, lambda, [0.0], steps, theta0)[0];

    /// <summary>(1 − ηλ)ᵗ θ₀ for t = 0 … steps: pure decay in closed form.</summary>
    public static double[] Geometric(double learningRate, double lambda, int steps, double theta0 = 1.0)
    {
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Steps must be ≥ 0.");
        double r = 1 - LambdaConversion.PerStepDecay(lambda, learningRate);
        return Enumerable.Range(0, steps + 1).Select(t => theta0 * Math.Pow(r, t)).ToArray();
    }

    /// <summary>
    /// Trajectories of k scalar weights, all starting at θ₀, under a data loss whose gradient for weight i at step t
    /// is sᵢ·(−1)ᵗ: a gradient of scale sᵢ that averages out, like minibatch noise around a flat minimum, so that any
    /// systematic shrinking is the decay's doing. Every weight is decayed (<see cref="DecaySelection.All"/>). Returns
    /// [weight][t], t = 0 … steps, in float64.
    /// </summary>
    public static double[][] Trajectories(OptimizerKind kind, DecayMethod method, double learningRate, double lambda,
        IReadOnlyList<double> gradientScales, int steps, double theta0 = 1.0) =>
        Simulate(kind, method, learningRate, lambda, gradientScales, steps, theta0).Trajectories;

    /// <summary>
    /// <see cref="Trajectories"/>, plus each weight's Adam factor 1/(√v̂ + ε) after the last step
    /// (<see cref="WeightDecayOptimizer.MedianAdaptiveScale"/>; NaN for SGD or without a step).
    /// </summary>
    public static (double[][] Trajectories, double[] AdaptiveScales) Simulate(OptimizerKind kind, DecayMethod method,
        double learningRate, double lambda, IReadOnlyList<double> gradientScales, int steps, double theta0 = 1.0)
    {
        ArgumentNullException.ThrowIfNull(gradientScales);
        if (gradientScales.Count == 0)
            throw new ArgumentException("Give at least one gradient scale.", nameof(gradientScales));
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Steps must be ≥ 0.");
        int k = gradientScales.Count;
        using var threads = TorchThreads.Limit(1);
        var parameters = Enumerable.Range(0, k)
            .Select(i => ($"w{i + 1}", new Parameter(tensor(new[] { theta0 }, ScalarType.Float64)))).ToList();
        try
        {
            var decay = WeightDecayOptions.For(method, lambda, selection: DecaySelection.All);
            using var opt = new WeightDecayOptimizer(parameters, new OptimizerOptions(kind, learningRate), decay);
            var result = Enumerable.Range(0, k).Select(_ => new double[steps + 1]).ToArray();
            for (int i = 0; i < k; i++) result[i][0] = theta0;
            for (int t = 0; t < steps; t++)
            {
                using var scope = NewDisposeScope();
                double sign = t % 2 == 0 ? 1 : -1;
                Trainer.Step(opt, () => parameters.Select((p, i) => p.Item2.sum().Mul(sign * gradientScales[i]))
                    .Aggregate((a, b) => a.Add(b)));
                for (int i = 0; i < k; i++) result[i][t + 1] = parameters[i].Item2.item<double>();
            }
            return (result, parameters.Select(p => opt.MedianAdaptiveScale(p.Item1) ?? double.NaN).ToArray());
        }
        finally
        {
            foreach (var (_, p) in parameters) p.Dispose();
        }
    }

    /// <summary>
    /// The average fraction of a weight that decay removed per step: (θ_T^ref − θ_T) / Σ_{t&lt;T} θ_t, where θ is the
    /// decayed trajectory and θ^ref the same run without decay (same data gradients). For decoupled decay with
    /// gradients that do not depend on θ this is exactly ηλ, whatever the optimizer: θ^ref_T − θ_T = Σ_t ηλθ_t.
    /// </summary>
    public static double EffectiveDecayRate(IReadOnlyList<double> reference, IReadOnlyList<double> decayed)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(decayed);
        if (reference.Count != decayed.Count || decayed.Count < 2)
            throw new ArgumentException("Give two trajectories of the same length (at least 2 points).",
                nameof(decayed));
        double sum = 0;
        for (int t = 0; t + 1 < decayed.Count; t++) sum += decayed[t];
        return (reference[^1] - decayed[^1]) / sum;
    }

    /// <summary>
    /// Trains two identical models (made by <paramref name="makeModel"/>, which must be deterministic) full-batch on
    /// (x, y) for <paramref name="steps"/> steps with the same optimizer and two decay configurations, in lockstep.
    /// Returns max |θ_first − θ_second| over all parameters before the first step and after each step.
    /// </summary>
    public static double[] LockstepDifference(Func<nn.Module<Tensor, Tensor>> makeModel, Tensor x, Tensor y,
        Loss loss, OptimizerOptions optimizer, WeightDecayOptions first, WeightDecayOptions second, int steps)
    {
        ArgumentNullException.ThrowIfNull(makeModel);
        ArgumentNullException.ThrowIfNull(loss);
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Steps must be ≥ 0.");
        using var threads = TorchThreads.Limit(1);
        using var a = makeModel();
        using var b = makeModel();
        using var optA = new WeightDecayOptimizer(a, optimizer, first);
        using var optB = new WeightDecayOptimizer(b, optimizer, second);
        var diff = new double[steps + 1];
        diff[0] = MaxAbsDifference(a, b);
        for (int t = 1; t <= steps; t++)
        {
            FullBatchStep(a, optA, x, y, loss);
            FullBatchStep(b, optB, x, y, loss);
            diff[t] = MaxAbsDifference(a, b);
        }
        return diff;
    }

    /// <summary>
    /// Trains <paramref name="model"/> full-batch on (x, y) for <paramref name="steps"/> steps with a library
    /// optimizer and returns its parameters (flattened, see <see cref="GradientCheck.FlatParameters"/>).
    /// </summary>
    public static double[] Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, Loss loss,
        OptimizerOptions optimizer, WeightDecayOptions decay, int steps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Steps must be ≥ 0.");
        using var threads = TorchThreads.Limit(1);
        using var opt = new WeightDecayOptimizer(model, optimizer, decay);
        for (int t = 0; t < steps; t++) FullBatchStep(model, opt, x, y, loss);
        return GradientCheck.FlatParameters(model);
    }

    /// <summary>
    /// Trains <paramref name="model"/> full-batch for <paramref name="steps"/> steps with a TorchSharp optimizer (e.g.
    /// <c>optim.AdamW(model.parameters(), lr, weight_decay: wd)</c>) and returns its flattened parameters: the
    /// reference the library's optimizer is checked against.
    /// </summary>
    public static double[] Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, Loss loss,
        optim.Optimizer optimizer, int steps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        using var threads = TorchThreads.Limit(1);
        for (int t = 0; t < steps; t++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            loss.Forward(model.forward(x), y).backward();
            // TorchSharp's step leaves its Scalars to finalizers; no collection may run while libtorch reads them
            NoCollection.Run(() => optimizer.step());
        }
        return GradientCheck.FlatParameters(model);
    }

    private static void FullBatchStep(nn.Module<Tensor, Tensor> model, WeightDecayOptimizer opt, Tensor x, Tensor y,
        Loss loss)
    {
        using var scope = NewDisposeScope();
        Trainer.Step(opt, () => loss.Forward(model.forward(x), y));
    }

    private static double MaxAbsDifference(nn.Module a, nn.Module b) =>
        GradientCheck.MaxAbsDifference(GradientCheck.FlatParameters(a), GradientCheck.FlatParameters(b));
}
