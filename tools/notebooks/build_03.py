"""Writes notebooks/03-high-dimensional-linear-regression.ipynb and its solutions notebook."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import md, code, bootstrap, write

root = pathlib.Path(__file__).resolve().parents[2]

USINGS = """using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;"""

TRAIN = """TrainingHistory TrainD2l(double λ, SyntheticRegression data)
{
    using var model = new LinearRegression(200, initStd: 1, seed: seed);        // w ~ N(0, 1), b = 0, as in the older d2l
    return Trainer.Fit(model, data.Train, data.Test, new HalfSquaredError(), new TrainerOptions
    {
        Epochs = epochs, BatchSize = 5, Seed = seed, SnapshotEveryEpochs = epochs,  // keep w at the start and the end
        Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.003),
        Decay = λ == 0 ? WeightDecayOptions.None : new WeightDecayOptions(DecayMethod.Penalty, λ),
    });
}
double WeightNorm(TrainingHistory h) => h.Final.LayerNorms["weight"];"""

write(root / "notebooks" / "03-high-dimensional-linear-regression.ipynb", [
    md(r"""
# 03 · High-dimensional linear regression

This lesson reproduces the experiment of d2l's *Weight Decay* section and then asks *why* it behaves as it does. The data
come from a linear model with many more inputs than training examples:

$$y = 0.05 + \sum_{i=1}^{d} 0.01\, x_i + \epsilon, \qquad \mathbf{x} \sim \mathcal{N}(\mathbf{0}, \mathbf{I}_d),\quad \epsilon \sim \mathcal{N}(0, 0.01^2),$$

with $d = 200$ inputs, only $n = 20$ training examples and 100 test examples. We fit a linear model
$\hat y = \mathbf{w}^\top \mathbf{x} + b$ by minibatch SGD (batch 5, learning rate 0.003, 100 epochs) on the penalized loss

$$L'(\mathbf{w}, b) = \frac{1}{n}\sum_{i=1}^{n} \frac{1}{2}\left(\mathbf{w}^\top\mathbf{x}_i + b - y_i\right)^2 + \frac{\lambda}{2}\|\mathbf{w}\|_2^2 .$$

The bias is not decayed. Like the older edition of d2l we start from $w_j \sim \mathcal{N}(0, 1)$.
"""),
    bootstrap(),
    md(r"""
## Parameters
"""),
    code("""
var seed = 0;
var epochs = 100;
var lambda = 3.0;
var sweepPoints = 9;    // quick: 5
var noiseSeeds = 3;     // quick: 2
""", tags=["parameters"]),
    md(r"""
## Training with and without weight decay
"""),
    code(USINGS + "\n\nvar data = SyntheticRegression.Create(seed: seed);   // d = 200, n = 20 train, 100 test, σ = 0.01\n" + TRAIN + """
var plain = TrainD2l(0, data);
var decayed = TrainD2l(lambda, data);
Charts.LearningCurves(new[] { ("λ = 0", plain), ($"λ = {lambda}", decayed) })"""),
    md(r"""
Without decay the training loss falls to almost nothing while the test loss stays high: the classic picture of
overfitting. With $\lambda = 3$ both losses end low. The norm of the weights tells the same story. (The current d2l
edition prints $\tfrac12\|\mathbf{w}\|^2$ under the name "L2 norm"; we print the norm $\|\mathbf{w}\|_2$ itself.)
The older edition printed $\|\mathbf{w}\|_2$ between 12.5 and 14.2 without decay and between 0.34 and 0.39 with
$\lambda = 3$ (its runs were not seeded); ours must land in the same ranges:
"""),
    code("""
display(Claims.Check("without decay ‖w‖₂ lands in d2l's range 12.5–14.2", WeightNorm(plain) is >= 12.5 and <= 14.2,
    $"‖w‖₂ = {WeightNorm(plain):F3}"));
display(Claims.Check("with λ = 3, ‖w‖₂ lands in d2l's range 0.34–0.39", lambda != 3 || WeightNorm(decayed) is >= 0.34 and <= 0.39,
    $"‖w‖₂ = {WeightNorm(decayed):F3}"));
