using WeightDecay.Tests.ScalarGuard;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>Every line of the C# sources under src/ fits in 120 characters (100 preferred): the library is read
/// next to the lessons, in a browser or an editor split beside a notebook.</summary>
public class SourceLineWidthTests(ITestOutputHelper output)
{
    private const int Limit = 120;
    private const int Preferred = 100;

    [Fact]
    public void NoSourceLineIsWiderThan120Characters()
    {
        string src = Path.Combine(ProjectCompilation.RepositoryRoot, "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(src, f).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);
        var lines = files.SelectMany(f => File.ReadAllLines(f).Select((text, i) =>
            (Where: $"{Path.GetRelativePath(ProjectCompilation.RepositoryRoot, f)}:{i + 1}", Width: Width(text))))
            .ToList();
        var tooWide = lines.Where(l => l.Width > Limit).ToList();
        output.WriteLine($"{lines.Count} lines in {files.Count} files; {lines.Count(l => l.Width > Preferred)} wider " +
                         $"than {Preferred}, {tooWide.Count} wider than {Limit}.");
        Assert.True(tooWide.Count == 0, $"{tooWide.Count} line(s) wider than {Limit} characters:\n" +
            string.Join("\n", tooWide.Select(l => $"{l.Where} ({l.Width})")));
    }

    /// <summary>Characters as a reader counts them: text elements (a letter with its combining marks is one).</summary>
    private static int Width(string line) => new System.Globalization.StringInfo(line).LengthInTextElements;
}
