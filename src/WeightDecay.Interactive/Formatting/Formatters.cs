using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using WeightDecay.Training;

namespace WeightDecay.Interactive.Formatting;

/// <summary>Registers the workbook's HTML formatters with .NET Interactive.</summary>
public static class Formatters
{
    /// <summary>Plotly.NET charts, training histories and DataFrames as HTML.</summary>
    public static void Register()
    {
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Render(chart)), HtmlFormatter.MimeType);
        Formatter.Register<TrainingHistory>((h, writer) => writer.Write(Tables.Html(h)), HtmlFormatter.MimeType);
        Formatter.Register<DataFrame>((df, writer) => writer.Write(Tables.Html(df)), HtmlFormatter.MimeType);
        Formatter.Register<WorkbookInfo>((info, writer) => writer.Write(info.ToString()), PlainTextFormatter.MimeType);
        Formatter.Register<Claim>((c, writer) => writer.Write(c.ToString()), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Claim), PlainTextFormatter.MimeType);
        foreach (var t in new[] { typeof(GenericChart), typeof(TrainingHistory), typeof(DataFrame) })
            Formatter.SetPreferredMimeTypesFor(t, HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(WorkbookInfo), PlainTextFormatter.MimeType);
    }
}
