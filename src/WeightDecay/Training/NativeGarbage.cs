namespace WeightDecay.Training;

/// <summary>
/// Before a training, when no garbage collection has run since the previous training started: a first-generation
/// collection and the pending finalizers. TorchSharp frees the native memory of wrappers nobody disposed only in their
/// finalizers, and with a large CPU cache .NET's first-generation budget can outlast a whole λ sweep without a single
/// collection, so each training's garbage would add to the sweep's peak memory (1.18× one training for 20 trainings
/// with collections suppressed, 1.6× before the library stopped making implicit Scalars; docs/performance.md, § 4).
/// When the runtime collects on its own, nothing is forced. Costs milliseconds.
/// </summary>
/// <remarks>Safe with respect to the library: it makes no Scalar that only a finalizer frees (every Scalar is owned by
/// a <c>using</c> or a static, enforced by ScalarGuardTests) and a training keeps its tensors in dispose scopes, so the
/// finalizers run here cannot free anything a library call on another thread is still reading; on the calling thread
/// nothing is in flight while it blocks. Code outside the library that leaves Scalars to finalizers (implicit
/// conversions in user code, TorchSharp's own <c>optim</c> steps) stays exposed to every collection, forced or not, on
/// other threads.</remarks>
internal static class NativeGarbage
{
    /// <summary>Gen-0 collection count when the previous training started (-1: none yet).</summary>
    private static int _collectionsAtLastTraining = -1;

    /// <summary>Collects unless the runtime has collected since the previous training started.</summary>
    public static void CollectBeforeTraining()
    {
        int collections = GC.CollectionCount(0);
        if (Interlocked.Exchange(ref _collectionsAtLastTraining, collections) != collections) return;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        Volatile.Write(ref _collectionsAtLastTraining, GC.CollectionCount(0));
    }
}
