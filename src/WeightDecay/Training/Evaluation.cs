using WeightDecay.Data;
using WeightDecay.Losses;
using static TorchSharp.torch;

namespace WeightDecay.Training;

/// <summary>Loss, accuracy and parameter norms of a model, computed without gradients and in evaluation mode.</summary>
public static class Evaluation
{
    /// <summary>Mean data loss and (for classification) accuracy over the whole dataset, in batches of
    /// <paramref name="batchSize"/>.</summary>
    public static (double Loss, double? Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, TensorDataset data,
        Loss loss, int batchSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be ≥ 1.");
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            double sum = 0;
            long correct = 0;
            for (long start = 0; start < data.Count; start += batchSize)
            {
                long n = Math.Min(batchSize, data.Count - start);
                var x = data.Features.narrow(0, start, n);
                var y = data.Targets.narrow(0, start, n);
                var pred = model.forward(x);
                sum += loss.Forward(pred, y).ItemAsDouble() * n;
                if (loss.IsClassification) correct += pred.argmax(1).eq(y).sum().item<long>();
            }
            return (sum / data.Count, loss.IsClassification ? (double)correct / data.Count : null);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Global ‖θ‖₂ over all trainable parameters of <paramref name="model"/>.</summary>
    public static double ParameterNorm(nn.Module model) =>
        Math.Sqrt(LayerNorms(model).Values.Sum(v => v * v));

    /// <summary>‖θ‖₂ (Frobenius) of each trainable parameter tensor by name.</summary>
    public static IReadOnlyDictionary<string, double> LayerNorms(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var result = new Dictionary<string, double>();
        foreach (var (name, p) in model.named_parameters())
            if (p.requires_grad) result[name] = p.to_type(ScalarType.Float64).norm().ItemAsDouble();
        return result;
    }

    /// <summary>A float64 copy of every trainable parameter.</summary>
    public static ParameterSnapshot Snapshot(nn.Module model, int epoch, long step)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var values = model.named_parameters().Where(p => p.parameter.requires_grad)
            .Select(p => new KeyValuePair<string,
                double[]>(p.name, p.parameter.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray()))
            .ToList();
        return new ParameterSnapshot(epoch, step, values);
    }
}
