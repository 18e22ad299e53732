namespace WeightDecay.Runner;

/// <summary>
/// The <c>sync</c> verb: keeps each notebook's generated <c>.ipynb</c> in step with its <c>.dib</c> source, and carries
/// edits made to an <c>.ipynb</c> (in Jupyter) back into the <c>.dib</c>. Exit codes: 0 done (or nothing to do); 1
/// <c>--check</c> found a notebook out of step, or a sync refused to overwrite newer edits; 2 bad command line.
/// </summary>
public static class Sync
{
    /// <summary>The command an author runs; named in every message that asks for a sync.</summary>
    public const string Command = "bash scripts/notebooks.sh sync";

    internal const string Usage = """
        Usage: WeightDecay.Runner sync [--from-ipynb | --check] [--force] [--notebooks dir] [notebook ...]

          (no option)     regenerate each notebook's .ipynb from its .dib (the source of truth); writes only the files
                          whose text changes
          --from-ipynb    carry edits made to an .ipynb (e.g. in Jupyter) back into its .dib (outputs dropped), then
                          regenerate the .ipynb; creates the .dib where there is none
          --check         change nothing; exit 1 and name every notebook whose .ipynb content (cell kinds, sources,
                          parameters marker) differs from its .dib, or that lacks one of the two files
          --force         overwrite even when the file being replaced was edited more recently than its counterpart
          --notebooks dir notebooks folder (default: notebooks in the repository root)
          notebook        a name such as 05-norm-decay or solutions/05-norm-decay (default: all)
        """;

