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

    [Fact]
    public void AnnotationsAreReadFromTheCommentInAnyOrderBesideFreeRemarks()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wd-params-{Guid.NewGuid():N}.dib");
        File.WriteAllText(path, new NotebookSource([
            new SourceCell(CellKind.Code, """
                // parameters
                var epochs = 10;            // training length; range: ≥ 1; quick: 2
                var digits = 2000;          // quick: 1000   // MNIST training digits; range: ≥ 10
                var method = "coupled";     // one of: penalty, coupled, decoupled
                var lambdas = new double[] { 0, 1e-4 };   // range: ≥ 0
                var note = "free";          // just a remark
                """),
        ]).ToDib());
        var nb = NotebookFile.Load(path);
        File.Delete(path);
        var d = Parameters.Declarations(nb).ToDictionary(x => x.Name);
        Assert.Equal("2", d["epochs"].Quick);
        Assert.Equal("≥ 1", d["epochs"].Range!.Text);
        Assert.Equal("1000", d["digits"].Quick);
        Assert.Equal("≥ 10", d["digits"].Range!.Text);
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

    [Fact]
    public void ADefaultOutsideItsRangeIsTheNotebooksErrorNamedAsSuch()
    {
        var decl = new ParameterDeclaration("epochs", "int", "0", null, ParameterRange.Parse("≥ 1"));
        var e = Assert.Throws<ArgumentException>(() => Parameters.Resolve([decl], new Dictionary<string, string>(), quick: false));
        Assert.Equal("Parameter 'epochs': its default 0 is outside its range ≥ 1.", e.Message);
    }
}
