"""Writes notebooks/07-l2-is-not-weight-decay-for-adam.ipynb and its solutions notebook."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import md, code, bootstrap, write

root = pathlib.Path(__file__).resolve().parents[2]
NAME = "07-l2-is-not-weight-decay-for-adam.ipynb"

USINGS = """using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;"""

DATA = """var mnist = Mnist.Load();
TensorDataset Stride(TensorDataset d, int n) => d.Subset(Enumerable.Range(0, n).Select(i => (long)i * (d.Count / n)).ToArray());
var train = Stride(mnist.Train, trainCount);   // every k-th digit: all ten classes
var test = Stride(mnist.Test, testCount);
var gridOptions = new GridTrainingOptions(Epochs: epochs, BatchSize: 50, Hidden: new[] { 32 }, Seed: seed);   // 784 → 32 → ReLU → 10
var sgd = new OptimizerOptions(OptimizerKind.Sgd, 0.1, Momentum: 0.9);
var adam = new OptimizerOptions(OptimizerKind.Adam, 1e-3);
var sgdRates = HyperparameterGrid.PowersOfTwo(-8, -3, lrCount);
var adamRates = HyperparameterGrid.PowersOfTwo(-11, -6, lrCount);
GridResult Sweep(string label, OptimizerOptions o, WeightDecayOptions d, double[] rates, double log2From, double log2To, int rows = 0) =>
    HyperparameterGrid.Train(label, o, d, rates, HyperparameterGrid.PowersOfTwo(log2From, log2To, rows > 0 ? rows : lambdaCount), train, test, gridOptions);"""

write(root / "notebooks" / NAME, [
    md(r"""
# 07 · L2 is not weight decay for Adam

