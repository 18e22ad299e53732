using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using WeightDecay.Training;

namespace WeightDecay.Interactive.Formatting;

/// <summary>Registers the workbook's HTML formatters with .NET Interactive.</summary>
public static class Formatters
{
    /// <summary>Plotly.NET charts, training histories, DataFrames and claims as HTML (claims also as plain
    /// text).</summary>
    public static void Register()
    {
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Render(chart)),
            HtmlFormatter.MimeType);
        Formatter.Register<TrainingHistory>((h, writer) => writer.Write(Tables.Html(h)), HtmlFormatter.MimeType);
        Formatter.Register<DataFrame>((df, writer) => writer.Write(Tables.Html(df)), HtmlFormatter.MimeType);
        Formatter.Register<WorkbookInfo>((info, writer) => writer.Write(info.ToString()), PlainTextFormatter.MimeType);
        Formatter.Register<Claim>((c, writer) => writer.Write(c.ToString()), PlainTextFormatter.MimeType);
        Formatter.Register<Claim>((c, writer) => writer.Write(ClaimHtml(c)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Claim), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        foreach (var t in new[] { typeof(GenericChart), typeof(TrainingHistory),
            typeof(DataFrame) })
            Formatter.SetPreferredMimeTypesFor(t, HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(WorkbookInfo), PlainTextFormatter.MimeType);
    }

    /// <summary>A checked claim as one compact line, "✔ statement", that expands to its evidence.</summary>
    public static string ClaimHtml(Claim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return "<details class=\"wd-claim\"><summary><span class=\"wd-claim-mark\" style=\"color:#12805c\">✔</span> " +
               ChartHtml.Encode(claim.Statement) + "</summary><div class=\"wd-claim-evidence\">" +
               ChartHtml.Encode(claim.Evidence) +
               "</div></details>";
    }
}
