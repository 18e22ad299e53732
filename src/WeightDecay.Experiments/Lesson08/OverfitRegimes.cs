using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>
/// Lesson 08, section 2: the same MLP trained to overfit with nothing, weight decay, dropout and weight decay +
/// dropout, each keeping a snapshot per epoch; early stopping is the snapshot with the lowest validation loss. The
/// recipe's Test set is the validation set (it picks the epoch); every snapshot is also scored on the separate test
/// set, which only reports.
/// </summary>
/// <remarks>Lesson 08: 08-choosing-lambda-and-the-alternatives.</remarks>
public static class OverfitRegimes
{
    /// <summary>Trains the four regimes (hidden layer <paramref name="hidden"/>, dropout 0.5, decay
    /// <paramref name="lambda"/>) with the recipe (its Test = validation, SnapshotEveryEpochs = 1) and returns the six
    /// regimes of the lesson: the four at their last epoch, and early stopping with and without dropout.</summary>
    public static IReadOnlyList<RegimeResult> Run(TrainingRecipe<Mlp> recipe, TensorDataset test, Loss loss,
        int hidden, double lambda, int seed)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (recipe.SnapshotEveryEpochs != 1 || recipe.Test is null)
            throw new ArgumentException("The recipe needs a validation set as Test and SnapshotEveryEpochs = 1.",
                nameof(recipe));
        (TrainingHistory, IReadOnlyList<(int, double, double?)>) Train(double dropout, double l)
        {
            var r = recipe with { NewModel = () => new Mlp(hidden: [hidden], dropout: dropout, seed: seed) };
            using var run = r.FitModel(l);
            var (model, h) = run;
            return (h, EarlyStopping.EvaluateSnapshots(model, h.Snapshots, test, loss));
        }
        var plain = Train(0, 0);
        var decayed = Train(0, lambda);
        var dropped = Train(0.5, 0);
        var both = Train(0.5, lambda);
        RegimeResult At(string name, (TrainingHistory H, IReadOnlyList<(int, double, double?)> T) run, bool stop)
        {
            int epoch = stop ? EarlyStopping.BestEpoch(run.H.Epochs.Select(e => e.TestLoss!.Value).ToList())
                : run.H.Epochs.Count - 1;
            return new RegimeResult(name, epoch, run.H, run.T);
        }
        return
        [
            At("(a) nothing", plain, false), At("(b) weight decay", decayed, false),
            At("(c) dropout", dropped, false), At("(d) early stopping", plain, true),
            At("(e) weight decay + dropout", both, false), At("(f) dropout + early stopping", dropped, true),
        ];
    }
}
