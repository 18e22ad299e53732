namespace WeightDecay.Tests;

public class TableTests
{
    private static TrainingHistory Regression()
    {
        using var data = SyntheticRegression.Create(seed: 3);
        using var model = new LinearRegression(200, initStd: 1);
        return Trainer.Fit(model, data.Train, data.Test, new HalfSquaredError(), new TrainerOptions
        {
            Epochs = 4, BatchSize = 5, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.003, Momentum: 0.9),
            Decay = new WeightDecayOptions(DecayMethod.Decoupled, 3),
        });
    }

    [Fact]
    public void HistoryBecomesADataFrameWithSettingsMetricsAndNorms()
    {
        var h = Regression();
        var df = h.ToDataFrame();
        Assert.Equal(5, df.Rows.Count);
        Assert.Equal(["method", "optimizer", "regularizer", "lr", "lambda", "batch_size", "seed", "epoch", "train_loss", "penalty",
            "total_loss", "test_loss", "train_accuracy", "test_accuracy", "param_norm", "norm[weight]", "norm[bias]"],
            df.Columns.Select(c => c.Name));
        Assert.Equal("decoupled", df["method"][0]);
        Assert.Equal("sgd(momentum=0.9)", df["optimizer"][4]);
        Assert.Equal(h.Epochs[3].TestLoss, (double?)df["test_loss"][3]);
        Assert.Null(df["test_accuracy"][2]);
    }

    [Fact]
    public void CsvRoundTripIsExact()
    {
        var h = Regression();
        string dir = Directory.CreateTempSubdirectory("wd-csv-").FullName;
        try
        {
            string path = Path.Combine(dir, "history.csv");
            h.SaveCsv(path);
            Assert.Single(Directory.GetFiles(dir)); // no temp file left behind
            var back = HistoryTables.LoadCsv(path);
            Assert.Equal(h.Settings, back.Settings);
            Assert.Equal(h.Epochs.Count, back.Epochs.Count);
            for (int i = 0; i < h.Epochs.Count; i++)
            {
                var (a, b) = (h.Epochs[i], back.Epochs[i]);
                Assert.Equal(a with { LayerNorms = b.LayerNorms }, b);
                Assert.Equal(a.LayerNorms, b.LayerNorms);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ClassificationHistoryKeepsAccuracies()
    {
        using var subset = Shared.Mnist.Train.Subset(Enumerable.Range(0, 500).Select(i => (long)i * 16).ToArray());
        using var model = new Mlp(hidden: [16]);
        var h = Trainer.Fit(model, subset, Shared.Mnist.Test, new CrossEntropy(), new TrainerOptions
        {
            Epochs = 1, BatchSize = 50, Optimizer = new OptimizerOptions(OptimizerKind.Adam, 1e-3),
        });
        string path = Path.Combine(Path.GetTempPath(), $"wd-{Guid.NewGuid():N}.csv");
        try
        {
            h.SaveCsv(path);
            var back = HistoryTables.LoadCsv(path);
            Assert.Equal(h.Final.TestAccuracy, back.Final.TestAccuracy);
            Assert.Equal(h.Final.TrainAccuracy, back.Final.TrainAccuracy);
            Assert.Equal(h.Final.LayerNorms.Keys, back.Final.LayerNorms.Keys);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void LoadingAForeignCsvNamesTheMissingColumn()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wd-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "a,b\n1,2\n");
            var e = Assert.Throws<InvalidDataException>(() => HistoryTables.LoadCsv(path));
            Assert.Contains("'method'", e.Message);
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }
}
