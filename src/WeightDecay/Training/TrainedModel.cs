using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>A model trained by <see cref="TrainingRecipe{TModel}.FitModel(double)"/> and the
/// history of its training. Disposing it disposes the model.</summary>
/// <typeparam name="TModel">The model type.</typeparam>
/// <param name="Model">The trained model.</param>
/// <param name="History">What was recorded while training it.</param>
public sealed record TrainedModel<TModel>(TModel Model, TrainingHistory History) : IDisposable
    where TModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Disposes the model.</summary>
    public void Dispose() => Model.Dispose();
}
