using System.Globalization;
using System.Text.Json.Nodes;

namespace WeightDecay.Runner;

/// <summary>
/// The output folder of a run, written atomically. A run writes everything — executed notebooks and reports — into a
/// staging folder inside the output folder and, once complete, moves them in place of the previous run's folders
/// (<see cref="Commit"/>), so a reader always sees one complete run: the previous one until the end, then the new one.
/// A lock held for the whole run makes a second run into the same folder refuse at once. A run that is interrupted
/// (Ctrl+C, kill, crash) leaves the previous run untouched; the next run discards the abandoned staging folder and says
/// so.
/// </summary>
/// <remarks>
/// The commit renames two folders (<c>notebooks/</c>, <c>reports/</c>), each out of the way and then into place. It is
/// guarded by a journal file written before the first rename and deleted after the last, so that if the process dies
/// in between (a window of microseconds), the next run finishes the commit before doing anything else: the folder never
/// stays a mix of two runs.
/// </remarks>
public sealed class RunFolder : IDisposable
{
    /// <summary>The folders a run owns inside the output folder.</summary>
    public static readonly string[] Parts = ["notebooks", "reports"];

    private const string LockName = ".wd-run.lock";
    private const string OwnerName = ".wd-run.owner";
    private const string StagingName = ".wd-staging";
    private const string JournalName = ".wd-commit";

    private readonly FileStream _lock;
    private bool _committed;

    /// <summary>The output folder (e.g. <c>artifacts</c>).</summary>
    public string Output { get; }

    /// <summary>Where this run writes; moved into <see cref="Output"/> by <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>What opening the folder found and did (an interrupted run discarded, a commit completed), for the
    /// log.</summary>
    public IReadOnlyList<string> Notes { get; }

    private RunFolder(string output, FileStream lockStream, IReadOnlyList<string> notes)
    {
        (Output, _lock, Notes) = (output, lockStream, notes);
        Staging = Path.Combine(output, StagingName);
    }

    /// <summary>
    /// Validates the output folder, takes its lock, completes an interrupted commit, discards an abandoned staging
    /// folder and creates a fresh one — all before any notebook runs.
    /// </summary>
    /// <exception cref="RunnerException">The folder cannot be used (<see cref="ExitCodes.Output"/>) or another run
    /// holds it (<see cref="ExitCodes.Busy"/>).</exception>
    public static RunFolder Open(string output, DateTimeOffset started)
    {
        if (string.IsNullOrWhiteSpace(output))
            throw new RunnerException(ExitCodes.Output,
                "The output folder is empty; give --output a folder, e.g. --output artifacts.");
        string full = Path.GetFullPath(output);
        if (File.Exists(full))
            throw new RunnerException(ExitCodes.Output, $"The output '{full}' is a file; --output expects a folder.");
        foreach (var part in Parts)
            if (File.Exists(Path.Combine(full, part)))
                throw new RunnerException(ExitCodes.Output,
                    $"'{Path.Combine(full, part)}' is a file, but a run writes a folder there; move it away or " +
                    "choose another --output.");
        Io(() => Directory.CreateDirectory(full), $"create the output folder '{full}'");

        FileStream lockStream;
        string lockPath = Path.Combine(full, LockName), ownerPath = Path.Combine(full, OwnerName);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) that the system releases when the process dies.
            lockStream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            string owner = File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "another runner";
            throw new RunnerException(ExitCodes.Busy,
                $"Another run is writing to '{full}' ({owner}); wait for it to finish, or choose another --output.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunnerException(ExitCodes.Output, $"Cannot write to the output folder '{full}': {e.Message}", e);
        }

        var notes = new List<string>();
        try
        {
            Io(() => File.WriteAllText(ownerPath, string.Create(CultureInfo.InvariantCulture,
                $"process {Environment.ProcessId} on {Environment.MachineName}, started " +
                $"{started:yyyy-MM-dd HH:mm:ss} UTC")), $"write to the output folder '{full}'");
            var folder = new RunFolder(full, lockStream, notes);
            folder.Recover(notes);
            Io(() =>
            {
                Directory.CreateDirectory(folder.Staging);
                foreach (var part in Parts) Directory.CreateDirectory(Path.Combine(folder.Staging, part));
                File.WriteAllText(Path.Combine(folder.Staging, "started"),
                    started.ToString("O", CultureInfo.InvariantCulture));
            }, $"create the staging folder in '{full}'");
            return folder;
        }
        catch
        {
            lockStream.Dispose();
            throw;
        }
    }

    /// <summary>The staging path of a file of the run, e.g. <c>StagingPath("reports", "index.html")</c>.</summary>
    public string StagingPath(params string[] parts) => Path.Combine([Staging, .. parts]);

    /// <summary>Replaces the previous run's folders with this run's, as one step (see the class remarks).</summary>
    public void Commit()
    {
        string journal = Path.Combine(Output, JournalName);
        Io(() => File.WriteAllText(journal, "commit in progress: staging → output"),
            $"write the commit journal in '{Output}'");
        Finish(Output);
        _committed = true;
    }

    /// <summary>Releases the lock; an uncommitted staging folder stays for the next run to discard.</summary>
    public void Dispose()
    {
        if (_committed) TryDelete(Path.Combine(Output, OwnerName));
        _lock.Dispose();
    }

    private void Recover(List<string> notes)
    {
        if (File.Exists(Path.Combine(Output, JournalName)))
        {
            Finish(Output);
            notes.Add("The previous run was interrupted while it replaced the run before it; that replacement was " +
                "completed.");
        }
        if (Directory.Exists(Staging))
        {
            string startedFile = Path.Combine(Staging, "started");
            string when = File.Exists(startedFile) ? File.ReadAllText(startedFile).Trim() : "at an unknown time";
            Io(() => Directory.Delete(Staging, recursive: true), $"remove the abandoned staging folder '{Staging}'");
            notes.Add($"A run started {when} was interrupted before it finished; its partial output was discarded " +
                "and the last " +
                      "complete run was left as it was.");
        }
    }

    /// <summary>Moves the staged parts into place (idempotent: it also completes a commit that was
    /// interrupted).</summary>
    private static void Finish(string output)
    {
        string staging = Path.Combine(output, StagingName), old = Path.Combine(staging, ".previous");
        Io(() =>
        {
            Directory.CreateDirectory(old);
            foreach (var part in Parts)
            {
                string fresh = Path.Combine(staging, part), target = Path.Combine(output, part), aside =
                    Path.Combine(old, part);
                if (!Directory.Exists(fresh)) continue; // already moved in
                if (Directory.Exists(target))
                {
                    if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
                    Directory.Move(target, aside);
                }
                Directory.Move(fresh, target);
            }
            File.Delete(Path.Combine(output, JournalName));
            Directory.Delete(staging, recursive: true);
        }, $"move the new run into '{output}'");
    }

    private static void Io(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new RunnerException(ExitCodes.Output, $"Cannot {what}: {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The run's notes as JSON (for run.json).</summary>
    public JsonArray NotesJson() => new(Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
}
