using System.Globalization;
using Microsoft.Data.Analysis;

namespace WeightDecay.Training;

/// <summary>
/// Training histories as tables: one row per epoch, with the run's settings as columns so that the tables of a sweep
/// can be concatenated and grouped. Per-tensor norms are columns named <c>norm[&lt;parameter&gt;]</c>.
/// </summary>
public static class HistoryTables
{
    private static readonly string[] SettingColumns = ["method", "optimizer", "regularizer", "lr", "lambda",
        "batch_size", "seed"];
    private static readonly string[] MetricColumns =
        ["epoch", "train_loss", "penalty", "total_loss", "test_loss", "train_accuracy", "test_accuracy", "param_norm"];

    /// <summary>The per-epoch metrics as a DataFrame.</summary>
    public static DataFrame ToDataFrame(this TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var s = history.Settings;
        var e = history.Epochs;
        int n = e.Count;
        var layers = e.Count > 0 ? e[0].LayerNorms.Keys.ToList() : [];
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("method", Enumerable.Repeat(s.Method, n)),
            new StringDataFrameColumn("optimizer", Enumerable.Repeat(s.Optimizer, n)),
            new StringDataFrameColumn("regularizer", Enumerable.Repeat(s.Regularizer, n)),
            new DoubleDataFrameColumn("lr", Enumerable.Repeat(s.LearningRate, n)),
            new DoubleDataFrameColumn("lambda", Enumerable.Repeat(s.Lambda, n)),
            new Int32DataFrameColumn("batch_size", Enumerable.Repeat(s.BatchSize, n)),
            new Int32DataFrameColumn("seed", Enumerable.Repeat(s.Seed, n)),
            new Int32DataFrameColumn("epoch", e.Select(m => m.Epoch)),
            new DoubleDataFrameColumn("train_loss", e.Select(m => m.TrainLoss)),
            new DoubleDataFrameColumn("penalty", e.Select(m => m.Penalty)),
            new DoubleDataFrameColumn("total_loss", e.Select(m => m.TotalLoss)),
            new DoubleDataFrameColumn("test_loss", e.Select(m => m.TestLoss)),
            new DoubleDataFrameColumn("train_accuracy", e.Select(m => m.TrainAccuracy)),
            new DoubleDataFrameColumn("test_accuracy", e.Select(m => m.TestAccuracy)),
            new DoubleDataFrameColumn("param_norm", e.Select(m => m.ParameterNorm)),
        };
        foreach (var layer in layers)
            columns.Add(new DoubleDataFrameColumn($"norm[{layer}]", e.Select(m => m.LayerNorms[layer])));
        return new DataFrame(columns);
    }

    /// <summary>Writes the per-epoch table as CSV (invariant culture, round-trip number format) atomically.</summary>
    public static void SaveCsv(this TrainingHistory history, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        var df = history.ToDataFrame();
        AtomicFile.Write(path, stream => DataFrame.SaveCsv(df, stream, cultureInfo: CultureInfo.InvariantCulture));
    }

    /// <summary>Reads a CSV written by <see cref="SaveCsv"/> as a DataFrame with the original column types.</summary>
    /// <exception cref="InvalidDataException">The file lacks a required column.</exception>
    public static DataFrame LoadCsvTable(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"History CSV '{path}' does not exist.", path);
        string header = File.ReadLines(path).FirstOrDefault() ?? throw new InvalidDataException($"'{path}' is empty.");
        var names = header.Split(',');
        foreach (var required in SettingColumns.Concat(MetricColumns))
            if (!names.Contains(required))
                throw new InvalidDataException($"'{path}' has no column '{required}'; expected a CSV written by " +
                    "HistoryTables.SaveCsv.");
        var types = names.Select(c => c switch
        {
            "method" or "optimizer" or "regularizer" => typeof(string),
            "batch_size" or "seed" or "epoch" => typeof(int),
            _ => typeof(double),
        }).ToArray();
        return DataFrame.LoadCsv(path, dataTypes: types, cultureInfo: CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a CSV written by <see cref="SaveCsv"/> back into a history (epochs and settings; no steps or
    /// snapshots).</summary>
    public static TrainingHistory LoadCsv(string path)
    {
        var df = LoadCsvTable(path);
        if (df.Rows.Count == 0) throw new InvalidDataException($"'{path}' has no rows.");
        var layerColumns =
            df.Columns.Select(c => c.Name).Where(n => n.StartsWith("norm[", StringComparison.Ordinal)).ToList();
        var first = df.Rows[0];
        var settings = new RunSettings((string)first["method"], (string)first["optimizer"],
            (string)first["regularizer"],
            (double)first["lr"], (double)first["lambda"], (int)first["batch_size"], (int)first["seed"]);
        var epochs = new List<EpochMetrics>();
        foreach (var row in df.Rows)
        {
            var norms = layerColumns.ToDictionary(c => c["norm[".Length..^1], c => (double)row[c]);
            epochs.Add(new EpochMetrics((int)row["epoch"], (double)row["train_loss"], (double)row["penalty"],
                (double)row["total_loss"], (double?)row["test_loss"], (double?)row["train_accuracy"],
                (double?)row["test_accuracy"], (double)row["param_norm"], norms));
        }
        return new TrainingHistory(settings, epochs, [], []);
    }
}
