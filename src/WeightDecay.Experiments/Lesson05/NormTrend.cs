using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>
/// Whether ‖θ‖₂ has levelled off by the end of a run with SGD and coupled decay: the total decay
/// exposure ηλT (T = steps of the run; the pure-decay factor is (1 − ηλ)^T ≈ e^(−ηλT)), the decay
/// timescale 1/(ηλ) in epochs, and the relative change of ‖θ‖₂ over the last epoch.
/// </summary>
/// <param name="Lambda">λ of the run.</param>
/// <param name="Exposure">ηλT.</param>
/// <param name="TimescaleEpochs">1/(ηλ) in epochs (infinite at λ = 0).</param>
/// <param name="LastEpochChange">(‖θ_E‖ − ‖θ_(E−1)‖)/‖θ_(E−1)‖ over the last epoch E.</param>
/// <remarks>Lesson 05: 05-norm-decay.</remarks>
public sealed record NormTrend(double Lambda, double Exposure, double TimescaleEpochs,
    double LastEpochChange)
{
    /// <summary>The trend of a run of at least one epoch trained with learning rate
    /// <paramref name="learningRate"/> and <paramref name="stepsPerEpoch"/> steps per epoch.</summary>
    /// <exception cref="ArgumentException">A history with fewer than two epoch records, or a
    /// non-positive rate or step count.</exception>
    public static NormTrend Of(TrainingHistory history, double lambda, double learningRate,
        int stepsPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Epochs.Count < 2)
            throw new ArgumentException("Need at least one trained epoch.", nameof(history));
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate));
        if (stepsPerEpoch < 1) throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch));
        if (!(lambda >= 0)) throw new ArgumentOutOfRangeException(nameof(lambda));
        double last = history.Epochs[^1].ParameterNorm, before = history.Epochs[^2].ParameterNorm;
        int epochs = history.Epochs[^1].Epoch;
        double rate = learningRate * lambda;
        return new NormTrend(lambda, rate * stepsPerEpoch * epochs,
            rate > 0 ? 1 / rate / stepsPerEpoch : double.PositiveInfinity, (last - before) / before);
    }
}
