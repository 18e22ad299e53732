using System.Globalization;
using Microsoft.Data.Analysis;

namespace WeightDecay.Landscape;

/// <summary>
/// Slices as tables (one row per grid point) and CSV files (invariant culture, round-trip number format, written
/// atomically). Columns: <c>kind</c> (1-D only), <c>alpha</c>, <c>beta</c> (2-D only), <c>train_loss</c>,
/// <c>train_accuracy</c>, <c>test_loss</c>, <c>test_accuracy</c>. A metric the slice lacks is an all-null column (empty
/// cells); a non-finite loss is NaN. 2-D rows are in α-major order (all β for the first α, then the next α).
/// </summary>
public static class LandscapeTables
{
    private static readonly string[] MetricColumns = ["train_loss", "train_accuracy", "test_loss", "test_accuracy"];

    /// <summary>The slice as a DataFrame, one row per coordinate.</summary>
    public static DataFrame ToDataFrame(this Slice1D slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        int n = slice.Alpha.Length;
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("kind", Enumerable.Repeat(KindName(slice.Kind), n)),
            new DoubleDataFrameColumn("alpha", slice.Alpha),
        };
        columns.AddRange(MetricColumns.Select((name, m) => Column(name, slice.Get((LandscapeMetric)m), n)));
        return new DataFrame(columns);
    }

    /// <summary>The slice as a DataFrame in long format, one row per grid point (α-major).</summary>
    public static DataFrame ToDataFrame(this Slice2D slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        int na = slice.Alpha.Length, nb = slice.Beta.Length;
        var cells = Enumerable.Range(0, na).SelectMany(i => Enumerable.Range(0, nb).Select(j => (i, j))).ToList();
        var columns = new List<DataFrameColumn>
        {
            new DoubleDataFrameColumn("alpha", cells.Select(c => slice.Alpha[c.i])),
            new DoubleDataFrameColumn("beta", cells.Select(c => slice.Beta[c.j])),
        };
        columns.AddRange(MetricColumns.Select((name, m) =>
        {
            var v = slice.Get((LandscapeMetric)m);
            return Column(name, v is null ? null : cells.Select(c => v[c.i, c.j]).ToArray(), cells.Count);
        }));
        return new DataFrame(columns);
    }

    /// <summary>Writes the slice's table as CSV atomically (readers see the old file or the complete new
    /// one).</summary>
    public static void SaveCsv(this Slice1D slice, string path) => Save(slice.ToDataFrame(), path);

    /// <summary>Writes the slice's table as CSV atomically (readers see the old file or the complete new
    /// one).</summary>
    public static void SaveCsv(this Slice2D slice, string path) => Save(slice.ToDataFrame(), path);

    /// <summary>Reads a CSV written by <see cref="SaveCsv(Slice1D, string)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A required column is missing, or the file has no rows or mixed
    /// kinds.</exception>
    public static Slice1D LoadSlice1D(string path)
    {
        var df = Load(path, ["kind", "alpha"]);
        var kinds = df.Rows.Select(r => (string)r["kind"]).Distinct().ToList();
        if (kinds.Count != 1 || !Enum.TryParse<Slice1DKind>(kinds[0], ignoreCase: true, out var kind))
            throw new InvalidDataException($"'{path}' has kinds [{string.Join(", ", kinds)}]; expected one of " +
                "'interpolation' or 'direction'.");
        var alpha = Values(df["alpha"])!;
        var m = MetricColumns.Select(c => Values(df[c])).ToArray();
        return new Slice1D(kind, alpha, m[0] ?? throw new InvalidDataException($"'{path}' has no train_loss values."),
            m[1], m[2], m[3]);
    }

    /// <summary>Reads a CSV written by <see cref="SaveCsv(Slice2D, string)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A required column is missing, or the rows are not a full α-major
    /// grid.</exception>
    public static Slice2D LoadSlice2D(string path)
    {
        var df = Load(path, ["alpha", "beta"]);
        var a = Values(df["alpha"])!;
        var b = Values(df["beta"])!;
        var alpha = a.Distinct().ToArray();
        var beta = b.Distinct().ToArray();
        int na = alpha.Length, nb = beta.Length;
        if (a.Length != na * nb)
            throw new InvalidDataException($"'{path}' has {a.Length} rows for {na} α × {nb} β values; expected a " +
                "full grid.");
        for (int r = 0; r < a.Length; r++)
            if (a[r] != alpha[r / nb] || b[r] != beta[r % nb])
                throw new InvalidDataException($"'{path}' row {r + 1} is (α {a[r]}, β {b[r]}); expected α-major grid " +
                    "order.");
        var m = MetricColumns.Select(c =>
        {
            var v = Values(df[c]);
            if (v is null) return null;
            var g = new double[na, nb];
            for (int r = 0; r < v.Length; r++) g[r / nb, r % nb] = v[r];
            return g;
        }).ToArray();
        return new Slice2D(alpha, beta, m[0] ?? throw new InvalidDataException($"'{path}' has no train_loss values."),
            m[1], m[2], m[3]);
    }

    private static string KindName(Slice1DKind kind) => kind.ToString().ToLowerInvariant();

    private static DoubleDataFrameColumn Column(string name, double[]? values, int n) =>
        values is null ? new DoubleDataFrameColumn(name, Enumerable.Repeat<double?>(null, n))
            : new DoubleDataFrameColumn(name, values);

    private static double[]? Values(DataFrameColumn column)
    {
        var c = (DoubleDataFrameColumn)column;
        if (c.Length > 0 && c.NullCount == c.Length) return null;
        return Enumerable.Range(0, (int)c.Length).Select(i => c[i] ?? double.NaN).ToArray();
    }

    private static void Save(DataFrame df, string path) =>
        AtomicFile.Write(path, stream => DataFrame.SaveCsv(df, stream, cultureInfo: CultureInfo.InvariantCulture));

    private static DataFrame Load(string path, string[] keys)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Landscape CSV '{path}' does not exist.", path);
        string header = File.ReadLines(path).FirstOrDefault() ?? throw new InvalidDataException($"'{path}' is empty.");
        var names = header.Split(',');
        foreach (var required in keys.Concat(MetricColumns))
            if (!names.Contains(required))
                throw new InvalidDataException($"'{path}' has no column '{required}'; expected a CSV written by " +
                    "LandscapeTables.SaveCsv.");
        var types = names.Select(c => c == "kind" ? typeof(string) : typeof(double)).ToArray();
        var df = DataFrame.LoadCsv(path, dataTypes: types, cultureInfo: CultureInfo.InvariantCulture);
        if (df.Rows.Count == 0) throw new InvalidDataException($"'{path}' has no rows.");
        return df;
    }
}
