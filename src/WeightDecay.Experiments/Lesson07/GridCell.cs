namespace WeightDecay.Experiments;

/// <summary>One (learning rate, λ) setting of a grid and its final metrics.</summary>
/// <param name="LearningRate">η (Adam: α).</param>
/// <param name="Lambda">λ in the convention of the optimizer that was run (see <see cref="GridResult.Decay"/>).</param>
/// <param name="TestLoss">Mean test cross-entropy after training; NaN when training diverged.</param>
/// <param name="TestAccuracy">Test accuracy in [0, 1]; NaN when training diverged.</param>
/// <param name="TrainLoss">Mean training data loss (no penalty) after training; NaN when training diverged.</param>
/// <remarks>Lesson 07: 07-l2-is-not-weight-decay-for-adam.</remarks>
public sealed record GridCell(double LearningRate, double Lambda, double TestLoss, double TestAccuracy,
    double TrainLoss)
{
    /// <summary>Whether training diverged (non-finite loss).</summary>
    public bool Diverged => !double.IsFinite(TestLoss);
}
