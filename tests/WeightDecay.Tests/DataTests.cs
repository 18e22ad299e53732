namespace WeightDecay.Tests;

public class DataTests
{
    [Fact]
    public void MinibatchesPartitionEveryEpochAndReshuffleDeterministically()
    {
        var a = new MinibatchSampler(23, 5, seed: 4);
        var b = new MinibatchSampler(23, 5, seed: 4);
        Assert.Equal(5, a.BatchesPerEpoch);
        var e1 = a.NextEpoch().ToList();
        var e2 = a.NextEpoch().ToList();
        Assert.Equal([5, 5, 5, 5, 3], e1.Select(x => x.Length));
        Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), e1.SelectMany(x => x).Order());
        Assert.NotEqual(e1.SelectMany(x => x), e2.SelectMany(x => x));
        Assert.Equal(e1.SelectMany(x => x), b.NextEpoch().SelectMany(x => x));
        Assert.Equal(4, new MinibatchSampler(23, 5, dropLast: true).BatchesPerEpoch);
        Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), new MinibatchSampler(23, 5, shuffle: false).NextEpoch().SelectMany(x => x));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(10, 0)]
    public void SamplerRejectsEmptyDataAndNonPositiveBatch(long count, int batch) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new MinibatchSampler(count, batch));

    [Fact]
    public void KFoldValidationSetsPartitionTheData()
    {
        var folds = KFold.Split(23, 5, seed: 1);
        Assert.Equal(5, folds.Count);
        Assert.Equal([5, 5, 5, 4, 4], folds.Select(f => f.Validation.Length));
        Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), folds.SelectMany(f => f.Validation).Order());
        foreach (var f in folds)
        {
            Assert.Empty(f.Train.Intersect(f.Validation));
            Assert.Equal(23, f.Train.Length + f.Validation.Length);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => KFold.Split(10, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => KFold.Split(3, 5));
    }

    [Fact]
    public void DatasetRejectsMismatchedRowsAndOutOfRangeSubset()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(zeros(3, 2), zeros(4)));
        Assert.Contains("3 rows", e.Message);
        using var d = new TensorDataset(zeros(3, 2), zeros(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Subset([0, 3]));
    }

    [Fact]
    public void MlpDropoutIsInvertedAndOffInEvaluation()
    {
        using var m = new Mlp(inputs: 50, hidden: [2000], outputs: 1, dropout: 0.5, seed: 1, dtype: ScalarType.Float64);
        using var scope = NewDisposeScope();
        var x = ones(1, 50, dtype: ScalarType.Float64);
        m.eval();
        var a = m.forward(x).item<double>();
        Assert.Equal(a, m.forward(x).item<double>());
        m.train();
        var samples = Enumerable.Range(0, 400).Select(_ => m.forward(x).item<double>()).ToArray();
        Assert.True(samples.Distinct().Count() > 300, "dropout must be active in training mode");
        // inverted dropout keeps the expectation: the training-mode mean is within 4 standard errors of the eval output
        double mean = samples.Average(), se = Math.Sqrt(samples.Select(s => (s - mean) * (s - mean)).Sum() / (samples.Length - 1) / samples.Length);
        Assert.InRange(a, mean - 4 * se, mean + 4 * se);
    }
}

public class SeedTests
{
    [Fact]
    public void ComponentsWithTheSameSeedDrawIndependentStreams()
    {
        // Regression test: with one shared stream, seed 0 made the model's initial w equal to the first training example.
        using var data = SyntheticRegression.Create(seed: 0, dtype: ScalarType.Float64);
        using var model = new WeightDecay.Models.LinearRegression(200, initStd: 1, seed: 0, dtype: ScalarType.Float64);
        using var scope = NewDisposeScope();
        var w = model.Weight.reshape(-1);
        var x = data.Train.Features;
        var cos = x.matmul(w) / (x.norm(1) * w.norm());
        Assert.True(cos.abs().max().item<double>() < 0.5, $"max |cos(w₀, xᵢ)| = {cos.abs().max().item<double>():F3}");
        // and the initial w is (almost) orthogonal to the 20-dimensional data span: its projection holds ≈ 20/200 of ‖w‖².
        var p = x.t().matmul(linalg.pinv(x.t())).matmul(w);
        double share = (p.Square().sum() / w.Square().sum()).item<double>();
        Assert.InRange(share, 0.02, 0.25);
    }

    [Fact]
    public void DeriveSeparatesStreamsAndSeeds()
    {
        Assert.NotEqual(Seeds.Derive(0, "a"), Seeds.Derive(0, "b"));
        Assert.NotEqual(Seeds.Derive(0, "a"), Seeds.Derive(1, "a"));
        Assert.Equal(Seeds.Derive(42, "mlp-init"), Seeds.Derive(42, "mlp-init"));
    }
}
