"""Writes notebooks/05-norm-decay.ipynb and its solutions notebook."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import md, code, bootstrap, write

root = pathlib.Path(__file__).resolve().parents[2]

USINGS = """using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;"""

write(root / "notebooks" / "05-norm-decay.ipynb", [
    md(r"""
# 05 · Norm decay

With plain SGD, one step on the penalized loss $L'(\theta) = L(\theta) + \frac{\lambda}{2}\|\theta\|^2$ is

$$\theta_{t+1} = (1 - \eta\lambda)\,\theta_t - \eta\,\nabla L(\theta_t):$$

every step first *shrinks* the weights by the factor $1-\eta\lambda$ — hence the name weight *decay* — and then lets the
data gradient push them where the data want them. This lesson follows the norm $\|\theta\|_2$ through training: how it
depends on λ, what happens when the data gradient is switched off, how the whole distribution of weights evolves, and
what decay does to a layer whose scale the loss cannot see.
"""),
    bootstrap(),
    md(r"""
## Parameters
"""),
    code("""
var seed = 0;
var epochs = 10;            // quick: 4
var lambdas = new double[] { 0, 1e-4, 1e-3, 1e-2, 3e-2 };
var decayOnlySteps = 300;
var normEpochs = 12;        // quick: 10
""", tags=["parameters"]),
    code(USINGS + """

var mnist = Mnist.Load();
TrainingHistory TrainSgd(double λ)
{
    using var model = new Mlp(seed: seed);   // 784 → 64 → ReLU → 10
    return Trainer.Fit(model, mnist.Train, mnist.Test, new CrossEntropy(), new TrainerOptions
    {
        Epochs = epochs, BatchSize = 128, Seed = seed, SnapshotEveryEpochs = 1,
        Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1),
        Decay = λ == 0 ? WeightDecayOptions.None : new WeightDecayOptions(DecayMethod.Coupled, λ),
    });
}
var runs = lambdas.Select(l => (Label: l == 0 ? "λ = 0" : $"λ = {l:0e0}", History: TrainSgd(l))).ToList();"""),
    md(r"""
## ‖θ‖ over training, for a grid of λ

Without decay the norm grows as the network fits the data. The larger λ, the earlier decay and data gradient balance and
the lower the norm at which they do.
"""),
    code("""
Charts.NormCurves(runs, logY: true, title: "‖θ‖₂ during training (SGD, η = 0.1)")
"""),
    code("""
var finals = runs.Select(r => r.History.Final.ParameterNorm).ToList();
Claims.Check("the final ‖θ‖₂ decreases monotonically with λ", finals.Zip(finals.Skip(1), (a, b) => b < a).All(x => x),
    $"‖θ‖₂ = {string.Join(" → ", finals.Select(v => v.ToString("F2")))}")
"""),
    md(r"""
Per layer, the picture is the same, but the layers differ in scale and in how strongly the data pull on them. Drag the
slider to compare λ values:
"""),
    code("""
var layerFig = new Figure().WithTitle("Per-tensor norms during training").WithXAxis("epoch").WithYAxis("‖·‖₂ (Frobenius)", log: true);
var groups = new List<IReadOnlyCollection<int>>();
foreach (var (label, h) in runs)
{
    var names = h.Epochs[0].LayerNorms.Keys.ToList();
    groups.Add(Enumerable.Range(layerFig.Data.Count, names.Count).ToArray());
    for (int k = 0; k < names.Count; k++)
        layerFig.AddLine(h.Epochs.Select(e => (double)e.Epoch), h.Epochs.Select(e => e.LayerNorms[names[k]]), $"{names[k]} ({label})", color: Charts.Palette[k]);
}
layerFig.WithSlider("", runs.Select(r => r.Label).ToList(), groups, active: runs.Count - 1)
"""),
    md(r"""
## Decay only

Switch the data gradient off and only the first half of the update remains, $\theta_{t+1} = (1-\eta\lambda)\theta_t$: the
norm must fall *exactly* geometrically, $\|\theta_t\| = (1-\eta\lambda)^t \|\theta_0\|$, and parameters that are not decayed
(the biases) must not move at all. We check it in float64 on a network trained for one epoch.
"""),
    code("""
var train64 = mnist.Train.To(torch.ScalarType.Float64);
var model64 = new Mlp(seed: seed, dtype: torch.ScalarType.Float64);
const double eta = 0.1, lam = 1e-2;
Trainer.Fit(model64, train64, null, new CrossEntropy(), new TrainerOptions { Epochs = 1, BatchSize = 128,
    Optimizer = new OptimizerOptions(OptimizerKind.Sgd, eta), Decay = new WeightDecayOptions(DecayMethod.Coupled, lam) });
