using System.Text.Json.Nodes;
using WeightDecay.Runner;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>The authoring round trip an instructor goes through: edit the .dib or the .ipynb, sync, commit both.</summary>
public class SyncTests
{
    /// <summary>A scratch notebooks folder holding a copy of one lesson's two files.</summary>
    private static string Scratch(string rel = "00-setup-check")
    {
        string dir = Directory.CreateTempSubdirectory("wd-sync-").FullName;
        foreach (var ext in new[] { ".dib", ".ipynb" })
            File.Copy(Path.Combine(Repo.Notebooks, rel + ext), Path.Combine(dir, Path.GetFileName(rel) + ext));
        return dir;
    }

    [Fact]
    public void AMarkdownEditInTheIpynbIsDetectedAndCarriedBackIntoTheDib()
    {
        string dir = Scratch();
        try
        {
            string ipynb = Path.Combine(dir, "00-setup-check.ipynb"), dib = Path.Combine(dir, "00-setup-check.dib");
            var nb = JsonNode.Parse(File.ReadAllText(ipynb))!.AsObject();
            var first = nb["cells"]![0]!.AsObject();
            first["source"] = "# 00 · Setup check, edited in Jupyter\n\nA new first paragraph.";
            first["outputs"] = null;
            File.WriteAllText(ipynb, nb.ToJsonString());
            File.SetLastWriteTimeUtc(ipynb, DateTime.UtcNow.AddMinutes(1));

            var check = Proc.Runner("sync", "--check", "--notebooks", dir);
            Assert.Equal(1, check.ExitCode);
            Assert.Contains("00-setup-check.ipynb differs from", check.Stderr);
            Assert.Contains($"{Sync.Command} --from-ipynb", check.Stderr);

            var plain = Proc.Runner("sync", "--notebooks", dir);
            Assert.Equal(1, plain.ExitCode); // refuses to overwrite the newer .ipynb edit
            Assert.Contains("was edited after", plain.Stderr);

            var back = Proc.Runner("sync", "--from-ipynb", "--notebooks", dir);
            Assert.True(back.ExitCode == 0, back.All);
            var cells = NotebookSource.Read(dib).Cells;
            Assert.Equal("# 00 · Setup check, edited in Jupyter\n\nA new first paragraph.", cells[0].Source);
            Assert.Single(cells, c => c.IsParameters);
            Assert.Equal(0, Proc.Runner("sync", "--check", "--notebooks", dir).ExitCode);
            Assert.Contains("Nothing to do", Proc.Runner("sync", "--notebooks", dir).Stdout);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ADibEditRegeneratesTheIpynbWithTheParametersTagAndStableIds()
    {
        string dir = Scratch();
        try
        {
            string ipynb = Path.Combine(dir, "00-setup-check.ipynb"), dib = Path.Combine(dir, "00-setup-check.dib");
            var before = JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
            File.WriteAllText(dib, File.ReadAllText(dib).Replace("## Parameters", "## Parameters you can change"));
            File.SetLastWriteTimeUtc(dib, DateTime.UtcNow.AddMinutes(1));
            var r = Proc.Runner("sync", "--notebooks", dir);
            Assert.True(r.ExitCode == 0, r.All);
            Assert.Contains("wrote", r.Stdout);
            var cells = JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
            var after = cells.Select(c => c["id"]!.GetValue<string>()).ToList();
            Assert.Equal(before.Count, after.Count);
            Assert.Single(before.Zip(after), p => p.First != p.Second); // only the edited cell's id changes
            Assert.Contains(cells, c => (c["metadata"]?["tags"] as JsonArray)?.Any(t => t!.GetValue<string>() == "parameters") == true);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void DibAndIpynbRoundTripEveryCommittedNotebookUnchanged()
    {
        foreach (var path in Repo.AllNotebooks())
        {
            var source = NotebookSource.Read(path);
            Assert.Null(NotebookSource.FromDib(source.ToDib()).DifferenceFrom(source));
            Assert.Null(NotebookSource.FromIpynb(source.ToIpynb()).DifferenceFrom(source));
        }
    }

    [Fact]
    public void TheRunnerRunsEitherFormatAndFindsTheParametersCellByTagOrMarker()
    {
        string dir = Directory.CreateTempSubdirectory("wd-either-").FullName;
        string outDir = Directory.CreateTempSubdirectory("wd-either-out-").FullName;
        try
        {
            var cells = new[]
            {
                new SourceCell(CellKind.Markdown, "# Either format"),
                new SourceCell(CellKind.Code, "// parameters\nvar n = 1;"),
                new SourceCell(CellKind.Code, "Console.WriteLine($\"n is {n}\");"),
            };
            File.WriteAllText(Path.Combine(dir, "a-dib.dib"), new NotebookSource(cells).ToDib());
            // an .ipynb whose parameters cell has the tag but not the marker line
            var ipynb = JsonNode.Parse(new NotebookSource(cells).ToIpynb())!.AsObject();
            ipynb["cells"]![1]!["source"] = "var n = 1;";
            File.WriteAllText(Path.Combine(dir, "b-ipynb.ipynb"), ipynb.ToJsonString());
            var r = Proc.Runner("--notebooks", dir, "--output", outDir, "--param", "n=7");
            Assert.True(r.ExitCode == 0, r.All);
            foreach (var name in new[] { "a-dib", "b-ipynb" })
                Assert.Contains("n is 7", File.ReadAllText(Path.Combine(outDir, "notebooks", name + ".ipynb")));
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(outDir, true);
        }
    }
}
