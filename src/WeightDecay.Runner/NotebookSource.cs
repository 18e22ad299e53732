using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace WeightDecay.Runner;

/// <summary>Whether a cell is prose or C# code.</summary>
public enum CellKind
{
    /// <summary>A Markdown cell.</summary>
    Markdown,

    /// <summary>A C# code cell.</summary>
    Code,
}

/// <summary>One authored cell: its kind and its source (LF line ends, no trailing blank lines).</summary>
/// <param name="Kind">Markdown or code.</param>
/// <param name="Source">The cell's text.</param>
public sealed record SourceCell(CellKind Kind, string Source)
{
    /// <summary>Whether this is the notebook's parameters cell: a code cell whose first line is
    /// <see cref="NotebookSource.ParametersMarker"/>.</summary>
    public bool IsParameters =>
        Kind == CellKind.Code && NotebookSource.FirstLine(Source) == NotebookSource.ParametersMarker;
}

/// <summary>
/// A notebook as it is authored — the kinds and sources of its cells, nothing else — read from and written to the
/// workbook's two formats with Microsoft.DotNet.Interactive.Documents: <c>.dib</c> (the source of truth: plain text,
/// <c>#!markdown</c> / <c>#!csharp</c> cells, what Polyglot Notebooks opens natively) and <c>.ipynb</c> (generated from
/// the <c>.dib</c> for Jupyter: no outputs, fixed metadata and kernelspec, stable cell ids, the <c>parameters</c> tag).
/// </summary>
/// <remarks>
/// The parameters cell is marked in both formats by its first line, <c>// parameters</c>: a .dib cell has no metadata,
/// so the marker is what survives the round trip, and the generator adds the <c>parameters</c> tag (papermill's
/// convention) to that cell of the .ipynb. Reading an .ipynb whose tagged cell lacks the marker adds it.
/// </remarks>
public sealed class NotebookSource
{
    /// <summary>The first line that marks the parameters cell.</summary>
    public const string ParametersMarker = "// parameters";

    /// <summary>The .ipynb tag of the parameters cell.</summary>
    public const string ParametersTag = "parameters";

    private const string CSharp = "csharp";
    private const string Markdown = "markdown";

    /// <summary>The cells in order.</summary>
    public IReadOnlyList<SourceCell> Cells { get; }

    /// <summary>Creates a notebook from cells (sources are normalized: LF line ends, no trailing blank
    /// lines).</summary>
    public NotebookSource(IEnumerable<SourceCell> cells) =>
        Cells = cells.Select(c => c with { Source = Normalize(c.Source) }).ToList();