var biasBefore = Evaluation.LayerNorms(model64)["fc1.bias"];
var sgd = new WeightDecayOptimizer(model64, new OptimizerOptions(OptimizerKind.Sgd, eta), new WeightDecayOptions(DecayMethod.Coupled, lam));
var decayNorms = DecayOnly.Run(model64, sgd, decayOnlySteps, "fc1.weight");
var predicted = decayNorms.Select((_, t) => decayNorms[0] * Math.Pow(1 - eta * lam, t)).ToList();
double worst = decayNorms.Zip(predicted, (a, b) => Math.Abs(a - b) / b).Max();
display(Claims.Check("with the data gradient off, ‖W₁‖ follows (1 − ηλ)ᵗ exactly", worst < 1e-12,
    $"largest relative deviation over {decayOnlySteps} steps: {worst:E1}; ‖W₁‖ {decayNorms[0]:F4} → {decayNorms[^1]:F4}"));
display(Claims.Check("the biases, which are not decayed, do not move", Evaluation.LayerNorms(model64)["fc1.bias"] == biasBefore,
    $"‖b₁‖ = {biasBefore:R} before and after"));
var steps = Enumerable.Range(0, decayNorms.Count).Select(t => (double)t).ToList();
new Figure().WithTitle("Decay only: measured ‖W₁‖ and (1 − ηλ)ᵗ‖W₁‖₀").WithXAxis("step t").WithYAxis("‖W₁‖₂", log: true)
    .AddLine(steps, decayNorms, "measured").AddLine(steps, predicted, "(1 − ηλ)ᵗ ‖W₁‖₀", dash: "dash")
"""),
    md(r"""
## The distribution of the weights

The norm is one number. The heatmaps show the whole distribution of the first layer's 50,176 weights after every epoch
(colour: log₁₀ of the count in each bin). Without decay the distribution keeps its initial uniform shape and widens at the
edges; with decay the mass is pulled into a narrow peak around zero.
"""),
    code("""
double[] Fc1(ParameterSnapshot s) => s.Values.Single(v => v.Key == "fc1.weight").Value;
double edge = 0.1;
double[][] Evolution(TrainingHistory h) => h.Snapshots.Select(s => WeightStatistics.Histogram(Fc1(s), 60, -edge, edge).Counts.Select(c => Math.Log10(c + 1)).ToArray()).ToArray();
var centers = WeightStatistics.Histogram(new double[0], 60, -edge, edge).Centers;
var epochsAxis = runs[0].History.Snapshots.Select(s => (double)s.Epoch).ToList();
display(SweepCharts.Heatmap(centers, epochsAxis, Evolution(runs[0].History), $"First-layer weights over training, {runs[0].Label}", "weight value", "epoch", "log₁₀(count + 1)"));
SweepCharts.Heatmap(centers, epochsAxis, Evolution(runs[^1].History), $"First-layer weights over training, {runs[^1].Label}", "weight value", "epoch", "log₁₀(count + 1)")
"""),
    code("""
double Small(TrainingHistory h) => Fc1(h.Snapshots[^1]).Count(v => Math.Abs(v) < 0.005) / 50176.0;
Claims.Check("decay moves a larger share of first-layer weights close to zero (|w| < 0.005): at least 1.5× as many", Small(runs[^1].History) > 1.5 * Small(runs[0].History),
    $"{Small(runs[0].History):P1} at {runs[0].Label}, {Small(runs[^1].History):P1} at {runs[^1].Label}")
"""),
    md(r"""
## When the loss cannot see the scale

Put a normalization after a layer — here LayerNorm without learned scale, as in `NormalizedMlp`:
inputs → $W_1$ → LayerNorm → ReLU → $W_2$. Then the loss does not depend on the scale of $W_1$ at all,
$L(cW_1) = L(W_1)$ for every $c > 0$, and two things follow (van Laarhoven 2017):

1. L2 cannot regularize $W_1$: shrinking it changes nothing the network computes.
2. The gradient is orthogonal to $W_1$ and scales like $1/\|W_1\|$, so a step changes the *direction* of $W_1$ by about
   $\eta\|\nabla L\|/\|W_1\| \propto \eta/\|W_1\|^2$: the **effective learning rate** is $\eta/\|W_1\|^2$.

Without decay, $\|W_{1,t+1}\|^2 = \|W_{1,t}\|^2 + \eta^2\|\nabla L\|^2$: the norm can only grow, and the effective learning
rate only fall. With decay the shrink $(1-\eta\lambda)$ balances that growth at an *equilibrium norm* that does not depend on
where training started. We start two networks at very different scales (×0.25 and ×4) and train each with and without decay.
"""),
    code("""
