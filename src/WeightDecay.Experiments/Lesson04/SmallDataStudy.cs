using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>
/// Where weight decay helps the seed's MLP: a small training subset trained for many epochs, so that
/// the undecayed network fits its training set and grows overconfident. Per seed the training data are
/// split (seeded) into a validation split and a training subset; the 784 → 64 → 10 MLP is trained
/// with Adam and the L2 penalty at each λ (from the same initial weights), and evaluated once at the
/// end on the training subset, the validation split and the test set. λ* is chosen per seed on the
/// validation loss; the test set is not used for any choice.
/// </summary>
/// <remarks>Lesson 04: 04-the-seeds-mlp-on-mnist.</remarks>
public static class SmallDataStudy
{
    /// <summary>Runs the study over <paramref name="seeds"/> × <paramref name="lambdas"/>.</summary>
    /// <param name="train">The training data to carve the validation split and subset from.</param>
    /// <param name="test">The test set, evaluated once per run at the end.</param>
    /// <param name="lambdas">λ grid; must contain 0.</param>
    /// <param name="seeds">Seeds (split, initialization, shuffling); at least two.</param>
    /// <param name="trainSize">Training-subset size.</param>
    /// <param name="validationSize">Validation-split size.</param>
    /// <param name="epochs">Epochs per run.</param>
    /// <param name="batchSize">Minibatch size.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <exception cref="ArgumentException">A size, grid or seed list that cannot work.</exception>
    public static SmallDataResult Run(TensorDataset train, TensorDataset test,
        IReadOnlyList<double> lambdas, IReadOnlyList<int> seeds, int trainSize = 500,
        int validationSize = 1000, int epochs = 100, int batchSize = 50, double learningRate = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(lambdas);
        ArgumentNullException.ThrowIfNull(seeds);
        if (!lambdas.Contains(0) || lambdas.Any(l => !(l >= 0) || double.IsInfinity(l)))
            throw new ArgumentException($"λ grid must be finite, ≥ 0 and contain 0; got " +
                $"{string.Join(", ", lambdas)}.", nameof(lambdas));
        if (seeds.Count < 2 || seeds.Distinct().Count() != seeds.Count)
            throw new ArgumentException($"Need at least two distinct seeds; got {seeds.Count}.",
                nameof(seeds));
        if (trainSize < 1 || validationSize < 1 || trainSize + validationSize > train.Count)
            throw new ArgumentException($"Training subset {trainSize} + validation {validationSize} " +
                $"must be ≥ 1 each and fit in the {train.Count} training examples.", nameof(trainSize));
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Must be ≥ 1.");
        var runs = new List<SmallDataRun>();
        foreach (int seed in seeds)
        {
            var order = Permutation(train.Count, seed);
            using var validation = train.Subset(order.Take(validationSize).ToArray());
            using var subset = train.Subset(order.Skip(validationSize).Take(trainSize).ToArray());
            foreach (double lambda in lambdas)
                runs.Add(Train(subset, validation, test, seed, lambda, epochs, batchSize,
                    learningRate));
        }
        return new SmallDataResult(runs, lambdas.ToList(), seeds.ToList(), trainSize,
            validationSize, epochs);
    }

    private static SmallDataRun Train(TensorDataset subset, TensorDataset validation,
        TensorDataset test, int seed, double lambda, int epochs, int batchSize, double learningRate)
    {
        using var model = new Mlp(seed: seed);
        var loss = new CrossEntropy();
        Trainer.Fit(model, subset, null, loss, new TrainerOptions
        {
            Epochs = epochs, BatchSize = batchSize, Seed = seed,
            Optimizer = new OptimizerOptions(OptimizerKind.Adam, learningRate),
            Decay = WeightDecayOptions.For(DecayMethod.Penalty, lambda),
        });
        var (trL, trA) = Evaluation.Evaluate(model, subset, loss);
        var (vaL, vaA) = Evaluation.Evaluate(model, validation, loss);
        var (teL, teA) = Evaluation.Evaluate(model, test, loss);
        return new SmallDataRun(seed, lambda, trL, trA!.Value, vaL, vaA!.Value, teL, teA!.Value);
    }

    private static long[] Permutation(long count, int seed)
    {
        var random = new Random(Seeds.DeriveInt(seed, "lesson04-split"));
        var order = Enumerable.Range(0, (int)count).Select(i => (long)i).ToArray();
        random.Shuffle(order);
        return order;
    }
}
