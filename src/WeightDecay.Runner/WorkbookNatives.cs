using System.Reflection;
using System.Runtime.Loader;

namespace WeightDecay.Runner;

/// <summary>
/// Applies the workbook library's TorchSharp native-loader fix (Debian 12: an unused libstdc++ version need marked
/// weak, see WeightDecay.Native.TorchNativeLoader) to the copy the notebooks reference, <c>artifacts/workbook/</c>,
/// before any notebook runs. The runner logs the fix's one line and records it in <c>run.json</c>; the notebooks'
/// <c>Workbook.Init()</c> then finds nothing to change, so no lesson output carries machine details.
/// </summary>
internal static class WorkbookNatives
{
    /// <summary>
    /// Applies the fix to <c>&lt;root&gt;/artifacts/workbook/</c> and logs what it did on <paramref name="stdout"/>
    /// (paths relative to the repository); returns that line, or null when nothing was changed. A failure is logged on
    /// <paramref name="stderr"/> and the run goes on: the notebooks then show the loader's error in place.
    /// </summary>
    public static string? Prepare(string root, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            string? line = Apply(Path.Combine(root, "artifacts", "workbook"))
                ?.Replace(root + "/", "", StringComparison.Ordinal);
            if (line is not null) stdout.WriteLine($"native fix: {line}");
            return line;
        }
        catch (InvalidOperationException e)
        {
            stderr.WriteLine($"warning: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Runs <c>TorchNativeLoader.EnsureLoaded()</c> of <paramref name="workbookDir"/>'s <c>WeightDecay.dll</c> in a
    /// throw-away load context; returns the line it logged when it changed a library, else null (nothing needed, not
    /// Linux, or no workbook built — then the notebooks report what is missing themselves).
    /// </summary>
    /// <exception cref="InvalidOperationException">The fix failed (e.g. a missing version is really used); names the
    /// folder.</exception>
    public static string? Apply(string workbookDir)
    {
        string dll = Path.Combine(workbookDir, "WeightDecay.dll");
        if (!OperatingSystem.IsLinux() || !File.Exists(dll)) return null;
        var context = new AssemblyLoadContext("wd-native-fix", isCollectible: true);
        context.Resolving += (ctx, name) =>
        {
            string path = Path.Combine(workbookDir, name.Name + ".dll");
            return File.Exists(path) ? ctx.LoadFromAssemblyPath(path) : null;
        };
        var console = Console.Out;
        try
        {
            Console.SetOut(TextWriter.Null); // the library prints the same line the runner logs
            var loader = context.LoadFromAssemblyPath(dll)
                .GetType("WeightDecay.Native.TorchNativeLoader", throwOnError: true)!;
            var ensureLoaded = loader.GetMethod("EnsureLoaded", BindingFlags.Public | BindingFlags.Static)!;
            object status = ensureLoaded.Invoke(null, null)!;
            return status.GetType().GetProperty("Message")!.GetValue(status) as string;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException(
                $"The TorchSharp natives in '{workbookDir}' cannot be prepared: {e.InnerException.Message}",
                e.InnerException);
        }
        finally
        {
            Console.SetOut(console);
            context.Unload();
        }
    }
}
