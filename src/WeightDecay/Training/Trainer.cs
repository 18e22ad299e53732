using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>Minibatch training with an explicit weight-decay method, recording a
/// <see cref="TrainingHistory"/>.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place: every minibatch is one <see cref="Step"/>, at the learning rate
    /// η_t = η₀·m_t of <see cref="TrainerOptions.Schedule"/>; after
    /// every epoch the whole training and test sets are evaluated (<see cref="TrainingLog"/>
    /// records metrics, snapshots and progress, and stops a run whose loss is no longer finite).
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or data that does not fit the
    /// model.</exception>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    public static TrainingHistory Fit(nn.Module<Tensor, Tensor> model, TensorDataset train,
        TensorDataset? test, Loss loss, TrainerOptions options)
    {
        CheckArguments(model, train, test, loss, options);
        NativeGarbage.CollectBeforeTraining();
        random.manual_seed(options.Seed); // for torch's own dropout; our models reseed their own
        if (model is IStochasticModel stochastic) stochastic.Reseed(options.Seed);
        var sampler = new MinibatchSampler(train.Count, options.BatchSize, shuffle: true,
            seed: options.Seed);
        using var optimizer = new WeightDecayOptimizer(model, options.Optimizer, options.Decay);
        var log = new TrainingLog(model, train, test, loss, optimizer, options,
            sampler.BatchesPerEpoch);

        model.train();
        long totalSteps = (long)options.Epochs * sampler.BatchesPerEpoch, t = 0;
        double baseRate = options.Optimizer.LearningRate;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            foreach (var batch in sampler.NextEpoch())
            {
                options.Cancellation.ThrowIfCancellationRequested();
                optimizer.LearningRate = baseRate * options.Schedule.Factor(t++, totalSteps); // η_t = η₀·m_t
                using var scope = NewDisposeScope(); // frees this step's tensors
                var (x, y) = train.Batch(batch);
                var (batchLoss, objective) =
                    Step(optimizer, () => loss.Forward(model.forward(x), y));
                log.AfterStep(epoch, batchLoss, objective);
            }
            log.AfterEpoch(epoch);
        }
        return log.History;
    }

    /// <summary>
    /// One optimization step, in torch.optim's order: clear the gradients, run the forward pass and
    /// the data loss L (<paramref name="forward"/>), back-propagate the optimizer's objective (L,
    /// plus λ·R(θ) for the penalty method), update the parameters (coupled, decoupled and proximal
    /// decay act here). Every training loop of the library and the lessons takes its steps here.
    /// Returns L and the objective (the same tensor unless the penalty method added its term), in
    /// the caller's dispose scope.
    /// </summary>
    public static (Tensor Loss, Tensor Objective) Step(WeightDecayOptimizer optimizer,
        Func<Tensor> forward)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(forward);
        optimizer.zero_grad();
        var loss = forward();                      // the forward pass and the data loss L
        var objective = optimizer.Objective(loss); // L, or L + λ·R(θ) for the penalty method
        objective.backward();
        optimizer.step();                          // coupled, decoupled, proximal decay act here
        return (loss, objective);
    }

    private static void CheckArguments(nn.Module<Tensor, Tensor> model, TensorDataset train,
        TensorDataset? test, Loss loss, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckFits(model, train, loss, nameof(train));
        if (test is not null) CheckFits(model, test, loss, nameof(test));
        if (!string.Equals(options.Device, train.Features.device.ToString(),
            StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"The data is on {train.Features.device} but the device option is " +
                $"'{options.Device}'.", nameof(options));
    }

    private static void CheckFits(nn.Module<Tensor, Tensor> model, TensorDataset data, Loss loss,
        string name)
    {
        if (data.Count < 1) throw new ArgumentException($"The {name} set is empty.", name);
        if (model is IFeatureModel fm && data.FeatureCount != fm.InputFeatures)
            throw new ArgumentException(
                $"The {name} set has {data.FeatureCount} features per example but the model " +
                $"expects {fm.InputFeatures}.", name);
        if (loss.IsClassification && data.Targets.dtype != ScalarType.Int64)
            throw new ArgumentException(
                $"The {name} targets are {data.Targets.dtype}; a classification loss needs int64 " +
                "class indices.", name);
        if (!loss.IsClassification && data.Targets.numel() != data.Count)
            throw new ArgumentException(
                $"The {name} targets have {data.Targets.numel()} values for {data.Count} " +
                "examples; expected one target per example.", name);
    }
}
