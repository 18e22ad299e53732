using System.Runtime;
using WeightDecay.Native;

namespace WeightDecay.Tests;

/// <summary><see cref="NoCollection"/>: no collection during the call, the runtime's normal mode after it.</summary>
[Collection(nameof(Serial))] // other tests force collections, which would end the region early
public class NoCollectionTests
{
    [Fact]
    public void NoCollectionRunsDuringTheCallAndTheRegionEndsAfterIt()
    {
        int before = -1, after = -1;
        GCLatencyMode inside = GCLatencyMode.Batch;
        NoCollection.Run(() =>
        {
            inside = GCSettings.LatencyMode;
            before = GC.CollectionCount(0);
            var keep = new List<byte[]>();
            for (int i = 0; i < 1_000; i++) keep.Add(new byte[8 * 1024]); // 8 MB, within the budget
            after = GC.CollectionCount(0);
            GC.KeepAlive(keep);
        });
        Assert.Equal(GCLatencyMode.NoGCRegion, inside);
        Assert.Equal(before, after);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void AThrowingOrNestedCallLeavesTheNormalMode()
    {
        Assert.Throws<InvalidOperationException>(() =>
            NoCollection.Run(() => NoCollection.Run(() => throw new InvalidOperationException("inner"))));
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        NoCollection.Run(() => GC.Collect()); // an induced collection ends the region early; no exception
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
