using System.Text.Json.Nodes;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>Committed notebooks: no outputs, the metadata VS Code and Jupyter need, the shared bootstrap, a parameters cell.</summary>
public class HygieneTests
{
    public static TheoryData<string> Notebooks() => new(Repo.AllNotebooks().Select(Repo.RelativeName));

    private static JsonObject Load(string rel) => JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Notebooks, rel + ".ipynb")))!.AsObject();

    [Fact]
    public void ThereAreNotebooks() => Assert.Contains("00-setup-check", Repo.AllNotebooks().Select(Repo.RelativeName));

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void CommittedWithoutOutputsAndWithKernelMetadata(string rel)
    {
        var nb = Load(rel);
        Assert.Equal(4, nb["nbformat"]!.GetValue<int>());
        Assert.Equal(".net-csharp", nb["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", nb["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        foreach (var cell in nb["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => c["cell_type"]!.GetValue<string>() == "code"))
        {
            Assert.Empty(cell["outputs"]!.AsArray());
            Assert.Null(cell["execution_count"]);
        }
        var ids = nb["cells"]!.AsArray().Select(c => c!["id"]?.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void FirstCodeCellIsTheSharedBootstrapAndAParametersCellExists(string rel)
    {
        var cells = Load(rel)["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var code = cells.Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();
        string up = string.Concat(Enumerable.Repeat("../", rel.Count(ch => ch == '/') + 1));
        Assert.Equal($"#r \"{up}artifacts/workbook/WeightDecay.Interactive.dll\"\nWeightDecay.Interactive.Workbook.Init()", Source(code[0]));
        Assert.Single(code, c => (c["metadata"]?["tags"] as JsonArray)?.Any(t => t!.GetValue<string>() == "parameters") == true);
        Assert.StartsWith("# ", Source(cells[0]));
        if (!rel.StartsWith("solutions/"))
            Assert.Contains(cells, c => c["cell_type"]!.GetValue<string>() == "markdown" && Source(c).Contains("## Exercises"));
    }

    private static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray a => string.Concat(a.Select(l => l!.GetValue<string>())),
        JsonNode n => n.GetValue<string>(),
        _ => "",
    };
}

/// <summary>The .ipynb files are generated from tools/notebooks/build_*.py; the committed files must be what the scripts write.</summary>
public class NotebookSourceDriftTests
{
    [Fact]
    public void CommittedNotebooksMatchTheirAuthoringScripts()
    {
        string outDir = Directory.CreateTempSubdirectory("wd-drift-").FullName;
        try
        {
            var scripts = Directory.GetFiles(Path.Combine(Repo.Root, "tools", "notebooks"), "build_*.py").Order().ToList();
            Assert.NotEmpty(scripts);
            foreach (var script in scripts)
            {
                var r = Proc.Run("python3", [script], env: new Dictionary<string, string> { ["WD_NOTEBOOKS_OUT"] = outDir });
                Assert.True(r.ExitCode == 0, $"{script} failed: {r.All}");
            }
            var generated = Directory.GetFiles(outDir, "*.ipynb", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/')).Order().ToList();
            var committed = Repo.AllNotebooks().Select(f => Path.GetRelativePath(Repo.Notebooks, f).Replace('\\', '/')).Order().ToList();
            Assert.Equal(committed, generated);
            foreach (var rel in generated)
                Assert.True(File.ReadAllText(Path.Combine(outDir, rel)) == File.ReadAllText(Path.Combine(Repo.Notebooks, rel)),
                    $"notebooks/{rel} differs from what its build script writes: edit the script and rerun it.");
        }
        finally { Directory.Delete(outDir, true); }
    }
}
