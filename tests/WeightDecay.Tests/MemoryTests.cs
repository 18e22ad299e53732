using System.Diagnostics;

namespace WeightDecay.Tests;

[Collection(nameof(Serial))]
public class MemoryTests
{
    private static void Fit(Mlp model, TensorDataset train, TensorDataset test, int seed) =>
        Trainer.Fit(model, train, test, new CrossEntropy(), new TrainerOptions
        {
            Epochs = 1, BatchSize = 100, Seed = seed, Optimizer = new OptimizerOptions(OptimizerKind.Adam, 1e-3),
            Decay = new WeightDecayOptions(DecayMethod.Penalty, 1e-3),
        });

    private static void TrainOnce(TensorDataset train, TensorDataset test, int seed)
    {
        using var model = new Mlp(hidden: [64], seed: seed);
        Fit(model, train, test, seed);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (OperatingSystem.IsLinux()) MallocTrim(0); // return freed heap pages, so RSS tracks live memory, not fragmentation
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }

    [Fact]
    public void ASweepOfTwentyTrainingsDoesNotGrowNativeMemory()
    {
        using var train = Shared.Mnist.Train.Subset(Enumerable.Range(0, 2000).Select(i => (long)i * 4).ToArray());
        var test = Shared.Mnist.Test;
        // Warm-up: the allocator and libtorch grow their pools over the first trainings, then RSS plateaus (measured: +145 MB
        // over the first 10, then ±15 MB over each next 10).
        for (int i = 0; i < 10; i++) TrainOnce(train, test, i);
        long rssBefore = Rss();
        for (int i = 0; i < 20; i++) TrainOnce(train, test, 100 + i);
        long rssAfter = Rss();

        // Every tensor a training creates is disposed. (Models are built outside the count: TorchSharp's nn.Linear leaves
        // handle-less tensor wrappers to the finalizer when it wraps its parameters, which holds no native memory.)
        var models = Enumerable.Range(0, 5).Select(i => new Mlp(hidden: [64], seed: i)).ToList();
        long tensorsBefore = Tensor.TotalCount;
        foreach (var m in models) Fit(m, train, test, 7);
        long tensorsAfter = Tensor.TotalCount;
        models.ForEach(m => m.Dispose());
        Assert.Equal(tensorsBefore, tensorsAfter);
        double growthMb = (rssAfter - rssBefore) / 1048576.0;
        // One training of this MLP allocates ~25 MB of tensors in total; a leak of one training's tensors per run would add
        // hundreds of MB over 20 runs. Allow 40 MB of allocator noise.
        Assert.True(growthMb < 40, $"RSS grew by {growthMb:F1} MB over 20 trainings (limit 40 MB)");
    }
}
