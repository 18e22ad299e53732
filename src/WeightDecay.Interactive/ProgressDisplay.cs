using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using WeightDecay.Training;

namespace WeightDecay.Interactive;

/// <summary>Shows training progress in one notebook output, updated in place (at most every 250 ms, and at every epoch
/// end).</summary>
internal sealed class ProgressDisplay(string title)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _id = Guid.NewGuid().ToString("N");
    private bool _shown;
    private long _lastUpdateMs = -1000;

    public void Report(TrainingProgress p)
    {
        long now = _clock.ElapsedMilliseconds;
        if (p.EpochEnd is null && now - _lastUpdateMs < 250) return;
        _lastUpdateMs = now;
        double done = p.Epochs == 0 ? 1 : ((p.Epoch - 1) + (double)p.Step / p.StepsPerEpoch) / p.Epochs;
        string last = p.EpochEnd is { } e
            ? Workbook.Invariant($" · train loss {e.TrainLoss:G4}") +
              (e.TestLoss is { } tl ? Workbook.Invariant($" · test loss {tl:G4}") : "") +
              (e.TestAccuracy is { } a ? Workbook.Invariant($" · test acc. {a:P1}") : "") +
              Workbook.Invariant($" · ‖θ‖ {e.ParameterNorm:G4}")
            : Workbook.Invariant($" · batch loss {p.BatchLoss:G4}");
        string html =
            Workbook.Invariant($"<div class=\"wd-progress\"><b>{System.Net.WebUtility.HtmlEncode(title)}</b> ") +
            Workbook.Invariant($"epoch {p.Epoch}/{p.Epochs} <progress value=\"{done:F3}\" max=\"1\"></progress> ") +
            Workbook.Invariant($"{done:P0} · {now / 1000.0:F1} s{last}</div>");
        // Events are published directly with one id: DisplayedValue.Update of this .NET Interactive version publishes
        // its updates under a different id than the original display, so hosts could not match them.
        if (KernelInvocationContext.Current is not { } context) return; // not in a notebook: nothing to show
        FormattedValue[] values = [new(HtmlFormatter.MimeType, html)];
        if (!_shown) context.Publish(new DisplayedValueProduced(html, context.Command, values, _id));
        else context.Publish(new DisplayedValueUpdated(html, _id, context.Command, values));
        _shown = true;
    }
}
