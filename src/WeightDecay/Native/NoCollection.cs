using System.Runtime;

namespace WeightDecay.Native;

/// <summary>
/// Runs code that the library does not own and that leaves Scalars to finalizers — TorchSharp's own optimizers
/// (<c>optim.AdamW.step()</c> passes <c>1 - lr * weight_decay</c> and similar doubles as implicit Scalars) — with
/// the garbage collector held off, so that no Scalar created inside can be collected and finalized while libtorch
/// still reads it. The Scalars become garbage afterwards and are freed once the native calls have returned.
/// </summary>
public static class NoCollection
{
    /// <summary>Managed allocation the call may make before the runtime collects anyway (far above what an optimizer
    /// step allocates: a few wrapper objects per parameter).</summary>
    private const long Budget = 64L * 1024 * 1024;

    private static readonly object Gate = new();

    /// <summary>Runs <paramref name="action"/> with no garbage collection caused by allocation during it. Calls from
    /// several threads run one at a time (the runtime allows one no-GC region per process); a nested call runs inside
    /// the outer region. An explicit <see cref="GC.Collect()"/> on another thread still ends the region: it is meant
    /// for notebook code, where nothing else forces collections.</summary>
    public static void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (Gate)
        {
            bool held = GCSettings.LatencyMode != GCLatencyMode.NoGCRegion && GC.TryStartNoGCRegion(Budget);
            try
            {
                action();
            }
            finally
            {
                if (held) End();
            }
        }
    }

    private static void End()
    {
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return; // the budget ran out or a GC was induced
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // a collection was induced meanwhile; the region has ended already
        }
    }
}
