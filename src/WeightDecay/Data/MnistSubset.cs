namespace WeightDecay.Data;

/// <summary>The bundled 10,000-digit MNIST subset, split into training and test sets.</summary>
/// <param name="Train">Training digits: features [n, 784] float32 in [0, 1], labels int64 [n].</param>
/// <param name="Test">Test digits, same layout.</param>
/// <param name="Directory">The folder the files were read from.</param>
public sealed record MnistSubset(TensorDataset Train, TensorDataset Test, string Directory) : IDisposable
{
    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
