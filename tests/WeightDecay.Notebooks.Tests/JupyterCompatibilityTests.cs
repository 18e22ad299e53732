using System.Text.Json.Nodes;
using WeightDecay.Runner;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>
/// Every notebook also runs in the pinned dotnet-interactive tool — the kernel VS Code and Jupyter launch — through Jupyter
/// (<c>jupyter nbconvert --execute</c> with the <c>.net-csharp</c> kernel). The quick parameters are injected as the runner does.
/// The copy runs in a scratch tree shaped like the repository (notebooks/, artifacts/ and data/ linked, the tool manifest copied)
/// so the bootstrap's relative <c>#r</c> resolves exactly as in the repository.
/// </summary>
/// <remarks>
/// Each notebook costs a kernel start-up (10–20 s), so by default three notebooks that between them use every kind of
/// output the workbook produces run here: the bootstrap and the setup check (00), contour and surface charts (06),
/// parameters, tables and a CSV beside the report (09). Every notebook's own code runs in the runner's quick runs; set
/// WD_JUPYTER_ALL=1 to run them all through Jupyter too.
/// </remarks>
public class JupyterCompatibilityTests
{
    private static readonly string[] Representative = ["00-setup-check", "06-seeing-the-landscape", "09-your-experiment"];

    public static TheoryData<string> Notebooks() => new(Environment.GetEnvironmentVariable("WD_JUPYTER_ALL") == "1"
        ? Repo.AllNotebooks().Select(Repo.RelativeName)
        : Representative);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NotebookRunsInTheDotnetInteractiveJupyterKernel(string rel)
    {
        string scratch = Directory.CreateTempSubdirectory("wd-jupyter-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(scratch, ".config"));
            File.Copy(Path.Combine(Repo.Root, ".config", "dotnet-tools.json"), Path.Combine(scratch, ".config", "dotnet-tools.json"));
            File.CreateSymbolicLink(Path.Combine(scratch, "artifacts"), Path.Combine(Repo.Root, "artifacts"));
            File.CreateSymbolicLink(Path.Combine(scratch, "data"), Path.Combine(Repo.Root, "data"));

            var nb = NotebookFile.Load(Path.Combine(Repo.Notebooks, rel + ".ipynb"));
            var assignments = Parameters.Resolve(Parameters.Declarations(nb), new Dictionary<string, string>(), quick: true);
            var prepared = nb.Clone();
            int p = Parameters.FindCell(prepared);
            if (p >= 0 && assignments.Count > 0) prepared.Cells.Insert(p + 1, Parameters.InjectedCell(assignments, quick: true));
            string input = Path.Combine(scratch, "notebooks", rel + ".ipynb");
            Directory.CreateDirectory(Path.GetDirectoryName(input)!);
            File.WriteAllText(input, prepared.ToJson());
            string output = Path.Combine(scratch, "executed.ipynb");

            var r = Proc.Run("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=.net-csharp",
                "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.startup_timeout=180", "--output", output, input],
                cwd: Path.GetDirectoryName(input), // nbconvert's own per-cell and start-up limits guard against hangs
                // the kernel process inherits the runner's start-up settings for notebook processes, which change how
                // much CPU the start-up costs, not what runs
                env: NotebookProcess.StartupSettings.ToDictionary(s => s.Name, s => s.Value));
            Assert.True(r.ExitCode == 0, $"jupyter nbconvert failed for {rel}:\n{r.All}");

            var executed = JsonNode.Parse(File.ReadAllText(output))!;
            var outputs = executed["cells"]!.AsArray().SelectMany(c => c!["outputs"] as JsonArray ?? []).Select(o => o!.AsObject()).ToList();
            Assert.DoesNotContain(outputs, o => o["output_type"]!.GetValue<string>() == "error");
            string all = string.Concat(outputs.Select(o => o.ToJsonString()));
            Assert.Contains("WeightDecay workbook ready", all); // the bootstrap ran in this kernel
        }
        finally
        {
            Directory.Delete(scratch, true);
        }
    }
}
