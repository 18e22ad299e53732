using System.Text.RegularExpressions;
using WeightDecay.Runner;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>The parameters cell's annotations: ranges, choices and quick values, and how values are checked.</summary>
public class ParameterTests
{
    [Theory]
    [InlineData("> 0", 0.0, false)]
    [InlineData("> 0", 1e-300, true)]
    [InlineData("≥ 1", 1.0, true)]
    [InlineData(">= 1", 0.5, false)]
    [InlineData("< 2", 2.0, false)]
    [InlineData("≤ 2", 2.0, true)]
    [InlineData("[0, 1)", 0.0, true)]
    [InlineData("[0, 1)", 1.0, false)]
    [InlineData("(0, 1]", 0.0, false)]
    [InlineData("(0, 1]", 1.0, true)]
    [InlineData("[-1e-3, 2.5e2]", 250.0, true)]
    [InlineData("≥ 0", double.NaN, false)]
    [InlineData("≥ 3, odd", 25.0, true)]
    [InlineData("≥ 3, odd", 24.0, false)]   // a grid of 24 points from −1 to 1 has no point at 0
    [InlineData("≥ 3, odd", 1.0, false)]
    [InlineData("≥ 3, odd", 3.5, false)]
    [InlineData("[-5, 5], odd", -3.0, true)]
    public void RangesAcceptExactlyTheirValues(string range, double value, bool inside) =>
        Assert.Equal(inside, ParameterRange.Parse(range).Contains(value));

    [Theory]
    [InlineData("positive")]
    [InlineData("[1, 0]")]
    [InlineData("≥")]
    public void ABadRangeIsRejectedWithTheFormsThatWork(string range)
    {
        var e = Assert.Throws<ArgumentException>(() => ParameterRange.Parse(range));
        Assert.Contains("range: ≥ 1", e.Message);
    }

