"""Writes notebooks/09-your-experiment.ipynb and its solutions notebook."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import md, code, bootstrap, write

root = pathlib.Path(__file__).resolve().parents[2]
NAME = "09-your-experiment"

USINGS = """using TorchSharp;
using WeightDecay.Landscape;
using WeightDecay.Optimization;
using WeightDecay.Theory;
using WeightDecay.Training;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;"""

write(root / "notebooks" / f"{NAME}.ipynb", [
    md(r"""
# 09 · Your experiment, as a report

The other lessons each make one point. This one is a tool: set the parameters below — data set, model, decay method,
optimizer, λ grid, learning rate, epochs, seed — and the notebook trains one model per λ and writes a one-page report:
the configuration, the decay audit (which tensors the decay actually reaches, and how hard), learning curves, weight
norms, a landscape thumbnail around the best model, and the results table, also saved as CSV beside the report.

Render it with your own parameters from the command line (the report lands in `artifacts/reports/09-your-experiment.html`,
the table in `artifacts/reports/09-your-experiment.results.csv`):

```bash
bash scripts/run.sh 09-your-experiment --param dataset=regression --param optimizer=sgd --param method=coupled \
  --param lambdas=0,1,3,10 --param lr=0.003 --param epochs=100 --param batchSize=5
```