display(Claims.Check("without decay the model overfits: training loss ≪ test loss", plain.Final.TrainLoss < 0.01 * plain.Final.TestLoss!.Value,
    $"train {plain.Final.TrainLoss:G3}, test {plain.Final.TestLoss:G3}"));
Claims.Check("weight decay lowers the test loss by orders of magnitude", decayed.Final.TestLoss < 0.01 * plain.Final.TestLoss,
    $"test loss {plain.Final.TestLoss:G3} → {decayed.Final.TestLoss:G3}")
"""),
    code("""Charts.NormCurves(new[] { ("λ = 0", plain), ($"λ = {lambda}", decayed) }, logY: true, title: "‖θ‖₂ during training")"""),
    md(r"""
## Why ‖w‖ barely moves without decay

The gradient of the data loss with respect to $\mathbf{w}$ is

$$\nabla_{\mathbf{w}} L = \frac{1}{n}\sum_{i=1}^{n} r_i\, \mathbf{x}_i, \qquad r_i = \mathbf{w}^\top\mathbf{x}_i + b - y_i ,$$

a combination of the 20 training inputs. Every SGD step therefore moves $\mathbf{w}$ inside the (at most) 20-dimensional
span of the training inputs, and the component of $\mathbf{w}$ orthogonal to that span — 180 of the 200 dimensions —
stays exactly where the initialization put it. A random $\mathcal{N}(\mathbf{0}, \mathbf{I})$ vector has about
$\sqrt{180} \approx 13.4$ of its norm there, which is the norm we end with. The training data cannot see those
directions, but the test inputs can: their contribution to a test prediction is noise of standard deviation
$\approx 13$, which is the large test loss.

Weight decay adds $\lambda\mathbf{w}$ to the gradient, which points along $\mathbf{w}$ itself — including its orthogonal
part, which it shrinks by the factor $(1 - \eta\lambda)$ at every step.
"""),
    code("""
double[] Weights(TrainingHistory h, int k) => h.Snapshots[k].Values.Single(v => v.Key == "weight").Value;
var w0 = Weights(plain, 0);
var move = DataSpan.Split(data.Train, Weights(plain, 1).Zip(w0, (a, b) => a - b).ToArray());
var init = DataSpan.Split(data.Train, w0);
display(Claims.Check("without decay, training moves w only inside the span of the training inputs", move.Orthogonal < 1e-4 * move.InSpan,
    $"change inside the span {move.InSpan:F3}, orthogonal to it {move.Orthogonal:E1}"));
Claims.Check("the surviving orthogonal part of the initialization accounts for the final ‖w‖₂", Math.Abs(init.Orthogonal - WeightNorm(plain)) < 0.05 * WeightNorm(plain),
    $"orthogonal part of w₀: {init.Orthogonal:F3}; final ‖w‖₂: {WeightNorm(plain):F3}")
"""),
    md(r"""
## A λ sweep

We repeat the training for λ on a log grid. The slider shows the learning curves of each run; the second chart the
final training and test loss against λ.
"""),
    code("""
var grid = RidgeStudy.LogGrid(1e-2, 1e2, sweepPoints);
var runs = grid.Select(l => (Label: l.ToString("G3"), History: TrainD2l(l, data))).ToList();
SweepCharts.LearningCurvesSlider(runs, "λ = ", "Learning curves over the λ grid (drag the slider)", active: runs.Count / 2)
"""),
    code("""
SweepCharts.Lines(grid, new[] { ("train", (IReadOnlyList<double>)runs.Select(r => r.History.Final.TrainLoss).ToList()),
                                ("test", runs.Select(r => r.History.Final.TestLoss!.Value).ToList()) },
    "d2l's setting: final loss against λ (SGD, 100 epochs)", "λ (log scale)", "data loss (log scale)", logX: true, logY: true, dashes: new[] { null, "dash" })
"""),
    md(r"""
