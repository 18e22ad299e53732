using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace WeightDecay.Runner;

/// <summary>
/// The files every report page needs — the page CSS and scripts, KaTeX with its fonts, plotly.js — and how a page
/// refers to them: in a site, by relative paths into one shared <c>assets/</c> folder; self-contained, inline (fonts
/// as data URLs). Everything comes from the runner's embedded resources (Assets/) except plotly.js, which is the
/// copy the workbook's chart formatter embedded in the notebook's outputs (Plotly.NET's bundled plotly.js, see <see
/// cref="PlotlyBundle"/>).
/// </summary>
internal static partial class SiteAssets
{
    /// <summary>The shared folder's name, under the reports folder.</summary>
    public const string Folder = "assets";

    /// <summary>The KaTeX version vendored in Assets/katex.</summary>
    public static string KatexVersion => Text("katex/VERSION").Trim();

    /// <summary>The path of plotly.js in the shared folder.</summary>
    public static string PlotlyFile(PlotlyBundle plotly) => $"{Folder}/plotly-{plotly.Version}.min.js";

    /// <summary>Writes the shared folder (site mode) under <paramref name="reportsDir"/>.</summary>
    public static void WriteShared(string reportsDir, PlotlyBundle? plotly)
    {
        string dir = Path.Combine(reportsDir, Folder);
        foreach (var name in new[] { "report/report.css", "report/report.js", "report/selfcheck.js" })
            Atomic.WriteText(Path.Combine(dir, Path.GetFileName(name)), Text(name));
        Atomic.WriteText(Path.Combine(dir, "katex", "katex.min.css"), KatexCss(inlineFonts: false));
        foreach (var name in new[] { "katex/katex.min.js", "katex/auto-render.min.js", "katex/LICENSE" })
            Atomic.WriteText(Path.Combine(dir, name), Text(name));
        foreach (var font in Fonts())
            Atomic.WriteBytes(Path.Combine(dir, "katex", "fonts", font + ".woff2"), Bytes($"katex/fonts/{font}.woff2"));
        if (plotly is not null) Atomic.WriteText(Path.Combine(reportsDir, PlotlyFile(plotly)), plotly.Source);
    }

    /// <summary>What goes into &lt;head&gt;: the self-check script, the page CSS and, for pages with formulas,
    /// KaTeX's CSS.</summary>
    /// <param name="up">The path from the page to the reports folder ("" or "../").</param>
    public static string Head(string up, bool selfContained, bool math)
    {
        var sb = new StringBuilder();
        sb.Append(Script(up, selfContained, "report/selfcheck.js", $"{Folder}/selfcheck.js"));
        sb.Append(selfContained
            ? $"<style>{Text("report/report.css")}</style>"
            : $"<link rel=\"stylesheet\" href=\"{up}{Folder}/report.css\">");
        if (math)
            sb.Append(selfContained
                ? $"<style>{KatexCss(inlineFonts: true)}</style>"
                : $"<link rel=\"stylesheet\" href=\"{up}{Folder}/katex/katex.min.css\">");
        return sb.ToString();
    }

    /// <summary>What goes at the end of &lt;body&gt;: KaTeX (for pages with formulas), plotly.js (for pages with
    /// charts), the page script.</summary>
    public static string Tail(string up, bool selfContained, bool math, PlotlyBundle? plotly)
    {
        var sb = new StringBuilder();
        if (math)
        {
            sb.Append(Script(up, selfContained, "katex/katex.min.js", $"{Folder}/katex/katex.min.js"));
            sb.Append(Script(up, selfContained, "katex/auto-render.min.js", $"{Folder}/katex/auto-render.min.js"));
        }
        if (plotly is not null)
            sb.Append(selfContained ? $"<script>\n{plotly.Source}\n</script>"
                : $"<script src=\"{up}{PlotlyFile(plotly)}\"></script>");
        sb.Append(Script(up, selfContained, "report/report.js", $"{Folder}/report.js"));
        return sb.ToString();
    }