    /// <summary>Runs the verb with the arguments after <c>sync</c>.</summary>
    public static int Run(string[] args, string repositoryRoot, TextWriter stdout, TextWriter stderr)
    {
        bool fromIpynb = false, check = false, force = false;
        string? notebooksDir = null;
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--from-ipynb": fromIpynb = true; break;
                case "--check": check = true; break;
                case "--force": force = true; break;
                case "--notebooks":
                    notebooksDir =
                        i + 1 < args.Length ? args[++i] : throw new UsageException("--notebooks needs a value.");
                    break;
                case "-h" or "--help": stdout.WriteLine(Usage); return 0;
                default:
                    if (args[i].StartsWith('-')) throw new UsageException($"Unknown option '{args[i]}' for sync.");
                    names.Add(args[i]);
                    break;
            }
        }
        if (fromIpynb && check) throw new UsageException("--from-ipynb and --check exclude each other.");
        string dir = Path.GetFullPath(notebooksDir ?? Path.Combine(repositoryRoot, "notebooks"));
        if (!Directory.Exists(dir)) throw new UsageException($"Notebooks folder '{dir}' does not exist.");

        var pairs = Pairs(dir);
        if (names.Count > 0)
        {
            var wanted = names.Select(n => Normalize(n)).ToHashSet(StringComparer.Ordinal);
            var unknown = wanted.Where(w => !pairs.Any(p => p.Name == w)).ToList();
            if (unknown.Count > 0)
                throw new UsageException($"Unknown notebook '{unknown[0]}'. Available: " +
                    $"{string.Join(", ", pairs.Select(p => p.Name))}.");
            pairs = pairs.Where(p => wanted.Contains(p.Name)).ToList();
        }

        int problems = 0, written = 0;
        foreach (var p in pairs)
        {
            string dib = p.Base + ".dib", ipynb = p.Base + ".ipynb";
            bool hasDib = File.Exists(dib), hasIpynb = File.Exists(ipynb);
            string shown = Path.GetRelativePath(repositoryRoot, p.Base).Replace('\\', '/');
            if (check)
            {
                string? problem =
                    !hasDib ? $"{shown}.ipynb has no .dib source (run '{Command} --from-ipynb' to create it)"
                    : !hasIpynb ? $"{shown}.ipynb is missing (run '{Command}')"
                    : Describe(NotebookSource.Read(ipynb).DifferenceFrom(NotebookSource.Read(dib)), shown);
                if (problem is not null) { stderr.WriteLine(problem); problems++; }
                continue;
            }
            if (fromIpynb)
            {
                if (!hasIpynb) continue;
                var edited = NotebookSource.Read(ipynb);
                string? difference = hasDib ? edited.DifferenceFrom(NotebookSource.Read(dib)) : "no .dib yet";
                if (difference is not null)
                {
                    if (hasDib && !force && File.GetLastWriteTimeUtc(dib) > File.GetLastWriteTimeUtc(ipynb))
                    {
                        stderr.WriteLine($"{shown}.dib was edited after {shown}.ipynb and they differ " +
                            $"({difference}); not " +
                                         $"overwriting it. Run '{Command}' to regenerate the .ipynb from the .dib, " +
                                         "or add --force.");
                        problems++;
                        continue;
                    }
                    Atomic.WriteText(dib, edited.ToDib());
                    stdout.WriteLine($"wrote {shown}.dib from its .ipynb ({difference})");
                    written++;
                }
                written += WriteIfChanged(ipynb, NotebookSource.Read(dib).ToIpynb(), shown + ".ipynb", stdout) ? 1 : 0;
                continue;
            }
            if (!hasDib)
            {
                stderr.WriteLine($"{shown}.ipynb has no .dib source; run '{Command} --from-ipynb' to create it.");
                problems++;
                continue;
            }
            var source = NotebookSource.Read(dib);
            if (hasIpynb && !force && File.GetLastWriteTimeUtc(ipynb) > File.GetLastWriteTimeUtc(dib) &&
                NotebookSource.Read(ipynb).DifferenceFrom(source) is { } edit)
            {
                stderr.WriteLine($"{shown}.ipynb was edited after {shown}.dib and they differ ({edit}); not " +
                    "overwriting " +
                                 $"it. Run '{Command} --from-ipynb' to carry the edit into the .dib, or add --force " +
                                 "to discard it.");
                problems++;
                continue;
            }
            written += WriteIfChanged(ipynb, source.ToIpynb(), shown + ".ipynb", stdout) ? 1 : 0;
        }
        if (check)
        {
            if (problems > 0)
                stderr.WriteLine($"{problems} notebook(s) out of step. After editing a .dib run '{Command}'; after " +
                    "editing " +
                                 $"an .ipynb in Jupyter run '{Command} --from-ipynb'.");
            else stdout.WriteLine($"{pairs.Count} notebooks in step.");
        }
        else if (written == 0 && problems == 0) stdout.WriteLine($"Nothing to do: {pairs.Count} notebooks in step.");
        return problems > 0 ? 1 : 0;
    }

    private static string? Describe(string? difference, string shown) => difference is null ? null
        : $"{shown}.ipynb differs from {shown}.dib: {difference}. After editing the .dib run '{Command}'; after " +
            "editing " +
          $"the .ipynb run '{Command} --from-ipynb'.";

    private static bool WriteIfChanged(string path, string text, string shown, TextWriter stdout)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text) return false;
        Atomic.WriteText(path, text);
        stdout.WriteLine($"wrote {shown}");
        return true;
    }

    /// <summary>Every notebook name of the folder and its solutions/ (with the path without extension).</summary>
    private static List<(string Name, string Base)> Pairs(string dir)
    {
        var result = new List<(string, string)>();
        foreach (var (folder, prefix) in new[] { (dir, ""), (Path.Combine(dir, "solutions"), "solutions/") })
        {
            if (!Directory.Exists(folder)) continue;
            result.AddRange(Directory.GetFiles(folder, "*.dib").Concat(Directory.GetFiles(folder, "*.ipynb"))
                .Select(f => Path.GetFileNameWithoutExtension(f)).Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                .Select(n => (prefix + n, Path.Combine(folder, n))));
        }
        return result;
    }

    private static string Normalize(string name)
    {
        string n = name.Replace('\\', '/');
        foreach (var ext in new[] { ".ipynb", ".dib" })
            if (n.EndsWith(ext, StringComparison.Ordinal)) n = n[..^ext.Length];
        return n.StartsWith("notebooks/", StringComparison.Ordinal) ? n["notebooks/".Length..] : n;
    }
}
