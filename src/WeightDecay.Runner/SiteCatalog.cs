using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeightDecay.Runner;

/// <summary>One page of the site: an executed notebook, where its page lives and how the site names it.</summary>
internal sealed class SitePage(ReportEntry entry, string label, string? summary)
{
    /// <summary>The executed notebook.</summary>
    public ReportEntry Entry { get; } = entry;

    /// <summary>The page's path relative to the reports folder, e.g.
    /// <c>solutions/01-what-weight-decay-is.html</c>.</summary>
    public string Href => Entry.RelativeName + ".html";

    /// <summary>Whether the notebook is a worked solution (notebooks/solutions/).</summary>
    public bool IsSolution => Entry.RelativeName.StartsWith("solutions/", StringComparison.Ordinal);

    /// <summary>The path from this page to the reports folder: "" or "../".</summary>
    public string Up => string.Concat(Enumerable.Repeat("../", Entry.RelativeName.Count(c => c == '/')));

    /// <summary>The name in navigation, e.g. "03 · High-dimensional linear regression" (solutions: the lesson's
    /// name).</summary>
    public string Label { get; } = label;

    /// <summary>What the notebook teaches in one line (Markdown), from the notebook itself (<see
    /// cref="SiteCatalog.Summary"/>).</summary>
    public string? Summary { get; } = summary;

    /// <summary>The lesson of a solution, or the solutions of a lesson, when both ran.</summary>
    public SitePage? Counterpart { get; set; }

    /// <summary>The page before and after this one (lessons in order, then solutions).</summary>
    public SitePage? Previous { get; set; }

    /// <inheritdoc cref="Previous"/>
    public SitePage? Next { get; set; }
}

/// <summary>
/// The site's table of contents: every page in run order (lessons, then solutions), each lesson paired with its
/// solutions notebook (same file name under solutions/), names and one-line summaries taken from the notebooks.
/// </summary>
internal sealed partial class SiteCatalog
{
    /// <summary>All pages in run order.</summary>
    public IReadOnlyList<SitePage> Pages { get; }

    /// <summary>The lessons (not solutions), in order.</summary>
    public IEnumerable<SitePage> Lessons => Pages.Where(p => !p.IsSolution);

    /// <summary>The solutions, in order.</summary>
    public IEnumerable<SitePage> Solutions => Pages.Where(p => p.IsSolution);

    private SiteCatalog(IReadOnlyList<SitePage> pages) => Pages = pages;

    /// <summary>Builds the catalog of the run's entries.</summary>
    public static SiteCatalog Build(IReadOnlyList<ReportEntry> entries)
    {
        var pages = entries.Select(e => new SitePage(e, Label(e.Title), Summary(e.Run.Executed))).ToList();
        var byName = pages.ToDictionary(p => p.Entry.RelativeName, StringComparer.Ordinal);
        for (int i = 0; i < pages.Count; i++)
        {
            var p = pages[i];
            p.Previous = i > 0 ? pages[i - 1] : null;
            p.Next = i + 1 < pages.Count ? pages[i + 1] : null;
            string name = p.Entry.RelativeName;
            string other = p.IsSolution ? name["solutions/".Length..] : "solutions/" + name;
            p.Counterpart = byName.GetValueOrDefault(other);
        }
        return new SiteCatalog(pages);
    }

    /// <summary>
    /// A notebook title as a navigation label: "Solutions · 03 High-dimensional …" → "03 · High-dimensional …" (the
    /// "Solutions" prefix goes, the number is followed by " · ").
    /// </summary>
    public static string Label(string title)
    {
        string t = SolutionsPrefix().Replace(title.Trim(), "");
        return NumberPrefix().Replace(t, "$1 · ");
    }

    /// <summary>
    /// What a notebook teaches, in one line, from the notebook: the paragraph right under its <c># </c> title when that
    /// paragraph is a block quote (<c>&gt; …</c>, the documented convention for a lesson's summary), else the first
    /// sentence of that paragraph. Null when the title has no paragraph under it.
    /// </summary>
    public static string? Summary(NotebookFile nb)
    {
        foreach (var cell in nb.Cells.OfType<JsonObject>().Where(c => NotebookFile.CellType(c) == "markdown"))
        {
            var lines = NotebookFile.Source(cell).Replace("\r", "", StringComparison.Ordinal).Split('\n');
            int title = Array.FindIndex(lines, l => l.StartsWith("# ", StringComparison.Ordinal));
            if (title < 0) continue;
            var paragraph = lines.Skip(title + 1).SkipWhile(string.IsNullOrWhiteSpace)
                .TakeWhile(l => !string.IsNullOrWhiteSpace(l)).ToList();
            if (paragraph.Count == 0) return null;
            if (paragraph.All(l => l.TrimStart().StartsWith('>')))
                return string.Join(' ', paragraph.Select(l => l.TrimStart()[1..].Trim())).Trim();
            if (paragraph[0].StartsWith('#') || paragraph[0].StartsWith("```", StringComparison.Ordinal)) return null;
            return FirstSentence(string.Join(' ', paragraph.Select(l => l.Trim())));
        }
        return null;
    }

    /// <summary>The text up to the first full stop (., ! or ?) followed by a space or the end, outside math and
    /// code.</summary>
    internal static string FirstSentence(string text)
    {
        bool math = false, code = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '`') code = !code;
            else if (c == '$' && !code) math = !math;
            else if (!math && !code && c is '.' or '!' or '?' && (i + 1 == text.Length || text[i + 1] == ' ')
                     && !Abbreviation(text, i))
                return text[..(i + 1)];
        }
        // no full stop: the paragraph continues into a formula or list; say so
        return text.TrimEnd(':', ',', ' ') + " …";
    }

    private static bool Abbreviation(string text, int dot)
    {
        int start = dot;
        while (start > 0 && char.IsLetter(text[start - 1])) start--;
        string word = text[start..dot];
        return word is "cf" or "al" or "Prop" or "Eq" or "Fig" or "vs" or "Sec" or "Ch"
               || (start > 0 && text[start - 1] == '.'); // the end of "e.g." or "i.e."
    }

    /// <summary>Markdown of one line as inline HTML (no paragraph element).</summary>
    public static string InlineHtml(string markdown, Markdig.MarkdownPipeline pipeline)
    {
        string html = Markdig.Markdown.ToHtml(markdown, pipeline).Trim();
        if (html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal))
            html = html[3..^4];
        return html;
    }

    [GeneratedRegex(@"^Solutions?\s*(?:[·:|—–-]\s*)?", RegexOptions.IgnoreCase)]
    private static partial Regex SolutionsPrefix();

    [GeneratedRegex(@"^(\d+)\s*(?:[·:.|—–-]\s*)?(?=\S)")]
    private static partial Regex NumberPrefix();
}
