using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeightDecay.Runner;

/// <summary>One declaration of a notebook's parameters cell, e.g. <c>var epochs = 100; // range: ≥ 1; quick:
/// 10</c>.</summary>
/// <param name="Name">Variable name.</param>
/// <param name="Type">C# type: int, long, double, bool, string, int[], long[] or double[].</param>
/// <param name="Default">The declared value (C# source).</param>
/// <param name="Quick">The value in quick mode (a <c>quick: value</c> annotation), or null.</param>
/// <param name="Range">The values it accepts (a <c>range: …</c> or <c>one of: …</c> annotation), or null.</param>
/// <param name="Grid">For an array, which arrays it accepts (a <c>grid: …</c> annotation), or null.</param>
/// <param name="QuickRange">The values it accepts in quick mode (a <c>quick range: …</c> annotation), or null: then
/// <paramref name="Range"/> holds in both modes.</param>
public sealed record ParameterDeclaration(string Name, string Type, string Default, string? Quick,
    ParameterRange? Range = null, GridRule? Grid = null, ParameterRange? QuickRange = null)
{
    /// <summary>The range in force in a mode: <see cref="QuickRange"/> in quick mode where declared, else
    /// <see cref="Range"/>.</summary>
    public ParameterRange? RangeIn(bool quick) => quick && QuickRange is not null ? QuickRange : Range;

    /// <summary>Whether the values are numbers (int, long, double or arrays of them).</summary>
    public bool IsNumeric => Type is "int" or "long" or "double" or "int[]" or "long[]" or "double[]";

    /// <summary>Whether the value is an array (int[], long[] or double[]).</summary>
    public bool IsArray => Type.EndsWith("[]", StringComparison.Ordinal);
}

/// <summary>
/// Papermill's convention for C# notebooks: the parameters cell (first line <c>// parameters</c>, or tagged
/// <c>parameters</c>) declares one variable per line; the runner inserts a cell tagged <c>injected-parameters</c> after
/// it that reassigns the overridden ones. The comment after a declaration holds <c>;</c>-separated annotations:
/// <c>range: ≥ 1</c> or <c>one of: a, b</c> (the values it accepts, checked before any work), <c>grid: any</c>,
/// <c>grid: subsequence</c> or <c>grid: measured</c> (for an array, which arrays it accepts: <see cref="GridRule"/>),
/// <c>quick: value</c> (its value in quick mode; <c>--param</c> wins over it), <c>quick range: ≥ 3</c> (the values
/// it accepts in quick mode, where they differ: a length measured only together with the mode's other sizes); anything
/// else is a free remark.
/// </summary>
public static partial class Parameters
{
    [GeneratedRegex(@"^\s*(?<type>var|int|long|double|bool|string|int\[\]|long\[\]|double\[\])\s+" +
                    @"(?<name>[A-Za-z_]\w*)\s*=\s*(?<value>[^;]+?);\s*(//(?<comment>.*))?$")]
    private static partial Regex Declaration();

    /// <summary>The index of the parameters cell — the code cell tagged <c>parameters</c> or whose first line is
    /// <c>// parameters</c> (<see cref="NotebookSource.ParametersMarker"/>) — or -1.</summary>
    public static int FindCell(NotebookFile nb)
    {
        for (int i = 0; i < nb.Cells.Count; i++)
            if (nb.Cells[i] is JsonObject c && NotebookFile.CellType(c) == "code" &&
                (NotebookFile.Tags(c).Contains(NotebookSource.ParametersTag) ||
                 NotebookSource.FirstLine(NotebookFile.Source(c)) == NotebookSource.ParametersMarker))
                return i;
        return -1;
    }

    /// <summary>Whether a cell is the one the runner injected (<see cref="InjectedCell"/>).</summary>
    public static bool IsInjected(JsonObject cell) => NotebookFile.Tags(cell).Contains("injected-parameters");

