using Microsoft.Data.Analysis;
using WeightDecay.Data;
using WeightDecay.Landscape;
using WeightDecay.Losses;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// One network of the batch size × weight decay experiment (Li et al. 2018, §5, at small scale): its final metrics
/// and its loss rise along each of several raw and filter-normalized random directions (see
/// <see cref="DirectionRises"/>), so that networks can be compared direction by direction.
/// </summary>
/// <param name="Name">E.g. <c>B = 128, λ = 0</c>.</param>
/// <param name="Accuracy">Final test accuracy.</param>
/// <param name="TrainLoss">Final training data loss.</param>
/// <param name="Norm">‖θ‖₂ over all parameters.</param>
/// <param name="Raw">Rise at ±raw radius along each raw direction.</param>
/// <param name="Filter">Rise at ±0.5 along each filter-normalized direction.</param>
/// <remarks>Lesson 06: 06-seeing-the-landscape.</remarks>
public sealed record BatchRun(string Name, double Accuracy, double TrainLoss, double Norm, double[] Raw,
    double[] Filter)
{
    /// <summary>Mean raw rise over the directions.</summary>
    public double RawMean => Raw.Average();

    /// <summary>Mean filter-normalized rise over the directions.</summary>
    public double FilterMean => Filter.Average();

    /// <summary>Measures <paramref name="model"/> (not disposed) on <paramref name="data"/>.</summary>
    public static BatchRun Measure(string name, nn.Module<Tensor, Tensor> model, EpochMetrics final,
        TensorDataset data, Loss loss, double rawRadius, int directions, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(final);
        double norm;
        using (var theta = ParameterDirection.FromModel(model)) norm = theta.Norm();
        return new BatchRun(name, final.TestAccuracy ?? double.NaN, final.TrainLoss, norm,
            DirectionRises.Of(model, data, loss, DirectionNormalization.None, rawRadius, directions, seed),
            DirectionRises.Of(model, data, loss, DirectionNormalization.Filter, 0.5, directions, seed));
    }

    /// <summary>The runs as a table (means over directions, with their standard errors).</summary>
    public static DataFrame Table(IReadOnlyList<BatchRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        double R(double x) => Math.Round(x, 4);
        return new DataFrame(
            new StringDataFrameColumn("run", runs.Select(r => r.Name)),
            new DoubleDataFrameColumn("test accuracy", runs.Select(r => R(r.Accuracy))),
            new DoubleDataFrameColumn("training loss", runs.Select(r => R(r.TrainLoss))),
            new DoubleDataFrameColumn("‖θ‖", runs.Select(r => R(r.Norm))),
            new DoubleDataFrameColumn("raw rise", runs.Select(r => R(r.RawMean))),
            new DoubleDataFrameColumn("± s.e.", runs.Select(r => R(MeanError.Of(r.Raw).Error))),
            new DoubleDataFrameColumn("filter-normalized rise", runs.Select(r => R(r.FilterMean))),
            new DoubleDataFrameColumn("± s.e. ", runs.Select(r => R(MeanError.Of(r.Filter).Error))));
    }
}
