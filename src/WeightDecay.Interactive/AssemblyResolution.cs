using System.Reflection;
using System.Runtime.Loader;

namespace WeightDecay.Interactive;

/// <summary>
/// Lets the notebook hosts load this library's dependencies:
/// <list type="bullet">
/// <item>FSharp.Core: Plotly.NET 6 is built against FSharp.Core 10.1.0.0 but the dotnet-interactive 1.0.712001 and
/// dotnet-repl hosts have 10.0.0.0 loaded already, so the load fails with <see cref="FileNotFoundException"/>. A
/// request for any FSharp.Core is answered with the one already loaded (binary compatible for what Plotly.NET
/// uses).</item>
/// <item>Any assembly already loaded elsewhere in the process is reused; any other that sits next to this library (the
/// folder <c>artifacts/workbook/</c> notebooks reference) and that the host cannot find itself.</item>
/// </list>
/// Must run before any Plotly.NET type is touched, which is why <see cref="Workbook.Init"/> calls it first and this
/// class references no Plotly.NET type.
/// </summary>
public static class AssemblyResolution
{
    private static int _installed;

    /// <summary>Installs the handler once per process.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += Resolve;
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is null) return null;
        // An assembly already loaded in any context (the host's FSharp.Core 10.0; our own assemblies, which Roslyn
        // scripting loads into per-assembly contexts) is reused: a second copy would give every type a twin that
        // formatters never match.
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && string.Equals(a.GetName().Name, name.Name, StringComparison.Ordinal))
            .OrderByDescending(a => a.GetName().Version)
            .FirstOrDefault();
        if (loaded is not null) return loaded;
        string dir = Path.GetDirectoryName(typeof(AssemblyResolution).Assembly.Location) ?? "";
        string candidate = Path.Combine(dir, name.Name + ".dll");
        return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
    }
}
