using System.Runtime.InteropServices;
using TorchSharp;

namespace WeightDecay.Native;

/// <summary>
/// Makes TorchSharp-cpu 0.107.0 load on Linux systems whose libstdc++ is older than GCC 13's
/// (Debian 12: GLIBCXX_3.4.30), then pre-loads libtorch and LibTorchSharp by absolute path.
/// </summary>
/// <remarks>
/// <para>Cause: <c>libLibTorchSharp.so</c> lists <c>GLIBCXX_3.4.32</c> among its version needs for a single
/// symbol, <c>_ZSt21ios_base_library_initv</c>, a marker GCC 13's <c>&lt;iostream&gt;</c> emits with no relocation
/// against it. The dynamic loader rejects the whole library because the version is missing, and TorchSharp
/// then reports a misleading "doesn't contain a reference to libtorch-cpu-linux-x64".</para>
/// <para>Fix: only when the running system's libstdc++ lacks a needed version, and only when every symbol
/// bound to that version is unrelocated (so nothing can ever be looked up under it), the need is marked
/// <c>VER_FLG_WEAK</c> in the project's own copy of the library (the build output next to the application):
/// the new file is written beside the old one and renamed over it. System libraries and the NuGet cache are
/// never modified. Idempotent: a second call finds nothing to change.</para>
/// </remarks>
public static class TorchNativeLoader
{
    private const string LibTorchSharp = "libLibTorchSharp.so";
    private static readonly string[] PreloadOrder = ["libc10.so", "libtorch_cpu.so", "libtorch.so", LibTorchSharp];
    private static readonly object Gate = new();
    private static TorchNativeStatus? _status;

    /// <summary>Applies the fix where needed and loads the natives once per process; later calls return the first
    /// result.</summary>
    /// <exception cref="DllNotFoundException">The TorchSharp natives cannot be found next to the
    /// application.</exception>
    /// <exception cref="InvalidOperationException">A missing libstdc++ version is really used, so no safe fix
    /// exists.</exception>
    public static TorchNativeStatus EnsureLoaded()
    {
        lock (Gate)
        {
            if (_status is not null) return _status;
            if (!OperatingSystem.IsLinux())
                return _status = new TorchNativeStatus(null, [], null);

            string dir = FindNativeDirectory();
            var weakened = PatchIfNeeded(Path.Combine(dir, LibTorchSharp), FindSystemLibStdCxx());
            string? message = null;
            if (weakened.Count > 0)
            {
                message = $"WeightDecay: this system's libstdc++ lacks {string.Join(", ", weakened)}; marked it weak " +
                          $"(unused version marker) in the project's copy {Path.Combine(dir, LibTorchSharp)}.";
                Console.WriteLine(message);
            }
            foreach (var name in PreloadOrder)
            {
                string path = Path.Combine(dir, name);
                if (File.Exists(path)) NativeLibrary.Load(path);
            }
            return _status = new TorchNativeStatus(dir, weakened, message);
        }
    }

    /// <summary>
    /// Marks weak every version need of <paramref name="library"/> on libstdc++ that <paramref name="systemLibStdCxx"/>
    /// does not define, provided only unrelocated symbols use it. Returns the versions changed (empty if none).
    /// </summary>
    /// <exception cref="InvalidOperationException">A missing version is bound to a relocated symbol.</exception>
    public static IReadOnlyList<string> PatchIfNeeded(string library, string systemLibStdCxx)
    {
        var info = ElfVersionInfo.Read(library);
        var available = ElfVersionInfo.Read(systemLibStdCxx).Definitions;
        var missing = info.Needs
            .Where(n => n.Library.StartsWith("libstdc++", StringComparison.Ordinal) && !available.Contains(n.Version))
            .ToList();
        foreach (var need in missing)
        {
            var used = info.SymbolsWithVersion(need.Index).Where(info.IsRelocated).ToList();
            if (used.Count > 0)
                throw new InvalidOperationException(
                    $"'{library}' needs {need.Version}, which '{systemLibStdCxx}' does not provide, and uses it for " +
                    $"relocated symbols ({string.Join(", ", used)}); it cannot run here. Use a system with a newer " +
                    "libstdc++ (GCC 13 or later: Ubuntu 24.04+, Debian 13+).");
        }
        var toWeaken = missing.Where(n => !n.IsWeak).ToList();
        if (toWeaken.Count == 0) return [];

        byte[] bytes = File.ReadAllBytes(library);
        foreach (var need in toWeaken)
            bytes[need.FlagsOffset] |= 0x2; // VER_FLG_WEAK, low byte of the little-endian vna_flags
        AtomicFile.WriteAllBytes(library, bytes, preserveUnixModeOf: library);
        return toWeaken.Select(n => n.Version).ToList();
    }

    /// <summary>The libstdc++ this process uses (from <c>/proc/self/maps</c>), else the usual system
    /// locations.</summary>
    public static string FindSystemLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash >= 0 && line.Contains("libstdc++.so", StringComparison.Ordinal))
                    return line[slash..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        string[] candidates =
        [
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
        ];
        return candidates.FirstOrDefault(File.Exists)
               ?? throw new DllNotFoundException("libstdc++.so.6 was not found; install the system's libstdc++6 " +
                   "package.");
    }

    private static string FindNativeDirectory()
    {
        var dirs = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string search)
            dirs.AddRange(search.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        foreach (var root in new[] { Path.GetDirectoryName(typeof(torch).Assembly.Location), AppContext.BaseDirectory })
        {
            if (string.IsNullOrEmpty(root)) continue;
            dirs.Add(root);
            dirs.Add(Path.Combine(root, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"));
            dirs.Add(Path.Combine(root, "runtimes", "linux-x64", "native"));
        }
        foreach (var dir in dirs)
            if (File.Exists(Path.Combine(dir, LibTorchSharp)) && File.Exists(Path.Combine(dir, "libtorch_cpu.so")))
                return Path.GetFullPath(dir);
        throw new DllNotFoundException(
            $"{LibTorchSharp} and libtorch_cpu.so were not found next to the application (looked in: " +
            $"{string.Join(", ", dirs.Distinct())}). Reference the TorchSharp-cpu package and build the project " +
            "(dotnet build) so that its natives are copied to the output folder.");
    }
}