In d2l's setting the test loss falls by orders of magnitude as λ grows and then stays flat. Where is the other arm of the
familiar U? Here the true weights are tiny ($\|\mathbf{w}^*\|_2 = 0.01\sqrt{200} \approx 0.14$), so shrinking them all the
way to zero costs almost nothing, and the damage that decay repairs is not noise the model memorized but the
initialization that gradient descent cannot remove. The closed-form ridge solution makes the point: it starts from no
initialization at all, and even its ridgeless limit $\lambda \to 0$ (the minimum-norm interpolant) is excellent.
"""),
    code("""
double ridgeless = Ridge.Loss(data.Test, Ridge.Solve(data.Train, 1e-6));
int bestRun = runs.FindIndex(r => r.History.Final.TestLoss == runs.Min(q => q.History.Final.TestLoss));
display(Claims.Check("the trained model's test loss falls by more than 1000× from the smallest to the best λ",
    runs[0].History.Final.TestLoss > 1000 * runs[bestRun].History.Final.TestLoss,
    $"λ = {grid[0]:G3}: {runs[0].History.Final.TestLoss:G3}; best λ = {grid[bestRun]:G3}: {runs[bestRun].History.Final.TestLoss:G3}"));
Claims.Check("the closed-form ridgeless fit beats SGD without decay by more than 1000×", plain.Final.TestLoss > 1000 * ridgeless,
    $"SGD, λ = 0: {plain.Final.TestLoss:G3}; minimum-norm interpolant: {ridgeless:G4}")
"""),
    md(r"""
### Gradient descent reaches the closed form

The closed-form minimizer of $L'$ (bias unpenalized) is

$$\mathbf{w}_\lambda = \left(\tfrac{1}{n}X_c^\top X_c + \lambda I\right)^{-1} \tfrac{1}{n} X_c^\top \mathbf{y}_c, \qquad b_\lambda = \bar y - \bar{\mathbf{x}}^\top \mathbf{w}_\lambda ,$$

with $X_c$, $\mathbf{y}_c$ the centered data. Full-batch gradient descent on the same objective (started at zero, the bias
eliminated by its optimum) must converge to it for every λ:
"""),
    code("""
var agreement = grid.Select(l => { var gd = Ridge.GradientDescent(data.Train, l, steps: 500); var cf = Ridge.Solve(data.Train, l);
    return Math.Sqrt(gd.Weights.Zip(cf.Weights, (a, b) => (a - b) * (a - b)).Sum()) / cf.WeightNorm; }).ToList();
Claims.Check("gradient descent and the closed form agree for every λ of the grid", agreement.Max() < 1e-6,
    $"largest relative difference {agreement.Max():E1}")
"""),
    md(r"""
## The classic U, at the interpolation threshold

The U-shaped test curve appears when the noise, not the initialization, is what hurts: with as many training examples as
inputs ($n = d = 200$) and more label noise ($\sigma = 0.1$), the unregularized fit is dominated by variance (it must
interpolate noisy labels with an ill-conditioned design), a huge λ by bias (it predicts the mean). We use the closed form,
so each point is exact.
"""),
    code("""
var big = SyntheticRegression.Create(trainCount: 200, testCount: 1000, noiseStd: 0.1, seed: seed, dtype: TorchSharp.torch.ScalarType.Float64);
var uGrid = RidgeStudy.LogGrid(1e-4, 1e2, 25);
var path = Ridge.Path(big.Train, uGrid);
var uTrain = path.Select(p => Ridge.Loss(big.Train, p.Solution)).ToList();
var uTest = path.Select(p => Ridge.Loss(big.Test, p.Solution)).ToList();
int uBest = uTest.IndexOf(uTest.Min());
display(Claims.Check("at n = d the test loss is U-shaped in λ: its minimum is inside the grid, well below both ends",
    uBest > 0 && uBest < uGrid.Length - 1 && uTest[0] > 5 * uTest[uBest] && uTest[^1] > 1.3 * uTest[uBest],
    $"test loss {uTest[0]:G3} at λ = {uGrid[0]:G2}, {uTest[uBest]:G3} at λ = {uGrid[uBest]:G3}, {uTest[^1]:G3} at λ = {uGrid[^1]:G2}"));
