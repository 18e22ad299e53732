using WeightDecay.Models;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>Rebuilds a model from a <see cref="ParameterSnapshot"/> taken during training, to measure the path (e.g.
/// its flatness at an earlier epoch).</summary>
/// <remarks>Lesson 06: 06-seeing-the-landscape.</remarks>
public static class SnapshotModel
{
    /// <summary>A new <see cref="Mlp"/> shaped like <paramref name="template"/> holding the values of
    /// <paramref name="snapshot"/> (matched by parameter name).</summary>
    /// <exception cref="ArgumentException">A parameter of the template is missing from the snapshot or has another
    /// size.</exception>
    public static Mlp From(Mlp template, ParameterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(snapshot);
        var values = snapshot.Values.ToDictionary(v => v.Key, v => v.Value);
        var model = new Mlp(template.InputFeatures, template.HiddenSizes, template.Outputs,
            dtype: template.Layers[0].weight!.dtype);
        using var scope = NewDisposeScope();
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
            {
                if (!values.TryGetValue(name, out var v) || v.Length != p.numel())
                    throw new ArgumentException($"The snapshot of epoch {snapshot.Epoch} has no values of size " +
                        $"{p.numel()} for '{name}'.", nameof(snapshot));
                p.copy_(tensor(v, dtype: p.dtype).reshape(p.shape));
            }
        return model;
    }
}
