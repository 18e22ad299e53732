using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightDecay.Runner;

/// <summary>
/// Runs the workbook's notebooks in an in-process C# kernel and writes executed notebooks and offline HTML reports.
/// Exit codes: 0 every notebook passed; 1 a cell failed (reports are still written); 2 bad command line or input (nothing written).
/// </summary>
public static class Program
{
    /// <summary>Set while a notebook runs: the folder its HTML report is written to (files a notebook writes there sit beside it).</summary>
    public const string ReportDirectoryVariable = "WD_REPORT_DIR";

    /// <summary>Set while a notebook runs: its file name without extension (e.g. <c>09-your-experiment</c>).</summary>
    public const string NotebookNameVariable = "WD_NOTEBOOK_NAME";

    private const string Usage = """
        Usage: WeightDecay.Runner [options] [notebook ...]

          notebook            name or path of a notebook (e.g. 00-setup-check, notebooks/00-setup-check.ipynb,
                              solutions/01-what-weight-decay-is); default: every notebook, lessons then solutions
          --quick             quick mode: parameters take the values of their "// quick: …" comments
          --param name=value  override a parameter of the cell tagged "parameters" (repeatable; arrays: 0,0.1,1)
          --cell-timeout s    per-cell timeout in seconds (default 600)
          --output dir        output folder (default: artifacts in the repository root)
          --notebooks dir     notebooks folder (default: notebooks in the repository root)
          --self-contained    every report page carries its assets inline (one file opens alone, e.g. mailed);
                              default: a site whose pages share reports/assets/
          --list              list the notebooks and their parameters, run nothing
          -h, --help          this text

        Writes <output>/notebooks/<name>.ipynb (executed) and the site <output>/reports/: <name>.html per notebook,
        index.html, assets/ and run.json.
        While a notebook runs, WD_REPORT_DIR is its report folder and WD_NOTEBOOK_NAME its name (files it writes beside
        its report, e.g. 09-your-experiment.results.csv).
        """;

