using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WeightDecay.Runner;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>
/// Committed notebooks: a .dib source and a generated .ipynb for every lesson and solution, the .ipynb without outputs and
/// with the metadata VS Code and Jupyter need, the shared bootstrap, a parameters cell, no Python generator.
/// </summary>
public class HygieneTests
{
    private static JsonObject Ipynb(string rel) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Notebooks, rel + ".ipynb")))!.AsObject();

    private static NotebookSource Dib(string rel) => NotebookSource.Read(Path.Combine(Repo.Notebooks, rel + ".dib"));

    [Fact]
    public void ThereAreNotebooks() => Assert.Contains("00-setup-check", Repo.AllNotebooks().Select(Repo.RelativeName));

    [Fact]
    public void EveryNotebookHasADibSourceAndAGeneratedIpynbAndNoPythonGeneratorIsLeft()
    {
        var dibs = Directory.GetFiles(Repo.Notebooks, "*.dib", SearchOption.AllDirectories).Select(Repo.RelativeName).Order().ToList();
        var ipynbs = Directory.GetFiles(Repo.Notebooks, "*.ipynb", SearchOption.AllDirectories).Select(Repo.RelativeName).Order().ToList();
        Assert.Equal(dibs, ipynbs);
        string tools = Path.Combine(Repo.Root, "tools", "notebooks");
        Assert.False(Directory.Exists(tools) && Directory.EnumerateFiles(tools, "*.py").Any(),
            "tools/notebooks/*.py must not come back: the .dib files are the source of the notebooks.");
    }

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void CommittedWithoutOutputsAndWithKernelMetadata(string rel)
    {
        var nb = Ipynb(rel);
        Assert.Equal(4, nb["nbformat"]!.GetValue<int>());
        Assert.Equal(".net-csharp", nb["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", nb["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        foreach (var cell in nb["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => c["cell_type"]!.GetValue<string>() == "code"))
        {
            Assert.Empty(cell["outputs"]!.AsArray());
            Assert.Null(cell["execution_count"]);
        }
        var ids = nb["cells"]!.AsArray().Select(c => c!["id"]?.GetValue<string>()).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var tagged = nb["cells"]!.AsArray().Select(c => c!.AsObject())
            .Where(c => (c["metadata"]?["tags"] as JsonArray)?.Any(t => t!.GetValue<string>() == "parameters") == true).ToList();
        Assert.Single(tagged);
    }

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void FirstCodeCellIsTheSharedBootstrapAndAParametersCellExists(string rel)
    {
        var cells = Dib(rel).Cells;
        var code = cells.Where(c => c.Kind == CellKind.Code).ToList();
        string up = string.Concat(Enumerable.Repeat("../", rel.Count(ch => ch == '/') + 1));
        Assert.Equal($"#r \"{up}artifacts/workbook/WeightDecay.Interactive.dll\"\nWeightDecay.Interactive.Workbook.Init()", code[0].Source);
        Assert.Single(code, c => c.IsParameters);
        Assert.StartsWith("# ", cells[0].Source);
        if (!rel.StartsWith("solutions/"))
            Assert.Contains(cells, c => c.Kind == CellKind.Markdown && c.Source.Contains("## Exercises"));
    }

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void EveryParameterDeclaresTheValuesItAcceptsAndItsValuesLieInIt(string rel)
    {
        var nb = NotebookFile.Load(Path.Combine(Repo.Notebooks, rel + ".dib"));
        var decls = Parameters.Declarations(nb);
        Assert.NotEmpty(decls);
        Assert.True(decls.Any(d => d.Name == "seed" && d.Type == "int"),
            $"{rel}: declare 'var seed = 0; // range: ≥ 0' — CI runs every notebook with other seeds (--param seed=…).");
        // an array whose grid is 'subsequence' or 'measured' takes its entries from the declared grid: no range needed
        var missing = decls.Where(d => d.Type != "bool" && d.Name != "hidden" && d.Range is null &&
            d.Grid is null or GridRule.Any).Select(d => d.Name).ToList();
        Assert.True(missing.Count == 0,
            $"{rel}: declare the accepted values of {string.Join(", ", missing)} (e.g. '// range: ≥ 1' or '// one of: a, b').");
        // a claim about the largest λ or a trend along a grid depends on the whole array, not only on its entries
        var gridless = decls.Where(d => d.IsArray && d.Grid is null).Select(d => d.Name).ToList();
        Assert.True(gridless.Count == 0,
            $"{rel}: declare which arrays {string.Join(", ", gridless)} accept{(gridless.Count == 1 ? "s" : "")}: " +
            "'// grid: any', '// grid: subsequence' or '// grid: measured' (see GridRule).");
        // the defaults and the quick values are in range (Resolve checks every value a notebook would run with)
        Parameters.Resolve(decls, new Dictionary<string, string>(), quick: false);
        Parameters.Resolve(decls, new Dictionary<string, string>(), quick: true);
    }

    /// <summary>At most this many lines in a code cell (the parameters cell may be longer): a reader takes a cell in at
    /// a glance; longer mechanics belong in the library.</summary>
    public const int MaxCodeCellLines = 15;

    /// <summary>At most this many characters in a line of a notebook, prose or code (a Markdown table row, a URL and
    /// a display formula are exempt: they cannot be wrapped without changing what they show).</summary>
    public const int MaxLineWidth = 100;

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void CellsAreShortAndLinesNarrow(string rel)
    {
        var problems = new List<string>();
        int number = 0;
        foreach (var cell in Dib(rel).Cells)
        {
            number++;
            var lines = cell.Source.Split('\n');
            if (cell.Kind == CellKind.Code && !cell.IsParameters && lines.Length > MaxCodeCellLines)
                problems.Add($"cell {number} has {lines.Length} lines (at most {MaxCodeCellLines})");
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                int width = new System.Globalization.StringInfo(line).LengthInTextElements;
                bool exempt = cell.Kind == CellKind.Markdown && (line.TrimStart().StartsWith('|')
                    || line.Contains("http://") || line.Contains("https://") || line.TrimStart().StartsWith("$$"));
                if (width > MaxLineWidth && !exempt)
                    problems.Add($"cell {number} line {i + 1} has {width} characters (at most {MaxLineWidth})");
            }
        }
        Assert.True(problems.Count == 0, $"notebooks/{rel}.dib: {problems.Count} problem(s):\n" +
            string.Join("\n", problems));
    }

    /// <summary>No cell of a .dib is empty: the .ipynb drops it, but VS Code shows the .dib's empty cell to the
    /// student.</summary>
    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void NoDibCellIsEmpty(string rel)
    {
        string text = File.ReadAllText(Path.Combine(Repo.Notebooks, rel + ".dib")).Replace("\r\n", "\n");
        var empty = Regex.Matches(text, @"^#!(\w+)[ \t]*\n\s*(?=^#!|\z)", RegexOptions.Multiline)
            .Select(m => $"an empty #!{m.Groups[1].Value} cell at line {text[..m.Index].Count(c => c == '\n') + 1}")
            .ToList();
        Assert.True(empty.Count == 0, $"notebooks/{rel}.dib: {string.Join("; ", empty)}");
    }

    /// <summary>Every code cell that checks a claim says where its tolerance comes from: the library test that measured
    /// the spread over seeds (a <c>…Tests</c> name, checked to exist by
    /// <see cref="EveryLibraryTestTheNotebookCitesExists"/>), or why none is needed (a deterministic computation, an
    /// identity, exact arithmetic, no randomness). A claim without either is a tolerance nobody can look up.</summary>
    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void EveryClaimCellSaysWhereItsToleranceComesFrom(string rel)
    {
        var unexplained = Dib(rel).Cells.Where(c => c.Kind == CellKind.Code && c.Source.Contains("Claims.Check("))
            .Where(c => !Regex.IsMatch(c.Source, @"\b[A-Z]\w*Tests\b") && !Regex.IsMatch(c.Source,
                "no seed|deterministic|identit|exact|no randomness|arithmetic", RegexOptions.IgnoreCase))
            .Select(c => c.Source.Split('\n').First(l => l.Contains("Claims.Check(")).Trim()).ToList();
        Assert.True(unexplained.Count == 0, $"{rel}: claim cells without a tolerance source (name the spread test, " +
            $"or say why none is needed):\n{string.Join("\n", unexplained)}");
    }

    /// <summary>A notebook that backs a tolerance with a library test names it (<c>NormDecaySpreadTests</c> or
    /// <c>D2lNormSpreadTests.D2lNormAndBaselineSpread</c>); a reader who looks it up must find it.</summary>
    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void EveryLibraryTestTheNotebookCitesExists(string rel)
    {
        var sources = Directory.GetFiles(Path.Combine(Repo.Root, "tests", "WeightDecay.Tests"), "*.cs")
            .Select(File.ReadAllText).ToList();
        string text = File.ReadAllText(Path.Combine(Repo.Notebooks, rel + ".dib"));
        var missing = new List<string>();
        foreach (Match m in Regex.Matches(text, @"\b([A-Z]\w*Tests)(?:\.([A-Z]\w*))?\b"))
        {
            string type = m.Groups[1].Value, method = m.Groups[2].Value;
            var file = sources.FirstOrDefault(s => s.Contains($"class {type}(") || s.Contains($"class {type}\n")
                || s.Contains($"class {type} "));
            if (file is null || (method.Length > 0 && !file.Contains($" {method}(")))
                missing.Add(m.Value);
        }
        Assert.True(missing.Count == 0,
            $"notebooks/{rel}.dib cites {string.Join(", ", missing.Distinct())}, not found in tests/WeightDecay.Tests.");
    }

    /// <summary>The marker a claim cell carries when none of its claims depends on the seed.</summary>
    internal const string SeedFreeMarker = "no seed spread needed";

    /// <summary>Issue 15: a claim is a statement about the method, so it holds for any seed. Every code cell that
    /// checks claims says where its tolerances come from, in the cell itself: it names the library test that measured
    /// the spread over seeds (a <c>XxxTests</c> name, which <see cref="EveryLibraryTestTheNotebookCitesExists"/>
    /// resolves), or, when every claim in it holds for any seed by proof or as an identity to rounding, a comment
    /// with the words "no seed spread needed" and the reason.</summary>
    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void EveryClaimCellNamesItsSpreadTestOrWhyItNeedsNone(string rel)
    {
        var unsourced = new List<string>();
        int number = 0;
        foreach (var cell in Dib(rel).Cells)
        {
            number++;
            if (cell.Kind != CellKind.Code || !cell.Source.Contains("Claims.Check(")) continue;
            bool cites = Regex.IsMatch(cell.Source, @"\b[A-Z]\w*Tests\b");
            bool seedFree = Regex.IsMatch(cell.Source, @"//[^\n]*" + SeedFreeMarker);
            if (!cites && !seedFree)
            {
                var first = Regex.Match(cell.Source, "Claims\\.Check\\(\\$?\"([^\"]{0,60})");
                unsourced.Add($"cell {number} (\"{first.Groups[1].Value}…\")");
            }
        }
        Assert.True(unsourced.Count == 0, $"notebooks/{rel}.dib: {unsourced.Count} claim cell(s) name neither the "
            + $"spread test behind their tolerances nor, in a comment, why they need none ('{SeedFreeMarker}'):\n"
            + string.Join("\n", unsourced));
    }

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void NoLessonRepeatsTheUsingPreambleThatTheBootstrapImports(string rel)
    {
        var repeated = Dib(rel).Cells.Where(c => c.Kind == CellKind.Code)
            .SelectMany(c => c.Source.Split('\n'))
            .Where(l => WeightDecay.Interactive.Workbook.Namespaces.Any(n => l.Trim() == $"using {n};")).ToList();
        Assert.True(repeated.Count == 0, $"{rel}: Workbook.Init() already imports {string.Join(" ", repeated)}");
    }
}

/// <summary>The .ipynb beside each .dib is generated from it; what an author wrote must be the same in both.</summary>
public class NotebookSourceDriftTests
{
    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void IpynbHasTheContentOfItsDibSource(string rel)
    {
        string dib = Path.Combine(Repo.Notebooks, rel + ".dib"), ipynb = Path.Combine(Repo.Notebooks, rel + ".ipynb");
        Assert.True(File.Exists(ipynb), $"notebooks/{rel}.ipynb is missing: run '{Sync.Command}'.");
        string? difference = NotebookSource.Read(ipynb).DifferenceFrom(NotebookSource.Read(dib));
        Assert.True(difference is null,
            $"notebooks/{rel}.ipynb differs from notebooks/{rel}.dib: {difference}. After editing the .dib run " +
            $"'{Sync.Command}'; after editing the .ipynb in Jupyter or VS Code run '{Sync.Command} --from-ipynb'. Commit both.");
    }

    [Fact]
    public void SyncReportsNothingToDo()
    {
        var r = Proc.Runner("sync", "--check");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("in step", r.Stdout);
    }
}