SweepCharts.Lines(uGrid, new[] { ("train", (IReadOnlyList<double>)uTrain), ("test", uTest) },
    "n = d = 200, σ = 0.1: loss against λ (closed form)", "λ (log scale)", "data loss (log scale)", logX: true, logY: true, dashes: new[] { null, "dash" })
"""),
    md(r"""
## The regularization path

As λ grows every weight is pulled towards zero — not uniformly: the closed form shrinks each eigendirection of
$\tfrac1n X_c^\top X_c$ by $h_i/(h_i+\lambda)$, so the path of each coordinate $w_j(\lambda)$ is a smooth curve, and the
norm $\|\mathbf{w}_\lambda\|_2$ decreases monotonically. The dotted line is the true value 0.01.
"""),
    code("""
var pathFig = new Figure().WithTitle("Regularization path of the first eight weights (n = d = 200)").WithXAxis("λ (log scale)", log: true).WithYAxis("w_j(λ)");
for (int j = 0; j < 8; j++) pathFig.AddLine(uGrid, path.Select(p => p.Solution.Weights[j]).ToList(), $"w_{j + 1}", color: Charts.Palette[j]);
pathFig.AddLine(new[] { uGrid[0], uGrid[^1] }, new[] { 0.01, 0.01 }, "true value 0.01", dash: "dot", color: "#777777");
var norms = path.Select(p => p.Solution.WeightNorm).ToList();
display(Claims.Check("‖w_λ‖₂ decreases monotonically along the path", norms.Zip(norms.Skip(1), (a, b) => b < a).All(x => x),
    $"‖w‖₂ from {norms[0]:G3} to {norms[^1]:G3}"));
pathFig
"""),
    md(r"""
## More noise, more decay

Krogh & Hertz (1992) showed for linear networks that the best weight decay grows with the noise in the labels: decay
trades variance (which noise creates) for bias. We repeat the $n = d$ experiment for four noise levels, average the test
loss over a few data sets and mark each curve's minimum.
"""),
    code("""
var noise = new[] { 0.01, 0.05, 0.1, 0.2 };
var curves = RidgeStudy.NoiseSweep(noise, RidgeStudy.LogGrid(1e-4, 1e2, 31), seeds: noiseSeeds, trainCount: 200);
var noiseFig = SweepCharts.Lines(curves[0].Lambdas, curves.Select(c => ($"σ = {c.NoiseStd}", (IReadOnlyList<double>)c.MeanTestLoss)),
    "Mean test loss against λ for four noise levels", "λ (log scale)", "test loss (log scale)", logX: true, logY: true);
noiseFig.Add(new System.Text.Json.Nodes.JsonObject { ["type"] = "scatter", ["mode"] = "markers", ["name"] = "best λ",
    ["x"] = Figure.Numbers(curves.Select(c => (double?)c.BestLambda)), ["y"] = Figure.Numbers(curves.Select(c => (double?)c.MeanTestLoss.Min())),
    ["marker"] = new System.Text.Json.Nodes.JsonObject { ["size"] = 12, ["symbol"] = "star", ["color"] = "#000000" } });
var best = curves.Select(c => c.BestLambda).ToList();
display(Claims.Check("the best λ grows with the label noise", best.Zip(best.Skip(1), (a, b) => b >= a).All(x => x) && best[^1] > 4 * best[0],
    $"best λ for σ = {string.Join(", ", noise)}: {string.Join(", ", best.Select(b => b.ToString("G3")))}"));
noiseFig
"""),
    md(r"""
## Summary

- Without decay, SGD cannot touch the directions the training data do not span; whatever the initialization put there
  stays and ruins test predictions. Decay shrinks those directions geometrically.
- In d2l's setting that is most of what decay does; the classic bias–variance U appears when noise dominates, e.g. at the
  interpolation threshold $n = d$.
- The best λ grows with the label noise.

## Exercises

