using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using WeightDecay.Native;

namespace WeightDecay.Interactive;

/// <summary>What <see cref="Workbook.Init"/> set up; displayed as the bootstrap cell's output.</summary>
/// <param name="TorchSharp">TorchSharp assembly version.</param>
/// <param name="LibTorch">libtorch version TorchSharp was built against.</param>
/// <param name="Threads">torch intra-op threads.</param>
/// <param name="Seed">The global torch seed set.</param>
/// <param name="Runtime">.NET runtime and OS.</param>
/// <param name="PlotlyJs">Version of the plotly.js embedded in reports.</param>
/// <param name="NativeFix">What the Debian 12 loader fix did in this process (null when nothing was needed).</param>
public sealed record WorkbookInfo(string TorchSharp, string LibTorch, int Threads, long Seed, string Runtime,
    string PlotlyJs, string? NativeFix)
{
    /// <summary>
    /// One line for the notebook: the versions and the global generator's seed — nothing about the machine (threads,
    /// OS, the native fix and its path are in the properties, and the runner records them in <c>run.json</c>), so a
    /// report can be shared. The seed is written as the call that set it, <c>torch.manual_seed(0)</c>: a report run
    /// with <c>--param seed=7</c> still shows 0 here, and a bare "seed 0" read as the run's seed.
    /// </summary>
    public override string ToString() =>
        $"WeightDecay workbook ready · TorchSharp {TorchSharp} (libtorch {LibTorch}) · " +
        $"{RuntimeInformation.FrameworkDescription} · plotly.js {PlotlyJs} · torch.manual_seed({Seed})";
}

/// <summary>
/// The bootstrap every notebook calls in its first code cell: <c>WeightDecay.Interactive.Workbook.Init();</c>.
/// </summary>
public static class Workbook
{
    /// <summary>
    /// Makes the notebook host ready: resolves FSharp.Core for Plotly.NET, loads the TorchSharp natives (with the
    /// Debian 12 fix), sets the seed, registers the offline formatters (charts include plotly.js once per notebook;
    /// histories and DataFrames as tables) and returns the versions in use. Safe to call again (e.g. when a notebook is
    /// re-run).
    /// </summary>
    /// <param name="seed">Seed of torch's global generator.</param>
    /// <param name="threads">torch intra-op threads; null keeps libtorch's default (one per core).</param>
    public static WorkbookInfo Init(long seed = 0, int? threads = null)
    {
        ImportNamespaces();
        AssemblyResolution.Install();
        var native = TorchNativeLoader.EnsureLoaded();
        if (threads is { } t)
        {
            if (t < 1) throw new ArgumentOutOfRangeException(nameof(threads), t, "Thread count must be ≥ 1.");
            torch.set_num_threads(t);
        }
        torch.manual_seed(seed);
        return RegisterAndDescribe(seed, native);
    }

    /// <summary>
    /// The namespaces every lesson uses without writing a <c>using</c> directive: <see cref="Init"/> brings them into
    /// the running C# kernel, so a lesson's first code is its first idea. (A library user outside a notebook writes
    /// them.) <c>Plotly.NET.CSharp</c> brings Plotly.NET's C# API (<c>Chart.Line</c>, <c>Chart.Combine</c>,
    /// <c>WithXAxisStyle</c>, …) for restyling the workbook's charts. The core namespace <c>Plotly.NET</c> is not
    /// imported: its own <c>Chart</c> would make <c>Chart</c> ambiguous and its <c>HTML</c> type would hide the
    /// kernel's <c>HTML(…)</c> helper; write <c>Plotly.NET.StyleParam</c>, <c>Plotly.NET.Color</c>. Plotly.NET's F#
    /// functions (<c>Plotly.NET.Chart.withTitle</c>) do not compile in the Jupyter kernel (see
    /// <see cref="Visualization.ChartStyling"/>, which offers <c>WithTitle</c> instead).
    /// </summary>
    public static IReadOnlyList<string> Namespaces { get; } =
    [
        "TorchSharp", "WeightDecay.Data", "WeightDecay.Models", "WeightDecay.Losses", "WeightDecay.Regularization",
        "WeightDecay.Optimization", "WeightDecay.Training", "WeightDecay.Landscape",
        "WeightDecay.Experiments", "WeightDecay.Interactive", "WeightDecay.Interactive.Visualization",
        "Plotly.NET.CSharp",
    ];

    /// <summary>
    /// Submits <see cref="Namespaces"/> as <c>using</c> directives to the C# kernel that runs this call, to be executed
    /// right after the current cell (a kernel's deferred command runs before the next command it handles: in VS Code,
    /// Jupyter and the workbook's runner alike). Outside a kernel (library code, tests) it does nothing.
    /// </summary>
    private static void ImportNamespaces()
    {
        if (Microsoft.DotNet.Interactive.Kernel.Current is not { } kernel) return;
        var present = PublicNamespaces();
        string usings = string.Join("\n", Namespaces.Where(present.Contains).Select(n => $"using {n};"));
        kernel.DeferCommand(new Microsoft.DotNet.Interactive.Commands.SubmitCode(usings, kernel.Name));
    }

