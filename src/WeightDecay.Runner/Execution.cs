using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace WeightDecay.Runner;

/// <summary>The outcome of running one notebook.</summary>
/// <param name="Executed">The notebook with outputs (and the injected parameters cell).</param>
/// <param name="Parameters">The injected assignments.</param>
/// <param name="Duration">Wall time.</param>
/// <param name="Error">The first cell error (message), or null when every cell succeeded.</param>
/// <param name="FailedCell">The index (in <see cref="Executed"/>) of the failed cell, or -1.</param>
/// <param name="CellsRun">Code cells executed.</param>
/// <param name="CellTimes">Seconds per executed code cell, by cell index.</param>
public sealed record NotebookRun(NotebookFile Executed, IReadOnlyList<(string Name, string Literal)> Parameters,
    TimeSpan Duration, string? Error, int FailedCell, int CellsRun, IReadOnlyDictionary<int, double> CellTimes)
{
    /// <summary>Every declared parameter with the value the notebook ran with (injected, or the parameters cell's
    /// default).</summary>
    public IReadOnlyList<(string Name, string Literal)> Effective { get; init; } = [];

    /// <summary>Whether every code cell ran without error.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>
/// Runs one notebook top to bottom in an in-process C# kernel (Microsoft.DotNet.Interactive). The runner calls this in
/// a child process per notebook (<see cref="NotebookProcess"/>), so that nothing a notebook does — exit, hang, crash,
/// change process-wide state — reaches another notebook.
/// </summary>
public static class Execution
{
    /// <summary>
    /// Executes <paramref name="source"/>; outputs are stored in nbformat. Stops at the first failing cell.
    /// <paramref name="cellStarted"/> gets the author's number of the code cell (the injected parameters cell is not
    /// counted) and the total; <paramref name="cellFinished"/> the notebook executed so far, after every cell.
    /// </summary>
    public static async Task<NotebookRun> RunAsync(NotebookFile source,
        IReadOnlyList<(string Name, string Literal)> parameters, bool quick,
        TimeSpan cellTimeout, Action<int, int, TimeSpan> cellStarted, Action<NotebookRun>? cellFinished = null)
    {
        var nb = source.Clone();
        int paramCell = Parameters.FindCell(nb);
        if (paramCell >= 0 && parameters.Count > 0)
            nb.Cells.Insert(paramCell + 1, Parameters.InjectedCell(parameters, quick));

        string previousDir = Environment.CurrentDirectory;
        // relative #r and data paths resolve as in VS Code/Jupyter
        Environment.CurrentDirectory = Path.GetDirectoryName(nb.Path)!;
        var clock = Stopwatch.StartNew();
        var times = new Dictionary<int, double>();
        string? error = null;
        int failed = -1, run = 0, authorCell = 0, executionCount = 0;
        int authorCells = nb.Cells.OfType<JsonObject>().Count(c => NotebookFile.CellType(c) == "code"
            && !Parameters.IsInjected(c));
        NotebookRun Snapshot() => new(nb, parameters, clock.Elapsed, error, failed, run, times);
        try
        {
            using var kernel = CreateKernel();
            for (int i = 0; i < nb.Cells.Count; i++)
            {
                if (nb.Cells[i] is not JsonObject cell || NotebookFile.CellType(cell) != "code") continue;
                string code = NotebookFile.Source(cell);
                bool injected = Parameters.IsInjected(cell);
                if (!injected) authorCell++;
                string where = injected ? "The injected parameters cell" : $"Code cell {authorCell} of {authorCells}";
                run++;
                cellStarted(injected ? 0 : authorCell, authorCells, clock.Elapsed);
                var outputs = new JsonArray();
                cell["outputs"] = outputs;
                cell["execution_count"] = ++executionCount;
                if (string.IsNullOrWhiteSpace(code)) continue;
                var cellClock = Stopwatch.StartNew();
                using var cts = new CancellationTokenSource(cellTimeout);
                KernelCommandResult result;
                try
                {
                    result = await kernel.SendAsync(new SubmitCode(code, "csharp"), cts.Token)
                        .WaitAsync(cellTimeout + TimeSpan.FromSeconds(5));
                }
                catch (Exception e) when (e is OperationCanceledException or TimeoutException)
                {
                    error = string.Create(CultureInfo.InvariantCulture,
                        $"{where} timed out after {cellTimeout.TotalSeconds:0.#} s.");
                    outputs.Add(ErrorOutput("TimeoutError", error));
                    failed = i;
                    break;
                }
                times[i] = cellClock.Elapsed.TotalSeconds;
                string? cellError = Collect(result.Events, outputs, executionCount);
                if (cellError is not null)
                {
                    error = $"{where}: {cellError}";
                    failed = i;
                    break;
                }
                cellFinished?.Invoke(Snapshot());
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDir;
        }
        return Snapshot();
    }

    /// <summary>
    /// Compiles and runs a trivial submission in a throw-away kernel, so that the C# compiler's first-use cost
    /// (seconds) is paid while the previous notebook still runs; the notebook then gets a fresh kernel.
    /// </summary>
    public static async Task WarmUpAsync()
    {
        using var kernel = CreateKernel();
        await kernel.SendAsync(new SubmitCode("var warmUp = new[] { 1, 2 }.Sum(); warmUp", "csharp"));
    }

    private static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel().UseKernelHelpers().UseValueSharing();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        return composite;
    }

    /// <summary>Maps kernel events to nbformat outputs; returns the error message if the cell failed.</summary>
    private static string? Collect(IReadOnlyList<KernelEvent> events, JsonArray outputs, int executionCount)
    {
        string? error = null;
        var byDisplayId = new Dictionary<string, JsonObject>();
        foreach (var e in events)
        {
            if (Environment.GetEnvironmentVariable("WD_RUNNER_DEBUG") == "1")
                Console.Error.WriteLine($"  event {e.GetType().Name} {(e as DisplayEvent)?.ValueId}");
            switch (e)
            {
                case ErrorProduced ep:
                    outputs.Add(ErrorOutput("Error", ep.Message));
                    error ??= ep.Message;
                    break;
                case DisplayedValueUpdated u when u.ValueId is not null
                    && byDisplayId.TryGetValue(u.ValueId, out var existing):
                    existing["data"] = Data(u.FormattedValues);
                    break;
                case ReturnValueProduced r:
                    outputs.Add(new JsonObject
                    {
                        ["output_type"] = "execute_result", ["execution_count"] = executionCount,
                        ["data"] = Data(r.FormattedValues), ["metadata"] = new JsonObject(),
                    });
                    break;
                case DisplayEvent d and not DisplayedValueUpdated:
                    var o = new JsonObject { ["output_type"] = "display_data", ["data"] = Data(d.FormattedValues),
                        ["metadata"] = new JsonObject() };
                    if (d.ValueId is not null) byDisplayId[d.ValueId] = o;
                    // stdout/stderr are display events too
                    if (e is StandardOutputValueProduced or StandardErrorValueProduced)
                        o = Stream(e is StandardOutputValueProduced ? "stdout" : "stderr", d.FormattedValues);
                    AppendOrMergeStream(outputs, o);
                    break;
                case CommandFailed f:
                    var (name, value) = Describe(f);
                    if (!outputs.OfType<JsonObject>().Any(x => x["output_type"]?.GetValue<string>() == "error"))
                        outputs.Add(ErrorOutput(name, value, f.Message));
                    error ??= $"{name}: {value}";
                    break;
            }
        }
        return error;
    }

    private static JsonObject Data(IEnumerable<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var v in values)
            if (!data.ContainsKey(v.MimeType)) data[v.MimeType] = NotebookFile.Lines(v.Value ?? "");
        return data;
    }

    private static JsonObject Stream(string name, IEnumerable<FormattedValue> values) => new()
    {
        ["output_type"] = "stream", ["name"] = name,
        ["text"] = NotebookFile.Lines(values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value
            ?? values.FirstOrDefault()?.Value ?? ""),
    };

    private static void AppendOrMergeStream(JsonArray outputs, JsonObject o)
    {
        if (o["output_type"]?.GetValue<string>() == "stream" && outputs.Count > 0 && outputs[^1] is JsonObject last &&
            last["output_type"]?.GetValue<string>() == "stream"
                && last["name"]?.GetValue<string>() == o["name"]?.GetValue<string>())
        {
            var text = (JsonArray)last["text"]!;
            foreach (var line in ((JsonArray)o["text"]!).ToList()) text.Add(line?.DeepClone());
            return;
        }
        outputs.Add(o);
    }

    /// <summary>
    /// The exception's short type name and message, once each: the kernel's failure message is the exception's text
    /// ("System.InvalidOperationException: boom" and its stack trace), so it is split rather than prefixed again.
    /// </summary>
    private static (string Name, string Value) Describe(CommandFailed f)
    {
        if (f.Exception is { } ex) return (ex.GetType().Name, FirstLine(ex.Message));
        string first = FirstLine(f.Message);
        var m = System.Text.RegularExpressions.Regex.Match(first,
            @"^(?:[A-Za-z_][\w]*\.)*(?<type>[A-Za-z_]\w*(?:Exception|Error))(?::\s*(?<msg>.*))?$");
        return m.Success ? (m.Groups["type"].Value, m.Groups["msg"].Value) : ("Error", first);
    }

    private static string FirstLine(string s) => s.Split('\n')[0].TrimEnd('\r').Trim();

    private static JsonObject ErrorOutput(string name, string message, string? traceback = null) => new()
    {
        ["output_type"] = "error", ["ename"] = name, ["evalue"] = message,
        ["traceback"] =
            new JsonArray((traceback ?? message).Split('\n').Select(l => (JsonNode?)JsonValue.Create(l.TrimEnd('\r')))
            .ToArray()),
    };
}
