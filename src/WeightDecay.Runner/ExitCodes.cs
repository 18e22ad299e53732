namespace WeightDecay.Runner;

/// <summary>The runner's exit codes (README, "The two commands"). Every failure prints one line starting with
/// <c>error:</c>, never a stack trace.</summary>
public static class ExitCodes
{
    /// <summary>Every notebook passed; the new run replaced the previous one.</summary>
    public const int Success = 0;

    /// <summary>At least one notebook failed (a cell error, a timeout, a crash of its process); the run is complete and
    /// replaced the previous one, with each error shown in place.</summary>
    public const int NotebookFailed = 1;

    /// <summary>Bad command line, unknown notebook or parameter, a value outside its declared range, or a notebook that
    /// cannot be read. Nothing was run or written.</summary>
    public const int Usage = 2;

    /// <summary>The output folder cannot be used or written (not a folder, no permission, disk full). Nothing was run,
    /// or the previous run was left as it was.</summary>
    public const int Output = 3;

    /// <summary>Another run is writing to the same output folder; nothing was done.</summary>
    public const int Busy = 4;

    /// <summary>Interrupted (Ctrl+C, SIGTERM): the previous complete run is intact.</summary>
    public const int Interrupted = 130;

    /// <summary>An unexpected error in the runner itself; the message names it and where the details were
    /// logged.</summary>
    public const int Internal = 70;
}

/// <summary>A failure with a one-line message and the exit code it maps to.</summary>
public class RunnerException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>See <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>A bad command line or input; reported with exit code 2 (<see cref="ExitCodes.Usage"/>).</summary>
public sealed class UsageException(string message) : RunnerException(ExitCodes.Usage, message);
