using WeightDecay.Training;

namespace WeightDecay.Experiments;

/// <summary>One regime of <see cref="OverfitRegimes"/>: the training, the epoch it reports (the last, or the one
/// early stopping picks on the validation set), and every epoch's test loss and accuracy.</summary>
/// <param name="Name">The regime.</param>
/// <param name="Epoch">The reported epoch.</param>
/// <param name="History">Training history; its TestLoss is the validation loss.</param>
/// <param name="Test">(epoch, test loss, test accuracy) of every snapshot.</param>
/// <remarks>Lesson 08: 08-choosing-lambda-and-the-alternatives.</remarks>
public sealed record RegimeResult(string Name, int Epoch, TrainingHistory History,
    IReadOnlyList<(int Epoch, double Loss, double? Accuracy)> Test)
{
    /// <summary>The test loss at the reported epoch.</summary>
    public double TestLoss => Test[Epoch].Loss;

    /// <summary>The lowest test loss over all epochs (the oracle's epoch; for reference only).</summary>
    public double MinTestLoss => Test.Min(t => t.Loss);

    /// <summary>The test loss at the last epoch.</summary>
    public double FinalTestLoss => Test[^1].Loss;

    /// <summary>The training loss at the last epoch.</summary>
    public double FinalTrainLoss => History.Final.TrainLoss;
}