1. Start from $w_j \sim \mathcal{N}(0, 0.01^2)$ (d2l's current edition) instead of $\mathcal{N}(0, 1)$. How do the two runs
   and the λ sweep change, and why?
2. With $\lambda = 3$, predict $\|\mathbf{w}\|_2$ after 100 epochs from the factor $(1-\eta\lambda)$ per step and the number
   of steps, and compare with the run.
3. Where is the best λ of the $n = d$ experiment when $n = 400$? Explain with the bias–variance trade-off.

Worked solutions: [solutions/03-high-dimensional-linear-regression](solutions/03-high-dimensional-linear-regression.ipynb).
"""),
])

write(root / "notebooks" / "solutions" / "03-high-dimensional-linear-regression.ipynb", [
    md(r"""
# Solutions · 03 High-dimensional linear regression

Worked solutions to the exercises of lesson 03. Each answer is computed and checked.
"""),
    bootstrap(depth=2),
    code("""
var seed = 0;
var epochs = 100;
""", tags=["parameters"]),
    code(USINGS + "\n\nvar data = SyntheticRegression.Create(seed: seed);\n" + TRAIN.replace("initStd: 1, seed: seed);        // w ~ N(0, 1), b = 0, as in the older d2l", "initStd: initStd, seed: seed);").replace("TrainingHistory TrainD2l(double λ, SyntheticRegression data)", "TrainingHistory TrainD2l(double λ, SyntheticRegression data, double initStd = 1)")),
    md(r"""
## 1. A small initialization

With $w_j \sim \mathcal{N}(0, 0.01^2)$ the orthogonal part of the initialization has norm about $0.01\sqrt{180} \approx 0.13$
instead of 13.4: there is almost nothing for decay to remove, so the run without decay generalizes well too and decay
changes the test loss little. The λ sweep loses its steep left arm.
"""),
    code("""
var small0 = TrainD2l(0, data, initStd: 0.01);
var small3 = TrainD2l(3, data, initStd: 0.01);
display(Claims.Check("from a small initialization the run without decay already generalizes (test loss < 0.05)", small0.Final.TestLoss < 0.05,
    $"test loss {small0.Final.TestLoss:G3} (λ = 0), {small3.Final.TestLoss:G3} (λ = 3)"));
Charts.LearningCurves(new[] { ("λ = 0, small init", small0), ("λ = 3, small init", small3) })
"""),
    md(r"""
## 2. Predicting ‖w‖ under decay

Decay multiplies $\mathbf{w}$ by $(1 - \eta\lambda)$ at every step, and the data gradient cannot act on the orthogonal part,
so that part shrinks exactly geometrically: after $T = 100 \cdot 20/5 = 400$ steps it is $(1 - 0.009)^{400} \approx 0.027$
of its initial norm. The in-span part settles near the ridge solution, which is small.
"""),
    code("""
var run = TrainD2l(3, data);
double[] W(TrainingHistory h, int k) => h.Snapshots[k].Values.Single(v => v.Key == "weight").Value;
int steps = epochs * 20 / 5;
double predicted = DataSpan.Split(data.Train, W(run, 0)).Orthogonal * Math.Pow(1 - 0.003 * 3, steps);
double actual = DataSpan.Split(data.Train, W(run, 1)).Orthogonal;
Claims.Check("the orthogonal part of w shrinks exactly by (1 − ηλ)^T", Math.Abs(actual - predicted) < 1e-3 * predicted,
    $"predicted {predicted:F4}, measured {actual:F4}, total ‖w‖₂ {run.Final.LayerNorms["weight"]:F4}")
"""),
    md(r"""
## 3. More data, less decay

With $n = 400 > d$ the unregularized least-squares fit is well conditioned, its variance is small, and the best λ moves
to smaller values than at $n = d$.
"""),
    code("""
var grid = RidgeStudy.LogGrid(1e-4, 1e2, 31);
var at200 = RidgeStudy.NoiseSweep(new[] { 0.1 }, grid, seeds: 2, trainCount: 200)[0];
var at400 = RidgeStudy.NoiseSweep(new[] { 0.1 }, grid, seeds: 2, trainCount: 400)[0];
Claims.Check("with twice the data the best λ is smaller", at400.BestLambda < at200.BestLambda,
    $"best λ {at200.BestLambda:G3} at n = 200, {at400.BestLambda:G3} at n = 400")
"""),
])
