using WeightDecay.Native;

namespace WeightDecay.Tests;

public class NativeLoaderTests
{
    [Fact]
    public void TorchSharpLoadsAndTrainsHere()
    {
        var status = TorchNativeLoader.EnsureLoaded();
        Assert.NotNull(status.NativeDirectory);
        // After the fix the loaded copy needs no libstdc++ version this system lacks, except weak ones.
        var lib = ElfVersionInfo.Read(Path.Combine(status.NativeDirectory!, "libLibTorchSharp.so"));
        var defs = ElfVersionInfo.Read(TorchNativeLoader.FindSystemLibStdCxx()).Definitions;
        Assert.All(lib.Needs.Where(n => n.Library.StartsWith("libstdc++")), n => Assert.True(defs.Contains(n.Version) || n.IsWeak, n.Version));

        // One real gradient step on a 1-parameter least-squares problem: w ← w − η·2(w−3) from w = 0, η = 0.25 → 1.5.
        using var w = torch.zeros(1, requires_grad: true);
        var loss = w.Sub(3).Square().sum();
        loss.backward();
        using (torch.no_grad()) w.sub_(w.grad!.Mul(0.25));
        Assert.Equal(1.5, w.item<float>(), 6);
    }

    [Fact]
    public void PatchMarksOnlyTheMissingUnrelocatedVersionWeakAndIsIdempotent()
    {
        string original = Path.Combine(TorchNativeLoader.EnsureLoaded().NativeDirectory!, "libLibTorchSharp.so");
        string nugetCopy = NugetOriginal() ?? original;
        string dir = Directory.CreateTempSubdirectory("wd-elf-").FullName;
        try
        {
            string copy = Path.Combine(dir, "libLibTorchSharp.so");
            File.Copy(nugetCopy, copy);
            byte[] before = File.ReadAllBytes(copy);
            var systemLib = TorchNativeLoader.FindSystemLibStdCxx();
            bool systemHas332 = ElfVersionInfo.Read(systemLib).Definitions.Contains("GLIBCXX_3.4.32");
            bool alreadyWeak = ElfVersionInfo.Read(copy).Needs.Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak;

            var changed = TorchNativeLoader.PatchIfNeeded(copy, systemLib);

            if (systemHas332 || alreadyWeak)
            {
                Assert.Empty(changed);
                Assert.Equal(before, File.ReadAllBytes(copy));
                return;
            }
            Assert.Equal(["GLIBCXX_3.4.32"], changed);
            var info = ElfVersionInfo.Read(copy);
            var need = info.Needs.Single(n => n.Version == "GLIBCXX_3.4.32");
            Assert.True(need.IsWeak);
            Assert.Equal(["_ZSt21ios_base_library_initv"], info.SymbolsWithVersion(need.Index));
            Assert.False(info.IsRelocated("_ZSt21ios_base_library_initv"));
            // Exactly one byte differs: the low byte of that entry's vna_flags.
            byte[] after = File.ReadAllBytes(copy);
            var diffs = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
            Assert.Equal([need.FlagsOffset], diffs.Select(i => (long)i));
            // Idempotent.
            Assert.Empty(TorchNativeLoader.PatchIfNeeded(copy, systemLib));
            Assert.Equal(after, File.ReadAllBytes(copy));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void NonElfInputIsRejectedWithTheFileNamed()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not an ELF file");
            var e = Assert.Throws<InvalidDataException>(() => ElfVersionInfo.Read(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string? NugetOriginal()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                      ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string p = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(p) ? p : null;
    }
}
