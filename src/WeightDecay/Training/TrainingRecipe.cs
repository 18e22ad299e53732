using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Optimization;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>
/// How a lesson trains a fresh model for each λ of a sweep: the model to build, the data, the loss,
/// the optimizer, the decay method and the length of the run — everything but λ.
/// <see cref="Fit(double)"/> builds the model, trains it with <see cref="Trainer.Fit"/> using
/// <see cref="Method"/> at λ (no decay at λ = 0) and returns the history;
/// <see cref="FitModel(double)"/> also hands back the trained model. Vary one setting with
/// <c>with</c>, e.g. <c>recipe with { BatchSize = 1024 }</c>.
/// </summary>
/// <typeparam name="TModel">The model type, e.g. <see cref="Models.Mlp"/>.</typeparam>
public sealed record TrainingRecipe<TModel> where TModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Builds the initial model. Give it a fixed seed, so that every λ starts from the
    /// same weights.</summary>
    public required Func<TModel> NewModel { get; init; }

    /// <summary>The training data.</summary>
    public required TensorDataset Train { get; init; }

    /// <summary>Data evaluated after every epoch (the history's test metrics), or null.</summary>
    public TensorDataset? Test { get; init; }

    /// <summary>The data loss.</summary>
    public required Loss Loss { get; init; }

    /// <summary>The optimizer and its learning rate.</summary>
    public OptimizerOptions Optimizer { get; init; } = new();

    /// <summary>How decay enters training at λ &gt; 0.</summary>
    public DecayMethod Method { get; init; } = DecayMethod.Coupled;

    /// <summary>The learning-rate schedule (constant by default).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Epochs (≥ 0).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Minibatch size (≥ 1).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seed of minibatch shuffling and dropout (the model's initialization is
    /// <see cref="NewModel"/>'s).</summary>
    public int Seed { get; init; }

    /// <summary>Take a parameter snapshot every this many epochs (and at epoch 0); 0 =
    /// never.</summary>
    public int SnapshotEveryEpochs { get; init; }

    /// <summary>Given λ, the progress callback of that run (e.g. a progress bar titled with λ), or
    /// null.</summary>
    public Func<double, Action<TrainingProgress>?>? Progress { get; init; }

    /// <summary>The trainer options of the run at λ: <see cref="Method"/> at λ, or no decay at λ =
    /// 0.</summary>
    public TrainerOptions Options(double lambda) => Options(WeightDecayOptions.For(Method, lambda));

    /// <summary>The trainer options of a run with the given decay (for a regularizer other than L2,
    /// or the paper's decoupled form); <see cref="Method"/> is not used.</summary>
    public TrainerOptions Options(WeightDecayOptions decay) => new()
    {
        Epochs = Epochs, BatchSize = BatchSize, Seed = Seed, SnapshotEveryEpochs =
            SnapshotEveryEpochs,
        Optimizer = Optimizer, Decay = decay, Schedule = Schedule, Progress = Progress?.Invoke(decay.Lambda),
    };

    /// <summary>Trains a fresh model at λ and returns its history (the model is
    /// disposed).</summary>
    public TrainingHistory Fit(double lambda) => Fit(Options(lambda));

    /// <summary>Trains a fresh model with the given decay and returns its history (the model is
    /// disposed).</summary>
    public TrainingHistory Fit(WeightDecayOptions decay) => Fit(Options(decay));

    /// <summary>Trains a fresh model at λ and returns it with its history; the caller disposes the
    /// model.</summary>
    public TrainedModel<TModel> FitModel(double lambda) => FitModel(Options(lambda));

    /// <summary>Trains a fresh model with the given decay and returns it with its history; the
    /// caller disposes the model.</summary>
    public TrainedModel<TModel> FitModel(WeightDecayOptions decay) => FitModel(Options(decay));

    private TrainingHistory Fit(TrainerOptions options)
    {
        using var model = NewModel();
        return Trainer.Fit(model, Train, Test, Loss, options);
    }

    private TrainedModel<TModel> FitModel(TrainerOptions options)
    {
        var model = NewModel();
        try
        {
            return new TrainedModel<TModel>(model, Trainer.Fit(model, Train, Test, Loss, options));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