var probe = new NormalizedMlp(seed: seed);
var (x, y) = mnist.Test.Batch(Enumerable.Range(0, 500).Select(i => (long)i).ToArray());
double LossNow() { using var _ = torch.no_grad(); return new CrossEntropy().Forward(probe.forward(x), y).ToDouble(); }
double baseLoss = LossNow();
var scaled = new[] { 0.1, 0.5, 2.0, 10.0 }.Select(c => { using (torch.no_grad()) probe.Hidden.weight!.mul_(c); double l = LossNow(); using (torch.no_grad()) probe.Hidden.weight!.div_(c); return l; }).ToList();
Claims.Check("the loss does not change when W₁ is scaled by 0.1, 0.5, 2 or 10", scaled.All(l => Math.Abs(l - baseLoss) < 1e-5 * baseLoss),
    $"loss {baseLoss:F6}; scaled: {string.Join(", ", scaled.Select(l => l.ToString("F6")))}")
"""),
    code("""
const double etaN = 0.2, lamN = 0.02;
TrainingHistory TrainNormalized(double scale, bool decay)
{
    using var m = new NormalizedMlp(seed: seed);
    using (torch.no_grad()) m.Hidden.weight!.mul_(scale);
    return Trainer.Fit(m, mnist.Train, mnist.Test, new CrossEntropy(), new TrainerOptions { Epochs = normEpochs, BatchSize = 128, Seed = seed,
        Optimizer = new OptimizerOptions(OptimizerKind.Sgd, etaN), Decay = decay ? new WeightDecayOptions(DecayMethod.Coupled, lamN) : WeightDecayOptions.None });
}
var normRuns = (from scale in new[] { 0.25, 4.0 } from decay in new[] { false, true }
                select (Label: $"×{scale}, {(decay ? $"λ = {lamN}" : "no decay")}", History: TrainNormalized(scale, decay))).ToList();
double W1(EpochMetrics e) => e.LayerNorms["fc1.weight"];
var ep = normRuns[0].History.Epochs.Select(e => (double)e.Epoch).ToList();
var normFig = new Figure().WithTitle("‖W₁‖ of the scale-invariant layer").WithXAxis("epoch").WithYAxis("‖W₁‖₂", log: true);
var lrFig = new Figure().WithTitle("Effective learning rate η/‖W₁‖²").WithXAxis("epoch").WithYAxis("η / ‖W₁‖²", log: true);
for (int i = 0; i < normRuns.Count; i++)
{
    var (label, h) = normRuns[i];
    string dash = label.Contains("no decay") ? "dash" : null;
    normFig.AddLine(ep, h.Epochs.Select(W1), label, dash: dash, color: Charts.Palette[i / 2]);
    lrFig.AddLine(ep, h.Epochs.Select(e => etaN / (W1(e) * W1(e))), label, dash: dash, color: Charts.Palette[i / 2]);
}
display(normFig);
lrFig
"""),
    code("""
var noDecay = normRuns.Where(r => r.Label.Contains("no decay")).ToList();
var withDecay = normRuns.Where(r => !r.Label.Contains("no decay")).ToList();
display(Claims.Check("without decay ‖W₁‖ never decreases", noDecay.All(r => r.History.Epochs.Zip(r.History.Epochs.Skip(1), (a, b) => W1(b) >= W1(a)).All(ok => ok)),
    $"final ‖W₁‖: {string.Join(", ", noDecay.Select(r => W1(r.History.Final).ToString("F2")))}"));
double a0 = W1(withDecay[0].History.Final), a1 = W1(withDecay[1].History.Final);
display(Claims.Check("with decay both starts reach the same equilibrium norm (within 15%)", Math.Abs(a0 - a1) < 0.15 * Math.Max(a0, a1),
    $"‖W₁‖ from ×0.25: {a0:F2}; from ×4: {a1:F2}"));
double lrBig = etaN / Math.Pow(W1(noDecay[1].History.Final), 2), lrBigDecay = etaN / Math.Pow(a1, 2);
Claims.Check("decay keeps the effective learning rate of the large start more than 10× higher", lrBigDecay > 10 * lrBig,
    $"η/‖W₁‖² = {lrBig:E2} without decay, {lrBigDecay:E2} with decay")
"""),
    md(r"""
So for a normalized layer, weight decay is not a regularizer in the usual sense. It is a *learning-rate controller*: it sets
the norm, and through the norm the effective step size. This is why decay still matters in networks full of batch or
layer normalization, and why its best value is entangled with the learning rate (lesson 07).

## Summary

- SGD with L2 multiplies the weights by $(1-\eta\lambda)$ before every data step; without data it is exactly geometric decay.
- The norm settles where decay balances the data gradient: lower for larger λ.
- For scale-invariant layers decay cannot change the function; it fixes the norm at an equilibrium independent of the
  initialization and so controls the effective learning rate $\eta/\|W\|^2$.