    private static string Script(string up, bool selfContained, string resource, string file) =>
        selfContained ? $"<script>{Text(resource)}</script>" : $"<script src=\"{up}{file}\"></script>";

    /// <summary>KaTeX's CSS with only the woff2 fonts (all that is vendored): relative URLs, or data URLs when
    /// inlined.</summary>
    private static string KatexCss(bool inlineFonts) => FontUrl().Replace(Text("katex/katex.min.css"), m =>
    {
        string font = m.Groups[1].Value;
        string url = inlineFonts
            ? $"data:font/woff2;base64,{Convert.ToBase64String(Bytes($"katex/fonts/{font}.woff2"))}"
            : $"fonts/{font}.woff2";
        return $"src:url({url}) format(\"woff2\")";
    });

    private static IEnumerable<string> Fonts() =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith("katex/fonts/", StringComparison.Ordinal))
            .Where(n => n.EndsWith(".woff2", StringComparison.Ordinal))
            .Select(n => n["katex/fonts/".Length..^".woff2".Length]).Order(StringComparer.Ordinal);

    /// <summary>An embedded asset as UTF-8 text.</summary>
    public static string Text(string name) => Encoding.UTF8.GetString(Bytes(name));

    private static byte[] Bytes(string name)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                      ?? throw new InvalidOperationException($"Embedded asset '{name}' is missing from the runner.");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [GeneratedRegex("""src:url\(fonts/([\w-]+)\.woff2\) format\("woff2"\)(?:,url\([^)]*\) format\("[a-z]+"\))*""")]
    private static partial Regex FontUrl();
}

/// <summary>plotly.js as the workbook's chart formatter embedded it in a notebook's outputs.</summary>
/// <param name="Version">The plotly.js version (the <c>data-wd-plotly</c> attribute).</param>
/// <param name="Source">The script text (with <c>&lt;/script</c> escaped, so it can be inlined again).</param>
internal sealed record PlotlyBundle(string Version, string Source)
{
    private const string Hide = "<script>window.__wdDefine = window.define; window.define = undefined;</script>\n";
    private const string Open = "<script data-wd-plotly=\"";
    private const string Close = "\n</script>\n";
    private const string Restore = "<script>window.define = window.__wdDefine;</script>\n";

    /// <summary>
    /// Removes every inline plotly.js block (see WeightDecay.Interactive's ChartHtml.PlotlyScript) from an output's
    /// HTML;
    /// <paramref name="found"/> receives the bundle when one was removed. The page then loads plotly.js once, itself.
    /// </summary>
    public static string Strip(string html, ref PlotlyBundle? found)
    {
        int start = html.IndexOf(Open, StringComparison.Ordinal);
        if (start < 0) return html;
        var sb = new StringBuilder(html.Length);
        int pos = 0;
        while (start >= 0)
        {
            int versionEnd = html.IndexOf('"', start + Open.Length);
            int body = html.IndexOf('>', versionEnd) + 1;
            int end = html.IndexOf(Close, body, StringComparison.Ordinal);
            if (versionEnd < 0 || body <= 0 || end < 0) break; // not our block: leave the rest untouched
            bool hidden = start >= Hide.Length &&
                          string.CompareOrdinal(html, start - Hide.Length, Hide, 0, Hide.Length) == 0;
            int cutFrom = hidden ? start - Hide.Length : start;
            int cutTo = end + Close.Length;
            if (string.CompareOrdinal(html, cutTo, Restore, 0, Restore.Length) == 0) cutTo += Restore.Length;
            found ??= new PlotlyBundle(html[(start + Open.Length)..versionEnd], html[body..end].TrimStart('\n'));
            sb.Append(html, pos, cutFrom - pos);
            pos = cutTo;
            start = html.IndexOf(Open, pos, StringComparison.Ordinal);
        }
        sb.Append(html, pos, html.Length - pos);
        return sb.ToString();
    }
}
