using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;

namespace WeightDecay.Runner;

/// <summary>Run-wide facts shown on the index page and stored in <c>run.json</c>.</summary>
public sealed record RunInfo(DateTimeOffset Started, TimeSpan Duration, string Commit, bool Quick, IReadOnlyDictionary<string, string> Overrides,
    IReadOnlyDictionary<string, string> Versions, IReadOnlyDictionary<string, string> Machine);

/// <summary>One notebook's entry in the index.</summary>
public sealed record ReportEntry(string RelativeName, string Title, NotebookRun Run);

/// <summary>
/// Self-contained HTML reports: Markdown by Markdig, math by the vendored KaTeX (rendered in the page, fonts inlined), outputs as
/// the kernel produced them (HTML, PNG, SVG, text, errors), plotly.js embedded once per page by the workbook's chart formatter.
/// Every page opens correctly from <c>file://</c> without a network. A small self-check script records, on the root element,
/// how many charts were expected and rendered, how much math was rendered, and any script errors.
/// </summary>
public static partial class Report
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The KaTeX version vendored in Assets/katex.</summary>
    public static string KatexVersion => Asset("katex/VERSION").Trim();

    /// <summary>The HTML page of one executed notebook.</summary>
    public static string NotebookPage(ReportEntry entry, string? previous, string? next, RunInfo info)
    {
        var nb = entry.Run.Executed;
        int depth = entry.RelativeName.Count(c => c == '/');
        string up = string.Concat(Enumerable.Repeat("../", depth));
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
                    toc.Add((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value, StripTags(m.Groups[3].Value)));
                body.Append("<section class=\"wd-md\">").Append(html).Append("</section>\n");
                continue;
            }
            if (type != "code") continue;
            var tags = NotebookFile.Tags(cell);
            bool notRun = failed >= 0 && i > failed;
            string label = tags.Contains("injected-parameters") ? "injected parameters" : tags.Contains("parameters") ? "parameters" : "";
            body.Append(CultureInfo.InvariantCulture, $"<section class=\"wd-cell{(notRun ? " wd-not-run" : "")}{(i == failed ? " wd-failed" : "")}\">");
            body.Append("<div class=\"wd-prompt\">");
            var count = cell["execution_count"];
            body.Append(count is null ? "[ ]" : $"[{count}]");
            if (label.Length > 0) body.Append("<span class=\"wd-tag\">").Append(label).Append("</span>");
            if (entry.Run.CellTimes.TryGetValue(i, out var secs)) body.Append(CultureInfo.InvariantCulture, $"<span class=\"wd-time\">{secs:F1} s</span>");
            body.Append("</div><pre class=\"wd-code\"><code>").Append(WebUtility.HtmlEncode(src)).Append("</code></pre>");
            if (notRun) body.Append("<p class=\"wd-note\">Not run: an earlier cell failed.</p>");
            foreach (var o in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>()) body.Append(Output(o));
            body.Append("</section>\n");
        }

        string status = entry.Run.Succeeded
            ? "<span class=\"wd-ok\">passed</span>"
            : $"<span class=\"wd-bad\">failed</span> — {WebUtility.HtmlEncode(entry.Run.Error)}";
        string parameters = entry.Run.Parameters.Count == 0 ? "defaults"
            : string.Join(", ", entry.Run.Parameters.Select(p => $"<code>{WebUtility.HtmlEncode(p.Name)} = {WebUtility.HtmlEncode(p.Literal)}</code>"));
        var nav = new StringBuilder($"<nav class=\"wd-nav\"><a href=\"{up}index.html\">Index</a>");
        if (previous is not null) nav.Append(CultureInfo.InvariantCulture, $" · <a href=\"{up}{previous}.html\" rel=\"prev\">← previous</a>");
        if (next is not null) nav.Append(CultureInfo.InvariantCulture, $" · <a href=\"{up}{next}.html\" rel=\"next\">next →</a>");
        nav.Append("</nav>");
        var tocHtml = new StringBuilder("<aside class=\"wd-toc\"><p class=\"wd-toc-title\">Contents</p><ul>");
        foreach (var (level, id, text) in toc.Where(t => t.Level <= 3))
            tocHtml.Append(CultureInfo.InvariantCulture, $"<li class=\"l{level}\"><a href=\"#{id}\">{WebUtility.HtmlEncode(text)}</a></li>");
        tocHtml.Append("</ul></aside>");

        string header = string.Create(CultureInfo.InvariantCulture,
            $"<header><p class=\"wd-meta\">{status} · {entry.Run.Duration.TotalSeconds:F1} s · {info.Started:yyyy-MM-dd HH:mm} UTC · " +
            $"commit {WebUtility.HtmlEncode(Short(info.Commit))}{(info.Quick ? " · quick mode" : "")} · parameters: {parameters}</p></header>");
        // The injected parameters, and every declared parameter with the value it ran with, as machine-readable metadata
        // (the header shows the injected ones to people; run.json has both).
        string meta = "<meta name=\"wd-parameters\" content=\"" + WebUtility.HtmlEncode(Parameters.ToJson(entry.Run.Parameters).ToJsonString()) + "\">" +
            "<meta name=\"wd-effective-parameters\" content=\"" + WebUtility.HtmlEncode(Parameters.ToJson(entry.Run.Effective).ToJsonString()) + "\">" +
            (info.Quick ? "<meta name=\"wd-quick\" content=\"true\">" : "");
        return Page(nb.Title, nav + header + "<div class=\"wd-layout\">" + tocHtml + "<main>" + body + "</main></div>" + nav, math: true, meta);
    }

    /// <summary>The index page: run metadata and one row per notebook.</summary>
    public static string IndexPage(IReadOnlyList<ReportEntry> entries, RunInfo info)
    {
        var sb = new StringBuilder("<main class=\"wd-index\"><h1>WeightDecay.Notebooks — run report</h1>");
        int passed = entries.Count(e => e.Run.Succeeded);
        sb.Append(CultureInfo.InvariantCulture,
            $"<p class=\"wd-meta\">{passed} of {entries.Count} notebooks passed · {info.Duration.TotalSeconds:F1} s in all · started {info.Started:yyyy-MM-dd HH:mm:ss} UTC" +
            $"{(info.Quick ? " · quick mode" : "")}</p>");
        sb.Append("<table><thead><tr><th>#</th><th>Notebook</th><th>Status</th><th>Duration</th><th>Code cells</th><th>Parameters</th></tr></thead><tbody>");
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            string status = e.Run.Succeeded ? "<span class=\"wd-ok\">passed</span>" : $"<span class=\"wd-bad\">failed</span><br><small>{WebUtility.HtmlEncode(e.Run.Error)}</small>";
            string ps = e.Run.Parameters.Count == 0 ? "defaults" : string.Join("<br>", e.Run.Parameters.Select(p => $"<code>{WebUtility.HtmlEncode(p.Name)} = {WebUtility.HtmlEncode(p.Literal)}</code>"));
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{i + 1}</td><td><a href=\"{e.RelativeName}.html\">{WebUtility.HtmlEncode(e.Title)}</a><br><small>{WebUtility.HtmlEncode(e.RelativeName)}.ipynb</small></td>" +
                $"<td>{status}</td><td>{e.Run.Duration.TotalSeconds:F1} s</td><td>{e.Run.CellsRun}</td><td>{ps}</td></tr>");
        }
        sb.Append("</tbody></table><h2>Run</h2><table class=\"wd-kv\"><tbody>");
        void Row(string k, string v) => sb.Append("<tr><th>").Append(WebUtility.HtmlEncode(k)).Append("</th><td>").Append(WebUtility.HtmlEncode(v)).Append("</td></tr>");
        Row("date (UTC)", info.Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Row("git commit", info.Commit);
        Row("mode", info.Quick ? "quick" : "default");
        Row("parameters", info.Overrides.Count == 0 ? "none" : string.Join(", ", info.Overrides.Select(kv => $"{kv.Key}={kv.Value}")));
        foreach (var (k, v) in info.Versions) Row(k, v);
        foreach (var (k, v) in info.Machine) Row(k, v);
        sb.Append("</tbody></table></main>");
        return Page("WeightDecay.Notebooks — run report", sb.ToString(), math: false);
    }

    private static string Output(JsonObject o)
    {
        string type = o["output_type"]?.GetValue<string>() ?? "";
        if (type == "stream")
            return $"<pre class=\"wd-output wd-stream wd-{o["name"]}\">{WebUtility.HtmlEncode(Text(o["text"]))}</pre>";
        if (type == "error")
            return $"<pre class=\"wd-output wd-error\">{WebUtility.HtmlEncode(o["ename"]?.GetValue<string>())}: {WebUtility.HtmlEncode(o["evalue"]?.GetValue<string>())}</pre>";
        if (o["data"] is not JsonObject data) return "";
        if (data["text/html"] is { } html) return $"<div class=\"wd-output wd-html\">{Text(html)}</div>";
        if (data["image/png"] is { } png) return $"<div class=\"wd-output\"><img alt=\"output image\" src=\"data:image/png;base64,{Text(png).Replace("\n", "")}\"></div>";
        if (data["image/svg+xml"] is { } svg) return $"<div class=\"wd-output\">{Text(svg)}</div>";
        if (data["text/markdown"] is { } md) return $"<div class=\"wd-output wd-md\">{Markdig.Markdown.ToHtml(Text(md), Markdown)}</div>";
        if (data["text/plain"] is { } plain) return $"<pre class=\"wd-output\">{WebUtility.HtmlEncode(Text(plain))}</pre>";
        return "";
    }

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    private static string Page(string title, string content, bool math, string meta = "")
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<meta name=\"generator\" content=\"WeightDecay.Runner\">").Append(meta);
        sb.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        sb.Append("<script>").Append(Asset("report/selfcheck.js")).Append("</script>");
        sb.Append("<style>").Append(Asset("report/report.css")).Append("</style>");
        if (math)
        {
            sb.Append("<style>").Append(KatexCss()).Append("</style>");
            sb.Append("<script>").Append(Asset("katex/katex.min.js")).Append("</script>");
            sb.Append("<script>").Append(Asset("katex/auto-render.min.js")).Append("</script>");
        }
        sb.Append("</head><body>").Append(content);
        if (math) sb.Append("<script>").Append(Asset("report/math.js")).Append("</script>");
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static string KatexCss() => FontUrl().Replace(Asset("katex/katex.min.css"), m =>
    {
        string font = m.Groups[1].Value;
        string b64 = Convert.ToBase64String(AssetBytes($"katex/fonts/{font}.woff2"));
        return $"src:url(data:font/woff2;base64,{b64}) format(\"woff2\")";
    });

    private static string RewriteNotebookLinks(string html) => NotebookLink().Replace(html, m => $"href=\"{m.Groups[1].Value}.html{m.Groups[2].Value}\"");

    private static string StripTags(string html) => WebUtility.HtmlDecode(Tags().Replace(html, ""));

    private static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;

    internal static string Asset(string name) => System.Text.Encoding.UTF8.GetString(AssetBytes(name));

    private static byte[] AssetBytes(string name)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                      ?? throw new InvalidOperationException($"Embedded asset '{name}' is missing from the runner.");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [GeneratedRegex("<h([1-6]) id=\"([^\"]+)\">(.*?)</h\\1>", RegexOptions.Singleline)]
    private static partial Regex Heading();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("src:url\\(fonts/([A-Za-z0-9_-]+)\\.woff2\\) format\\(\"woff2\"\\)(?:,url\\([^)]*\\) format\\(\"[a-z]+\"\\))*")]
    private static partial Regex FontUrl();

    [GeneratedRegex("href=\"(?!https?:)([^\"#]+)\\.ipynb(#[^\"]*)?\"")]
    private static partial Regex NotebookLink();
}