For plain SGD, adding $\frac{\lambda'}{2}\|\theta\|^2$ to the loss and shrinking the weights by a fixed fraction every step
are the same thing (lesson 05). Loshchilov & Hutter (2019, *Decoupled Weight Decay Regularization*) point out that this
is a coincidence of SGD:

- **Prop. 1** — SGD with L2 coefficient $\lambda'$ equals SGD with decoupled decay $\theta \leftarrow \theta - \lambda\theta$ when
  $\lambda' = \lambda/\alpha$ ($\alpha$ the learning rate): the two coefficients are *entangled* with the learning rate.
- **Prop. 2** — for Adam no L2 coefficient reproduces decoupled decay: Adam divides every gradient component, the L2 term
  $\lambda'\theta_i$ included, by $\sqrt{\hat v_i}$. Weights with large gradients are barely regularized.

Their fix, **AdamW** (and SGDW), takes the decay out of the gradient: $\theta \leftarrow \theta - \eta\,\lambda\,\theta - \eta\,\hat m/(\sqrt{\hat v}+\epsilon)$.
This lesson measures both statements: the per-coordinate shrinkage on two weights, then learning-rate × λ grids for
SGD+L2, SGDW, Adam+L2 and AdamW on the MNIST subset.

**Conventions (they decide what "axis-aligned" means).** Our `DecayMethod.Decoupled` multiplies λ by the learning rate,
$\theta \leftarrow \theta - \eta\lambda\theta$, as PyTorch's `AdamW(lr, weight_decay)` does. The paper writes
$\theta \leftarrow \theta - \eta_t\lambda\theta$ with a *schedule multiplier* $\eta_t$ (1 here), **not** $\alpha$: its
$\lambda_{\text{paper}} = \eta\,\lambda_{\text{ours}}$. L2 (`Coupled`) is the coefficient of $\frac12\|\theta\|^2$ in every
convention. Biases are not decayed.
"""),
    bootstrap(),
    md(r"""
## Parameters
"""),
    code("""
var seed = 0;
var trainCount = 600;     // small: the network overfits, so decay has something to do
var testCount = 1000;
var epochs = 25;
var lrCount = 6;          // quick: 3
var lambdaCount = 6;      // quick: 4
var edgeTolerance = 0.1;  // the good region: test loss within 10% of the best at that learning rate
var shrinkSteps = 3000;   // quick: 1500
""", tags=["parameters"]),
    code(USINGS + "\n\n" + DATA),
    md(r"""
## Two weights, one hundred times apart

Two weights start at 1. Their data gradients are pure noise, $s_i\cdot(\pm1)$ alternating, with scales $s_1 = 1$ and
$s_2 = 100$ — like a weight on a rare feature next to one on a busy feature. Nothing in the data favours either value, so
all the drift is decay. Adam normalizes each coordinate by $\sqrt{\hat v_i} \approx s_i$:

- **Adam+L2**: the term $\lambda\theta_i$ joins the gradient and is divided by $\sqrt{\hat v_i}$, so weight *i* decays at the rate
  $\eta\lambda/(\sqrt{\hat v_i}+\epsilon) \approx \eta\lambda/s_i$ per step — a hundred times slower for the busy weight.
- **AdamW**: $\theta_i \leftarrow (1-\eta\lambda)\theta_i$ for both, whatever their gradients: the rate is $-\ln(1-\eta\lambda)$.
"""),
    code("""
double[] scales = { 1, 100 };
const double eta = 0.01, lam = 0.1;
var coupled = ShrinkageDemo.Run(scales, DecayMethod.Coupled, eta, lam, shrinkSteps);
var decoupled = ShrinkageDemo.Run(scales, DecayMethod.Decoupled, eta, lam, shrinkSteps);
var tAxis = Enumerable.Range(0, shrinkSteps + 1).Where(t => t % 10 == 0).Select(t => (double)t).ToList();
var shrinkFig = new Figure().WithTitle($"Decay only, under Adam (η = {eta}, λ = {lam})").WithXAxis("step").WithYAxis("θᵢ", log: true);
foreach (var (run, name, dash) in new[] { (coupled, "Adam+L2", (string?)null), (decoupled, "AdamW", "dash") })
    for (int i = 0; i < scales.Length; i++)
        shrinkFig.AddLine(tAxis, tAxis.Select(t => run.Weights[(int)t][i]), $"{name}, gradient scale {scales[i]}", dash: dash, color: Charts.Palette[i]);
shrinkFig
"""),
    code("""
string Rates(ShrinkageTrajectory r) => string.Join("; ", scales.Select((s, i) => $"s = {s}: measured {r.DecayRate(i, 100):E3}, closed form {r.PredictedDecayRate(i):E3}"));
bool Near(double a, double b, double tol) => Math.Abs(a / b - 1) <= tol;
display(Claims.Check("AdamW decays both weights at the same rate −ln(1 − ηλ), within 1%",
    Enumerable.Range(0, 2).All(i => Near(decoupled.DecayRate(i, 100), decoupled.PredictedDecayRate(i), 0.01)), $"{Rates(decoupled)}"));
display(Claims.Check("Adam+L2 decays weight i at ηλ/(√v̂ᵢ + ε), within 3%",
    Enumerable.Range(0, 2).All(i => Near(coupled.DecayRate(i, 100), coupled.PredictedDecayRate(i), 0.03)), $"{Rates(coupled)}"));
double ratio = coupled.DecayRate(0, 100) / coupled.DecayRate(1, 100);
Claims.Check("under Adam+L2 the weight with 100× larger gradients decays about 100× more slowly (90–110×)", ratio > 90 && ratio < 110,
    $"rate ratio {ratio:F1}; √v̂ = {1 / coupled.AdaptiveScales[0]:F3} and {1 / coupled.AdaptiveScales[1]:F2}")
"""),
    md(r"""
So L2 under Adam is not "weight decay with another coefficient": it decays each weight by an amount that depends on that
weight's gradient history. No single λ' can match AdamW on both weights at once (Prop. 2).

## Prop. 1: for SGD the coefficients are entangled, exactly

For plain SGD, $\theta - \eta(\nabla L + \lambda'\theta) = \theta - \eta\lambda'\theta - \eta\nabla L$: L2 with $\lambda'$ is
decoupled decay with per-step fraction $\lambda_{\text{paper}} = \eta\lambda'$. We train the same network both ways
(float64, 2 epochs) with $\lambda' = \lambda_{\text{paper}}/\eta$:
"""),
    code("""
var train64 = train.To(torch.ScalarType.Float64);
const double etaSgd = 0.05, lamPaper = 2e-3;
double[] TrainSgd(WeightDecayOptions decay)
{
    using var m = new Mlp(hidden: new[] { 16 }, seed: seed, dtype: torch.ScalarType.Float64);
    Trainer.Fit(m, train64, null, new CrossEntropy(), new TrainerOptions { Epochs = 2, BatchSize = 50, Seed = seed,
        Optimizer = new OptimizerOptions(OptimizerKind.Sgd, etaSgd), Decay = decay });
    return m.parameters().SelectMany(p => p.data<double>().ToArray()).ToArray();
}
var viaL2 = TrainSgd(new WeightDecayOptions(DecayMethod.Coupled, lamPaper / etaSgd));
var viaDecay = TrainSgd(new WeightDecayOptions(DecayMethod.Decoupled, lamPaper, DecoupledScalesWithLearningRate: false));
double gap = viaL2.Zip(viaDecay, (a, b) => Math.Abs(a - b)).Max();
Claims.Check("plain SGD: L2 with λ' = λ_paper/η and the paper's decoupled decay λ_paper give the same weights (to 1e-12)", gap < 1e-12,
    $"largest difference over {viaL2.Length} parameters: {gap:E1}")
"""),
    md(r"""
Prop. 1 says nothing about *which* coefficient the good settings keep fixed. If what matters is the decay per step,
$\eta\lambda'$, the good region of SGD+L2 is a diagonal in the (η, λ') plane and that of the paper's SGDW is axis-aligned; if
what matters is the regularized objective $L + \frac{\lambda'}2\|\theta\|^2$, it is the other way round. That is an
empirical question, so we measure it.

## The grids

Each cell trains the same initialization on the same minibatches (600 digits, 25 epochs, batch 50) and records the test
loss: SGD with momentum 0.9 and Adam, each with L2 (`Coupled`) and with decoupled decay in the optimizer's convention
(θ ← θ − ηλθ), on log₂ grids of learning rate × λ. ★ marks each panel's best cell. The white dotted line is the **edge of
the good region**: for each learning rate, the largest λ whose test loss is still within 10% of the best at that rate
(interpolated in log₂ λ) — where decay starts to hurt. Unlike the argmin, which wanders where the loss is flat in λ, the
edge is sharp. Its slope against log₂ η quantifies the shape: −1 for a diagonal ηλ = const, 0 for axis-aligned.
"""),
    code("""
var grids = new List<GridResult>
{
    Sweep("SGD+L2", sgd, new WeightDecayOptions(DecayMethod.Coupled), sgdRates, -10, -5),
    Sweep("SGDW", sgd, new WeightDecayOptions(DecayMethod.Decoupled), sgdRates, -7, -2),
    Sweep("Adam+L2", adam, new WeightDecayOptions(DecayMethod.Coupled), adamRates, -10, -5),
    Sweep("AdamW", adam, new WeightDecayOptions(DecayMethod.Decoupled), adamRates, -4, 1),
};
double bestLoss = grids.Min(g => g.Best.TestLoss);
GridCharts.Panels(grids, c => c.TestLoss, "Final test loss (one color scale; saturates at 1.6× the overall best)", "test loss",
    zmin: bestLoss, zmax: 1.6 * bestLoss, edgeTolerance: edgeTolerance, reverseScale: true)
"""),
    code("""
GridCharts.Panels(grids, c => c.TestAccuracy, "Final test accuracy (one color scale)", "test accuracy",
    zmin: grids.SelectMany(g => g.Cells).Where(c => !c.Diverged).Select(c => c.TestAccuracy).Min(), zmax: grids.Max(g => g.Cells.Where(c => !c.Diverged).Max(c => c.TestAccuracy)))
"""),
    code("""
HyperparameterGrid.SummaryTable(grids, edgeTolerance)
"""),
    code("""
var summary = HyperparameterGrid.Summary(grids, edgeTolerance);
string Slopes(Func<GridSummary, double> f, bool decoupledOnly = false) =>
    string.Join(", ", summary.Where(s => !decoupledOnly || s.Label.EndsWith("W")).Select(s => $"{s.Label} {f(s):+0.00;−0.00}"));
display(Claims.Check("in the optimizer's convention all four good regions are axis-aligned: |edge slope| < 0.4",
    summary.All(s => Math.Abs(s.EdgeSlope) < 0.4), $"{Slopes(s => s.EdgeSlope)}"));
Claims.Check("in the paper's convention (λ_paper = ηλ) the decoupled edges are diagonals λ_paper ∝ η: slope within 0.4 of +1",
    summary.Where(s => s.Label.EndsWith("W")).All(s => Math.Abs(s.EdgeSlopePaper - 1) < 0.4), $"{Slopes(s => s.EdgeSlopePaper, decoupledOnly: true)}")
"""),
    md(r"""
**What we find is not the paper's Fig. 2.** Loshchilov & Hutter report, for a ResNet on CIFAR-10 trained for 100 epochs
with cosine annealing, a diagonal basin for L2 and an axis-aligned one for the paper's SGDW/AdamW. At this small scale every edge is
axis-aligned in *our* convention: L2 in λ', decoupled decay in PyTorch's λ. Read in the paper's convention, the decoupled
panels are sheared into diagonals $\lambda_{\text{paper}} \propto \eta$ — the mirror image. A likely reason (argued, not
checked here): our runs get close to the regularized fixed point. For L2 the fixed point minimizes $L + \frac{\lambda'}2\|\theta\|^2$, whatever η
is. For AdamW, $\hat m/(\sqrt{\hat v}+\epsilon) = -\lambda\theta$ at the fixed point — the η cancels, in PyTorch's form only.
Where per-step decay accumulates over a long schedule instead, the other picture can win. Either way the lesson of
Prop. 1 stands: a λ is meaningless without its convention, and re-tuning η moves the best λ in one of them.

Momentum shows Prop. 1's entanglement once more. Coupled decay enters the momentum buffer and is amplified by
$1/(1-\mu) = 10$ (lesson 05's exercise); decoupled decay is not. So SGDW needs a λ ten times larger than SGD+L2 for the
same effect, and the two edges should be parallel, log₂ 10 ≈ 3.3 apart:
"""),
    code("""
var sgdEdgeL2 = grids[0].EdgeLog2LambdaPerLearningRate(edgeTolerance);
var sgdEdgeW = grids[1].EdgeLog2LambdaPerLearningRate(edgeTolerance);
var offsets = sgdEdgeW.Zip(sgdEdgeL2, (a, b) => a - b).Where(double.IsFinite).ToList();
Claims.Check("SGDW's edge lies log₂(1/(1 − μ)) = log₂ 10 above SGD+L2's (mean offset within 0.4)", offsets.Count >= 2 && Math.Abs(offsets.Average() - Math.Log2(10)) < 0.4,
    $"offsets {string.Join(", ", offsets.Select(o => o.ToString("F2")))}; mean {offsets.Average():F2}, log₂ 10 = {Math.Log2(10):F2}")
"""),
    md(r"""
## Which generalizes better?

The per-coordinate shrinkage is not only a parameterization issue: Adam+L2 and AdamW reach different networks.
On this grid, the best AdamW setting beats the best Adam+L2 setting:
"""),
    code("""
var adamL2 = grids[2].Best; var adamW = grids[3].Best;
Claims.Check("AdamW's best test loss is lower than Adam+L2's", adamW.TestLoss < adamL2.TestLoss,
    $"AdamW {adamW.TestLoss:F4} (acc {adamW.TestAccuracy:P1}, η = 2^{Math.Log2(adamW.LearningRate):F1}, λ = 2^{Math.Log2(adamW.Lambda):F1}); Adam+L2 {adamL2.TestLoss:F4} (acc {adamL2.TestAccuracy:P1}, η = 2^{Math.Log2(adamL2.LearningRate):F1}, λ' = 2^{Math.Log2(adamL2.Lambda):F1})")
"""),
    md(r"""
The margin is a few hundredths of a nat on 1,000 test digits (0.044 for seed 0, 0.026 for seed 1 on the full grid; the
library tests check > 0.01 for both seeds): small, and with the grid's coarse steps (×2) a setting between grid points
could close part of it — but it is in the direction the paper reports.

## Summary

- Under Adam, L2 decays each weight at $\eta\lambda'/\sqrt{\hat v_i}$: weights with large gradients are barely decayed.
  AdamW decays every weight by the same factor $1-\eta\lambda$.
- For SGD, L2 and decoupled decay are the same family of runs with $\lambda' = \lambda_{\text{paper}}/\eta$ (exactly);
  with momentum, coupled decay is amplified $1/(1-\mu)$ times.
- Which coefficient stays fixed when η changes is empirical. Here, after 25 epochs on 600 digits, L2's λ' and PyTorch's
  AdamW λ are (the paper's λ is not): tune λ in the convention where the good region is axis-aligned and it transfers
  across learning rates.
- AdamW's best setting generalized better than Adam+L2's.

## Exercises

1. Run SGDW and AdamW in the paper's form (`DecoupledScalesWithLearningRate: false`) on a λ grid shifted by log₂ η, and
   measure the edge slope directly. Is it +1, as the re-parameterization predicts?
2. Give the second weight of the shrinkage demo the gradient scale 10 (instead of 100). Predict Adam+L2's decay rate
   ratio between the two weights and check it. What λ' would make Adam+L2 decay the busy weight as fast as AdamW does — and
   what would that λ' do to the other weight?

Worked solutions: [solutions/07-l2-is-not-weight-decay-for-adam](solutions/07-l2-is-not-weight-decay-for-adam.ipynb).
"""),
])

write(root / "notebooks" / "solutions" / NAME, [
    md(r"""
# Solutions · 07 L2 is not weight decay for Adam

Worked solutions to the exercises of lesson 07, each computed and checked.
"""),
    bootstrap(depth=2),
    code("""
var seed = 0;
var trainCount = 600;
var testCount = 1000;
var epochs = 25;
var lrCount = 6;          // quick: 3
var lambdaCount = 6;      // quick: 4
var edgeTolerance = 0.1;
""", tags=["parameters"]),
    code(USINGS + "\n\n" + DATA),
    md(r"""
## 1. The paper's form, measured

With $\lambda_{\text{paper}} = \eta\lambda$ the runs are the same family as in the lesson, so the edge must move by exactly
log₂ η: the slope +1. Measured directly, on λ grids wide enough to hold the sheared edge (two more rows than the lesson's):
"""),
    code("""
var paper = new WeightDecayOptions(DecayMethod.Decoupled, DecoupledScalesWithLearningRate: false);
var paperGrids = new List<GridResult>
{
    Sweep("SGDW (paper's λ)", sgd, paper, sgdRates, -13, -4, lambdaCount + 2),
    Sweep("AdamW (paper's λ)", adam, paper, adamRates, -14, -4, lambdaCount + 2),
};
display(GridCharts.Panels(paperGrids, c => c.TestLoss, "Test loss with the paper's decoupled λ (θ ← θ − λθ)", "test loss",
    zmax: 1.6 * paperGrids.Min(g => g.Best.TestLoss), edgeTolerance: edgeTolerance, reverseScale: true));
var slopes = paperGrids.Select(g => g.EdgeSlope(edgeTolerance)).ToList();
Claims.Check("in the paper's form the edges are diagonals λ ∝ η: slope within 0.4 of +1", slopes.All(s => Math.Abs(s - 1) < 0.4),
    $"{string.Join(", ", paperGrids.Zip(slopes, (g, s) => $"{g.Label} {s:+0.00;−0.00}"))}")
"""),
    md(r"""
## 2. Gradient scale 10

The closed form predicts the rate ratio $\sqrt{\hat v_2}/\sqrt{\hat v_1} \approx 10/1$. To decay the busy weight at AdamW's
rate $\eta\lambda$, Adam+L2 needs $\lambda' = \lambda\sqrt{\hat v_2} \approx 10\lambda$ — which decays the quiet weight ten
times faster than AdamW does. No λ' matches both. (Keep λ'θ small against the data gradient: when the decay term
dominates the gradient, Adam normalizes it too and the decay saturates at about η per step.)
"""),
    code("""
double[] scales = { 1, 10 };
const double eta = 0.01, lam = 0.01;   // small λ: λ'θ stays ≪ 1 even at λ' = 10λ, where the closed form holds
var l2 = ShrinkageDemo.Run(scales, DecayMethod.Coupled, eta, lam, 3000);
double ratio = l2.DecayRate(0, 100) / l2.DecayRate(1, 100);
display(Claims.Check("with gradient scales 1 and 10, Adam+L2's decay rates differ about 10× (9–11×)", ratio > 9 && ratio < 11, $"ratio {ratio:F2}"));
var matched = ShrinkageDemo.Run(scales, DecayMethod.Coupled, eta, lam * 10, 3000);
var adamW = ShrinkageDemo.Run(scales, DecayMethod.Decoupled, eta, lam, 3000);
double busy = matched.DecayRate(1, 100) / adamW.DecayRate(1, 100), quiet = matched.DecayRate(0, 100) / adamW.DecayRate(0, 100);
Claims.Check("λ' = 10λ makes Adam+L2 decay the busy weight like AdamW (within 10%) but the quiet one about 10× faster (8–12×)", Math.Abs(busy - 1) < 0.1 && quiet > 8 && quiet < 12,
    $"rate relative to AdamW: busy weight {busy:F2}, quiet weight {quiet:F2}")
"""),
])
