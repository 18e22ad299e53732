namespace WeightDecay;

/// <summary>Writes files so that readers see either the old content or the complete new one, never a partial
/// file.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to a temporary file beside <paramref name="path"/> and renames it over
    /// it.</summary>
    public static void WriteAllBytes(string path, byte[] bytes, string? preserveUnixModeOf = null) =>
        Write(path, stream => stream.Write(bytes), preserveUnixModeOf);

    /// <summary>Writes text (UTF-8, no BOM) atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(text)));

    /// <summary>Lets <paramref name="write"/> fill a temporary file beside <paramref name="path"/>, then renames it
    /// over it.</summary>
    public static void Write(string path, Action<Stream> write, string? preserveUnixModeOf = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (preserveUnixModeOf is not null && !OperatingSystem.IsWindows() && File.Exists(preserveUnixModeOf))
                File.SetUnixFileMode(temp, File.GetUnixFileMode(preserveUnixModeOf));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