    /// <summary>Entry point.</summary>
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args, Console.Out, Console.Error);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("Run with --help for usage.");
            return 2;
        }
    }

    /// <summary>Parses, validates, runs and reports.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var opts = Options.Parse(args);
        if (opts.Help) { stdout.WriteLine(Usage); return 0; }

        string root = FindRepositoryRoot();
        string notebooksDir = opts.NotebooksDir is null ? Path.Combine(root, "notebooks") : Path.GetFullPath(opts.NotebooksDir);
        if (!Directory.Exists(notebooksDir)) throw new UsageException($"Notebooks folder '{notebooksDir}' does not exist.");
        var all = Discover(notebooksDir);
        var selected = opts.Notebooks.Count == 0 ? all : opts.Notebooks.Select(n => Select(all, n, notebooksDir)).Distinct().ToList();
        if (selected.Count == 0) throw new UsageException($"No notebooks found in '{notebooksDir}'.");

        // Validate every parameter against the selected notebooks before anything runs or is written.
        var loaded = selected.Select(p => (Path: p, Notebook: NotebookFile.Load(p))).ToList();
        var declared = loaded.ToDictionary(l => l.Path, l => Parameters.Declarations(l.Notebook));
        foreach (var (name, value) in opts.Overrides)
        {
            var decls = declared.Values.SelectMany(d => d).Where(d => d.Name == name).ToList();
            if (decls.Count == 0)
            {
                var known = declared.Values.SelectMany(d => d).Select(d => d.Name).Distinct().Order().ToList();
                throw new UsageException($"Unknown parameter '{name}': no selected notebook declares it in its parameters cell. " +
                                         $"Known parameters: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
            }
            foreach (var d in decls)
            {
                try { Parameters.ToLiteral(d, value); }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
            }
        }

        if (opts.List)
        {
            foreach (var (path, nb) in loaded)
            {
                stdout.WriteLine($"{Relative(notebooksDir, path)}  —  {nb.Title}");
                foreach (var d in declared[path])
                    stdout.WriteLine($"    {d.Type} {d.Name} = {d.Default}{(d.Quick is null ? "" : $"   (quick: {d.Quick})")}");
            }
            return 0;
        }

        string output = opts.Output is null ? Path.Combine(root, "artifacts") : Path.GetFullPath(opts.Output);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        string? nativeFix = WorkbookNatives.Prepare(root, stdout, stderr); // logged and in run.json, not in a lesson
        var entries = new List<ReportEntry>();
        string reports = Path.Combine(output, "reports");
        for (int k = 0; k < loaded.Count; k++)
        {
            var (path, nb) = loaded[k];
            string rel = Relative(notebooksDir, path);
            var assignments = Parameters.Resolve(declared[path], opts.Overrides, opts.Quick);
            stdout.WriteLine($"[{k + 1}/{loaded.Count}] {rel}{(assignments.Count > 0 ? $" ({string.Join(", ", assignments.Select(a => $"{a.Name}={a.Literal}"))})" : "")}");
            // Where the notebook's report will be written, so it can put files beside it (Workbook.ReportDirectory).
            string? previousDir = Environment.GetEnvironmentVariable(ReportDirectoryVariable), previousName = Environment.GetEnvironmentVariable(NotebookNameVariable);
            Environment.SetEnvironmentVariable(ReportDirectoryVariable, Path.GetDirectoryName(Path.Combine(reports, rel + ".html")));
            Environment.SetEnvironmentVariable(NotebookNameVariable, Path.GetFileName(rel));
            NotebookRun run;
            try
            {
                run = await Execution.RunAsync(nb, assignments, opts.Quick, opts.CellTimeout,
                    msg => stdout.WriteLine($"      {rel}: {msg}"));
            }
            finally
            {
                Environment.SetEnvironmentVariable(ReportDirectoryVariable, previousDir);
                Environment.SetEnvironmentVariable(NotebookNameVariable, previousName);
            }
            run = run with { Effective = Parameters.Effective(declared[path], assignments) };
            stdout.WriteLine(run.Succeeded
                ? $"      {rel}: passed in {run.Duration.TotalSeconds:F1} s"
                : $"      {rel}: FAILED in {run.Duration.TotalSeconds:F1} s — {run.Error}");
            AddRunMetadata(run, opts, started);
            Atomic.WriteText(Path.Combine(output, "notebooks", rel + ".ipynb"), run.Executed.ToJson());
            entries.Add(new ReportEntry(rel, nb.Title, run));
        }

        var info = new RunInfo(started, clock.Elapsed, GitCommit(root), opts.Quick, opts.Overrides, Versions(),
            Machine(), nativeFix);
        Site.Write(reports, entries, info, new SiteOptions(opts.SelfContained, root));
        string index = Path.Combine(reports, "index.html");
        Atomic.WriteText(Path.Combine(reports, "run.json"), RunJson(entries, info, opts.SelfContained));

        int failed = entries.Count(e => !e.Run.Succeeded);
        stdout.WriteLine();
        stdout.WriteLine($"{entries.Count - failed} of {entries.Count} notebooks passed in {clock.Elapsed.TotalSeconds:F1} s.");
        stdout.WriteLine($"Report: {index}");
        if (failed > 0) stderr.WriteLine($"{failed} notebook(s) failed: {string.Join(", ", entries.Where(e => !e.Run.Succeeded).Select(e => e.RelativeName))}");
        return failed > 0 ? 1 : 0;
    }

    private static void AddRunMetadata(NotebookRun run, Options opts, DateTimeOffset started)
    {
        var meta = run.Executed.Root["metadata"] as JsonObject ?? new JsonObject();
        run.Executed.Root["metadata"] = meta;
        meta["weightdecay"] = new JsonObject
        {
            ["runner"] = "WeightDecay.Runner", ["started"] = started.ToString("O", CultureInfo.InvariantCulture), ["quick"] = opts.Quick,
            ["parameters"] = Parameters.ToJson(run.Parameters),
            ["effective_parameters"] = Parameters.ToJson(run.Effective),
            ["duration_seconds"] = Math.Round(run.Duration.TotalSeconds, 3), ["status"] = run.Succeeded ? "passed" : "failed",
            ["error"] = run.Error,
        };
    }

    private static string RunJson(IReadOnlyList<ReportEntry> entries, RunInfo info, bool selfContained)
    {
        var o = new JsonObject
        {
            ["started"] = info.Started.ToString("O", CultureInfo.InvariantCulture), ["duration_seconds"] = Math.Round(info.Duration.TotalSeconds, 3),
            ["commit"] = info.Commit, ["quick"] = info.Quick, ["self_contained"] = selfContained,
            ["native_fix"] = info.NativeFix,
            ["parameters"] = new JsonObject(info.Overrides.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["versions"] = new JsonObject(info.Versions.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["machine"] = new JsonObject(info.Machine.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["notebooks"] = new JsonArray(entries.Select(e => (JsonNode?)new JsonObject
            {
                ["name"] = e.RelativeName, ["title"] = e.Title, ["status"] = e.Run.Succeeded ? "passed" : "failed", ["error"] = e.Run.Error,
                ["duration_seconds"] = Math.Round(e.Run.Duration.TotalSeconds, 3), ["code_cells"] = e.Run.CellsRun,
                ["parameters"] = Parameters.ToJson(e.Run.Parameters),
                ["effective_parameters"] = Parameters.ToJson(e.Run.Effective),
            }).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static IReadOnlyDictionary<string, string> Versions()
    {
        string V(Assembly a) => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? a.GetName().Version?.ToString() ?? "?";
        var d = new Dictionary<string, string>
        {
            [".NET"] = RuntimeInformation.FrameworkDescription,
            ["Microsoft.DotNet.Interactive"] = V(typeof(Microsoft.DotNet.Interactive.Kernel).Assembly),
            ["Microsoft.DotNet.Interactive.CSharp"] = V(typeof(Microsoft.DotNet.Interactive.CSharp.CSharpKernel).Assembly),
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
            var psi = new ProcessStartInfo("git", "rev-parse HEAD") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            string sha = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode != 0 || sha.Length == 0) return "unknown (not a git checkout)";
            var status = new ProcessStartInfo("git", "status --porcelain --untracked-files=no") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
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
        throw new UsageException("Run from inside the WeightDecay.Notebooks repository (no WeightDecay.Notebooks.sln found above the current folder).");
    }

    private static List<string> Discover(string dir)
    {
        if (!Directory.Exists(dir)) return [];
        var lessons = Directory.GetFiles(dir, "*.ipynb").Order(StringComparer.Ordinal);
        string sol = Path.Combine(dir, "solutions");
        var solutions = Directory.Exists(sol) ? Directory.GetFiles(sol, "*.ipynb").Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        return lessons.Concat(solutions).Select(Path.GetFullPath).ToList();
    }

    private static string Select(List<string> all, string name, string notebooksDir)
    {
        string n = name.Replace('\\', '/');
        if (n.EndsWith(".ipynb", StringComparison.Ordinal)) n = n[..^6];
        if (n.StartsWith("notebooks/", StringComparison.Ordinal)) n = n["notebooks/".Length..];
        var match = all.FirstOrDefault(p => Relative(notebooksDir, p) == n)
                    ?? (File.Exists(name) ? all.FirstOrDefault(p => p == Path.GetFullPath(name)) : null);
        return match ?? throw new UsageException(
            $"Unknown notebook '{name}'. Available: {string.Join(", ", all.Select(p => Relative(notebooksDir, p)))}.");
    }

    private static string Relative(string notebooksDir, string path) =>
        Path.GetRelativePath(notebooksDir, path).Replace('\\', '/')[..^".ipynb".Length];
}

/// <summary>A bad command line or input; reported with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Parsed command line.</summary>
public sealed record Options(IReadOnlyList<string> Notebooks, IReadOnlyDictionary<string, string> Overrides, bool Quick,
    TimeSpan CellTimeout, string? Output, string? NotebooksDir, bool List, bool Help, bool SelfContained = false)
{
    /// <summary>Parses the arguments.</summary>
    /// <exception cref="UsageException">An unknown option, a malformed <c>--param</c> or a bad number.</exception>
    public static Options Parse(string[] args)
    {
        var notebooks = new List<string>();
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        bool quick = false, list = false, help = false, selfContained = false;
        var timeout = TimeSpan.FromSeconds(600);
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
                case "-h" or "--help": help = true; break;
                case "--output": output = Next(); break;
                case "--notebooks": notebooksDir = Next(); break;
                case "--cell-timeout":
                    string t = Next();
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) || !(secs > 0))
                        throw new UsageException($"--cell-timeout expects a positive number of seconds, got '{t}'.");
                    timeout = TimeSpan.FromSeconds(secs);
                    break;
                case "--param" or "-p":
                    string kv = Next();
                    int eq = kv.IndexOf('=');
                    if (eq <= 0 || eq == kv.Length - 1)
                        throw new UsageException($"Malformed --param '{kv}': expected name=value, e.g. --param epochs=20.");
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
        return new Options(notebooks, overrides, quick, timeout, output, notebooksDir, list, help, selfContained);
    }
}