## Exercises

1. At the equilibrium of a scale-invariant layer, the decay's shrink $2\eta\lambda\|W\|^2$ per step balances the growth
   $\eta^2\|\nabla L\|^2$. Use $\|\nabla L\| = \|\tilde g\|/\|W\|$ to predict how the equilibrium norm scales with λ and η,
   and check the prediction by doubling λ.
2. Repeat the decay-only experiment with SGD momentum 0.9 and coupled decay. Is the decay still $(1-\eta\lambda)^t$? What
   about decoupled decay with momentum?

Worked solutions: [solutions/05-norm-decay](solutions/05-norm-decay.ipynb).
"""),
])

write(root / "notebooks" / "solutions" / "05-norm-decay.ipynb", [
    md(r"""
# Solutions · 05 Norm decay

Worked solutions to the exercises of lesson 05, each computed and checked.
"""),
    bootstrap(depth=2),
    code("""
var seed = 0;
var normEpochs = 12;     // quick: 10
""", tags=["parameters"]),
    code(USINGS + """

var mnist = Mnist.Load();"""),
    md(r"""
## 1. How the equilibrium norm scales

Setting $2\eta\lambda\|W\|^2 = \eta^2\|\tilde g\|^2/\|W\|^2$ gives $\|W\|^4 = \eta\|\tilde g\|^2/(2\lambda)$: the equilibrium
norm scales like $(\eta/\lambda)^{1/4}$. Doubling λ should divide it by $2^{1/4} \approx 1.19$ (if $\|\tilde g\|$, the
gradient at unit scale, stays about the same).
"""),
    code("""
double Equilibrium(double lam)
{
    using var m = new NormalizedMlp(seed: seed);
    var h = Trainer.Fit(m, mnist.Train, null, new CrossEntropy(), new TrainerOptions { Epochs = normEpochs, BatchSize = 128, Seed = seed,
        Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.2), Decay = new WeightDecayOptions(DecayMethod.Coupled, lam) });
    return h.Final.LayerNorms["fc1.weight"];
}
double n1 = Equilibrium(0.02), n2 = Equilibrium(0.04);
Claims.Check("doubling λ divides the equilibrium norm by about 2^¼ ≈ 1.19 (within 10%)", Math.Abs(n1 / n2 / Math.Pow(2, 0.25) - 1) < 0.1,
    $"‖W₁‖ = {n1:F3} at λ = 0.02, {n2:F3} at λ = 0.04; ratio {n1 / n2:F3}")
"""),
    md(r"""
## 2. Decay only, with momentum

With coupled decay the term $\lambda\theta$ enters the momentum buffer, $b_t = \mu b_{t-1} + \lambda\theta_t$, and
$\theta_{t+1} = \theta_t - \eta b_t$. Eliminating $b$ gives $\theta_{t+1} = (1+\mu-\eta\lambda)\,\theta_t - \mu\,\theta_{t-1}$:
after a transient the norm shrinks per step by the larger root $r$ of $r^2 - (1+\mu-\eta\lambda)\,r + \mu = 0$, which is
$\approx 1 - \eta\lambda/(1-\mu)$ when $\eta\lambda \ll (1-\mu)^2$ — momentum amplifies coupled decay up to tenfold
for $\mu = 0.9$. Decoupled decay is applied outside the buffer and stays exactly $(1-\eta\lambda)$.
"""),
    code("""
IReadOnlyList<double> DecayWith(DecayMethod method)
{
    var m = new Mlp(seed: seed, dtype: torch.ScalarType.Float64);
    var opt = new WeightDecayOptimizer(m, new OptimizerOptions(OptimizerKind.Sgd, 0.1, Momentum: 0.9), new WeightDecayOptions(method, 1e-2));
    return DecayOnly.Run(m, opt, 200, "fc1.weight");
}
var coupled = DecayWith(DecayMethod.Coupled);
var decoupled = DecayWith(DecayMethod.Decoupled);
double lastCoupled = coupled[^1] / coupled[^2], lastDecoupled = decoupled[^1] / decoupled[^2];
double root = DecayAudit.MomentumDecayFactor(0.1 * 1e-2, 0.9);
display(Claims.Check("with momentum, coupled decay shrinks by the dominant root r per step", Math.Abs(lastCoupled - root) < 1e-9,
    $"last step factor {lastCoupled:F9}, root {root:F9}, approximation 1 − ηλ/(1 − μ) = {1 - 0.1 * 1e-2 / 0.1:F6}"));
Claims.Check("decoupled decay stays exactly 1 − ηλ per step", Math.Abs(lastDecoupled - (1 - 0.1 * 1e-2)) < 1e-12,
    $"last step factor {lastDecoupled:R}")
"""),
])
