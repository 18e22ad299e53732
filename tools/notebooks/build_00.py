"""Writes notebooks/00-setup-check.ipynb."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import md, code, bootstrap, write

root = pathlib.Path(__file__).resolve().parents[2]
write(root / "notebooks" / "00-setup-check.ipynb", [
    md(r"""
# 00 · Setup check

This short lesson checks that everything the workbook needs works on your machine: the library loads, TorchSharp trains a
model, charts render without a network, and formulas render. If every cell below runs, you are ready for lesson 01.

The first code cell is the same in every notebook. It references the workbook library (built by `./run.sh`, or by
`dotnet build`) and calls `Workbook.Init()`, which prints the versions in use.
"""),
    bootstrap(),
    md(r"""
## Parameters

The runner overrides these (`--param epochs=20`); its quick mode uses the values in the `// quick:` comments.
"""),
    code("""
var epochs = 100;    // quick: 60
var lambda = 3.0;
var seed = 0;
""", tags=["parameters"]),
    md(r"""
## A tiny experiment

We fit d2l's high-dimensional linear regression — $d = 200$ inputs but only 20 training examples — once without and once
with weight decay. Weight decay minimizes the penalized loss

$$L'(\mathbf{w}, b) = L(\mathbf{w}, b) + \frac{\lambda}{2}\,\|\mathbf{w}\|_2^2 ,$$

so every step also shrinks $\mathbf{w}$ towards zero. The weights start at $w_j \sim \mathcal{N}(0, 1)$, so
$\|\mathbf{w}\|_2 \approx \sqrt{200} \approx 14$ before training.
"""),
    code("""
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;

var data = SyntheticRegression.Create(seed: seed);
TrainingHistory Train(double λ)
{
    using var model = new LinearRegression(200, initStd: 1, seed: seed);
    return Trainer.Fit(model, data.Train, data.Test, new HalfSquaredError(), new TrainerOptions
    {
        Epochs = epochs, BatchSize = 5, Seed = seed,
        Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.003),
        Decay = λ == 0 ? WeightDecayOptions.None : new WeightDecayOptions(DecayMethod.Penalty, λ),
        Progress = Workbook.Progress($"λ = {λ}"),
    });
}
var plain = Train(0);
var decayed = Train(lambda);
"""),
    md(r"""
## Loss and norm

Without decay the training loss keeps falling while the test loss stays high: the model memorizes 20 points. With decay
the test loss is far lower. The second chart shows why: decay pulls $\|\mathbf{w}\|_2$ down by an order of magnitude.
"""),
    code("""Charts.LearningCurves(new[] { ("λ = 0", plain), ($"λ = {lambda}", decayed) })"""),
    code("""Charts.NormCurves(new[] { ("λ = 0", plain), ($"λ = {lambda}", decayed) }, logY: true)"""),
    md(r"""
## Checks

Each claim above is asserted: the cell throws if the numbers disagree.
"""),
    code("""
double wPlain = plain.Final.LayerNorms["weight"], wDecayed = decayed.Final.LayerNorms["weight"];
display(Claims.Check("weight decay shrinks ‖w‖₂ by more than 5×", wPlain / wDecayed > 5,
    $"‖w‖₂ = {wPlain:F2} without decay, {wDecayed:F3} with λ = {lambda}"));
display(Claims.Check("weight decay lowers the test loss", decayed.Final.TestLoss < plain.Final.TestLoss,
    $"test loss {plain.Final.TestLoss:G3} → {decayed.Final.TestLoss:G3}"));
Claims.Check("without decay the model overfits (train loss ≪ test loss)", plain.Final.TrainLoss < 0.01 * plain.Final.TestLoss,
    $"train {plain.Final.TrainLoss:G3} vs test {plain.Final.TestLoss:G3}")
"""),
    md(r"""
The full history of the decayed run, as a table and a chart:
"""),
    code("decayed"),
    md(r"""
## Exercises

1. Run the notebook with `--param lambda=0.3` (or edit the parameters cell). How much does $\|\mathbf{w}\|_2$ shrink now?
2. Double the learning rate. What happens to the run without decay, and why does decay still converge?
"""),
])
