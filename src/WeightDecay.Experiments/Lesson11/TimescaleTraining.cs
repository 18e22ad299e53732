using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>One AdamW training of lesson 11 (<see cref="TimescaleSettings"/>) through <see cref="Trainer.Fit"/>.
/// </summary>
/// <remarks>Lesson 11: 11-the-timescale.</remarks>
public static class TimescaleTraining
{
    /// <summary>
    /// Trains a fresh MLP (initialized and shuffled by <paramref name="seed"/>) on <paramref name="train"/> at λ
    /// (no decay at λ = 0) and measures it on <paramref name="validation"/> and <paramref name="test"/>; the history
    /// evaluates the validation set after every epoch, and records every step when <paramref name="recordSteps"/>.
    /// </summary>
    public static TimescaleRun Run(TimescaleSettings settings, double lambda, TensorDataset train,
        TensorDataset validation, TensorDataset test, int seed, bool recordSteps = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        settings.Validate();
        // one intra-op thread: these batches are small, and on a busy machine two threads stall (TorchThreads)
        using var threads = TorchThreads.Limit(1);
        using var model = new Mlp(train.FeatureCount, [settings.Hidden], seed: seed);
        var decay = WeightDecayOptions.For(DecayMethod.Decoupled, lambda);
        if (lambda > 0) decay = decay with { DecayFollowsSchedule = settings.DecayFollowsSchedule };
        var loss = new CrossEntropy();
        var history = Trainer.Fit(model, train, validation, loss, new TrainerOptions
        {
            Epochs = settings.Epochs, BatchSize = settings.BatchSize, Seed = seed, RecordSteps = recordSteps,
            Optimizer = new OptimizerOptions(OptimizerKind.Adam, settings.LearningRate), Decay = decay,
            Schedule = settings.Schedule ?? LearningRateSchedule.Constant,
        });
        var (testLoss, testAccuracy) = Evaluation.Evaluate(model, test, loss);
        var final = history.Final;
        return new TimescaleRun(lambda, (int)train.Count, final.TestLoss!.Value, final.TestAccuracy!.Value,
            testLoss, testAccuracy!.Value, final.ParameterNorm, history);
    }
}
