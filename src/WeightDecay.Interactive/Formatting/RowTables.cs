using System.Globalization;
using System.Reflection;
using Microsoft.Data.Analysis;

namespace WeightDecay.Interactive;

/// <summary>Turns rows (records, anonymous objects, tuples with named properties) into a DataFrame, which the workbook
/// renders as an HTML table — sequences of objects would otherwise render as collapsible rows.</summary>
public static class RowTables
{
    /// <summary>
    /// One row per item, one column per public readable property in declaration order: numbers become numeric columns
    /// (nullable ones too), booleans boolean columns, everything else text (invariant culture).
    /// </summary>
    public static DataFrame ToTable<T>(this IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var items = rows.ToList();
        var props = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead
            && p.GetIndexParameters().Length == 0).ToList();
        if (props.Count == 0)
            throw new ArgumentException($"{typeof(T).Name} has no public properties to show as columns.", nameof(rows));
        var columns = props.Select(p =>
        {
            var values = items.Select(i => p.GetValue(i)).ToList();
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            DataFrameColumn column = type switch
            {
                _ when type == typeof(double) => new DoubleDataFrameColumn(p.Name, values.Select(v => (double?)v)),
                _ when type == typeof(float) => new DoubleDataFrameColumn(p.Name,
                    values.Select(v => v is null ? null : (double?)(float)v)),
                _ when type == typeof(int) => new Int32DataFrameColumn(p.Name, values.Select(v => (int?)v)),
                _ when type == typeof(long) => new Int64DataFrameColumn(p.Name, values.Select(v => (long?)v)),
                _ when type == typeof(bool) => new BooleanDataFrameColumn(p.Name, values.Select(v => (bool?)v)),
                _ => new StringDataFrameColumn(p.Name,
                    values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
            };
            return column;
        });
        return new DataFrame(columns);
    }
}
