using System.Net;
using System.Text.Json.Nodes;
using Markdig;

namespace WeightDecay.Runner;

/// <summary>
/// One notebook output (nbformat) as report HTML: rich outputs as the kernel produced them (HTML, PNG, SVG,
/// Markdown, text), errors in place — a failed claim as a ✗ line with its numbers —, the inline plotly.js of the
/// first chart removed (the page loads it once, see <see cref="PlotlyBundle"/>), and absolute paths shown relative
/// to the page or the repository.
/// </summary>
internal sealed class OutputHtml(MarkdownPipeline markdown, PathDisplay paths)
{
    private const string ClaimPrefix = "Claim does not hold: ";

    /// <summary>The plotly.js bundle found in (and removed from) the outputs rendered so far.</summary>
    public PlotlyBundle? Plotly => _plotly;

    private PlotlyBundle? _plotly;

    /// <summary>The HTML of one output.</summary>
    public string Render(JsonObject o)
    {
        string type = o["output_type"]?.GetValue<string>() ?? "";
        if (type == "stream")
            return $"<pre class=\"wd-output wd-stream wd-{WebUtility.HtmlEncode(o["name"]?.GetValue<string>())}\">" +
                   $"{WebUtility.HtmlEncode(paths.Apply(Text(o["text"])))}</pre>";
        if (type == "error")
            return Error(o["ename"]?.GetValue<string>() ?? "Error", paths.Apply(o["evalue"]?.GetValue<string>() ?? ""));
        if (o["data"] is not JsonObject data) return "";
        if (data["text/html"] is { } html)
            return $"<div class=\"wd-output wd-html\">{paths.Apply(PlotlyBundle.Strip(Text(html), ref _plotly))}</div>";
        if (data["image/png"] is { } png)
            return "<div class=\"wd-output\"><img alt=\"output image\" " +
                   $"src=\"data:image/png;base64,{Text(png).Replace("\n", "")}\"></div>";
        if (data["image/svg+xml"] is { } svg) return $"<div class=\"wd-output\">{Text(svg)}</div>";
        if (data["text/markdown"] is { } md)
            return $"<div class=\"wd-output wd-md\">{Markdown.ToHtml(paths.Apply(Text(md)), markdown)}</div>";
        if (data["text/plain"] is { } plain) return $"<pre class=\"wd-output\">{E(paths.Apply(Text(plain)))}</pre>";
        return "";
    }

    private static string Error(string name, string message)
    {
        int claim = message.IndexOf(ClaimPrefix, StringComparison.Ordinal);
        if (claim >= 0)
        {
            string rest = message[(claim + ClaimPrefix.Length)..];
            int dash = rest.IndexOf(" — ", StringComparison.Ordinal);
            string statement = dash < 0 ? rest : rest[..dash], evidence = dash < 0 ? "" : rest[(dash + 3)..];
            return "<details class=\"wd-claim wd-claim-failed\" open><summary><span class=\"wd-claim-mark\">✗</span> " +
                   $"{E(statement.Trim())}</summary><div class=\"wd-claim-evidence\">{E(evidence.Trim())}</div>" +
                   $"</details><pre class=\"wd-output wd-error\">{E(name)}: {E(message)}</pre>";
        }
        return $"<pre class=\"wd-output wd-error\">{E(name)}: {E(message)}</pre>";
    }

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };
}

/// <summary>
/// Absolute paths in outputs as a reader of the report needs them: a file in the page's own folder by its name (it sits
/// beside the page), anything else in the repository relative to the repository root.
/// </summary>
/// <param name="PageDirectory">The folder of the page (absolute).</param>
/// <param name="RepositoryRoot">The repository root (absolute), or null.</param>
internal sealed record PathDisplay(string PageDirectory, string? RepositoryRoot)
{
    /// <summary>The text with those prefixes removed.</summary>
    public string Apply(string text)
    {
        foreach (var dir in new[] { PageDirectory, RepositoryRoot })
        {
            if (string.IsNullOrEmpty(dir)) continue;
            string prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)) + Path.DirectorySeparatorChar;
            text = text.Replace(prefix, "", StringComparison.Ordinal);
        }
        return text;
    }
}