    /// <summary>Reads a <c>.dib</c> or <c>.ipynb</c> file.</summary>
    /// <exception cref="InvalidDataException">The file is not a notebook of the workbook (unreadable, malformed, or a
    /// cell in a language other than C# and Markdown); the message names the file and the cell.</exception>
    public static NotebookSource Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read '{path}': {e.Message}", e);
        }
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".dib" => FromDib(text, path),
            ".ipynb" => FromIpynb(text, path),
            _ => throw new InvalidDataException($"'{path}' is neither a .dib nor an .ipynb notebook."),
        };
    }

    /// <summary>Parses <c>.dib</c> text.</summary>
    public static NotebookSource FromDib(string text, string path = "<dib>")
    {
        InteractiveDocument doc;
        try
        {
            doc = CodeSubmission.Parse(text, Kernels());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{path}' is not a readable .dib notebook: {e.Message}", e);
        }
        return new NotebookSource(doc.Elements.Select((e, i) => ToCell(e, i, path, tags: [])));
    }

    /// <summary>Parses <c>.ipynb</c> text (outputs, execution counts and other metadata are dropped; the parameters tag
    /// becomes the marker line).</summary>
    public static NotebookSource FromIpynb(string text, string path = "<ipynb>")
    {
        InteractiveDocument doc;
        try
        {
            doc = Notebook.Parse(text, Kernels());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{path}' is not a readable Jupyter notebook: {e.Message}", e);
        }
        return new NotebookSource(doc.Elements.Select((e, i) => ToCell(e, i, path, Tags(e))));
    }

    /// <summary>The <c>.dib</c> text: a <c>#!meta</c> header naming C# the default kernel, then one <c>#!markdown</c>
    /// or <c>#!csharp</c> section per cell.</summary>
    public string ToDib()
    {
        var doc =
            new InteractiveDocument(Cells.Select(c => new InteractiveDocumentElement(c.Source, KernelName(c)))
            .ToList());
        doc.Metadata["kernelInfo"] = new Dictionary<string, object>
        {
            ["defaultKernelName"] = CSharp,
            ["items"] =
                new List<object> { new Dictionary<string, object> { ["aliases"] = new List<object>(),
                ["name"] = CSharp } },
        };
        return CodeSubmission.ToCodeSubmissionContent(doc, "\n").TrimEnd('\n') + "\n";
    }

    /// <summary>The <c>.ipynb</c> text: nbformat 4.5, the .NET (C#) kernelspec, no outputs, a stable id per cell
    /// (derived from its kind and source, so editing one cell changes only its id) and the <c>parameters</c>
    /// tag.</summary>
    public string ToIpynb()
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var doc = new InteractiveDocument();
        foreach (var c in Cells)
        {
            string id = StableId(c);
            seen[id] = seen.GetValueOrDefault(id) + 1;
            if (seen[id] > 1) id += "-" + seen[id];
            var element = new InteractiveDocumentElement(c.Source, KernelName(c)) { Id = id };
            if (c.IsParameters)
                element.Metadata = new Dictionary<string, object> { ["tags"] = new[] { ParametersTag } };
            doc.Add(element);
        }
        // The library writes the notebook's kernel list as polyglot_notebook: {defaultKernelName, items}; VS Code's
        // Polyglot Notebooks writes and reads polyglot_notebook: {kernelInfo: {…}}, so the generated file uses VS
        // Code's shape.
        var json = JsonNode.Parse(Notebook.ToJupyterJson(doc, CSharp))!.AsObject();
        json["metadata"]!["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = CSharp,
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = CSharp }),
            },
        };
        return json.ToJsonString(JupyterJson) + "\n";
    }

    /// <summary>Jupyter's own layout: one-space indentation, non-ASCII characters as they are.</summary>
    private static readonly JsonSerializerOptions JupyterJson = new()
    {
        WriteIndented = true, IndentSize = 1, NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Compares what an author wrote — the cells' kinds and sources, including the parameters marker — and nothing else
    /// (formatting, ids, metadata and outputs are ignored). Returns null when equal, else the first difference in
    /// words.
    /// </summary>
    public string? DifferenceFrom(NotebookSource other)
    {
        int n = Math.Min(Cells.Count, other.Cells.Count);
        for (int i = 0; i < n; i++)
        {
            var (a, b) = (Cells[i], other.Cells[i]);
            if (a.Kind != b.Kind)
                return $"cell {i + 1} is {Describe(a.Kind)} in one and {Describe(b.Kind)} in the other";
            if (a.Source != b.Source)
                return $"cell {i + 1} ({Describe(a.Kind)}) differs: {FirstDifferentLine(a.Source, b.Source)}";
        }
        return Cells.Count == other.Cells.Count ? null : $"one has {Cells.Count} cells, the other {other.Cells.Count}";
    }

    internal static string FirstLine(string source)
    {
        int nl = source.IndexOf('\n');
        return (nl < 0 ? source : source[..nl]).Trim();
    }

    private static SourceCell ToCell(InteractiveDocumentElement e, int index, string path,
        IReadOnlyCollection<string> tags)
    {
        var kind = e.KernelName switch
        {
            Markdown or "md" => CellKind.Markdown,
            CSharp or "C#" or "c#" or "cs" => CellKind.Code,
            _ => throw new InvalidDataException(
                $"'{path}', cell {index + 1}: the kernel '{e.KernelName}' is not supported; the workbook's notebooks " +
                "have C# (#!csharp) and Markdown (#!markdown) cells only."),
        };
        string source = Normalize(e.Contents ?? "");
        if (kind == CellKind.Code && tags.Contains(ParametersTag) && FirstLine(source) != ParametersMarker)
            source = ParametersMarker + "\n" + source;
        return new SourceCell(kind, source);
    }

    private static IReadOnlyCollection<string> Tags(InteractiveDocumentElement e)
    {
        if (e.Metadata is null || !e.Metadata.TryGetValue("tags", out var tags) || tags is null) return [];
        return tags switch
        {
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } a =>
                a.EnumerateArray().Select(t => t.ToString()).ToList(),
            IEnumerable<object> list => list.Select(t => t?.ToString() ?? "").ToList(),
            _ => [],
        };
    }

    private static string KernelName(SourceCell c) => c.Kind == CellKind.Markdown ? Markdown : CSharp;

    private static string Describe(CellKind k) => k == CellKind.Markdown ? "Markdown" : "code";

    private static string StableId(SourceCell c)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes((c.Kind == CellKind.Markdown ? "m\n" : "c\n") + c.Source));
        return Convert.ToHexStringLower(hash)[..8];
    }

    private static string FirstDifferentLine(string a, string b)
    {
        var la = a.Split('\n');
        var lb = b.Split('\n');
        for (int i = 0; i < Math.Max(la.Length, lb.Length); i++)
        {
            string x = i < la.Length ? la[i] : "(no line)", y = i < lb.Length ? lb[i] : "(no line)";
            if (x != y) return $"line {i + 1} reads \"{Shorten(x)}\" in one and \"{Shorten(y)}\" in the other";
        }
        return "whitespace differs";
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "…";

    /// <summary>LF line ends and no leading or trailing blank lines.</summary>
    private static string Normalize(string source)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0])) lines.RemoveAt(0);
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1])) lines.RemoveAt(lines.Count - 1);
        return string.Join('\n', lines);
    }

    private static KernelInfoCollection Kernels()
    {
        var kernels = new KernelInfoCollection
        {
            new KernelInfo(CSharp, "C#", ["c#", "C#", "cs"]),
            new KernelInfo(Markdown, "Markdown", ["md"]),
        };
        kernels.DefaultKernelName = CSharp;
        return kernels;
    }
}
