using System.Globalization;

namespace WeightDecay.Training;

/// <summary>Training stopped because a loss became NaN or infinite.</summary>
public sealed class TrainingDivergedException(int epoch, long step, double learningRate, double lambda, double loss)
    : ArithmeticException(string.Format(CultureInfo.InvariantCulture,
        "Training diverged at epoch {0}, step {1}: the loss is {2} (learning rate {3}, λ {4}). " +
        "Lower the learning rate or check the data.",
        epoch, step, loss, learningRate, lambda))
{
    /// <summary>Epoch (1-based) at which the loss became non-finite.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>Global step (1-based).</summary>
    public long Step { get; } = step;

    /// <summary>The learning rate in use.</summary>
    public double LearningRate { get; } = learningRate;

    /// <summary>λ in use.</summary>
    public double Lambda { get; } = lambda;
}
