using System.Runtime.InteropServices;

namespace WeightDecay.Runner;

/// <summary>
/// Ends a notebook's child process once its result is written. <see cref="Environment.Exit"/> runs the native
/// libraries' static destructors (libtorch's global context among them) while a cell that timed out may still be
/// running libtorch code on its own thread; that thread then reads destroyed globals and the process dies with
/// SIGSEGV, which the parent would report as a crash instead of the timeout it was. On Linux and macOS the process
/// therefore ends with the C library's <c>_exit</c>, which stops every thread at once without running destructors.
/// </summary>
internal static class ProcessEnd
{
    /// <summary>Ends the process now with <paramref name="code"/>; standard output is flushed first.</summary>
    public static void Now(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _exit(code);
        Environment.Exit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void _exit(int status);
}
