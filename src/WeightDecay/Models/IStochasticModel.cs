namespace WeightDecay.Models;

/// <summary>A model whose training-time randomness (e.g. dropout) draws from its own generator, so that trainings
/// running in parallel stay reproducible. <see cref="Training.Trainer"/> reseeds it at the start of every
/// training.</summary>
public interface IStochasticModel
{
    /// <summary>Restarts the model's random stream from <paramref name="seed"/>.</summary>
    void Reseed(long seed);
}
