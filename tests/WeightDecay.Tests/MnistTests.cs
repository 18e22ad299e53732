namespace WeightDecay.Tests;

public class MnistTests
{
    [Fact]
    public void SubsetLoadsWithStratifiedDeterministicSplit()
    {
        var m = Shared.Mnist;
        Assert.Equal([8000L, 784L], m.Train.Features.shape);
        Assert.Equal([2000L, 784L], m.Test.Features.shape);
        Assert.Equal(ScalarType.Int64, m.Train.Targets.dtype);
        using var scope = NewDisposeScope();
        Assert.Equal(0.0, m.Train.Features.min().ItemAsDouble());
        Assert.Equal(1.0, m.Train.Features.max().ItemAsDouble());
        // Every class gives 20% ± 1 digit of itself to the test set.
        var trainCounts = m.Train.Targets.bincount(null, 10).data<long>().ToArray();
        var testCounts = m.Test.Targets.bincount(null, 10).data<long>().ToArray();
        long[] classTotals = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
        for (int c = 0; c < 10; c++)
        {
            Assert.Equal(classTotals[c], trainCounts[c] + testCounts[c]);
            Assert.InRange(testCounts[c], Math.Floor(classTotals[c] * 0.2), Math.Ceiling(classTotals[c] * 0.2));
        }
        using var again = Mnist.Load();
        Assert.Equal(m.Test.Targets.data<long>().ToArray(), again.Test.Targets.data<long>().ToArray());
        Assert.Equal(m.Test.Features.sum().ItemAsDouble(), again.Test.Features.sum().ItemAsDouble());
    }

    [Fact]
    public void StratifiedSplitIsAPartitionAndSeedDependent()
    {
        byte[] labels = Enumerable.Range(0, 103).Select(i => (byte)(i % 3 == 0 ? 0 : i % 7 == 0 ? 1 : 2)).ToArray();
        var (train, test) = Mnist.StratifiedSplit(labels, 20, seed: 1);
        Assert.Equal(20, test.Length);
        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), train.Concat(test).Order());
        var (_, test2) = Mnist.StratifiedSplit(labels, 20, seed: 2);
        Assert.NotEqual(test, test2);
        Assert.Equal(test, Mnist.StratifiedSplit(labels, 20, seed: 1).Test);
    }

    [Fact]
    public void MissingFileNamesThePathAndHowToRestore()
    {
        string dir = Directory.CreateTempSubdirectory("wd-mnist-").FullName;
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => Mnist.Load(dir));
            Assert.Contains(Path.Combine(dir, Mnist.ImagesFile), e.Message);
            Assert.Contains("git checkout -- data/", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void CorruptOrTruncatedFileIsRejectedByChecksum()
    {
        string dir = Directory.CreateTempSubdirectory("wd-mnist-").FullName;
        try
        {
            string src = Shared.Mnist.Directory;
            File.Copy(Path.Combine(src, Mnist.LabelsFile), Path.Combine(dir, Mnist.LabelsFile));
            var bytes = File.ReadAllBytes(Path.Combine(src, Mnist.ImagesFile));
            File.WriteAllBytes(Path.Combine(dir, Mnist.ImagesFile), bytes[..(bytes.Length / 2)]);
            var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir));
            Assert.Contains(Mnist.ImagesSha256, e.Message);
            Assert.Contains(Path.Combine(dir, Mnist.ImagesFile), e.Message);

            bytes[100] ^= 0xFF;
            File.WriteAllBytes(Path.Combine(dir, Mnist.ImagesFile), bytes);
            Assert.Contains("SHA-256", Assert.Throws<InvalidDataException>(() => Mnist.Load(dir)).Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void IdxParserRejectsWrongMagicDimensionsAndLength()
    {
        byte[] good = [0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3];
        Assert.Equal([1, 2, 3], Mnist.ParseIdx(good, 0x801, [3], "x"));
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => Mnist.ParseIdx(good, 0x803, [3], "x")).Message);
        Assert.Contains("dimension 0 = 3, expected 4", Assert.Throws<InvalidDataException>(() => Mnist.ParseIdx(good, 0x801, [4], "x")).Message);
        Assert.Contains("expected 11", Assert.Throws<InvalidDataException>(() => Mnist.ParseIdx(good[..10], 0x801, [3], "x")).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Mnist.ParseIdx(good[..5], 0x801, [3], "x")).Message);
    }

    [Fact]
    public void SeedMlpReachesNinetyPercentWithinFiveEpochs()
    {
        var m = Shared.Mnist;
        using var model = new Mlp(seed: 0);
        var h = Trainer.Fit(model, m.Train, m.Test, new CrossEntropy(), new TrainerOptions
        {
            Epochs = 5, BatchSize = 64, Optimizer = new OptimizerOptions(OptimizerKind.Adam, 1e-3),
            Decay = new WeightDecayOptions(DecayMethod.Decoupled, 1e-4),
        });
        Assert.True(h.Final.TestAccuracy >= 0.90, $"test accuracy {h.Final.TestAccuracy:P2} after 5 epochs (target ≥ 90%)");
        Assert.True(h.Epochs[0].TestAccuracy < 0.3, "the untrained network must be near chance");
    }
}
