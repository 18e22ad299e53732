namespace WeightDecay.Runner;

/// <summary>How the report pages are written.</summary>
/// <param name="SelfContained">
/// Every page carries its assets inline (plotly.js, KaTeX and its fonts, CSS, scripts), so one page can be copied or
/// mailed alone; no <c>assets/</c> folder. Default: a site whose pages share <c>assets/</c> by relative paths.
/// </param>
/// <param name="RepositoryRoot">Absolute paths under it are shown relative to it in outputs; null shows them as they
/// are.</param>
public sealed record SiteOptions(bool SelfContained = false, string? RepositoryRoot = null);

/// <summary>
/// Writes the reports folder as a small offline course site: <c>index.html</c>, one page per executed notebook
/// (solutions in <c>solutions/</c>) and — unless self-contained — one shared <c>assets/</c> folder with plotly.js,
/// KaTeX (with its fonts) and the page CSS/JS, referenced by relative paths. No page loads anything from the
/// network; the folder can be zipped or served by any static server. <c>run.json</c> is written by the runner (<see
/// cref="Program"/>), beside them.
/// </summary>
public static class Site
{
    /// <summary>Writes every page, the index and (site mode) the shared assets under <paramref
    /// name="reportsDir"/>.</summary>
    /// <param name="reportsDir">The reports folder; notebook <c>x</c>'s page is <c>x.html</c> in it.</param>
    /// <param name="entries">The executed notebooks in run order (lessons, then solutions).</param>
    /// <param name="info">Run-wide facts for the index and the page headers.</param>
    /// <param name="options">Site or self-contained pages.</param>
    public static void Write(string reportsDir, IReadOnlyList<ReportEntry> entries, RunInfo info, SiteOptions options)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(options);
        reportsDir = Path.GetFullPath(reportsDir);
        var catalog = SiteCatalog.Build(entries);
        // Bodies first: rendering the outputs removes the inline plotly.js the chart formatter embedded, which the
        // pages then load once (shared file, or inline when self-contained).
        var bodies = catalog.Pages.Select(p =>
        {
            string pageDir = Path.GetDirectoryName(Path.Combine(reportsDir, p.Href))!;
            var paths = new PathDisplay(pageDir, options.RepositoryRoot);
            return (Page: p, Body: Report.NotebookPage(p, catalog, info, paths));
        }).ToList();
        PlotlyBundle? plotly = bodies.Select(b => b.Body.Plotly).FirstOrDefault(b => b is not null);

        foreach (var (page, (html, _)) in bodies)
        {
            bool charts = html.Contains("class=\"wd-plot\"", StringComparison.Ordinal);
            if (charts && plotly is null)
                Console.Error.WriteLine($"warning: {page.Href} has charts but no output carried plotly.js.");
            string document = Report.Page(Report.DocumentTitle(page), html, page.Up, options.SelfContained,
                HasMath(html), charts ? plotly : null, Report.Meta(page.Entry, info));
            Atomic.WriteText(Path.Combine(reportsDir, page.Href), document);
        }
        string index = Report.IndexPage(catalog, info);
        Atomic.WriteText(Path.Combine(reportsDir, "index.html"),
            Report.Page(Report.SiteName, index, "", options.SelfContained, HasMath(index), plotly: null));
        if (!options.SelfContained) SiteAssets.WriteShared(reportsDir, plotly);
    }

    /// <summary>Whether a page has formulas (Markdig's math elements), so it needs KaTeX.</summary>
    private static bool HasMath(string html) => html.Contains("class=\"math", StringComparison.Ordinal);
}
