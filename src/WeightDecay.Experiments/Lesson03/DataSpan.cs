using WeightDecay.Data;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Splits vectors of input space into the part inside the span of the training inputs and the part orthogonal to it.
/// For a linear model trained by gradient descent on a squared loss without decay, every gradient Xᵀr/n lies in the
/// span of the training rows, so the orthogonal part of w never changes: with 20 examples in 200 dimensions, 180
/// dimensions of the initialization survive training untouched.
/// </summary>
/// <remarks>Lesson 03: 03-high-dimensional-linear-regression and its solutions.</remarks>
public static class DataSpan
{
    /// <summary>‖v‖ inside and orthogonal to the row space of the features of <paramref name="data"/> (float64, via the
    /// pseudo-inverse).</summary>
    public static (double InSpan, double Orthogonal) Split(TensorDataset data, IReadOnlyList<double> v)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(v);
        using var scope = NewDisposeScope();
        var x = data.Features.reshape(data.Count, -1).to_type(ScalarType.Float64);
        if (x.shape[1] != v.Count)
            throw new ArgumentException($"The vector has {v.Count} entries but the data has {x.shape[1]} features.",
                nameof(v));
        var w = tensor(v.ToArray());
        var inSpan = x.t().matmul(linalg.pinv(x.t()).matmul(w)); // projection onto the column space of Xᵀ
        return (inSpan.norm().item<double>(), (w - inSpan).norm().item<double>());
    }
}