Conventions (README): L2 is $R(\theta) = \tfrac12\|\theta\|^2$ on the weights only (biases are not decayed); losses are
means over the batch; λ = 0 trains without decay; `decoupled` applies $\theta \leftarrow \theta - \eta\lambda\theta$ (λ is
multiplied by the learning rate, as in PyTorch's AdamW), `coupled` adds $\lambda\theta$ to the gradient before the
optimizer, `penalty` adds $\lambda R(\theta)$ to the loss.
"""),
    bootstrap(),
    md(r"""
## Parameters

Every value is overridable (`--param name=value`); the runner's quick mode uses the `// quick:` values. Strings are
parsed by the library, which names any bad value (e.g. `lambdas = "0,abc"` fails with *λ 'abc' … is not a finite number*).
"""),
    code("""
var dataset = "mnist";          // regression (d2l: d = 200, n = 20, linear model) | mnist (MLP)
var hidden = "64";              // MLP hidden sizes, e.g. "128,64" (mnist only)
var method = "decoupled";       // penalty | coupled | decoupled
var optimizer = "adam";         // sgd | adam
var lambdas = "0,0.3,1,3,10";   // the λ grid, comma-separated
var lr = 1e-3;                  // learning rate η
var epochs = 25;                // quick: 2
var batchSize = 64;
var digits = 2000;              // quick: 1000   // MNIST training digits (of 8000)
var seed = 0;
""", tags=["parameters"]),
    code(USINGS + """

var config = ExperimentParameters.Parse(dataset, hidden, method, optimizer, lambdas, lr, epochs, batchSize, seed, digits);
var threads = TorchThreads.Limit(1);   // small models: one intra-op thread is faster and does not stall on a busy machine
var experiment = Experiment.Prepare(config);
config.Describe().Select(r => new { r.Setting, r.Value }).ToTable()"""),
    md(r"""
## Configuration audit

Before training: which parameter tensors does this configuration decay, how, and by what factor per step at this learning
rate? (The audit at the largest λ of the grid. With Adam and coupled/penalty L2 the factor depends on $\sqrt{\hat v}$ and
is known only after a step — lesson 07.) This is the check that catches a regularizer that was created but never attached,
the seed's defect in lesson 04.
"""),
    code("""
var audit = experiment.Audit();
display(audit.ToDataFrame());
if (audit.Warnings.Count > 0) display(audit.Warnings.Select(w => new { Warning = w }).ToTable());
bool IsWeight(DecayAuditRow r) => r.Name.EndsWith("weight");
Claims.Check(config.Lambdas.Max() == 0 ? "λ = 0 everywhere: no tensor is decayed" : "the decay reaches every weight matrix and no bias",
    config.Lambdas.Max() == 0 ? !audit.AnyDecay : audit.Rows.All(r => r.Decayed == IsWeight(r)),
    $"decayed: {string.Join(", ", audit.Rows.Where(r => r.Decayed).Select(r => r.Name).DefaultIfEmpty("none"))}; not decayed: {string.Join(", ", audit.Rows.Where(r => !r.Decayed).Select(r => r.Name).DefaultIfEmpty("none"))}")"""),
    md(r"""
## Training

One model per λ, each from the same initialization with the same minibatches (the same seed), so the runs differ only in λ.
"""),
    code("""
var clock = System.Diagnostics.Stopwatch.StartNew();
experiment.Run();
$"{config.Lambdas.Count} trainings × {config.Epochs} epochs in {clock.Elapsed.TotalSeconds:F1} s\""""),
    md(r"""
## Results

One row per λ: final training and test data loss, the gap between them, accuracy (NaN for regression), the global weight
norm ‖θ‖₂ (biases included) and the penalty λ·½‖w‖². The same table is written as CSV next to this report (the runner
tells the notebook its report folder; run interactively in VS Code or Jupyter, it goes to `artifacts/experiments/`).
"""),
    code("""
var csv = experiment.SaveResultsCsv(Workbook.ReportFile("09-your-experiment", ".results.csv"));
display(experiment.ResultsTable());
display(HTML($"Results table saved as <a href=\\"{System.IO.Path.GetFileName(csv)}\\"><code>{System.IO.Path.GetFileName(csv)}</code></a> beside this report."));
Claims.Check("the CSV beside the report holds one row per λ of the grid, in grid order", Experiment.ReadLambdas(csv).SequenceEqual(config.Lambdas),
    $"{csv}: λ = {string.Join(", ", Experiment.ReadLambdas(csv))}")"""),
    code("""
var runs = experiment.Runs.Select(r => ($"λ = {r.Lambda:G3}", r.History)).ToList();
SweepCharts.LearningCurvesSlider(runs, "", "Learning curves (data loss; slide through λ)", active: experiment.BestIndex)"""),
    code("""
var epochAxis = Enumerable.Range(0, config.Epochs + 1).Select(e => (double)e).ToList();
SweepCharts.Lines(epochAxis, experiment.Runs.Select(r => ($"λ = {r.Lambda:G3}", (IReadOnlyList<double>)r.History.Epochs.Select(e => e.ParameterNorm).ToList())),
    "Weight norm ‖θ‖₂ over training", "epoch", "‖θ‖₂")"""),
    md(r"""
## Landscape thumbnail

The loss along one random, filter-normalized direction through the model with the lowest test loss ($\alpha = 0$ is the
trained model; lesson 06 explains the normalization). Eleven points: a glance at how sharp the minimum is, not a study.
"""),
    code("""
int best = experiment.BestIndex;
var direction = ParameterDirection.Random(experiment.Models[best], seed);
var slice = LossLandscape.Line(experiment.Models[best], direction, experiment.Train, experiment.Test, experiment.Loss, new GridAxis(-1, 1, 11));
direction.Dispose();
var thumb = SweepCharts.Lines(slice.Alpha, new (string, IReadOnlyList<double>)[] { ("train", slice.TrainLoss), ("test", slice.TestLoss!) },
    $"Loss along a random direction through the best model (λ = {experiment.Runs[best].Lambda:G3})", "α", "data loss");
thumb.Layout["height"] = 320; thumb.Layout["width"] = 520;
display(thumb);
double recorded = experiment.Runs[best].History.Final.TrainLoss;
Claims.Check("the slice passes through the trained model: at α = 0 it reproduces its final training loss (within 0.1%)",
    Math.Abs(slice.TrainLoss[5] - recorded) <= 1e-3 * Math.Max(recorded, 1e-6), $"slice {slice.TrainLoss[5]:G6}, history {recorded:G6}")"""),
    md(r"""
## Summary
"""),
    code("""
var first = experiment.Runs[0]; var last = experiment.Runs[^1]; var bestRun = experiment.Runs[best];
threads.Dispose();   // restore torch's thread count for whatever runs next in this kernel
$"Best test loss {bestRun.History.Final.TestLoss:G4} at λ = {bestRun.Lambda:G3} ({ExperimentParameters.Name(config.Method)} decay, {ExperimentParameters.Name(config.Optimizer)}, η = {config.LearningRate:G3}). " +
$"‖θ‖₂ went from {first.History.Final.ParameterNorm:G4} at λ = {first.Lambda:G3} to {last.History.Final.ParameterNorm:G4} at λ = {last.Lambda:G3}; " +
$"the gap (test − train) from {first.Gap:G3} to {last.Gap:G3}.\""""),
    md(r"""
## Exercises

1. **Adam: coupled or decoupled?** Run the default MNIST grid with `method = "coupled"` and with `method = "decoupled"`.
   Which ends with the smaller ‖θ‖ at λ = 1, why, and what do the two audits say about the shrink factor per step?
2. **d2l from the command line.** Render this notebook with d2l's setting — `dataset=regression`, `optimizer=sgd`,
   `method=coupled`, `lr=0.003`, `epochs=100`, `batchSize=5`, `lambdas=0,3` — and check d2l's finding: λ = 3 gives a much
   smaller ‖w‖ and a lower test loss than λ = 0.

Worked solutions: [solutions/09-your-experiment](solutions/09-your-experiment.ipynb).
"""),
])

