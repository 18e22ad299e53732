using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightDecay.Runner;

/// <summary>What a notebook's process needs to run it (sent as a JSON file to the child).</summary>
/// <param name="Notebook">The notebook's path (.dib or .ipynb).</param>
/// <param name="Assignments">Parameter assignments to inject.</param>
/// <param name="Quick">Quick mode.</param>
/// <param name="CellTimeoutSeconds">Per-cell limit.</param>
/// <param name="Environment">Variables set in the child before the notebook runs (WD_REPORT_DIR,
/// WD_NOTEBOOK_NAME).</param>
/// <param name="ResultPath">Where the child writes its <see cref="NotebookRun"/> (after every cell, then at the
/// end).</param>
/// <param name="StayForAnother">After a notebook that passed, the child says so and waits for another job instead of
/// ending (<c>--shared-processes</c>); after a failure it ends as always.</param>
internal sealed record NotebookJob(string Notebook, IReadOnlyList<string[]> Assignments, bool Quick,
    double CellTimeoutSeconds, IReadOnlyDictionary<string, string> Environment, string ResultPath,
    bool StayForAnother = false);

/// <summary>
/// One notebook's process: a child runner hosting a fresh C# kernel, so that exiting, hanging, crashing or changing
/// process-wide state (threads, environment, current folder) in one notebook cannot end the run, spin beside the next
/// notebook or change its numbers. The child reports each cell on its standard output and writes the notebook executed
/// so far after every cell, so a crash still leaves the outputs of the cells that finished.
/// </summary>
/// <remarks>
/// Starting .NET and the C# compiler costs seconds per process, so the runner starts the next notebook's process while
/// the current notebook runs (<see cref="Start"/>): the child warms the compiler up in a throw-away kernel and then
/// waits for its job on standard input. The kernel that runs the notebook is created fresh when the job arrives.
/// </remarks>
public sealed class NotebookProcess : IDisposable
{
    /// <summary>The hidden verb that makes the runner a notebook's child process.</summary>
    internal const string ChildVerb = "__run-notebook";

    private const string ProtocolPrefix = "@@wd ";

    /// <summary>Extra time a child gets beyond its own per-cell limit before the parent stops it (its own limit
    /// failed).</summary>
    private static readonly TimeSpan WatchdogGrace = TimeSpan.FromSeconds(120);

    private readonly Process _child;
    private readonly System.Text.StringBuilder _stderr = new();
    private long _lastSignal = Environment.TickCount64;
    private int _cell, _cells;
    private TaskCompletionSource _doneSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<string>? _progress;
    private Stopwatch _clock = new();

    private NotebookProcess(Process child) => _child = child;

    /// <summary>Whether the process finished its last job and waits for another (<c>stayForAnother</c>).</summary>
    public bool CanTakeAnotherJob => JobDone && !_child.HasExited;

    /// <summary>The child said it finished the current job and stays for another.</summary>
    private bool JobDone => _doneSignal.Task.IsCompleted;

    /// <summary>Environment variables a notebook's process gets unless the user has set them.</summary>
    internal static IReadOnlyList<(string Name, string Value)> StartupSettings { get; } =
    [
        ("OMP_WAIT_POLICY", "PASSIVE"),
        ("DOTNET_TieredPGO", "0"),
        ("DOTNET_EnableWriteXorExecute", "0"),
        ("DOTNET_TC_CallCountThreshold", "2000"),
        ("OMP_NUM_THREADS", "1"),
    ];

