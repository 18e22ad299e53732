using static TorchSharp.torch;

namespace WeightDecay.Data;

/// <summary>
/// Features and targets held as two tensors whose first dimension indexes examples (PyTorch's <c>TensorDataset</c>).
/// The dataset owns its tensors: they are detached from any dispose scope and freed by <see cref="Dispose"/>.
/// </summary>
public sealed class TensorDataset : IDisposable
{
    /// <summary>Examples × features (a model's input).</summary>
    public Tensor Features { get; }

    /// <summary>Targets: regression values (shape [n] or [n, k]) or class indices (int64, shape [n]).</summary>
    public Tensor Targets { get; }

    /// <summary>Number of examples.</summary>
    public long Count => Features.shape[0];

    /// <summary>Number of features per example (the product of the non-leading dimensions).</summary>
    public long FeatureCount => Features.shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    /// <summary>Wraps two tensors with the same number of rows; takes ownership of them.</summary>
    /// <exception cref="ArgumentException">The tensors have different numbers of rows or no rows dimension.</exception>
    public TensorDataset(Tensor features, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.dim() < 1 || targets.dim() < 1)
            throw new ArgumentException("Features and targets need at least one dimension (examples first).");
        if (features.shape[0] != targets.shape[0])
            throw new ArgumentException(
                $"Features have {features.shape[0]} rows but targets have {targets.shape[0]}; expected the same " +
                "number of examples.", nameof(targets));
        Features = features.DetachFromDisposeScope();
        Targets = targets.DetachFromDisposeScope();
    }

    /// <summary>The examples at <paramref name="indices"/>, as new tensors owned by the current dispose
    /// scope.</summary>
    public (Tensor X, Tensor Y) Batch(long[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        using var idx = tensor(indices, dtype: ScalarType.Int64, device: Features.device);
        return (Features.index_select(0, idx), Targets.index_select(0, idx));
    }

    /// <summary>A new dataset holding copies of the examples at <paramref name="indices"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, Count).</exception>
    public TensorDataset Subset(IReadOnlyList<long> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        foreach (var i in indices)
            if (i < 0 || i >= Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Index must be in [0, {Count}).");
        using var scope = NewDisposeScope();
        var (x, y) = Batch(indices.ToArray());
        return new TensorDataset(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>A copy converted to <paramref name="dtype"/> (features, and targets when they are floating
    /// point).</summary>
    public TensorDataset To(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var y = Targets.is_floating_point() ? Targets.to_type(dtype) : Targets.clone();
        return new TensorDataset(Features.to_type(dtype).MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
    }
}