    /// <summary>The declarations of a notebook's parameters cell (empty when it has none).</summary>
    public static IReadOnlyList<ParameterDeclaration> Declarations(NotebookFile nb)
    {
        int i = FindCell(nb);
        if (i < 0) return [];
        var result = new List<ParameterDeclaration>();
        foreach (var line in NotebookFile.Source((JsonObject)nb.Cells[i]!).Split('\n'))
        {
            var m = Declaration().Match(line.TrimEnd('\r'));
            if (!m.Success) continue;
            string value = m.Groups["value"].Value.Trim();
            string type = m.Groups["type"].Value == "var" ? InferType(value) : m.Groups["type"].Value;
            string? quick = null;
            ParameterRange? range = null;
            GridRule? grid = null;
            ParameterRange? quickRange = null;
            string name = m.Groups["name"].Value;
            foreach (var part in m.Groups["comment"].Value.Replace("//", ";", StringComparison.Ordinal)
                .Split(';', StringSplitOptions.TrimEntries))
            {
                if (part.StartsWith("quick:", StringComparison.Ordinal)) quick = part["quick:".Length..].Trim();
                else if (part.StartsWith("range:", StringComparison.Ordinal))
                    range = Annotation(name, () => ParameterRange.Parse(part["range:".Length..]));
                else if (part.StartsWith("one of:", StringComparison.Ordinal))
                    range = Annotation(name, () => ParameterRange.Choices(part["one of:".Length..]));
                else if (part.StartsWith("quick range:", StringComparison.Ordinal))
                    quickRange = Annotation(name, () => ParameterRange.Parse(part["quick range:".Length..]));
                else if (part.StartsWith("grid:", StringComparison.Ordinal))
                    grid = Annotation(name, () => GridRules.Parse(part["grid:".Length..]));
            }
            var declaration = new ParameterDeclaration(name, type, value, quick, range, grid, quickRange);
            if (grid is not null && !declaration.IsArray)
                throw new ArgumentException(
                    $"the parameters cell declares '{name}' ({type}) with a 'grid:' annotation; only arrays take one.");
            if (grid is GridRule.Subsequence or GridRule.Measured)
            {
                // the reference grids must be literal numbers, checked when the notebook is read, not at an override
                Numbers(declaration, value);
                if (quick is not null) Numbers(declaration, quick);
            }
            result.Add(declaration);
        }
        return result;
    }

