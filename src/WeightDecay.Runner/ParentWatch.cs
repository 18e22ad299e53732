using System.Diagnostics;
using System.Runtime.InteropServices;

namespace WeightDecay.Runner;

/// <summary>
/// Ends a notebook's child process when the runner that started it is gone (killed with SIGKILL, or crashed), so that
/// an interrupted run leaves no notebook computing on its own. Without it a child in a long cell keeps a core busy
/// until the cell ends: nothing reads its output, and it only notices the missing parent when it next writes.
/// </summary>
/// <remarks>
/// On Linux and macOS an orphan is re-parented (to init or a subreaper), so <c>getppid()</c> no longer returns the
/// runner's id; elsewhere the runner's process is looked up by id. The check runs once a second on a background
/// thread and costs nothing measurable.
/// </remarks>
internal static class ParentWatch
{
    /// <summary>The exit code of a child that ended because its runner was gone (128 + SIGHUP, as a shell would
    /// report a process whose controlling parent hung up).</summary>
    public const int ParentGoneExitCode = 129;

    /// <summary>Starts watching <paramref name="parentId"/> from this process.</summary>
    public static void Start(int parentId)
    {
        var thread = new Thread(() => Watch(parentId)) { IsBackground = true, Name = "wd-parent-watch" };
        thread.Start();
    }

    /// <summary>Whether the process <paramref name="parentId"/> that started this one is still its parent.</summary>
    public static bool ParentAlive(int parentId)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) return getppid() == parentId;
        try
        {
            using var parent = Process.GetProcessById(parentId);
            return !parent.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Watch(int parentId)
    {
        while (ParentAlive(parentId)) Thread.Sleep(TimeSpan.FromSeconds(1));
        ProcessEnd.Now(ParentGoneExitCode);
    }

    [DllImport("libc")]
    private static extern int getppid();
}
