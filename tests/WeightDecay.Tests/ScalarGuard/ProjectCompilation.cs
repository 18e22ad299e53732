using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace WeightDecay.Tests.ScalarGuard;

/// <summary>
/// Compiles a project of this repository with Roslyn the way the build does, closely enough for binding:
/// its <c>*.cs</c> files (outside bin/ and obj/), the global usings the SDK generated for it, the compile-time
/// assemblies of its packages as restore resolved them (<c>obj/project.assets.json</c>), the .NET reference pack, and
/// other projects as compilation references. Nothing is emitted.
/// </summary>
internal static class ProjectCompilation
{
    /// <summary>The repository root (the folder holding WeightDecay.Notebooks.sln), found above the test
    /// binaries.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Compiles the project in <paramref name="projectDir"/> (relative to the root).</summary>
    public static CSharpCompilation Compile(string projectDir, string assemblyName,
        params Compilation[] projectReferences)
    {
        string dir = Path.Combine(RepositoryRoot, projectDir);
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(dir, f))
            .Order(StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            .ToList();
        if (GlobalUsings(dir, assemblyName) is { } usings)
            trees.Add(CSharpSyntaxTree.ParseText(File.ReadAllText(usings), parse, usings));
        var references = PackageReferences(dir).Concat(FrameworkReferences())
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Concat(projectReferences.Select(c => c.ToMetadataReference()));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true, platform: Platform.X64);
        return CSharpCompilation.Create(assemblyName, trees, references, options);
    }

    /// <summary>The compile-time TorchSharp.dll that <paramref name="projectDir"/> was restored against.</summary>
    public static string TorchSharpAssembly(string projectDir) =>
        PackageReferences(Path.Combine(RepositoryRoot, projectDir))
            .Single(p => Path.GetFileName(p) == "TorchSharp.dll");

    private static bool IsBuildOutput(string projectDir, string file)
    {
        var first = Path.GetRelativePath(projectDir, file).Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    private static string? GlobalUsings(string projectDir, string assemblyName)
    {
        var obj = Path.Combine(projectDir, "obj");
        if (!Directory.Exists(obj)) return null;
        string name = $"{assemblyName}.GlobalUsings.g.cs";
        return Directory.EnumerateFiles(obj, name, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Compile assets of every package restore resolved for the project (net10.0).</summary>
    private static IEnumerable<string> PackageReferences(string projectDir)
    {
        var assets = Path.Combine(projectDir, "obj", "project.assets.json");
        if (!File.Exists(assets))
            throw new FileNotFoundException($"{assets} is missing: restore the solution first (dotnet build).", assets);
        using var doc = JsonDocument.Parse(File.ReadAllText(assets));
        var root = doc.RootElement;
        var folders = root.GetProperty("packageFolders").EnumerateObject().Select(p => p.Name).ToList();
        var libraries = root.GetProperty("libraries");
        var target = root.GetProperty("targets").EnumerateObject().Single(t => !t.Name.Contains('/')).Value;
        var result = new List<string>();
        foreach (var package in target.EnumerateObject())
        {
            if (package.Value.GetProperty("type").GetString() != "package") continue;
            if (!package.Value.TryGetProperty("compile", out var compile)) continue;
            string libPath = libraries.GetProperty(package.Name).GetProperty("path").GetString()!;
            foreach (var asset in compile.EnumerateObject())
            {
                if (asset.Name.EndsWith("_._", StringComparison.Ordinal)) continue;
                var file = folders.Select(f => Path.Combine(f, libPath, asset.Name)).FirstOrDefault(File.Exists)
                    ?? throw new FileNotFoundException(
                        $"Restored asset {libPath}/{asset.Name} not found in {string.Join(", ", folders)}.");
                result.Add(file);
            }
        }
        return result;
    }

    /// <summary>The reference assemblies of Microsoft.NETCore.App for the running major version.</summary>
    private static IEnumerable<string> FrameworkReferences()
    {
        // <dotnet>/shared/Microsoft.NETCore.App/<version>/ →
        // <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.0
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar));
        var dotnet = runtime.Parent!.Parent!.Parent!.FullName;
        int major = Environment.Version.Major;
        var packs = new DirectoryInfo(Path.Combine(dotnet, "packs", "Microsoft.NETCore.App.Ref"));
        var refDir = packs.Exists
            ? packs.EnumerateDirectories($"{major}.*")
                .Select(d => (Dir: d, Version: Version.TryParse(d.Name.Split('-')[0], out var v) ? v : new Version()))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir.FullName, "ref", $"net{major}.0"))
                .FirstOrDefault(Directory.Exists)
            : null;
        // without a reference pack, the runtime's own assemblies bind the same public surface
        return Directory.EnumerateFiles(refDir ?? runtime.FullName, "*.dll");
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "WeightDecay.Notebooks.sln"))) return d.FullName;
        throw new DirectoryNotFoundException($"No WeightDecay.Notebooks.sln above {AppContext.BaseDirectory}.");
    }
}