write(root / "notebooks" / "solutions" / f"{NAME}.ipynb", [
    md(r"""
# Solutions · 09 Your experiment, as a report

Worked solutions to the exercises of lesson 09, each computed and checked.
"""),
    bootstrap(depth=2),
    code("""
var seed = 0;
var epochs = 4;                 // quick: 2
""", tags=["parameters"]),
    code(USINGS + """

var threads = TorchThreads.Limit(1);"""),
    md(r"""
## 1. Adam: coupled or decoupled?

The same number λ means very different things to the two methods. AdamW shrinks every weight by the uniform factor
$1 - \eta\lambda$ per step — at η = 10⁻³, λ = 1 that is 0.999. Coupled L2 adds λθ to the gradient and Adam then divides
by $\sqrt{\hat v}$ (lesson 07): where λθ dominates the data gradient, the normalized step is ≈ η *per weight*, towards 0,
whatever the weight's size — for the small weights of a fresh MLP (|w| ≤ 1/28) that is a far stronger pull. We train both
at λ = 1 (and λ = 0 for reference) and audit both.
"""),
    code("""
var results = new List<(string Method, double Norm, double TestLoss, DecayAudit Audit)>();
foreach (var m in new[] { "coupled", "decoupled" })
{
    var cfg = ExperimentParameters.Parse("mnist", "64", m, "adam", "0,1", 1e-3, epochs, 64, seed, 1000);
    using var ex = Experiment.Prepare(cfg);
    ex.Run();
    results.Add((m, ex.Runs[1].History.Final.ParameterNorm, ex.Runs[1].History.Final.TestLoss ?? double.NaN, ex.Audit()));
}
display(results.Select(r => new { r.Method, NormAtλ1 = r.Norm, TestLossAtλ1 = r.TestLoss,
    ShrinkFc1 = r.Audit.Rows.First(x => x.Name == "fc1.weight").ShrinkPerStep, Note = r.Audit.Rows.First(x => x.Name == "fc1.weight").Note }).ToTable());
Claims.Check("at λ = 1, coupled L2 under Adam ends with a smaller ‖θ‖ than decoupled decay (AdamW)", results[0].Norm < results[1].Norm,
    $"coupled {results[0].Norm:F2}, decoupled {results[1].Norm:F2}")"""),
    md(r"""
Coupled wins by far: the same λ is a much stronger regularizer under coupled L2 with Adam, so λ grids are not
transferable between the two (lesson 07's heatmaps show the same in their good regions). The audit of a fresh Adam
optimizer cannot give the coupled factor (NaN, "known after the first step"): it depends on the gradients' second
moments. AdamW's factor $1 - \eta\lambda = 0.999$ per step is the same for every weight.

## 2. d2l from the command line

The command is `bash scripts/run.sh 09-your-experiment --param dataset=regression --param optimizer=sgd --param method=coupled --param lr=0.003 --param epochs=100 --param batchSize=5 --param lambdas=0,3`;
here the same configuration directly:
"""),
    code("""
var d2l = ExperimentParameters.Parse("regression", "", "coupled", "sgd", "0,3", 0.003, 100, 5, seed);
var reg = Experiment.Prepare(d2l);
reg.Run();
display(reg.ResultsTable());
var (none, decayed) = (reg.Runs[0].History.Final, reg.Runs[1].History.Final);
reg.Dispose();
threads.Dispose();
Claims.Check("λ = 3 gives a much smaller ‖w‖ (under half) and a lower test loss than λ = 0", decayed.ParameterNorm < 0.5 * none.ParameterNorm && decayed.TestLoss < none.TestLoss,
    $"‖θ‖ {none.ParameterNorm:F3} → {decayed.ParameterNorm:F3}; test loss {none.TestLoss:G3} → {decayed.TestLoss:G3}")"""),
])