    /// <summary>Starts a child that warms up and waits for a job.</summary>
    /// <exception cref="RunnerException">The process cannot be started (<see cref="ExitCodes.Internal"/>).</exception>
    public static NotebookProcess Start()
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute =
                false,
        };
        if (IsDotnetHost(psi.FileName)) psi.ArgumentList.Add(typeof(NotebookProcess).Assembly.Location);
        // libtorch's OpenMP threads spin while they wait for work. When notebooks run side by side (--jobs 2) or beside
        // other work, spinning threads take the cores the others need: lesson 04 in quick mode took 387 s instead of
        // 122 s beside six busy loops on 2 cores (30.5 s vs 25.5 s idle), with the same outputs. The user's own
        // setting wins.
        // A notebook's process lives seconds to a minute and spends much of its start-up compiling .NET code just in
        // time: without dynamic PGO's instrumented tier and without the write-xor-execute page toggling around every
        // method the JIT writes, a one-cell notebook's process took ≈ 0.8 s less CPU (of ≈ 7) and wall time.
        // A method is compiled a second time, optimized, on a background thread after 2,000 calls instead of 30:
        // the second compilation of the C# compiler's many warm methods took ≈ 20 % of a notebook process's CPU,
        // while the methods a training calls thousands of times are still optimized. The whole workbook in quick
        // mode took 294 instead of 403 CPU-seconds (docs/performance.md § 7). The user's own settings win here too.
        // One intra-op thread per notebook: the runner runs one notebook per core (--jobs defaults to the cores), so
        // notebooks do not oversubscribe the cores, and a notebook's numbers do not depend on how many cores the
        // machine has or how many notebooks run beside it. The whole workbook in default mode took 225.5 s at
        // --jobs 2 instead of 277–313 s one at a time with libtorch's default of a thread per core (§ 5).
        foreach (var (name, value) in StartupSettings)
            if (Environment.GetEnvironmentVariable(name) is null) psi.Environment[name] = value;
        psi.ArgumentList.Add(ChildVerb);
        // the parent, for ps and tests
        psi.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var child = new Process { StartInfo = psi };
        var p = new NotebookProcess(child);
        child.OutputDataReceived += (_, e) => p.OnOutput(e.Data);
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (p._stderr) if (p._stderr.Length < 20_000) p._stderr.AppendLine(e.Data);
        };
        try
        {
            child.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RunnerException(ExitCodes.Internal,
                $"Cannot start a notebook process ({psi.FileName}): {e.Message}", e);
        }
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return p;
    }

    /// <summary>
    /// Runs <paramref name="notebook"/> in this process. Never throws for what the notebook does: a crash or an exit of
    /// the process becomes the run's error. <paramref name="scratch"/> is a folder for the job and result files. With
    /// <paramref name="stayForAnother"/>, a process whose notebook passed stays for another job
    /// (<see cref="CanTakeAnotherJob"/>).
    /// </summary>
    public async Task<NotebookRun> RunAsync(NotebookFile notebook,
        IReadOnlyList<(string Name, string Literal)> assignments,
        bool quick, TimeSpan cellTimeout, IReadOnlyDictionary<string, string> environment, string scratch,
        Action<string> progress, CancellationToken cancel, bool stayForAnother = false)
    {
        _doneSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _cell = _cells = 0;
        lock (_stderr) _stderr.Clear();
        Directory.CreateDirectory(scratch);
        string jobPath = Path.Combine(scratch, "job.json"), resultPath = Path.Combine(scratch, "result.json");
        File.Delete(resultPath);
        var job = new NotebookJob(notebook.Path, assignments.Select(a => new[] { a.Name, a.Literal }).ToList(), quick,
            cellTimeout.TotalSeconds, environment, resultPath, stayForAnother);
        File.WriteAllText(jobPath, JsonSerializer.Serialize(job));

        _progress = progress;
        _clock = Stopwatch.StartNew();
        Interlocked.Exchange(ref _lastSignal, Environment.TickCount64);
        string? killedBecause = null;
        try
        {
            if (!_child.HasExited)
            {
                await _child.StandardInput.WriteLineAsync(jobPath);
                await _child.StandardInput.FlushAsync(CancellationToken.None);
            }
        }
        catch (IOException)
        {
            // the child already ended; explained below from its exit code
        }
        try
        {
            while (!_child.HasExited && !JobDone)
            {
                await Task.WhenAny(_child.WaitForExitAsync(CancellationToken.None), _doneSignal.Task,
                    Task.Delay(TimeSpan.FromSeconds(1), cancel));
                cancel.ThrowIfCancellationRequested();
                var quiet = TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastSignal));
                if (!_child.HasExited && !JobDone && quiet > cellTimeout + WatchdogGrace)
                {
                    killedBecause = string.Create(CultureInfo.InvariantCulture,
                        $"its process stopped responding for {quiet.TotalSeconds:F0} s and was stopped");
                    _child.Kill(entireProcessTree: true);
                }
            }
        }
        catch (OperationCanceledException)
        {
            Dispose();
            throw;
        }
        if (!JobDone) await _child.WaitForExitAsync(CancellationToken.None);

        var result = ReadResult(resultPath, notebook, assignments);
        // A finished result is the child's own account (a timed-out cell included); how its process ended after
        // writing it does not change that.
        if (result is { Finished: true }) return result.Value.Run;

        // The child ended without finishing: keep what it wrote after the last cell that completed and explain the end.
        int cell = _cell, cells = _cells;
        string where =
            cells == 0 ? "start-up" : cell == 0 ? "the injected parameters cell" : $"code cell {cell} of {cells}";
        string why = killedBecause ?? ExitDescription(_child.ExitCode);
        string error = $"The notebook's process ended during {where}: {why}.";
        string tail;
        lock (_stderr) tail = LastLines(_stderr.ToString(), 3);
        if (tail.Length > 0) error += " Its last error output: " + tail;
        var partial = result?.Run ?? new NotebookRun(notebook.Clone(), assignments, _clock.Elapsed, null, -1, 0,
            new Dictionary<int, double>());
        int failedCell = cells == 0 ? -1 : FailedCellIndex(partial.Executed, cell);
        MarkFailure(partial.Executed, failedCell, error);
        return partial with { Error = error, FailedCell = failedCell, Duration = _clock.Elapsed };
    }

    /// <summary>Stops the process if it is still running (a spare that was not needed, or an interrupted
    /// run).</summary>
    public void Dispose()
    {
        try
        {
            if (!_child.HasExited) _child.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        _child.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        Interlocked.Exchange(ref _lastSignal, Environment.TickCount64);
        if (line.StartsWith(ProtocolPrefix, StringComparison.Ordinal))
        {
            var m = JsonNode.Parse(line[ProtocolPrefix.Length..])!;
            if (m["done"] is not null)
            {
                _doneSignal.TrySetResult(); // the result is written; the process waits for another job
                return;
            }
            if (m["cell"] is null) return; // "ready"
            _cell = m["cell"]!.GetValue<int>();
            _cells = m["of"]!.GetValue<int>();
            double seconds = m["t"]?.GetValue<double>() ?? _clock.Elapsed.TotalSeconds;
            _progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"{(_cell == 0 ? "injected parameters" : $"cell {_cell}/{_cells}")} · {seconds:F1} s"));
        }
        else _progress?.Invoke(line); // something the notebook's native code wrote to the process's own stdout
    }

    /// <summary>The child's side: warms up, waits for a job path on standard input, runs it and writes the
    /// result.</summary>
    internal static async Task<int> RunChildAsync()
    {
        var stdout = Console.Out;
        await Execution.WarmUpAsync();
        stdout.WriteLine(ProtocolPrefix + new JsonObject { ["ready"] = true }.ToJsonString());
        stdout.Flush();
        for (string? jobPath = await Console.In.ReadLineAsync(); !string.IsNullOrWhiteSpace(jobPath);
             jobPath = await Console.In.ReadLineAsync())
        {
            var job = JsonSerializer.Deserialize<NotebookJob>(File.ReadAllText(jobPath))
                      ?? throw new InvalidDataException($"'{jobPath}' holds no job.");
            foreach (var (k, v) in job.Environment) Environment.SetEnvironmentVariable(k, v);
            var nb = NotebookFile.Load(job.Notebook);
            var assignments = job.Assignments.Select(a => (a[0], a[1])).ToList();
            void Signal(int cell, int of, TimeSpan elapsed)
            {
                var message = new JsonObject
                    { ["cell"] = cell, ["of"] = of, ["t"] = Math.Round(elapsed.TotalSeconds, 1) };
                stdout.WriteLine(ProtocolPrefix + message.ToJsonString());
                stdout.Flush();
            }
            var run = await Execution.RunAsync(nb, assignments, job.Quick,
                TimeSpan.FromSeconds(job.CellTimeoutSeconds), Signal,
                partial => WriteResult(job.ResultPath, partial, finished: false));
            WriteResult(job.ResultPath, run, finished: true);
            // a failed notebook (a timed-out cell may still be running) ends its process as always
            if (!job.StayForAnother || !run.Succeeded) break;
            stdout.WriteLine(ProtocolPrefix + new JsonObject { ["done"] = true }.ToJsonString());
            stdout.Flush();
        }
        stdout.Flush();
        return 0;
    }

    private static bool IsDotnetHost(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);

    private static void WriteResult(string path, NotebookRun run, bool finished)
    {
        var o = new JsonObject
        {
            ["finished"] = finished, ["duration_seconds"] = run.Duration.TotalSeconds, ["error"] = run.Error,
            ["failed_cell"] = run.FailedCell, ["cells_run"] = run.CellsRun,
            ["cell_times"] = new JsonObject(run.CellTimes.Select(kv =>
                KeyValuePair.Create(kv.Key.ToString(CultureInfo.InvariantCulture),
                    (JsonNode?)JsonValue.Create(kv.Value)))),
            ["executed"] = run.Executed.Root.DeepClone(),
        };
        Atomic.WriteText(path, o.ToJsonString());
    }

    private static (NotebookRun Run, bool Finished)? ReadResult(string path, NotebookFile notebook,
        IReadOnlyList<(string Name, string Literal)> assignments)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var executed = NotebookFile.FromJson(o["executed"]!.AsObject(), notebook.Path);
            var times = o["cell_times"]!.AsObject().ToDictionary(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture),
                kv => kv.Value!.GetValue<double>());
            var run = new NotebookRun(executed, assignments,
                TimeSpan.FromSeconds(o["duration_seconds"]!.GetValue<double>()), o["error"]?.GetValue<string>(),
                o["failed_cell"]!.GetValue<int>(), o["cells_run"]!.GetValue<int>(), times);
            return (run, o["finished"]!.GetValue<bool>());
        }
        catch (Exception e)
            when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return null;
        }
    }

    private static string ExitDescription(int code) => code switch
    {
        0 => "it exited with code 0 before the notebook finished (a cell ended the process, e.g. with " +
            "Environment.Exit)",
        134 => "it aborted (exit code 134, SIGABRT) — a native crash, for example a failed assertion inside libtorch",
        137 => "it was killed (exit code 137, SIGKILL) — for example by the out-of-memory killer",
        139 => "it crashed (exit code 139, SIGSEGV) — a native memory error",
        _ => $"it exited with code {code}",
    };

    /// <summary>The index of the cell that was running: the first code cell (counted as the author counts) not yet
    /// run.</summary>
    private static int FailedCellIndex(NotebookFile nb, int authorCell)
    {
        int seen = 0;
        for (int i = 0; i < nb.Cells.Count; i++)
        {
            if (nb.Cells[i] is not JsonObject c || NotebookFile.CellType(c) != "code") continue;
            if (Parameters.IsInjected(c)) { if (authorCell == 0) return i; continue; }
            if (++seen == authorCell) return i;
        }
        return -1;
    }

    private static void MarkFailure(NotebookFile nb, int index, string error)
    {
        if (index < 0 || nb.Cells[index] is not JsonObject cell) return;
        cell["outputs"] = new JsonArray(new JsonObject
        {
            ["output_type"] = "error", ["ename"] = "ProcessEnded", ["evalue"] = error,
            ["traceback"] = new JsonArray(JsonValue.Create(error)),
        });
    }

    private static string LastLines(string text, int n) =>
        string.Join(" | ",
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(n));
}
