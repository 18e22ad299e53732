using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightDecay.Runner;

/// <summary>A Jupyter notebook (.ipynb, nbformat 4) read as JSON, so that every field round-trips unchanged.</summary>
public sealed class NotebookFile
{
    /// <summary>The whole document.</summary>
    public JsonObject Root { get; }

    /// <summary>The source path.</summary>
    public string Path { get; }

    /// <summary>File name without extension, e.g. <c>00-setup-check</c>.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The cells array.</summary>
    public JsonArray Cells => (JsonArray)Root["cells"]!;

    private NotebookFile(JsonObject root, string path) => (Root, Path) = (root, path);

    /// <summary>Reads and validates a notebook: an <c>.ipynb</c> as it is, a <c>.dib</c> as the <c>.ipynb</c> that
    /// <see cref="NotebookSource.ToIpynb"/> generates from it.</summary>
    /// <exception cref="InvalidDataException">Not a readable notebook; the message names the file.</exception>
    public static NotebookFile Load(string path)
    {
        JsonNode? node;
        try
        {
            string json = System.IO.Path.GetExtension(path).Equals(".dib", StringComparison.OrdinalIgnoreCase)
                ? NotebookSource.Read(path).ToIpynb()
                : File.ReadAllText(path);
            node = JsonNode.Parse(json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read '{path}': {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
        if (node is not JsonObject root || root["cells"] is not JsonArray)
            throw new InvalidDataException($"'{path}' is not a Jupyter notebook (expected a JSON object with a " +
                "\"cells\" array).");
        return new NotebookFile(root, System.IO.Path.GetFullPath(path));
    }

    /// <summary>A notebook from its JSON (e.g. an executed notebook a child process wrote).</summary>
    internal static NotebookFile FromJson(JsonObject root, string path) =>
        root["cells"] is JsonArray ? new NotebookFile(root, path)
            : throw new InvalidDataException($"The notebook JSON for '{path}' has no \"cells\" array.");

    /// <summary>A deep copy (for the executed notebook).</summary>
    public NotebookFile Clone() => new((JsonObject)Root.DeepClone(), Path);

    /// <summary>A cell's source as one string (nbformat allows a string or a list of lines).</summary>
    public static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    /// <summary>Splits text into nbformat's list-of-lines form (each line keeps its newline).</summary>
    public static JsonArray Lines(string text)
    {
        var a = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { a.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) a.Add(text[start..]);
        return a;
    }

    /// <summary>The cell's tags (metadata.tags).</summary>
    public static IReadOnlyList<string> Tags(JsonObject cell) =>
        (cell["metadata"]?["tags"] as JsonArray)?.Select(t => t?.GetValue<string>() ?? "").ToList() ?? [];

    /// <summary>The cell type (code, markdown, raw).</summary>
    public static string CellType(JsonObject cell) => cell["cell_type"]?.GetValue<string>() ?? "";

    /// <summary>The notebook's title: the first Markdown level-1 heading, else its name.</summary>
    public string Title
    {
        get
        {
            foreach (var cell in Cells.OfType<JsonObject>().Where(c => CellType(c) == "markdown"))
                foreach (var line in Source(cell).Split('\n'))
                    if (line.StartsWith("# ", StringComparison.Ordinal)) return line[2..].Trim();
            return Name;
        }
    }

    /// <summary>Serializes with one-space indentation, as Jupyter does.</summary>
    public string ToJson()
    {
        var options =
            new JsonSerializerOptions { WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return Root.ToJsonString(options) + "\n";
    }
}

/// <summary>Writes files atomically: a temporary file beside the target, then a rename.</summary>
internal static class Atomic
{
    public static void WriteText(string path, string text) => WriteBytes(path, new UTF8Encoding(false).GetBytes(text));

    public static void WriteBytes(string path, byte[] bytes)
    {
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        string temp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
