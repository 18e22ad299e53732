using TorchSharp;

namespace WeightDecay.Training;

/// <summary>
/// Temporarily limits torch's intra-op threads, restoring the previous count on dispose. The experiments of the theory
/// lessons are loops over tiny tensors (two weights, one MLP batch), where intra-op parallelism costs more than it
/// saves; worse, on a busy machine a parallel region waits for its slowest thread, and such loops were measured to
/// stall 10–50× with two threads while one thread stayed fast. The count is restored on the same thread that set it.
/// </summary>
public sealed class TorchThreads : IDisposable
{
    private readonly int _previous;
    private bool _disposed;

    private TorchThreads(int threads)
    {
        _previous = torch.get_num_threads();
        if (threads != _previous) torch.set_num_threads(threads);
    }

    /// <summary>Uses at most <paramref name="threads"/> intra-op threads until disposed.</summary>
    public static TorchThreads Limit(int threads = 1)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Need at least one thread.");
        return new TorchThreads(Math.Min(threads, torch.get_num_threads()));
    }

    /// <summary>Restores the previous thread count.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (torch.get_num_threads() != _previous) torch.set_num_threads(_previous);
    }
}