    private static T Annotation<T>(string name, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the parameters cell declares '{name}' with a bad annotation: {e.Message}", e);
        }
    }

    private static string InferType(string literal)
    {
        if (literal is "true" or "false") return "bool";
        if (literal.StartsWith('"')) return "string";
        if (literal.StartsWith("new", StringComparison.Ordinal))
        {
            if (literal.Contains("double", StringComparison.Ordinal)) return "double[]";
            if (literal.Contains("long", StringComparison.Ordinal)) return "long[]";
            string inner = literal[(literal.IndexOf('{') + 1)..].TrimEnd('}', ' ');
            return inner.Split(',').Any(x => LooksDouble(x.Trim())) ? "double[]" : "int[]";
        }
        if (literal.EndsWith('L') || literal.EndsWith('l')) return "long";
        return LooksDouble(literal) ? "double" : "int";
    }

    private static bool LooksDouble(string s) => s.Contains('.') || s.Contains('e') || s.Contains('E')
        || s.EndsWith('d') || s.EndsWith('D');

    /// <summary>Converts a command-line value to a C# literal of the declared type.</summary>
    /// <exception cref="ArgumentException">The value does not parse as that type.</exception>
    public static string ToLiteral(ParameterDeclaration p, string value)
    {
        string Fail() => throw new ArgumentException(
            $"Parameter '{p.Name}' is {p.Type}; '{value}' is not a valid {p.Type}" +
                (p.Type.EndsWith("[]") ? " (use comma-separated numbers, e.g. 0,0.01,0.1)." : "."));
        var inv = CultureInfo.InvariantCulture;
        switch (p.Type)
        {
            case "int": return int.TryParse(value, NumberStyles.Integer, inv, out var i) ? i.ToString(inv) : Fail();
            case "long": return long.TryParse(value, NumberStyles.Integer, inv, out var l) ? l.ToString(inv) + "L"
                : Fail();
            case "double":
                return double.TryParse(value, NumberStyles.Float, inv, out var d)
                    && double.IsFinite(d) ? Double(d) : Fail();
            case "bool": return bool.TryParse(value, out var b) ? (b ? "true" : "false") : Fail();
            case "string": return SymbolDisplay(value);
            case "int[]" or "long[]" or "double[]":
            {
                string elem = p.Type[..^2];
                var parts = value.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Any(x => x.Length == 0))
                    throw new ArgumentException($"Parameter '{p.Name}' is {p.Type}; '{value}' has an empty entry " +
                        "(use comma-separated " +
                                                "numbers without gaps, e.g. 0,0.01,0.1).");
                var literals = parts.Select(x => ToLiteral(p with { Type = elem }, x)).ToList();
                return $"new {elem}[] {{ {string.Join(", ", literals)} }}";
            }
            default: return Fail();
        }
    }

    private static string Double(double d)
    {
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }

    private static string SymbolDisplay(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
            sb.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t",
                _ => c.ToString() });
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// The assignments to inject for a notebook: quick values (in quick mode; <c>quick = true</c> where declared), then
    /// explicit overrides. Returns (name, literal) pairs in declaration order; only names the notebook declares. Every
    /// value the notebook would run with — injected or its default — is checked against the parameter's declared range.
    /// </summary>
    /// <exception cref="ArgumentException">A value does not parse as its type or lies outside its range; the message
    /// names the parameter, the value and the range.</exception>
    public static IReadOnlyList<(string Name, string Literal)> Resolve(IReadOnlyList<ParameterDeclaration> decls,
        IReadOnlyDictionary<string, string> overrides, bool quick)
    {
        var result = new List<(string, string)>();
        foreach (var d in decls)
        {
            if (overrides.TryGetValue(d.Name, out var v))
            {
                string literal = ToLiteral(d, v);
                CheckRange(d, literal, quick, $"--param {d.Name}={v}");
                CheckGrid(d, literal, quick, $"--param {d.Name}={v}");
                result.Add((d.Name, literal));
            }
            else if (quick && d.Name == "quick" && d.Type == "bool") result.Add((d.Name, "true"));
            else if (quick && d.Quick is not null)
            {
                CheckRange(d, d.Quick, quick, $"its quick value {d.Quick}");
                result.Add((d.Name, d.Quick));
            }
            else CheckRange(d, d.Default, quick, $"its default {d.Default}");
        }
        return result;
    }

    /// <summary>Checks a C# literal (a number, a string or <c>new T[] { … }</c>) against the declared range.</summary>
    private static void CheckRange(ParameterDeclaration d, string literal, bool quick, string what)
    {
        if (d.RangeIn(quick) is not { } range) return;
        string its = quick && d.QuickRange is not null ? "its quick-mode range" : "its range";
        string other = !quick && d.QuickRange is not null ? $" (quick mode, --quick: {d.QuickRange})" : "";
        if (!d.IsNumeric)
        {
            string text = literal.Trim().Trim('"');
            if (!range.Contains(text))
                throw new ArgumentException($"Parameter '{d.Name}': {what} is not allowed; expected {range}.");
            return;
        }
        foreach (var entry in Entries(literal))
        {
            if (!TryNumber(entry, out var x))
                continue; // an expression the runner cannot evaluate; the library checks it when the notebook runs
            if (!range.Contains(x))
                throw new ArgumentException(d.IsArray
                    ? $"Parameter '{d.Name}': {what} has the entry {x.ToString("G", CultureInfo.InvariantCulture)}, " +
                        $"outside {its} {range}{other}."
                    : $"Parameter '{d.Name}': {what} is outside {its} {range}{other}.");
        }
    }

    /// <summary>Checks an array against its <see cref="GridRule"/>, relative to the grid the mode runs by default (the
    /// quick value in quick mode where one is declared, else the default).</summary>
    private static void CheckGrid(ParameterDeclaration d, string literal, bool quick, string what)
    {
        if (d.Grid is not { } rule || rule == GridRule.Any) return;
        string measuredLiteral = quick && d.Quick is not null ? d.Quick : d.Default;
        var measured = Numbers(d, measuredLiteral);
        var given = Numbers(d, literal);
        string mode = quick && d.Quick is not null ? "quick " : "";
        string shown = "{ " + string.Join(", ", measured.Select(x => x.ToString("G", CultureInfo.InvariantCulture)))
            + " }";
        if (rule == GridRule.Measured)
        {
            if (!given.SequenceEqual(measured))
                throw new ArgumentException($"Parameter '{d.Name}': {what} is not allowed; its claims were measured " +
                    $"only on its {mode}grid {shown} (grid: measured). Leave it out, or edit the notebook to explore " +
                    "(a claim may then report that it does not hold).");
            return;
        }
        int at = -1;
        bool inOrder = given.All(x =>
        {
            int i = Array.IndexOf(measured, x, at + 1);
            at = i < 0 ? at : i;
            return i >= 0;
        });
        if (!inOrder || given.Length == 0 || given[0] != measured[0] || given[^1] != measured[^1])
            throw new ArgumentException($"Parameter '{d.Name}': {what} is not allowed; take entries of its " +
                $"{mode}grid {shown}, in that order, keeping its first and last (grid: subsequence): its claims were " +
                "measured on that grid.");
    }

    /// <summary>A numeric literal's value (a C# suffix such as <c>d</c>, <c>f</c> or <c>L</c> allowed).</summary>
    private static bool TryNumber(string entry, out double x) => double.TryParse(
        entry.TrimEnd('d', 'D', 'f', 'F', 'L', 'l', 'm', 'M'), NumberStyles.Float, CultureInfo.InvariantCulture, out x);

    private static double[] Numbers(ParameterDeclaration d, string literal) => Entries(literal).Select(e =>
        TryNumber(e, out var x) ? x
            : throw new ArgumentException(
                $"the parameters cell declares '{d.Name}' with 'grid:' but its value {literal} has the entry '{e}', " +
                "which is not a number; a grid annotation needs literal numbers.")).ToArray();

    private static IEnumerable<string> Entries(string literal)
    {
        int open = literal.IndexOf('{');
        if (open < 0) return [literal.Trim()];
        return literal[(open + 1)..].TrimEnd().TrimEnd('}')
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Every declared parameter with the literal the notebook runs with: its assignment if injected, else the
    /// cell's default.</summary>
    public static IReadOnlyList<(string Name, string Literal)> Effective(IReadOnlyList<ParameterDeclaration> decls,
        IReadOnlyList<(string Name, string Literal)> assignments) =>
        decls.Select(d => (d.Name, assignments.Where(a => a.Name == d.Name).Select(a => a.Literal).FirstOrDefault()
            ?? d.Default)).ToArray();

    /// <summary>(name, literal) pairs as a JSON object of strings (run.json, notebook metadata, the reports' meta
    /// tags).</summary>
    public static JsonObject ToJson(IEnumerable<(string Name, string Literal)> parameters) =>
        new(parameters.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)JsonValue.Create(p.Literal))));

    /// <summary>The injected cell (nbformat JSON), tagged <c>injected-parameters</c>.</summary>
    public static JsonObject InjectedCell(IReadOnlyList<(string Name, string Literal)> assignments, bool quick)
    {
        var src = new StringBuilder($"// Parameters injected by the runner{(quick ? " (quick mode)" : "")}\n");
        foreach (var (name, literal) in assignments) src.Append(name).Append(" = ").Append(literal).Append(";\n");
        return new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = "injected-parameters",
            ["metadata"] = new JsonObject
            {
                ["tags"] = new JsonArray("injected-parameters"),
                ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
            },
            ["outputs"] = new JsonArray(), ["source"] = NotebookFile.Lines(src.ToString().TrimEnd('\n')),
        };
    }
}
