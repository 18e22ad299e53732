using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Regularization;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Trains a <see cref="BatchNormMlp"/> for a fixed number of SGD steps (<see cref="RotationSettings"/>) and records
/// how its scale-invariant weight W₁ moves: its norm and the angle each step turns it by. Two
/// <see cref="WeightDecayOptimizer"/>s share every step (<see cref="Trainer.Step"/> for the decayed parameters, the
/// other updates the rest with the same gradients), so that the output weight matrix is never decayed.
/// </summary>
/// <remarks>Lesson 10: 10-weight-decay-with-normalization.</remarks>
public static class RotationTraining
{
    /// <summary>Carves a stratified validation set of <paramref name="validationCount"/> examples out of
    /// <paramref name="train"/> (seeded, <see cref="Mnist.StratifiedSplit"/>); the caller disposes both.</summary>
    public static (TensorDataset Train, TensorDataset Validation) Split(TensorDataset train, int validationCount,
        int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        var labels = train.Targets.to_type(ScalarType.Int64).data<long>().Select(v => (byte)v).ToArray();
        var (rest, held) = Mnist.StratifiedSplit(labels, validationCount, seed);
        return (train.Subset(rest), train.Subset(held));
    }

    /// <summary>Trains a fresh model (seeded by <see cref="RotationSettings.Seed"/>) and returns its record; the
    /// validation accuracy is NaN without <paramref name="validation"/>.</summary>
    /// <exception cref="ArgumentException">Invalid settings, or data that do not fit the model.</exception>
    /// <exception cref="TrainingDivergedException">A minibatch loss became NaN or infinite.</exception>
    public static RotationRun Run(RotationSettings settings, TensorDataset train, TensorDataset? validation,
        TensorDataset test)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        settings.Validate();
        if (train.FeatureCount != test.FeatureCount || validation?.FeatureCount is { } v && v != train.FeatureCount)
            throw new ArgumentException("Train, validation and test sets need the same number of features.");
        if (train.Count < settings.BatchSize)
            throw new ArgumentException(
                $"The training set has {train.Count} examples, fewer than one batch of {settings.BatchSize}.");
        // one intra-op thread: these batches are small, and on a busy machine two threads stall (TorchThreads)
        using var threads = TorchThreads.Limit(1);
        using var model = new BatchNormMlp(train.FeatureCount, settings.Hidden, affine: settings.Affine,
            seed: settings.Seed);
        var sgd = new OptimizerOptions(OptimizerKind.Sgd, settings.LearningRate, settings.Momentum);
        var named = model.named_parameters().Select(p => (Name: p.name, Parameter: p.parameter)).ToList();
        bool Decayed((string Name, TorchSharp.Modules.Parameter Parameter) p) =>
            p.Name == "fc1.weight" || settings.DecayOneDimensional && p.Parameter.dim() == 1;
        using var decayed = new WeightDecayOptimizer(named.Where(Decayed), sgd,
            WeightDecayOptions.For(DecayMethod.Coupled, settings.Lambda, selection: DecaySelection.All));
        using var rest = new WeightDecayOptimizer(named.Where(p => !Decayed(p)), sgd);
        var (norms, angles, grads) = (new List<double>(), new List<double>(), new List<double>());
        var w = model.Hidden.weight!;
        var loss = new CrossEntropy();
        var sampler = new MinibatchSampler(train.Count, settings.BatchSize, shuffle: true, seed: settings.Seed,
            dropLast: true);
        model.train();
        for (int t = 0, epoch = 1; t < settings.Steps; epoch++)
            foreach (var batch in sampler.NextEpoch())
            {
                if (t == settings.Steps) break;
                using var scope = NewDisposeScope();
                var (x, y) = train.Batch(batch);
                var before = settings.Record ? w.detach().to_type(ScalarType.Float64) : null;
                rest.zero_grad();
                var (batchLoss, _) = Trainer.Step(decayed, () => loss.Forward(model.forward(x), y));
                rest.step();
                t++;
                double value = batchLoss.ItemAsDouble();
                if (!double.IsFinite(value))
                    throw new TrainingDivergedException(epoch, t, settings.LearningRate, settings.Lambda, value);
                if (before is null) continue;
                norms.Add(before.norm().item<double>());
                angles.Add(ScaleInvariance.Angle(before, w));
                grads.Add(w.grad!.norm().ItemAsDouble());
            }
        var (trainLoss, trainAcc) = Evaluation.Evaluate(model, train, loss);
        double valAcc = validation is null ? double.NaN : Evaluation.Evaluate(model, validation, loss).Accuracy!.Value;
        double testAcc = Evaluation.Evaluate(model, test, loss).Accuracy!.Value;
        return new RotationRun(settings, norms, angles, grads, trainLoss, trainAcc!.Value, valAcc, testAcc);
    }
}
