using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightDecay.Runner;

/// <summary>
/// Runs the workbook's notebooks — each in a C# kernel of its own process — and writes executed notebooks and offline
/// HTML reports into the output folder atomically. Exit codes: see <see cref="ExitCodes"/> (0 passed, 1 a notebook
/// failed, 2 bad command line or input, 3 output folder unusable, 4 another run in progress, 70 internal error, 130
/// interrupted).
/// </summary>
public static class Program
{
    /// <summary>Set while a notebook runs: the folder its HTML report is written to (files a notebook writes there sit
    /// beside it).</summary>
    public const string ReportDirectoryVariable = "WD_REPORT_DIR";

    /// <summary>Set while a notebook runs: its file name without extension (e.g. <c>09-your-experiment</c>).</summary>
    public const string NotebookNameVariable = "WD_NOTEBOOK_NAME";

    /// <summary>The longest per-cell limit accepted (a week): longer limits would not guard against anything.</summary>
    public const double MaxCellTimeoutSeconds = 7 * 24 * 3600;

    private const string Usage = """
        Usage: WeightDecay.Runner [options] [notebook ...]
               WeightDecay.Runner sync [--from-ipynb | --check] [notebook ...]   (see: sync --help)

          notebook            name or path of a notebook (e.g. 00-setup-check, notebooks/00-setup-check.ipynb,
                              solutions/01-what-weight-decay-is); a name runs its .dib (the source), a path that
                              file; default: every notebook, lessons then solutions
          --quick             quick mode: parameters take the values of their "quick:" annotations
          --param name=value  override a parameter of the notebook's parameters cell (repeatable; arrays: 0,0.1,1);
                              the value must lie in the parameter's declared range (its "quick range:" in quick
                              mode) and an array must fit its "grid:" rule (--list shows both)
          --cell-timeout s    per-cell limit in seconds, against hangs (default 1800, at most 604800)
          --jobs n            run up to n notebooks at once, each in its own process with one intra-op thread
                              (default: the number of cores, at most 4; the numbers do not depend on it, the
                              per-notebook times do)
          --shared-processes  run the notebooks one after another in one process per job (a fresh kernel each),
                              not a process each: one start-up per job instead of per notebook, but a notebook that
                              changes process-wide state changes it for the next; for checking claims over seeds
          --output dir        output folder (default: artifacts in the repository root)
          --notebooks dir     notebooks folder (default: notebooks in the repository root)
          --self-contained    every report page carries its assets inline (one file opens alone, e.g. mailed);
                              default: a site whose pages share reports/assets/
          --list              list the notebooks and their parameters, run nothing
          -h, --help          this text

        Each notebook runs in its own process unless --shared-processes is given. The run writes
        <output>/notebooks/<name>.ipynb (executed) and <output>/reports/ (a page per notebook, index.html, run.json)
        into a staging folder and replaces the previous run only when it is complete; a second run into the same
        folder refuses while one is in progress.
        While a notebook runs, WD_REPORT_DIR is its report folder and WD_NOTEBOOK_NAME its name (files it writes beside
        its report, e.g. 09-your-experiment.results.csv).

        Exit codes: 0 every notebook passed; 1 a notebook failed (the reports show where); 2 bad command line, parameter
        or notebook file (nothing written); 3 the output folder cannot be used; 4 another run is writing to it;
        70 an internal error of the runner; 130 interrupted (the previous run is intact).
        """;

