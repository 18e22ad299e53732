namespace WeightDecay.Optimization;

/// <summary>Learning-rate schedules that are easily mistaken for weight decay.</summary>
public static class Schedules
{
    /// <summary>
    /// Keras' legacy <c>decay</c> argument of its optimizers (e.g. <c>Adam(decay=1e-6)</c>): inverse-time decay of the
    /// <em>learning rate</em>, η_t = η₀ / (1 + decay · t) after t steps. It never touches the weights: it is not weight
    /// decay.
    /// </summary>
    public static double KerasInverseTimeDecay(double initialLearningRate, double decay, long step)
    {
        if (!(initialLearningRate > 0))
            throw new ArgumentOutOfRangeException(nameof(initialLearningRate), initialLearningRate, "Must be > 0.");
        if (!(decay >= 0)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "Must be ≥ 0.");
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "Must be ≥ 0.");
        return initialLearningRate / (1 + decay * step);
    }
}