    /// <summary>
    /// The namespaces that hold a public type in TorchSharp and the workbook's assemblies (a using directive for an
    /// empty namespace would not compile), read from their metadata without loading them into the kernel.
    /// </summary>
    private static HashSet<string> PublicNamespaces()
    {
        string dir = Path.GetDirectoryName(typeof(Workbook).Assembly.Location)!;
        var result = new HashSet<string>(StringComparer.Ordinal);
        var others = new[] { typeof(torch).Assembly.Location, typeof(Plotly.NET.CSharp.Chart).Assembly.Location };
        foreach (var file in Directory.GetFiles(dir, "WeightDecay*.dll").Concat(others))
        {
            using var stream = File.OpenRead(file);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            foreach (var handle in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(handle);
                var visibility = type.Attributes & System.Reflection.TypeAttributes.VisibilityMask;
                if (visibility == System.Reflection.TypeAttributes.Public)
                    result.Add(md.GetString(type.Namespace));
            }
        }
        return result;
    }

    /// <summary>
    /// The folder for files a notebook writes beside its report (e.g. a results CSV), created if missing: when the
    /// runner executes the notebook, its report folder (environment variable <c>WD_REPORT_DIR</c>); otherwise (VS Code,
    /// Jupyter) <c>artifacts/experiments</c> under the repository root, or under the current directory outside the
    /// repository.
    /// </summary>
    public static string ReportDirectory
    {
        get
        {
            string? fromRunner = Environment.GetEnvironmentVariable("WD_REPORT_DIR");
            string dir = !string.IsNullOrWhiteSpace(fromRunner) ? Path.GetFullPath(fromRunner)
                : Path.Combine(RepositoryRoot() ?? Environment.CurrentDirectory, "artifacts", "experiments");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>
    /// A path in <see cref="ReportDirectory"/> named after the notebook: <c>&lt;notebook-name&gt;&lt;suffix&gt;</c>,
    /// where the name is the runner's <c>WD_NOTEBOOK_NAME</c> or, outside the runner, <paramref name="notebookName"/>.
    /// </summary>
    /// <param name="notebookName">The notebook's file name without extension, used outside the runner.</param>
    /// <param name="suffix">E.g. <c>.results.csv</c>.</param>
    public static string ReportFile(string notebookName, string suffix)
    {
        if (string.IsNullOrWhiteSpace(notebookName))
            throw new ArgumentException("A notebook name is required.", nameof(notebookName));
        string? fromRunner = Environment.GetEnvironmentVariable("WD_NOTEBOOK_NAME");
        return Path.Combine(ReportDirectory, (string.IsNullOrWhiteSpace(fromRunner) ? notebookName : fromRunner) +
            suffix);
    }

    /// <summary>
    /// While the runner executes the notebook: the path
    /// <c>&lt;report folder&gt;/&lt;notebook-name&gt;&lt;suffix&gt;</c> (a file beside the report, e.g. the full CSV
    /// of a table the report shortens); otherwise null.
    /// </summary>
    internal static string? RunnerReportFile(string suffix)
    {
        string? dir = Environment.GetEnvironmentVariable("WD_REPORT_DIR");
        string? name = Environment.GetEnvironmentVariable("WD_NOTEBOOK_NAME");
        if (string.IsNullOrWhiteSpace(dir) || string.IsNullOrWhiteSpace(name)) return null;
        Directory.CreateDirectory(dir);
        return Path.Combine(Path.GetFullPath(dir), name + suffix);
    }

    private static string? RepositoryRoot()
    {
        for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "WeightDecay.Notebooks.sln"))) return d.FullName;
        return null;
    }

    // Separate method: Plotly.NET types are only touched after the FSharp.Core resolver is installed.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WorkbookInfo RegisterAndDescribe(long seed, TorchNativeStatus native)
    {
        Formatting.Formatters.Register();
        Formatting.ChartHtml.Reset();
        Formatting.Tables.Reset();
        string torchSharp = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?";
        return new WorkbookInfo(torchSharp, LibTorchVersion(), torch.get_num_threads(), seed,
            $"{RuntimeInformation.FrameworkDescription} on " +
            $"{RuntimeInformation.OSDescription}", Formatting.ChartHtml.PlotlyJsVersion,
            native.WeakenedVersions.Count > 0 ? $"native fix: {string.Join(", ", native.WeakenedVersions)} marked weak"
                : null);
    }

    private static string LibTorchVersion()
    {
        // TorchSharp-cpu 0.107.0 is built against libtorch 2.10.0; read it from the native package folder name when
        // present.
        var dir = TorchNativeLoader.EnsureLoaded().NativeDirectory;
        var attr = typeof(torch).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute),
            false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key.Contains("libtorch", StringComparison.OrdinalIgnoreCase));
        return attr?.Value ?? (dir is not null && File.Exists(Path.Combine(dir, "libtorch_cpu.so")) ? "2.10.0" : "?");
    }

    /// <summary>A progress display for <see cref="Training.TrainerOptions.Progress"/> that updates one output in
    /// place.</summary>
    public static Action<Training.TrainingProgress> Progress(string title = "Training") =>
        new ProgressDisplay(title).Report;

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