    /// <summary>Entry point: maps every failure to a one-line message and its exit code.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 2 && args[0] == NotebookProcess.ChildVerb)
        {
            ParentWatch.Start(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            int code = await NotebookProcess.RunChildAsync();
            ProcessEnd.Now(code); // ends threads a timed-out cell left running, without native destructors
        }
        using var cancel = new CancellationTokenSource();
        // CancelAsync: the run's cancellation path (stopping notebook processes, discarding the staging folder) runs on
        // the thread pool, not inline on the thread that handles the signal.
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; _ = cancel.CancelAsync(); };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM,
            c => { c.Cancel = true; _ = cancel.CancelAsync(); });
        try
        {
            return await RunAsync(args, Console.Out, Console.Error, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("error: interrupted; the previous complete run in the output folder is intact.");
            return ExitCodes.Interrupted;
        }
        catch (RunnerException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (e is UsageException) Console.Error.WriteLine("Run with --help for usage.");
            return e.ExitCode;
        }
        catch (Exception e)
        {
            string log = Path.Combine(Path.GetTempPath(), $"weightdecay-runner-{Environment.ProcessId}.log");
            try { File.WriteAllText(log, e.ToString()); } catch (IOException) { log = "(could not write a log)"; }
            Console.Error.WriteLine($"error: an unexpected {e.GetType().Name} in the runner: {FirstLine(e.Message)} " +
                                    $"(details: {log}). The previous complete run in the output folder is intact.");
            return ExitCodes.Internal;
        }
    }

    /// <summary>Parses, validates, runs and reports.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        CancellationToken cancel = default)
    {
        if (args.Length > 0 && args[0] == "sync") return Sync.Run(args[1..], FindRepositoryRoot(), stdout, stderr);
        var opts = Options.Parse(args);
        if (opts.Help) { stdout.WriteLine(Usage); return ExitCodes.Success; }

        string root = FindRepositoryRoot();
        string notebooksDir = opts.NotebooksDir is null ? Path.Combine(root,
            "notebooks") : Path.GetFullPath(opts.NotebooksDir);
        if (!Directory.Exists(notebooksDir))
            throw new UsageException($"Notebooks folder '{notebooksDir}' does not exist.");
        var all = Discover(notebooksDir);
        var selected =
            opts.Notebooks.Count == 0 ? all
            : opts.Notebooks.Select(n => Select(all, n, notebooksDir)).Distinct().ToList();
        if (selected.Count == 0) throw new UsageException($"No notebooks found in '{notebooksDir}'.");

        // Read every notebook and check every parameter value against its declaration before anything runs or is
        // written.
        var loaded = selected.Select(p => (Path: p, Notebook: LoadNotebook(p))).ToList();
        var declared = loaded.ToDictionary(l => l.Path, l => Declarations(l.Notebook));
        CheckOverridesAreDeclared(opts, declared);
        var plans = loaded.Select(l => (l.Path, l.Notebook, Rel: Relative(notebooksDir, l.Path),
            Assignments: Resolve(declared[l.Path], opts, Relative(notebooksDir, l.Path)))).ToList();

        if (opts.List)
        {
            foreach (var (path, nb, rel, _) in plans)
            {
                stdout.WriteLine($"{rel}  —  {nb.Title}");
                foreach (var d in declared[path])
                {
                    // the annotations as the parameters cell writes them
                    var accepts = new[]
                    {
                        d.Range is null ? null : d.Range.IsNumeric ? $"range: {d.Range}" : d.Range.Text,
                        d.QuickRange is null ? null : $"quick range: {d.QuickRange}",
                        d.Grid is { } g ? $"grid: {g.ToString().ToLowerInvariant()}" : null,
                    }.OfType<string>().ToList();
                    stdout.WriteLine($"    {d.Type} {d.Name} = " +
                        $"{d.Default}{(d.Quick is null ? "" : $"   (quick: {d.Quick})")}" +
                        (accepts.Count == 0 ? "" : $"   [{string.Join("; ", accepts)}]"));
                }
            }
            return ExitCodes.Success;
        }

        var started = DateTimeOffset.UtcNow;
        string output = opts.Output is null ? Path.Combine(root, "artifacts") : Path.GetFullPath(opts.Output);
        using var folder = RunFolder.Open(output, started);
        foreach (var note in folder.Notes) stdout.WriteLine(note);
        var clock = Stopwatch.StartNew();
        string? nativeFix = WorkbookNatives.Prepare(root, stdout, stderr); // logged and in run.json, not in a lesson
        string stagedReports = folder.StagingPath("reports");
        var entries = await RunNotebooksAsync(plans, declared, opts, folder, started, stdout, cancel);
        cancel.ThrowIfCancellationRequested();

        var info = new RunInfo(started, clock.Elapsed, GitCommit(root), opts.Quick, opts.Overrides, Versions(),
            Machine(), nativeFix);
        try
        {
            Site.Write(stagedReports, entries, info, new SiteOptions(opts.SelfContained, root));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunnerException(ExitCodes.Output,
                $"Cannot write the reports: {e.Message}. The previous run was left as it was.", e);
        }
        WriteStaged(Path.Combine(stagedReports, "run.json"), RunJson(entries, info, folder, opts));
        TryDeleteDirectory(folder.StagingPath(".work"));
        cancel.ThrowIfCancellationRequested();
        folder.Commit();

        int failed = entries.Count(e => !e.Run.Succeeded);
        stdout.WriteLine();
        stdout.WriteLine($"{entries.Count - failed} of {entries.Count} notebooks passed in " +
            $"{clock.Elapsed.TotalSeconds:F1} s.");
        stdout.WriteLine($"Report: {Path.Combine(output, "reports", "index.html")}");
        if (failed > 0)
            stderr.WriteLine($"{failed} notebook(s) failed: " +
                $"{string.Join(", ", entries.Where(e => !e.Run.Succeeded).Select(e => e.RelativeName))}");
        return failed > 0 ? ExitCodes.NotebookFailed : ExitCodes.Success;
    }

    /// <summary>
    /// Runs the notebooks, each in a process of its own, <see cref="Options.Jobs"/> at a time (the next notebook's
    /// process starts, and warms up, while the current one runs), and writes each executed notebook into the staging
    /// folder. With <see cref="Options.SharedProcesses"/> each of the jobs keeps one process for its notebooks, each
    /// in a fresh kernel, and starts another only after a notebook failed. Results are in the order of
    /// <paramref name="plans"/> whatever order the notebooks finish in; a notebook's numbers do not depend on how many
    /// run beside it (each process runs on one intra-op thread unless the user sets OMP_NUM_THREADS,
    /// <see cref="NotebookProcess.StartupSettings"/>).
    /// </summary>
    private static async Task<List<ReportEntry>> RunNotebooksAsync(
        IReadOnlyList<(string Path, NotebookFile Notebook, string Rel,
            IReadOnlyList<(string Name, string Literal)> Assignments)> plans,
        IReadOnlyDictionary<string, IReadOnlyList<ParameterDeclaration>> declared, Options opts, RunFolder folder,
        DateTimeOffset started, TextWriter stdout, CancellationToken cancel)
    {
        var entries = new ReportEntry[plans.Count];
        int taken = -1;
        var output = TextWriter.Synchronized(stdout);

        async Task Worker()
        {
            // The process for this worker's next notebook: a new one per notebook, started (and warming up) while the
            // current notebook runs; with --shared-processes the same process again, replaced only after a notebook
            // failed or ended it.
            NotebookProcess? next = NotebookProcess.Start();
            try
            {
                for (int k = Interlocked.Increment(ref taken); k < plans.Count; k = Interlocked.Increment(ref taken))
                {
                    var process = next ?? NotebookProcess.Start();
                    next = !opts.SharedProcesses && k + opts.Jobs < plans.Count ? NotebookProcess.Start() : null;
                    try
                    {
                        entries[k] = await RunOneAsync(k, process);
                    }
                    finally
                    {
                        if (opts.SharedProcesses && process.CanTakeAnotherJob) next = process;
                        else process.Dispose();
                    }
                }
            }
            finally
            {
                next?.Dispose();
            }
        }

        async Task<ReportEntry> RunOneAsync(int k, NotebookProcess process)
        {
            var (path, nb, rel, assignments) = plans[k];
            string shown =
                assignments.Count == 0 ? ""
                : $" ({string.Join(", ", assignments.Select(a => $"{a.Name}={a.Literal}"))})";
            output.WriteLine($"[{k + 1}/{plans.Count}] {rel}{shown}");
            // Where the notebook's report will be written, so it can put files beside it
            // (Workbook.ReportDirectory).
            var environment = new Dictionary<string, string>
            {
                [ReportDirectoryVariable] = Path.GetDirectoryName(folder.StagingPath("reports", rel + ".html"))!,
                [NotebookNameVariable] = Path.GetFileName(rel),
            };
            var run = await process.RunAsync(nb, assignments, opts.Quick, opts.CellTimeout, environment,
                folder.StagingPath(".work", rel), msg => output.WriteLine($"      {rel}: {msg}"), cancel,
                stayForAnother: opts.SharedProcesses);
            run = run with { Effective = Parameters.Effective(declared[path], assignments) };
            output.WriteLine(run.Succeeded
                ? $"      {rel}: passed in {run.Duration.TotalSeconds:F1} s"
                : $"      {rel}: FAILED in {run.Duration.TotalSeconds:F1} s — {run.Error}");
            AddRunMetadata(run, opts, started);
            WriteStaged(folder.StagingPath("notebooks", rel + ".ipynb"), run.Executed.ToJson());
            return new ReportEntry(rel, nb.Title, run);
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(opts.Jobs, plans.Count)).Select(_ => Worker()));
        return [.. entries];
    }

    private static NotebookFile LoadNotebook(string path)
    {
        try
        {
            return NotebookFile.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static IReadOnlyList<ParameterDeclaration> Declarations(NotebookFile nb)
    {
        try
        {
            return Parameters.Declarations(nb);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{nb.Path}: {e.Message}");
        }
    }

    private static void CheckOverridesAreDeclared(Options opts, IReadOnlyDictionary<string,
        IReadOnlyList<ParameterDeclaration>> declared)
    {
        foreach (var name in opts.Overrides.Keys)
        {
            if (declared.Values.SelectMany(d => d).Any(d => d.Name == name)) continue;
            var known = declared.Values.SelectMany(d => d).Select(d => d.Name).Distinct().Order().ToList();
            throw new UsageException($"Unknown parameter '{name}': no selected notebook declares it in its " +
                "parameters cell. " +
                                     $"Known parameters: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
        }
    }

    private static IReadOnlyList<(string Name, string Literal)> Resolve(IReadOnlyList<ParameterDeclaration> decls,
        Options opts, string rel)
    {
        try
        {
            return Parameters.Resolve(decls, opts.Overrides, opts.Quick);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{rel}: {e.Message}");
        }
    }

    private static void WriteStaged(string path, string text)
    {
        try
        {
            Atomic.WriteText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunnerException(ExitCodes.Output,
                $"Cannot write '{path}': {e.Message}. The previous run was left as it was.", e);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    private static void AddRunMetadata(NotebookRun run, Options opts, DateTimeOffset started)
    {
        var meta = run.Executed.Root["metadata"] as JsonObject ?? new JsonObject();
        run.Executed.Root["metadata"] = meta;
        meta["weightdecay"] = new JsonObject
        {
            ["runner"] = "WeightDecay.Runner", ["started"] =
                started.ToString("O", CultureInfo.InvariantCulture), ["quick"] = opts.Quick,
            ["parameters"] = Parameters.ToJson(run.Parameters),
            ["effective_parameters"] = Parameters.ToJson(run.Effective),
            ["duration_seconds"] = Math.Round(run.Duration.TotalSeconds, 3), ["status"] =
                run.Succeeded ? "passed" : "failed",
            ["error"] = run.Error,
        };
    }

    private static string RunJson(IReadOnlyList<ReportEntry> entries, RunInfo info, RunFolder folder,
        Options opts)
    {
        var o = new JsonObject
        {
            ["notes"] = folder.NotesJson(),
            ["started"] = info.Started.ToString("O", CultureInfo.InvariantCulture), ["duration_seconds"] =
                Math.Round(info.Duration.TotalSeconds, 3),
            ["commit"] = info.Commit, ["quick"] = info.Quick, ["self_contained"] = opts.SelfContained,
            ["jobs"] = opts.Jobs,
            ["shared_processes"] = opts.SharedProcesses,
            ["native_fix"] = info.NativeFix,
            ["parameters"] =
                new JsonObject(info.Overrides.Select(kv => KeyValuePair.Create(kv.Key,
                (JsonNode?)JsonValue.Create(kv.Value)))),
            ["versions"] =
                new JsonObject(info.Versions.Select(kv => KeyValuePair.Create(kv.Key,
                (JsonNode?)JsonValue.Create(kv.Value)))),
            ["machine"] =
                new JsonObject(info.Machine.Select(kv => KeyValuePair.Create(kv.Key,
                (JsonNode?)JsonValue.Create(kv.Value)))),
            ["notebooks"] = new JsonArray(entries.Select(e => (JsonNode?)new JsonObject
            {
                ["name"] = e.RelativeName, ["title"] = e.Title, ["status"] =
                    e.Run.Succeeded ? "passed" : "failed", ["error"] = e.Run.Error,
                ["duration_seconds"] = Math.Round(e.Run.Duration.TotalSeconds, 3), ["code_cells"] = e.Run.CellsRun,
                ["parameters"] = Parameters.ToJson(e.Run.Parameters),
                ["effective_parameters"] = Parameters.ToJson(e.Run.Effective),
            }).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static IReadOnlyDictionary<string, string> Versions()
    {
        string V(Assembly a) =>
            a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? a.GetName().Version?.ToString() ?? "?";
        var d = new Dictionary<string, string>
        {
            [".NET"] = RuntimeInformation.FrameworkDescription,
            ["Microsoft.DotNet.Interactive"] = V(typeof(Microsoft.DotNet.Interactive.Kernel).Assembly),
            ["Microsoft.DotNet.Interactive.CSharp"] =
                V(typeof(Microsoft.DotNet.Interactive.CSharp.CSharpKernel).Assembly),
            ["Markdig"] = V(typeof(Markdig.Markdown).Assembly),
            ["KaTeX"] = SiteAssets.KatexVersion,
        };
        foreach (var name in new[] { "TorchSharp", "Plotly.NET", "Microsoft.Data.Analysis", "WeightDecay" })
        {
            var a = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(x => x.GetName().Name == name);
            if (a is not null) d[name] = V(a);
        }
        return d;
    }

    private static IReadOnlyDictionary<string, string> Machine() => new Dictionary<string, string>
    {
        ["OS"] = RuntimeInformation.OSDescription,
        ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
        ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["memory"] = $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB",
        ["host"] = Environment.MachineName,
    };

    private static string GitCommit(string root)
    {
        try
        {
            var psi = new ProcessStartInfo("git", "rev-parse HEAD") { WorkingDirectory = root,
                RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            string sha = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode != 0 || sha.Length == 0) return "unknown (not a git checkout)";
            var status =
                new ProcessStartInfo("git", "status --porcelain --untracked-files=no") { WorkingDirectory = root,
                RedirectStandardOutput = true, RedirectStandardError = true };
            using var s = Process.Start(status)!;
            bool dirty = s.StandardOutput.ReadToEnd().Trim().Length > 0;
            s.WaitForExit();
            return dirty ? sha + " (with uncommitted changes)" : sha;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (git not installed)";
        }
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "WeightDecay.Notebooks.sln"))) return d.FullName;
        throw new UsageException("Run from inside the WeightDecay.Notebooks repository (no WeightDecay.Notebooks.sln " +
            "found above the current folder).");
    }

    /// <summary>
    /// The notebooks of a folder, lessons then solutions, each in name order: its <c>.dib</c> (the source of truth) or,
    /// where a name has no <c>.dib</c>, its <c>.ipynb</c>.
    /// </summary>
    internal static List<string> Discover(string dir)
    {
        if (!Directory.Exists(dir)) return [];
        string sol = Path.Combine(dir, "solutions");
        return Notebooks(dir).Concat(Directory.Exists(sol) ? Notebooks(sol) : []).Select(Path.GetFullPath).ToList();

        static IEnumerable<string> Notebooks(string folder) =>
            Directory.GetFiles(folder, "*.dib").Concat(Directory.GetFiles(folder, "*.ipynb"))
                .GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.OrderBy(f => Path.GetExtension(f) == ".dib" ? 0 : 1).First());
    }

    private static string Select(List<string> all, string name, string notebooksDir)
    {
        string n = name.Replace('\\', '/');
        foreach (var ext in new[] { ".ipynb", ".dib" })
            if (n.EndsWith(ext, StringComparison.Ordinal)) n = n[..^ext.Length];
        if (n.StartsWith("notebooks/", StringComparison.Ordinal)) n = n["notebooks/".Length..];
        // An explicit file of the folder (e.g. notebooks/00-setup-check.ipynb) runs that file, whichever format is the
        // default.
        string full = Path.GetFullPath(name);
        if (File.Exists(full) && Path.GetExtension(full) is ".ipynb" or ".dib" &&
            full.StartsWith(notebooksDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return full;
        return all.FirstOrDefault(p => Relative(notebooksDir, p) == n) ?? throw new UsageException(
            $"Unknown notebook '{name}'. Available: {string.Join(", ", all.Select(p => Relative(notebooksDir, p)))}.");
    }

    internal static string Relative(string notebooksDir, string path)
    {
        string rel = Path.GetRelativePath(notebooksDir, path).Replace('\\', '/');
        return rel[..^Path.GetExtension(rel).Length];
    }
}

/// <summary>Parsed command line.</summary>
public sealed record Options(IReadOnlyList<string> Notebooks, IReadOnlyDictionary<string, string> Overrides, bool Quick,
    TimeSpan CellTimeout, string? Output, string? NotebooksDir, bool List, bool Help, bool SelfContained = false,
    int Jobs = 1, bool SharedProcesses = false)
{
    /// <summary>The most notebooks <c>--jobs</c> runs at once.</summary>
    public const int MaxJobs = 16;

    /// <summary>Notebooks at once without <c>--jobs</c>: one per core (each runs on one intra-op thread), at most 4
    /// (each process holds a few hundred megabytes).</summary>
    public static int DefaultJobs => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Parses the arguments.</summary>
    /// <exception cref="UsageException">An unknown option, a malformed <c>--param</c> or a bad number.</exception>
    public static Options Parse(string[] args)
    {
        var notebooks = new List<string>();
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        bool quick = false, list = false, help = false, selfContained = false, shared = false;
        int jobs = DefaultJobs;
        var timeout = TimeSpan.FromSeconds(1800);
        string? output = null, notebooksDir = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{a} needs a value.");
            switch (a)
            {
                case "--quick": quick = true; break;
                case "--list": list = true; break;
                case "--self-contained": selfContained = true; break;
                case "--shared-processes": shared = true; break;
                case "--jobs":
                    string j = Next();
                    if (!int.TryParse(j, NumberStyles.Integer, CultureInfo.InvariantCulture, out jobs)
                        || jobs < 1 || jobs > MaxJobs)
                        throw new UsageException($"--jobs expects a whole number from 1 to {MaxJobs}, got '{j}'.");
                    break;
                case "-h" or "--help": help = true; break;
                case "--output":
                    output = Next();
                    if (string.IsNullOrWhiteSpace(output))
                        throw new UsageException("--output needs a folder, e.g. --output artifacts; it was given an " +
                            "empty value.");
                    break;
                case "--notebooks": notebooksDir = Next(); break;
                case "--cell-timeout":
                    string t = Next();
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs)
                        || !(secs > 0) ||
                        secs > Program.MaxCellTimeoutSeconds)
                        throw new UsageException(
                            "--cell-timeout expects a positive number of seconds up to " +
                            $"{Program.MaxCellTimeoutSeconds:0} (a week), got '{t}'.");
                    timeout = TimeSpan.FromSeconds(secs);
                    break;
                case "--param" or "-p":
                    string kv = Next();
                    int eq = kv.IndexOf('=');
                    if (eq <= 0 || eq == kv.Length - 1)
                        throw new UsageException($"Malformed --param '{kv}': expected name=value, e.g. --param " +
                            "epochs=20.");
                    string name = kv[..eq].Trim();
                    if (!System.Text.RegularExpressions.Regex.IsMatch(name, @"^[A-Za-z_]\w*$"))
                        throw new UsageException($"Malformed --param '{kv}': '{name}' is not a parameter name.");
                    overrides[name] = kv[(eq + 1)..].Trim();
                    break;
                default:
                    if (a.StartsWith('-')) throw new UsageException($"Unknown option '{a}'.");
                    notebooks.Add(a);
                    break;
            }
        }
        return new Options(notebooks, overrides, quick, timeout, output, notebooksDir, list, help, selfContained, jobs,
            shared);
    }
}
