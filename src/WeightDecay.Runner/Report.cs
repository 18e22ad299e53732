using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;

namespace WeightDecay.Runner;

/// <summary>Run-wide facts shown on the index page and stored in <c>run.json</c>.</summary>
/// <param name="NativeFix">The line the TorchSharp native-loader fix logged before the notebooks ran, or null.</param>
public sealed record RunInfo(DateTimeOffset Started, TimeSpan Duration, string Commit, bool Quick,
    IReadOnlyDictionary<string, string> Overrides, IReadOnlyDictionary<string, string> Versions,
    IReadOnlyDictionary<string, string> Machine, string? NativeFix = null);

/// <summary>One notebook's entry in the index.</summary>
public sealed record ReportEntry(string RelativeName, string Title, NotebookRun Run);

/// <summary>
/// The HTML of the report pages: one page per executed notebook and the index. Markdown by Markdig, math by
/// the vendored KaTeX (rendered in the page), outputs as the kernel produced them (<see cref="OutputHtml"/>).
/// Every page has the navigation of a course site (the lessons in a sidebar with the current one marked,
/// previous/next, the index, lesson ↔ solutions) and foldable code: each code cell is a &lt;details&gt; element,
/// set-up cells start folded, and a button shows or hides all code. A small self-check script records on the root
/// element what rendered (charts, math), what the page requested from the network, its width and script errors (read
/// by the browser tests).
/// </summary>
internal static partial class Report
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The site's name, in every page's header.</summary>
    public const string SiteName = "Weight decay — a C# workbook";

    /// <summary>The body of one notebook's page and the plotly.js found in (and removed from) its outputs.</summary>
    public static (string Html, PlotlyBundle? Plotly) NotebookPage(SitePage page, SiteCatalog catalog, RunInfo info,
        PathDisplay paths)
    {
        var entry = page.Entry;
        var nb = entry.Run.Executed;
        var outputs = new OutputHtml(Markdown, paths);
        var body = new StringBuilder();
        var toc = new List<(int Level, string Id, string Text)>();
        int failed = entry.Run.FailedCell;
        for (int i = 0; i < nb.Cells.Count; i++)
        {
            if (nb.Cells[i] is not JsonObject cell) continue;
            string type = NotebookFile.CellType(cell);
            string src = NotebookFile.Source(cell);
            if (type == "markdown")
            {
                string html = RewriteNotebookLinks(Markdig.Markdown.ToHtml(src, Markdown));
                foreach (Match m in Heading().Matches(html))
                    toc.Add((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value,
                        StripTags(m.Groups[3].Value)));
                body.Append("<section class=\"wd-md\">").Append(html).Append("</section>\n");
                continue;
            }
            if (type != "code") continue;
            bool notRun = failed >= 0 && i > failed;
            body.Append("<section class=\"wd-cell").Append(notRun ? " wd-not-run" : "")
                .Append(i == failed ? " wd-failed" : "").Append("\">");
            double? seconds = entry.Run.CellTimes.TryGetValue(i, out var secs) ? secs : null;
            body.Append(CodeCell(cell, src, seconds, i == failed));
            if (notRun) body.Append("<p class=\"wd-note\">Not run: an earlier cell failed.</p>");
            foreach (var o in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>()) body.Append(outputs.Render(o));
            body.Append("</section>\n");
        }

        string up = page.Up;
        string counterpart = Counterpart(page, up);
        // The sidebar follows the content in the document (on a narrow screen it comes after the lesson); CSS puts it
        // on the left on wide screens.
        string pageHtml = Header(page, up) + "<div class=\"wd-layout\"><main>" + MetaLine(entry, info) + counterpart +
                          body + counterpart + Pager(page, up) + "</main>" + Sidebar(catalog, page, toc) + "</div>";
        return (pageHtml, outputs.Plotly);
    }

    private static string MetaLine(ReportEntry entry, RunInfo info)
    {
        string status = entry.Run.Succeeded
            ? "<span class=\"wd-ok\">passed</span>"
            : $"<span class=\"wd-bad\">failed</span> — {E(entry.Run.Error)}";
        string parameters = entry.Run.Parameters.Count == 0 ? "" : " · parameters: " + Code(entry.Run.Parameters);
        return string.Create(CultureInfo.InvariantCulture,
            $"<p class=\"wd-meta\">{status} · {entry.Run.Duration.TotalSeconds:F1} s · " +
            $"{info.Started:yyyy-MM-dd HH:mm} UTC" +
            $" · commit {E(Short(info.Commit))}{(info.Quick ? " · quick mode" : "")}{parameters}</p>");
    }

    private static string Counterpart(SitePage page, string up) => page.Counterpart is not { } other ? ""
        : page.IsSolution
            ? $"<p class=\"wd-counterpart\"><a href=\"{up}{other.Href}\" rel=\"up\">← Lesson {E(other.Label)}</a></p>"
            : $"<p class=\"wd-counterpart\"><a href=\"{up}{other.Href}\">" +
              "Worked solutions of this lesson's exercises →</a></p>";

    /// <summary>
    /// A code cell as a foldable block: the summary line shows the prompt, a tag (setup, parameters), the first line
    /// and the time; set-up cells (<see cref="SetupLabel"/>) start folded.
    /// </summary>
    private static string CodeCell(JsonObject cell, string src, double? seconds, bool failed)
    {
        string? setup = SetupLabel(cell, src);
        var count = cell["execution_count"];
        int lines = src.TrimEnd('\n').Split('\n').Length;
        string first = src.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        if (first.Length > 90) first = first[..89] + "…";
        var sb = new StringBuilder();
        sb.Append("<details class=\"wd-code-cell").Append(setup is null ? "" : " wd-setup").Append('"')
          .Append(setup is null || failed ? " open" : "").Append('>');
        sb.Append("<summary><span class=\"wd-prompt\">").Append(count is null ? "[ ]" : $"[{count}]").Append("</span>");
        if (setup is not null) sb.Append("<span class=\"wd-tag\">").Append(setup).Append("</span>");
        sb.Append("<code class=\"wd-peek\">").Append(E(first)).Append("</code>");
        sb.Append(CultureInfo.InvariantCulture, $"<span class=\"wd-lines\">{lines} ")
          .Append(lines == 1 ? "line" : "lines").Append("</span>");
        if (seconds is { } s) sb.Append(CultureInfo.InvariantCulture, $"<span class=\"wd-time\">{s:F1} s</span>");
        sb.Append("</summary><pre class=\"wd-code\"><code>").Append(E(src)).Append("</code></pre></details>");
        return sb.ToString();
    }

    /// <summary>
    /// Why a code cell is set-up (folded by default), or null: the bootstrap (<c>#r …WeightDecay.Interactive.dll</c>,
    /// <c>Workbook.Init()</c>), the parameters cell, the runner's injected parameters, or a cell whose first line is
    /// the comment <c>// setup</c> (the authors' marker).
    /// </summary>
    public static string? SetupLabel(JsonObject cell, string src)
    {
        var tags = NotebookFile.Tags(cell);
        if (tags.Contains("injected-parameters")) return "injected parameters";
        if (tags.Contains("parameters")) return "parameters";
        string first = src.TrimStart().Split('\n')[0].Trim();
        if (SetupMarker().IsMatch(first)) return "setup";
        bool bootstrap = src.Contains("Workbook.Init(", StringComparison.Ordinal) ||
                         first.StartsWith("#r ", StringComparison.Ordinal) &&
                         first.Contains("WeightDecay.Interactive.dll", StringComparison.Ordinal);
        return bootstrap ? "setup" : null;
    }

    private static string Header(SitePage? page, string up)
    {
        var sb = new StringBuilder("<header class=\"wd-top\">");
        sb.Append($"<a class=\"wd-home\" href=\"{up}index.html\">{E(SiteName)}</a>");
        if (page is not null)
        {
            sb.Append("<nav class=\"wd-pager wd-pager-top\" aria-label=\"Previous and next\">");
            if (page.Previous is { } p)
                sb.Append($"<a href=\"{up}{p.Href}\" rel=\"prev\" title=\"{E(Title(p))}\">← previous</a>");
            sb.Append($"<a href=\"{up}index.html\">contents</a>");
            if (page.Next is { } n)
                sb.Append($"<a href=\"{up}{n.Href}\" rel=\"next\" title=\"{E(Title(n))}\">next →</a>");
            sb.Append("</nav><button type=\"button\" class=\"wd-code-toggle\" hidden>Hide all code</button>");
        }
        return sb.Append("</header>").ToString();
    }

    private static string Pager(SitePage page, string up)
    {
        var sb = new StringBuilder("<nav class=\"wd-pager wd-pager-bottom\" aria-label=\"Previous and next\">");
        sb.Append(page.Previous is { } p ? $"<a href=\"{up}{p.Href}\" rel=\"prev\">← {E(Title(p))}</a>"
            : "<span></span>");
        sb.Append(page.Next is { } n ? $"<a href=\"{up}{n.Href}\" rel=\"next\">{E(Title(n))} →</a>" : "<span></span>");
        return sb.Append("</nav>").ToString();
    }

    private static string Title(SitePage p) => p.IsSolution ? $"Solutions · {p.Label}" : p.Label;

    /// <summary>The sidebar: every lesson and solution, the current page marked; this page's headings.</summary>
    private static string Sidebar(SiteCatalog catalog, SitePage current, List<(int Level, string Id, string Text)> toc)
    {
        string up = current.Up;
        var sb = new StringBuilder("<nav class=\"wd-sidebar\" aria-label=\"Lessons\">");
        void List(string title, IEnumerable<SitePage> pages)
        {
            var list = pages.ToList();
            if (list.Count == 0) return;
            sb.Append("<p class=\"wd-side-title\">").Append(title).Append("</p><ol class=\"wd-side-list\">");
            foreach (var p in list)
            {
                bool here = ReferenceEquals(p, current);
                sb.Append(here ? "<li class=\"wd-current\">" : "<li>");
                sb.Append($"<a href=\"{up}{p.Href}\"{(here ? " aria-current=\"page\"" : "")}>{E(p.Label)}</a>");
                if (!p.IsSolution && p.Counterpart is { } s)
                    sb.Append($" <a class=\"wd-side-sol{(ReferenceEquals(s, current) ? " wd-current" : "")}\" ")
                      .Append($"href=\"{up}{s.Href}\" title=\"Solutions · {E(p.Label)}\">solutions</a>");
                sb.Append("</li>");
            }
            sb.Append("</ol>");
        }
        List("Lessons", catalog.Lessons);
        List("Solutions", catalog.Solutions);
        var headings = toc.Where(t => t.Level is 2 or 3).ToList();
        if (headings.Count > 0)
        {
            sb.Append("<p class=\"wd-side-title\">On this page</p><ul class=\"wd-toc\">");
            // a heading with math keeps its \( … \) delimiters in the text; class "math" has KaTeX render it here too
            foreach (var (level, id, text) in headings)
                sb.Append(CultureInfo.InvariantCulture, $"<li class=\"l{level}\"><a href=\"#{E(id)}\"")
                  .Append(text.Contains("\\(", StringComparison.Ordinal) ? " class=\"math\">" : ">")
                  .Append(E(text)).Append("</a></li>");
            sb.Append("</ul>");
        }
        return sb.Append("</nav>").ToString();
    }

    /// <summary>The index: lessons with what each teaches, the solutions, and the run (commit, versions…).</summary>
    public static string IndexPage(SiteCatalog catalog, RunInfo info)
    {
        var sb = new StringBuilder(Header(null, ""));
        sb.Append("<main class=\"wd-index\"><h1>").Append(E(SiteName)).Append("</h1>");
        var pages = catalog.Pages;
        int passed = pages.Count(p => p.Entry.Run.Succeeded);
        sb.Append(CultureInfo.InvariantCulture,
            $"<p class=\"wd-meta\">{passed} of {pages.Count} notebooks passed · " +
            $"{info.Duration.TotalSeconds:F1} s in all · {info.Started:yyyy-MM-dd HH:mm} UTC · " +
            $"commit {E(Short(info.Commit))}{(info.Quick ? " · quick mode" : "")}</p>");
        Group(sb, "Lessons", catalog.Lessons);
        Group(sb, "Solutions", catalog.Solutions);

        sb.Append("<h2>This run</h2><table class=\"wd-kv\"><tbody>");
        void Row(string k, string v) =>
            sb.Append("<tr><th>").Append(E(k)).Append("</th><td>").Append(v).Append("</td></tr>");
        Row("date (UTC)", E(info.Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)));
        Row("git commit", E(info.Commit));
        Row("mode", info.Quick ? "quick (each parameters cell's <code>// quick:</code> values)" : "default");
        if (info.Overrides.Count > 0) Row("parameters set", Code(info.Overrides.Select(kv => (kv.Key, kv.Value))));
        if (info.NativeFix is not null) Row("native fix", E(info.NativeFix));
        foreach (var (k, v) in info.Versions) Row(k, E(v));
        foreach (var (k, v) in info.Machine) Row(k, E(v));
        Row("all details", "<a href=\"run.json\">run.json</a>");
        sb.Append("</tbody></table></main>");
        return sb.ToString();
    }

    /// <summary>One group of the index: per page its name, counterpart, status, summary, changed parameters.</summary>
    private static void Group(StringBuilder sb, string title, IEnumerable<SitePage> group)
    {
        var list = group.ToList();
        if (list.Count == 0) return;
        sb.Append("<h2>").Append(title).Append("</h2><ol class=\"wd-contents\">");
        foreach (var p in list)
        {
            var run = p.Entry.Run;
            sb.Append($"<li><p class=\"wd-entry\"><a class=\"wd-entry-title\" href=\"{p.Href}\">{E(p.Label)}</a>");
            if (p.Counterpart is { } other)
                sb.Append($" · <a href=\"{other.Href}\">{(p.IsSolution ? "lesson" : "solutions")}</a>");
            string status = run.Succeeded ? "<span class=\"wd-ok\">✔ passed</span>"
                : "<span class=\"wd-bad\">✗ failed</span>";
            sb.Append(CultureInfo.InvariantCulture,
                $" <span class=\"wd-entry-run\">{status} · {run.Duration.TotalSeconds:F1} s</span></p>");
            if (!p.IsSolution && p.Summary is { } summary)
                sb.Append("<p class=\"wd-summary\">").Append(SiteCatalog.InlineHtml(summary, Markdown)).Append("</p>");
            if (!run.Succeeded) sb.Append("<p class=\"wd-summary wd-bad\">").Append(E(run.Error)).Append("</p>");
            var changed = ChangedParameters(run);
            if (changed.Count > 0)
                sb.Append("<p class=\"wd-summary wd-params\">ran with ").Append(Code(changed)).Append("</p>");
            sb.Append("</li>");
        }
        sb.Append("</ol>");
    }

    /// <summary>The injected parameters whose value differs from the notebook's parameters cell.</summary>
    private static List<(string Name, string Literal)> ChangedParameters(NotebookRun run)
    {
        var defaults = Parameters.Declarations(run.Executed)
            .ToDictionary(d => d.Name, d => d.Default, StringComparer.Ordinal);
        return run.Parameters.Where(p => !defaults.TryGetValue(p.Name, out var d) || d != p.Literal).ToList();
    }

    /// <summary>A whole page: head (title, metadata, assets), body, the scripts at the end.</summary>
    public static string Page(string title, string body, string up, bool selfContained, bool math, PlotlyBundle? plotly,
        string meta = "")
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<meta name=\"generator\" content=\"WeightDecay.Runner\">").Append(meta);
        sb.Append("<title>").Append(E(title)).Append("</title>");
        sb.Append(SiteAssets.Head(up, selfContained, math));
        sb.Append("</head><body>").Append(body);
        sb.Append(SiteAssets.Tail(up, selfContained, math, plotly));
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>
    /// The machine-readable metadata of a notebook's page: the injected parameters and every declared parameter with
    /// the value it ran with, as in run.json (the header shows the injected ones to people).
    /// </summary>
    public static string Meta(ReportEntry entry, RunInfo info) =>
        $"<meta name=\"wd-parameters\" content=\"{E(Parameters.ToJson(entry.Run.Parameters).ToJsonString())}\">" +
        "<meta name=\"wd-effective-parameters\" " +
        $"content=\"{E(Parameters.ToJson(entry.Run.Effective).ToJsonString())}\">" +
        (info.Quick ? "<meta name=\"wd-quick\" content=\"true\">" : "");

    /// <summary>The page's &lt;title&gt;.</summary>
    public static string DocumentTitle(SitePage page) => $"{Title(page)} — {SiteName}";

    private static string Code(IEnumerable<(string Name, string Literal)> parameters) =>
        string.Join(", ", parameters.Select(p => $"<code>{E(p.Name)} = {E(p.Literal)}</code>"));

    private static string RewriteNotebookLinks(string html) =>
        NotebookLink().Replace(html, m => $"href=\"{m.Groups[1].Value}.html{m.Groups[2].Value}\"");

    private static string StripTags(string html) => WebUtility.HtmlDecode(Tags().Replace(html, ""));

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;

    [GeneratedRegex("<h([1-6]) id=\"([^\"]+)\">(.*?)</h\\1>", RegexOptions.Singleline)]
    private static partial Regex Heading();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("href=\"(?!https?:)([^\"#]+)\\.(?:ipynb|dib)(#[^\"]*)?\"")]
    private static partial Regex NotebookLink();

    [GeneratedRegex(@"^//\s*setup\b", RegexOptions.IgnoreCase)]
    private static partial Regex SetupMarker();
}