    /// <summary>A notebook of one code cell, written to a temporary .dib and read back as the runner reads it.</summary>
    private static NotebookFile ParametersCell(string code)
    {
        string path = Path.Combine(Path.GetTempPath(), $"wd-params-{Guid.NewGuid():N}.dib");
        File.WriteAllText(path, new NotebookSource([new SourceCell(CellKind.Code, code)]).ToDib());
        try { return NotebookFile.Load(path); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AnnotationsAreReadFromTheCommentInAnyOrderBesideFreeRemarks()
    {
        var nb = ParametersCell("""
                // parameters
                var epochs = 10;            // training length; range: ≥ 1; quick: 2
                var digits = 2000;          // quick: 1000   // MNIST training digits; range: ≥ 10; quick range: ≥ 5
                var method = "coupled";     // one of: penalty, coupled, decoupled
                var lambdas = new double[] { 0, 1e-4 };   // range: ≥ 0
                var note = "free";          // just a remark
                """);
        var d = Parameters.Declarations(nb).ToDictionary(x => x.Name);
        Assert.Equal("2", d["epochs"].Quick);
        Assert.Equal("≥ 1", d["epochs"].Range!.Text);
        Assert.Equal("1000", d["digits"].Quick);
        Assert.Equal("≥ 10", d["digits"].Range!.Text);
        Assert.Equal("≥ 5", d["digits"].QuickRange!.Text);
        Assert.Null(d["epochs"].QuickRange);
        Assert.True(d["method"].Range!.Contains("coupled"));
        Assert.False(d["method"].Range!.Contains("Coupled"));
        Assert.Equal("double[]", d["lambdas"].Type);
        Assert.Null(d["note"].Range);

        var none = new Dictionary<string, string>();
        Assert.Empty(Parameters.Resolve(d.Values.ToList(), none, quick: false));
        var quick = Parameters.Resolve(d.Values.ToList(), none, quick: true);
        Assert.Equal([("epochs", "2"), ("digits", "1000")], quick);
        var e = Assert.Throws<ArgumentException>(() =>
            Parameters.Resolve(d.Values.ToList(), new Dictionary<string, string> { ["lambdas"] = "0,-1e-3" }, quick: false));
        Assert.Contains("has the entry -0.001", e.Message);
    }

    private static readonly ParameterDeclaration Subsequence = new("lambdas", "double[]",
        "new double[] { 0, 1e-4, 1e-3, 1e-2, 0.1 }", "new[] { 0, 1e-2, 0.1 }", Grid: GridRule.Subsequence);

    [Theory]
    [InlineData("0,1e-4,1e-3,1e-2,0.1", false, true)]   // the grid itself
    [InlineData("0,0.001,0.1", false, true)]            // entries in order, first and last kept ("0.001" = 1e-3)
    [InlineData("0,0.1", false, true)]
    [InlineData("0,1e-2,0.1", true, true)]              // quick mode: the quick grid
    [InlineData("0,0.1", true, true)]
    [InlineData("0,1e-3,0.1", true, false)]             // 1e-3 is not on the quick grid: never measured there
    [InlineData("0,1e-4,1e-3,1e-2,0.1", true, false)]   // nor is the default grid
    [InlineData("0,1e-2", false, false)]                // drops the largest λ
    [InlineData("1e-4,0.1", false, false)]              // drops λ = 0
    [InlineData("0,1e-2,1e-3,0.1", false, false)]       // out of order: a trend along the grid changes meaning
    [InlineData("0,1e-2,1e-2,0.1", false, false)]       // a repeat
    [InlineData("0,2e-3,0.1", false, false)]            // a λ never measured
    public void ASubsequenceGridAcceptsEntriesOfTheMeasuredGridInOrderKeepingItsEnds(string value, bool quick,
        bool accepted)
    {
        var overrides = new Dictionary<string, string> { ["lambdas"] = value };
        if (accepted)
        {
            Assert.Single(Parameters.Resolve([Subsequence], overrides, quick));
            return;
        }
        var e = Assert.Throws<ArgumentException>(() => Parameters.Resolve([Subsequence], overrides, quick));
        Assert.Contains($"--param lambdas={value}", e.Message);
        Assert.Contains(quick ? "quick grid { 0, 0.01, 0.1 }" : "grid { 0, 0.0001, 0.001, 0.01, 0.1 }", e.Message);
        Assert.Contains("keeping its first and last", e.Message);
    }

    [Theory]
    [InlineData("500,1000,2000", false, true)]
    [InlineData("500,2000", true, true)]
    [InlineData("500,2000", false, false)]   // the quick grid in default mode: a mixture never measured
    [InlineData("500,1000", false, false)]
    [InlineData("500,1000,2000", true, false)]
    public void AMeasuredGridAcceptsOnlyTheGridOfItsMode(string value, bool quick, bool accepted)
    {
        var sizes = new ParameterDeclaration("sizes", "int[]", "new[] { 500, 1000, 2000 }", "new[] { 500, 2000 }",
            Grid: GridRule.Measured);
        var overrides = new Dictionary<string, string> { ["sizes"] = value };
        if (accepted)
        {
            Assert.Single(Parameters.Resolve([sizes], overrides, quick));
            return;
        }
        var e = Assert.Throws<ArgumentException>(() => Parameters.Resolve([sizes], overrides, quick));
        Assert.Contains("measured only on its", e.Message);
        Assert.Contains(quick ? "quick grid { 500, 2000 }" : "grid { 500, 1000, 2000 }", e.Message);
    }

    [Fact]
    public void AnyGridAcceptsEveryArrayInRangeAndAGridRuleNeedsAnArrayAndAKnownWord()
    {
        var free = new ParameterDeclaration("lambdas", "double[]", "new double[] { 0, 1 }", null,
            ParameterRange.Parse("≥ 0"), GridRule.Any);
        Assert.Single(Parameters.Resolve([free], new Dictionary<string, string> { ["lambdas"] = "3,0.5,3" }, false));
        var e = Assert.Throws<ArgumentException>(() => GridRules.Parse("sorted"));
        Assert.Contains("'grid: subsequence'", e.Message);
        var nb = ParametersCell("// parameters\nvar epochs = 10; // range: ≥ 1; grid: measured");
        e = Assert.Throws<ArgumentException>(() => Parameters.Declarations(nb));
        Assert.Contains("'epochs' (int) with a 'grid:' annotation; only arrays take one", e.Message);
        nb = ParametersCell("// parameters\nvar sizes = new[] { 1, n }; // grid: measured");
        e = Assert.Throws<ArgumentException>(() => Parameters.Declarations(nb));
        Assert.Contains("has the entry 'n', which is not a number", e.Message);
    }

    /// <summary>Overrides a notebook's text shows on purpose to be refused (the text says so next to them).</summary>
    private static readonly HashSet<(string Notebook, string Name, string Value)> RefusedOnPurpose =
        [("09-your-experiment", "lambdas", "0,-1")];

    /// <summary>
    /// Every <c>--param name=value</c> a notebook's text suggests (its Parameters section, exercises, example
    /// commands) names a declared parameter and is accepted by the runner: an example that the runner refuses
    /// (lessons 00 and 02 showed <c>epochs=20</c> and <c>lambda=0.3</c> after their ranges were narrowed) sends a
    /// student into an error on the first try. A command that names another notebook (<c>run.sh 09-your-experiment
    /// --param …</c>) is checked against that notebook's parameters.
    /// </summary>
    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void EveryOverrideTheTextSuggestsIsAccepted(string rel)
    {
        var refused = RefusedOverrides(Path.Combine(Repo.Notebooks, rel + ".dib"), rel);
        Assert.True(refused.Count == 0, $"{rel} suggests overrides the runner refuses:\n{string.Join("\n", refused)}");
    }

    /// <summary>An exemption above stays honest: the runner does refuse it.</summary>
    [Fact]
    public void TheOverridesShownAsRefusedAreRefused()
    {
        foreach (var (notebook, name, value) in RefusedOnPurpose)
        {
            var decls = Parameters.Declarations(NotebookFile.Load(Path.Combine(Repo.Notebooks, notebook + ".dib")));
            Assert.Throws<ArgumentException>(() =>
                Parameters.Resolve(decls, new Dictionary<string, string> { [name] = value }, quick: false));
        }
    }

    /// <summary>The README's example commands, each checked against the notebook it names.</summary>
    [Fact]
    public void EveryOverrideTheReadmeSuggestsIsAccepted()
    {
        var refused = RefusedOverrides(Path.Combine(Repo.Root, "README.md"), defaultTarget: null);
        Assert.True(refused.Count == 0,
            $"README.md suggests overrides the runner refuses:\n{string.Join("\n", refused)}");
    }

    /// <summary>The <c>--param</c> overrides in a text file the runner would refuse, with its message. A line (a shell
    /// command continued with a trailing backslash counts as one) that names a notebook after <c>run.sh</c> is
    /// checked against that notebook; any other line against <paramref name="defaultTarget"/>, or not at all.</summary>
    private static List<string> RefusedOverrides(string file, string? defaultTarget)
    {
        var refused = new List<string>();
        string text = File.ReadAllText(file).Replace("\\\n", " ");
        foreach (string line in text.Split('\n').Where(l => l.Contains("--param ")))
        {
            var named = Regex.Match(line, @"\brun\.sh (?:--\S+ )*((?:solutions/)?\d\d-[a-z0-9-]+)");
            string? target = named.Success ? named.Groups[1].Value : defaultTarget;
            if (target is null) continue;
            string path = Path.Combine(Repo.Notebooks, target + ".dib");
            if (!File.Exists(path)) { refused.Add($"{line.Trim()}: no notebook {target}"); continue; }
            var decls = Parameters.Declarations(NotebookFile.Load(path));
            var names = decls.Select(d => d.Name).ToHashSet();
            foreach (Match m in Regex.Matches(line, @"--param (\w+)=([^\s`)]+)"))
            {
                string name = m.Groups[1].Value, value = m.Groups[2].Value.TrimEnd('.', ',', ';');
                if (name == "name" || RefusedOnPurpose.Contains((target, name, value))) continue;
                if (!names.Contains(name))
                {
                    refused.Add($"{m.Value} ({target}): no such parameter (declared: {string.Join(", ", names)})");
                    continue;
                }
                // a line that runs quick mode is checked in quick mode (a quick range may differ), any other in default
                bool quick = line.Contains("--quick", StringComparison.Ordinal);
                try { Parameters.Resolve(decls, new Dictionary<string, string> { [name] = value }, quick); }
                catch (ArgumentException e) { refused.Add($"{m.Value} ({target}): {e.Message}"); }
            }
        }
        return refused;
    }

    [Theory]
    [InlineData("3", true, null)]
    [InlineData("5", true, null)]
    [InlineData("10", false, null)]
    [InlineData("20", false, null)]
    [InlineData("2", true, "--param epochs=2 is outside its quick-mode range ≥ 3.")]
    [InlineData("3", false, "--param epochs=3 is outside its range ≥ 10 (quick mode, --quick: ≥ 3).")]
    public void AQuickRangeHoldsInQuickModeAndTheRangeInDefaultMode(string value, bool quick, string? error)
    {
        // a length measured only together with the mode's other sizes: 3 epochs with the default grid is a mixture
        var decl = new ParameterDeclaration("epochs", "int", "10", "3", ParameterRange.Parse("≥ 10"),
            QuickRange: ParameterRange.Parse("≥ 3"));
        var overrides = new Dictionary<string, string> { ["epochs"] = value };
        if (error is null)
        {
            Assert.Equal([("epochs", value)], Parameters.Resolve([decl], overrides, quick));
            return;
        }
        var e = Assert.Throws<ArgumentException>(() => Parameters.Resolve([decl], overrides, quick));
        Assert.Equal($"Parameter 'epochs': {error}", e.Message);
    }

    [Fact]
    public void ADefaultOutsideItsRangeIsTheNotebooksErrorNamedAsSuch()
    {
        var decl = new ParameterDeclaration("epochs", "int", "0", null, ParameterRange.Parse("≥ 1"));
        var e = Assert.Throws<ArgumentException>(() => Parameters.Resolve([decl], new Dictionary<string, string>(), quick: false));
        Assert.Equal("Parameter 'epochs': its default 0 is outside its range ≥ 1.", e.Message);
    }
}
