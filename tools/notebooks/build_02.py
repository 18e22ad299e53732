"""Writes notebooks/02-the-gradient-derived-and-verified.ipynb."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import code, bootstrap
from nbx import md, write

root = pathlib.Path(__file__).resolve().parents[2]
write(root / "notebooks" / "02-the-gradient-derived-and-verified.ipynb", [
    md(r"""
# 02 · The gradient, derived and verified

Lesson 01 defined weight decay by its objective $L'(\boldsymbol\theta) = L(\boldsymbol\theta) + \frac\lambda2\lVert\boldsymbol\theta\rVert_2^2$.
This lesson follows the penalty into the training loop: which gradient it adds, how a gradient step turns that into a
shrinking of the weights, why adaptive optimizers such as Adam need the decay applied differently, and which conventions
silently change what a given $\lambda$ means. Each formula is checked numerically on a real network — the
multilayer perceptron 784 → 64 → ReLU → 10 on MNIST digits, in float64 — or on a small exact experiment.
"""),
    bootstrap(),
    md(r"""
## Parameters

The runner overrides these (`--param lambda=0.3`); its quick mode uses the values in the `// quick:` comments.
"""),
    code("""
var seed = 0;
var lambda = 0.1;                 // λ of every experiment
// 2 · gradient check: digits in the batch, entries per tensor checked by finite differences, step h
var batchSize = 64;
var fdEntries = 100;              // quick: 30
var fdStep = 1e-6;
// 3 · pure decay: learning rate η, steps, λ values of the slider
var lr = 0.01;
var decaySteps = 300;
var decayLambdas = new double[] { 0.3, 1, 3 };
// 4 · coupled vs decoupled: learning rates and steps on the MLP; two weights under Adam: gradient scales, steps
var sgdLr = 0.1;
var adamLr = 0.001;
var trainSteps = 30;              // quick: 10
var gradientScales = new double[] { 10, 0.001 };
var adamSteps = 1000;             // quick: 400
""", tags=["parameters"]),
    code("""
using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Regularization;
using WeightDecay.Theory;

var mnist = Mnist.Load();
(torch.Tensor X, torch.Tensor Y) Digits(int n)   // the first n training digits, features in float64
{
    var (x, y) = mnist.Train.Batch(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
    return (x.to_type(torch.ScalarType.Float64), y);
}
Mlp NewMlp() => new Mlp(seed: seed, dtype: torch.ScalarType.Float64);   // 784 → 64 → ReLU → 10, same for a seed
var crossEntropy = new CrossEntropy();
$"{mnist.Train.Count} training digits; the MLP has {NewMlp().parameters().Sum(p => p.numel())} parameters"
"""),
    md(r"""
## 1 · Deriving the gradient

Write the penalty out coordinate by coordinate, $\frac\lambda2\lVert\boldsymbol\theta\rVert_2^2 = \frac\lambda2\sum_k \theta_k^2$,
and differentiate with respect to one coordinate $\theta_j$. Only the term $k = j$ depends on it:

$$\frac{\partial}{\partial\theta_j}\Bigl(\frac\lambda2\sum_k\theta_k^2\Bigr) = \frac\lambda2\cdot 2\theta_j = \lambda\,\theta_j .$$

Differentiation is linear, so the gradient of the sum $L + \frac\lambda2\lVert\boldsymbol\theta\rVert_2^2$ is the sum of the
gradients:

$$\frac{\partial L'}{\partial\theta_j} = \frac{\partial L}{\partial\theta_j} + \lambda\,\theta_j ,
\qquad\text{that is}\qquad \nabla L'(\boldsymbol\theta) = \nabla L(\boldsymbol\theta) + \lambda\boldsymbol\theta .$$

The $\frac12$ in the penalty is there to cancel the 2 of the square. Nothing about $L$ was used: the decay term is the same
for every loss and every architecture, and it does not depend on the data. When only some tensors are decayed — here the
weight matrices but not the biases, the library's default — the term $\lambda\theta_j$ appears only for their entries, and
$\partial L'/\partial b = \partial L/\partial b$ for a bias $b$.

## 2 · Verifying it three ways

We compute $\partial L'/\partial\boldsymbol\theta$ for the MLP with cross-entropy loss on a batch of digits:

1. **autograd** of the penalized loss $L + \lambda\cdot\frac12\sum_W\lVert W\rVert^2$ (the reference);
2. **the formula**: autograd of the data loss alone, plus $\lambda\boldsymbol\theta$ on the decayed tensors;
3. **central finite differences** of the penalized loss on a random subset of each tensor's entries (two forward passes
   per entry; all of them would take minutes):

$$\frac{\partial L'}{\partial\theta_j} \approx \frac{L'(\boldsymbol\theta + h\,\mathbf e_j) - L'(\boldsymbol\theta - h\,\mathbf e_j)}{2h}.$$

A central difference errs by $O(h^2)$ from truncation and by about $\epsilon\,|L'|/h$ from rounding, where
$\epsilon \approx 10^{-16}$ in float64; with $h = 10^{-6}$ both are far below the size of $\lambda\theta_j$, so the check can
tell a correct gradient from one that misses the decay term.
"""),
    code("""
var (x, y) = Digits(batchSize);
var model = NewMlp();
var check = GradientCheck.Run(model, crossEntropy, x, y, lambda, DecaySelection.WeightsOnly,
    coordinatesPerTensor: fdEntries, step: fdStep, seed: seed);
check.ToDataFrame()
"""),
    code("""
long entries = model.parameters().Sum(p => p.numel());
double analyticError = check.MaxAnalyticError, fdError = check.MaxFiniteDifferenceError;
display(Claims.Check("autograd of L' equals ∂L/∂θ + λθ on every entry of every tensor", analyticError <= 1e-12,
    $"max |difference| {analyticError:E1} over all {entries} entries (tolerance 1e-12)"));
display(Claims.Check("central finite differences agree with autograd", fdError <= 1e-7,
    $"max |difference| {fdError:E1} over {check.FiniteDifferenceCoordinates} entries, h = {fdStep} (tol. 1e-7)"));
Claims.Check("the check can tell: the decay term is over 1000× the finite-difference error",
    check.MaxDecayTerm > 1000 * fdError, $"max |λθ| = {check.MaxDecayTerm:E1}, FD error {fdError:E1}")
"""),
    md(r"""
### Which tensors the λθ term hits

The derivation puts $\lambda\theta_j$ on the decayed tensors only, so *which* tensors an optimizer decays is part of the
configuration — and easy to get wrong silently (lesson 04's seed creates a regularizer and never attaches it). The
library's audit, `DecayAudit.Of(optimizer, model)`, lists every parameter tensor: decayed or not, how the term enters,
and the factor the decay alone multiplies it by per step at the current learning rate — $1 - \eta\lambda$ for plain
SGD (section 3 shows why). Here SGD with η = `sgdLr` and λθ added to the gradient:
"""),
    code("""
var gradientStep = new WeightDecayOptimizer(model, new OptimizerOptions(OptimizerKind.Sgd, sgdLr), new WeightDecayOptions(DecayMethod.Coupled, lambda));
var decayAudit = DecayAudit.Of(gradientStep, model);
gradientStep.Dispose();
display(decayAudit.ToDataFrame());
var decayedTensors = decayAudit.Rows.Where(r => r.Decayed).Select(r => r.Name).ToList();
Claims.Check("the λθ term hits exactly the two weight matrices, each shrunk by 1 − ηλ per step; the biases are not decayed",
    decayedTensors.SequenceEqual(new[] { "fc1.weight", "fc2.weight" }) && decayAudit.Rows.Where(r => r.Decayed).All(r => Math.Abs(r.ShrinkPerStep - (1 - sgdLr * lambda)) < 1e-15),
    $"decayed: {string.Join(", ", decayedTensors)}; not decayed: {string.Join(", ", decayAudit.Rows.Where(r => !r.Decayed).Select(r => r.Name))}; shrink per step {1 - sgdLr * lambda:R} (η = {sgdLr}, λ = {lambda})")
"""),
    md(r"""
## 3 · The update, and why it is called decay

A gradient step with learning rate $\eta$ on $L'$ is

$$\boldsymbol\theta_{t+1} = \boldsymbol\theta_t - \eta\bigl(\nabla L(\boldsymbol\theta_t) + \lambda\boldsymbol\theta_t\bigr)
= (1 - \eta\lambda)\,\boldsymbol\theta_t - \eta\,\nabla L(\boldsymbol\theta_t).$$

Before the usual gradient step, every decayed weight is multiplied by $1 - \eta\lambda$, a number slightly below 1. If the
data gradient were zero, that would be all that happens:

$$\boldsymbol\theta_t = (1 - \eta\lambda)^t\,\boldsymbol\theta_0 \approx e^{-\eta\lambda t}\,\boldsymbol\theta_0 .$$

The weights *decay* exponentially, like a radioactive sample, with a half-life of
$t_{1/2} = \ln 2 / \bigl(-\ln(1 - \eta\lambda)\bigr) \approx \ln 2/(\eta\lambda)$ steps; in training the data gradient
holds up the weights that the loss needs.

We run pure decay (a data loss whose gradient is zero) through the library's optimizer in five set-ups. Four should give
the geometric sequence exactly: SGD with the penalty in the loss (differentiated by autograd), SGD with $\lambda\boldsymbol\theta$
added to the gradient (*coupled*), SGD with the decay applied to the weights directly (*decoupled*), and Adam with
decoupled decay (AdamW). The fifth should not: Adam with $\lambda\boldsymbol\theta$ added to the gradient. Adam divides
each gradient coordinate by the root of its running mean square, so with $g = \lambda\theta$ its step is about
$\eta\,\lambda\theta / |\lambda\theta| = \eta\operatorname{sign}(\theta)$: $\lambda$ cancels. Move the slider.
"""),
    code("""
var pure = decayLambdas.Select(l => PureDecayComparison.Run(lr, l, decaySteps)).ToList();
DecayCharts.PureDecay(pure)
"""),
    md(r"""
We measure: the largest relative deviation from $(1-\eta\lambda)^t$ of the four geometric set-ups, how much the Adam + L2
trajectories differ between the values of $\lambda$, and, for the first $\lambda$ whose weight halves within the run,
the weight just before and just after the predicted half-life.
"""),
    code("""
bool Geometric(PureDecayRun r) => r.Kind == OptimizerKind.Sgd || r.Method == DecayMethod.Decoupled;
var geometricError = pure.SelectMany(c => c.Runs.Where(Geometric).Select(c.RelativeError)).Max();
var adamL2 = pure.Select(c => c.Get(OptimizerKind.Adam, DecayMethod.Coupled)).ToList();
double adamSpread = adamL2.Max(r => GradientCheck.MaxAbsDifference(r.Trajectory, adamL2[0].Trajectory));
double adamFromGeometric = pure.Zip(adamL2, (c, r) => c.RelativeError(r)).Min();
var halving = pure.First(c => LambdaConversion.HalfLifeSteps(c.Lambda, lr) < decaySteps);
double halfLife = LambdaConversion.HalfLifeSteps(halving.Lambda, lr);
var decayed = halving.Get(OptimizerKind.Sgd, DecayMethod.Decoupled).Trajectory;
int before = (int)Math.Floor(halfLife), after = (int)Math.Ceiling(halfLife);
"""),
    code("""
display(Claims.Check("SGD (penalty, coupled, decoupled) and AdamW follow (1 − ηλ)ᵗθ₀ exactly",
    geometricError <= 1e-12,
    $"max relative error {geometricError:E1} over {pure.Count} λ × {decaySteps} steps (tolerance 1e-12)"));
display(Claims.Check("the weight halves after ln 2 / (−ln(1 − ηλ)) steps",
    decayed[before] > 0.5 && decayed[after] <= 0.5,
    $"λ = {halving.Lambda}: t½ = {halfLife:F1}; θ/θ₀ = {decayed[before]:F4} at step {before}, {decayed[after]:F4} at {after}"));
Claims.Check("Adam + L2 ignores λ: the same trajectory for every λ, and not the geometric one",
    adamSpread <= 1e-6 && adamFromGeometric > 0.1,
    $"trajectories differ by at most {adamSpread:E1}; first step {1 - adamL2[0].Trajectory[1]:G4} = η = {lr}")
"""),
    md(r"""
## 4 · Coupled and decoupled decay

There are two ways to implement "add $\lambda\boldsymbol\theta$". With $\operatorname{step}(\cdot)$ the optimizer's map from
a gradient to an update direction ($\operatorname{step}(\mathbf g) = \mathbf g$ for plain SGD,
$\hat{\mathbf m}/(\sqrt{\hat{\mathbf v}} + \epsilon)$ for Adam):

* **coupled** — add the decay to the gradient and let the optimizer process it (PyTorch's and TorchSharp's
  `SGD(weight_decay:)` and `Adam(weight_decay:)`):

$$\boldsymbol\theta_{t+1} = \boldsymbol\theta_t - \eta\operatorname{step}\bigl(\nabla L(\boldsymbol\theta_t) + \lambda\boldsymbol\theta_t\bigr);$$

* **decoupled** — apply the decay to the weights, outside the optimizer (SGDW and AdamW; Loshchilov & Hutter, *Decoupled
  Weight Decay Regularization*, ICLR 2019):

$$\boldsymbol\theta_{t+1} = \boldsymbol\theta_t - \eta\lambda\boldsymbol\theta_t - \eta\operatorname{step}\bigl(\nabla L(\boldsymbol\theta_t)\bigr).$$

For plain SGD the step is the identity, so both lines expand to the same expression. For Adam the step is not linear:
in the coupled form $\lambda\boldsymbol\theta$ is averaged into $\hat{\mathbf m}$ and divided by $\sqrt{\hat{\mathbf v}}$,
which the data gradients set coordinate by coordinate. We train two copies of the MLP in lockstep — same initialization,
same batch, full-batch steps in float64 — one with each form, and record after every step the largest difference between
their parameters.
"""),
    code("""
var coupled = new WeightDecayOptions(DecayMethod.Coupled, lambda);
var decoupled = new WeightDecayOptions(DecayMethod.Decoupled, lambda);
var sgdGap = DecayDynamics.LockstepDifference(NewMlp, x, y, crossEntropy,
    new OptimizerOptions(OptimizerKind.Sgd, sgdLr), coupled, decoupled, trainSteps);
var adamGap = DecayDynamics.LockstepDifference(NewMlp, x, y, crossEntropy,
    new OptimizerOptions(OptimizerKind.Adam, adamLr), coupled, decoupled, trainSteps);
var gaps = new[]
{
    new Series($"SGD, η = {sgdLr}", sgdGap, Markers: true),
    new Series($"Adam, η = {adamLr}", adamGap, Markers: true),
};
TheoryCharts.Lines("Coupled against decoupled decay on the MLP", "training step",
    "max |θ_coupled − θ_decoupled| (log scale)", gaps, logY: true, firstStep: 1)
"""),
    md(r"""
The SGD curve stays at the level of float64 rounding errors; the Adam curve lies many orders of magnitude above it from
the first step on.
"""),
    code("""
display(Claims.Check("for SGD coupled and decoupled decay are the same update: differences at rounding level",
    sgdGap.Max() <= 1e-12, $"max |Δθ| over {trainSteps} steps {sgdGap.Max():E1} (tolerance 1e-12)"));
Claims.Check("for Adam they are different algorithms", adamGap[^1] > 1e-3,
    $"max |Δθ| after {trainSteps} steps {adamGap[^1]:E2}")
"""),
    md(r"""
### Per-coordinate shrinkage

Under Adam with coupled L2 the decay term of coordinate $j$ is divided by $\sqrt{\hat v_j}$, so in effect weight $j$ is
decayed with the coefficient $\lambda/\sqrt{\hat v_j}$: a weight whose data gradients are large is hardly decayed, one
whose gradients are tiny is decayed hard. Loshchilov & Hutter (2019, Proposition 3 and the discussion after it) make this
precise: for an optimizer whose preconditioner is not a multiple of the identity, no L2 coefficient reproduces decoupled
decay, and with L2 the weights that tend to have large gradients are regularized less. AdamW removes the same fraction
$\eta\lambda$ from every weight.

A minimal experiment shows it. Two weights start at 1. The data gradient of weight $i$ at step $t$ is $s_i(-1)^t$: of scale
$s_i$ but averaging to zero, like minibatch noise around a flat minimum, so any systematic shrinking is the decay's doing.
One weight gets a large scale, the other a tiny one. We measure the *effective decay rate* of each weight: the displacement
the decay caused (against the same run without decay) per unit of weight and step,

$$\kappa_i = \frac{\theta^{\text{no decay}}_{i,T} - \theta_{i,T}}{\sum_{t<T}\theta_{i,t}} .$$

For decoupled decay $\kappa_i = \eta\lambda$ exactly: each step removes $\eta\lambda\theta_{i,t}$, and the data steps of the
two runs are identical because these gradients do not depend on $\theta$. In the chart the two AdamW curves therefore lie
on top of each other, while Adam + L2 treats the two weights very differently.
"""),
    code("""
var shrinkage = AdamShrinkage.Run(lr, lambda, gradientScales, adamSteps);
DecayCharts.AdamShrinkage(shrinkage)
"""),
    code("shrinkage.ToDataFrame()"),
    code("""
int large = Array.IndexOf(gradientScales, gradientScales.Max());
int small = Array.IndexOf(gradientScales, gradientScales.Min());
double ηλ = shrinkage.NominalRate;
double adamWError = gradientScales.Select((_, i) => Math.Abs(shrinkage.AdamWRate(i) / ηλ - 1)).Max();
var (rateLarge, rateSmall) = (shrinkage.AdamL2Rate(large), shrinkage.AdamL2Rate(small));
double predictedLarge = ηλ / gradientScales[large];   // Adam + L2: ηλ/√v̂ with √v̂ ≈ s
"""),
    code("""
display(Claims.Check("AdamW decays every weight at the rate ηλ, whatever its gradients", adamWError <= 1e-9,
    $"max |rate/ηλ − 1| = {adamWError:E1} with ηλ = {ηλ:E3} (tolerance 1e-9)"));
display(Claims.Check("Adam + L2 hardly decays the weight with large gradients: its rate is ηλ/s, far below ηλ",
    Math.Abs(rateLarge / predictedLarge - 1) <= 0.05 && rateLarge < ηλ / 5,
    $"rate {rateLarge:E3}, ηλ/s = {predictedLarge:E3}, ηλ = {ηλ:E3}"));
Claims.Check("Adam + L2 decays the weight with tiny gradients far faster than ηλ", rateSmall > 5 * ηλ,
    $"rate {rateSmall:E3} = {rateSmall / ηλ:F0} × ηλ")
"""),
    md(r"""
## 5 · Conventions that change the effective λ

The same number $\lambda$ means different amounts of decay in different code bases. `LambdaConversion` converts between
the four conventions below and ours; each is demonstrated on the MLP.

### The factor ½

Keras' `regularizers.l2(l2)` adds $l_2\sum\theta^2$ to the loss, without the $\frac12$, so its gradient is $2l_2\theta$:
our $\lambda = 2l_2$. Taking the Keras number as our $\lambda$ decays half as hard.
"""),
    code("""
double kerasL2 = 5e-4;
var weights = model.parameters().Where(p => p.dim() >= 2).Cast<torch.Tensor>().ToList();   // the decayed tensors
torch.Tensor KerasPenalty() => weights.Select(w => w.square().sum()).Aggregate((a, b) => a + b) * kerasL2; // l2·Σθ²
torch.Tensor OurPenalty(double λ) => Regularizer.L2.Total(weights) * λ;                                   // λ·½Σθ²
var gKeras = GradientCheck.FlatGradient(model, KerasPenalty);
var gConverted = GradientCheck.FlatGradient(model, () => OurPenalty(LambdaConversion.FromKerasL2(kerasL2)));
var gLiteral = GradientCheck.FlatGradient(model, () => OurPenalty(kerasL2));
double convertedError = GradientCheck.MaxRelativeDifference(gConverted, gKeras);
double literalTimesTwoError = GradientCheck.MaxRelativeDifference(gLiteral.Select(v => 2 * v).ToArray(), gKeras);
display(Claims.Check("Keras l2(l2) has the gradient of our penalty with λ = 2·l2", convertedError <= 1e-15,
    $"l2 = {kerasL2} ↔ λ = {LambdaConversion.FromKerasL2(kerasL2)}: max relative difference {convertedError:E1}"));
Claims.Check("using the Keras number as our λ gives half the decay gradient", literalTimesTwoError <= 1e-15,
    $"max |2·g_literal − g_Keras| / max |g_Keras| = {literalTimesTwoError:E1}")
"""),
    md(r"""
### Mean or sum over the batch

Our loss is a mean over the batch. With a summed loss,

$$\sum_{i=1}^{B}\ell_i + \frac{\lambda_{\text{sum}}}{2}\lVert\boldsymbol\theta\rVert_2^2
= B\Bigl(\frac1B\sum_{i=1}^{B}\ell_i + \frac{\lambda_{\text{sum}}/B}{2}\lVert\boldsymbol\theta\rVert_2^2\Bigr),$$

so the two objectives have the same minimizers and parallel gradients when $\lambda = \lambda_{\text{sum}}/B$. With a
summed loss the strength of the decay relative to the data therefore depends on the batch size: the same
$\lambda_{\text{sum}}$ is a weaker decay in a larger batch. We compare the gradients for two batch sizes, the summed one
computed with TorchSharp's own `cross_entropy(reduction: Sum)`.
"""),
    code("""
double lambdaSum = 0.5;
var reductions = new[] { 32, 128 }.Select(b =>
{
    var (xb, yb) = Digits(b);
    double λ = LambdaConversion.FromSumReduction(lambdaSum, b);
    var gSum = GradientCheck.FlatGradient(model, () => OurPenalty(lambdaSum) +
        torch.nn.functional.cross_entropy(model.forward(xb), yb, reduction: torch.nn.Reduction.Sum));
    var gMean = GradientCheck.FlatGradient(model, () => OurPenalty(λ) + crossEntropy.Forward(model.forward(xb), yb));
    double error = GradientCheck.MaxRelativeDifference(gMean.Select(v => v * b).ToArray(), gSum);
    return new { batch_size = b, λ_sum = lambdaSum, our_λ = λ, relative_error_of_B_times_our_gradient = error };
}).ToList();
reductions.ToTable()
"""),
    code("""
double worst = reductions.Max(r => r.relative_error_of_B_times_our_gradient);
Claims.Check("a summed loss with λ_sum has B times the gradient of our mean loss with λ = λ_sum / B", worst <= 1e-12,
    $"max relative error {worst:E1} for B = {string.Join(" and ", reductions.Select(r => r.batch_size))}")
"""),
    md(r"""
### λ multiplied by the learning rate

In Loshchilov & Hutter's AdamW the decay step is $\eta_t\lambda\boldsymbol\theta$, where $\eta_t$ is the schedule
multiplier (1 without a schedule) and not the learning rate $\alpha$: each step removes the fraction $\lambda$. PyTorch's
and TorchSharp's `AdamW(lr, weight_decay:)` remove $\mathrm{lr}\cdot\mathrm{weight\_decay}$ instead. The same per-step
decay needs $\mathrm{weight\_decay} = \lambda_{\text{paper}}/\mathrm{lr}$, and under PyTorch's convention changing the
learning rate, or scheduling it, also changes the decay. The library follows PyTorch by default;
`DecoupledScalesWithLearningRate = false` gives the paper's form. We train four copies of the MLP: TorchSharp's AdamW, ours
in PyTorch's form, ours in the paper's form with the converted $\lambda$, and ours in the paper's form with the PyTorch
number taken literally. TorchSharp's optimizer is given every parameter, so ours decay every tensor too
(`DecaySelection.All`, see below).
"""),
    code("""
var adam = new OptimizerOptions(OptimizerKind.Adam, adamLr);
var torchModel = NewMlp();
var torchAdamW = DecayDynamics.Train(torchModel, x, y, crossEntropy,
    torch.optim.AdamW(torchModel.parameters(), adamLr, weight_decay: lambda), trainSteps);
WeightDecayOptions Decoupled(double λ, bool scaled) =>
    new(DecayMethod.Decoupled, λ, Selection: DecaySelection.All, DecoupledScalesWithLearningRate: scaled);
double[] Ours(WeightDecayOptions d) => DecayDynamics.Train(NewMlp(), x, y, crossEntropy, adam, d, trainSteps);
double λPaper = LambdaConversion.PaperFromPyTorch(lambda, adamLr);
var oursPyTorch = Ours(Decoupled(lambda, scaled: true));
var oursPaper = Ours(Decoupled(λPaper, scaled: false));
var oursLiteral = Ours(Decoupled(lambda, scaled: false));
"""),
    code("""
double Gap(double[] ours) => GradientCheck.MaxAbsDifference(ours, torchAdamW);
display(Claims.Check("TorchSharp's AdamW(lr, weight_decay) decays by lr·weight_decay per step, like ours by default",
    Gap(oursPyTorch) <= 1e-10, $"max |Δθ| after {trainSteps} steps {Gap(oursPyTorch):E1} (tolerance 1e-10)"));
display(Claims.Check("the paper's form matches it with λ_paper = lr · weight_decay", Gap(oursPaper) <= 1e-10,
    $"λ_paper = {adamLr} × {lambda} = {λPaper:G3}: max |Δθ| {Gap(oursPaper):E1} (tolerance 1e-10)"));
Claims.Check("taking weight_decay literally as the paper's λ decays 1/lr times harder", Gap(oursLiteral) > 1e-2,
    $"max |Δθ| {Gap(oursLiteral):E2}: each step multiplies θ by 1 − {lambda} instead of 1 − {λPaper:G3}")
"""),
    md(r"""
### Decaying biases or not

`torch.optim.SGD(model.parameters(), weight_decay:)` decays every tensor it is given, biases included. The library
decays only tensors with at least two dimensions by default (`DecaySelection.WeightsOnly`), as d2l does; matching a
reference implementation that decays everything takes `DecaySelection.All`. The optimizer lists what it decays:
"""),
    code("""
string Shape(string name) => string.Join("×", model.get_parameter(name).shape);
new WeightDecayOptimizer(model, new OptimizerOptions(), coupled).Parameters
    .Select(p => new { tensor = p.Name, shape = Shape(p.Name), decayed = p.Decayed }).ToTable()
"""),
    code("""
var sgd = new OptimizerOptions(OptimizerKind.Sgd, sgdLr);
var sgdModel = NewMlp();
var torchSgd = DecayDynamics.Train(sgdModel, x, y, crossEntropy,
    torch.optim.SGD(sgdModel.parameters(), sgdLr, weight_decay: lambda), trainSteps);
double[] OursSgd(WeightDecayOptions d) => DecayDynamics.Train(NewMlp(), x, y, crossEntropy, sgd, d, trainSteps);
var oursAll = OursSgd(coupled with { Selection = DecaySelection.All });
var oursWeightsOnly = OursSgd(coupled);
double SgdGap(double[] ours) => GradientCheck.MaxAbsDifference(ours, torchSgd);
display(Claims.Check("TorchSharp's SGD(weight_decay) on all parameters is ours with DecaySelection.All",
    SgdGap(oursAll) <= 1e-12, $"max |Δθ| after {trainSteps} steps {SgdGap(oursAll):E1} (tolerance 1e-12)"));
Claims.Check("and not ours with the default WeightsOnly: the biases differ", SgdGap(oursWeightsOnly) > 1e-5,
    $"max |Δθ| {SgdGap(oursWeightsOnly):E1}")
"""),
    md(r"""
## Summary

* $\nabla L' = \nabla L + \lambda\boldsymbol\theta$: autograd, the formula and finite differences agree on a real network.
* A gradient step multiplies the weights by $1 - \eta\lambda$ before the data step; without data gradients they decay as
  $(1 - \eta\lambda)^t$.
* For SGD, adding $\lambda\boldsymbol\theta$ to the gradient (coupled) and shrinking the weights directly (decoupled) are
  the same. For Adam they are not: coupled L2 is rescaled per coordinate and spares weights with large gradients; AdamW
  decays every weight by the same fraction.
* Before comparing a $\lambda$ across code bases, convert it:

| convention | their coefficient | in this library |
|---|---|---|
| Keras `l2(l2)`: penalty $l_2\sum\theta^2$ | $l_2$ | $\lambda = 2\,l_2$ |
| summed loss over a batch of $B$ | $\lambda_{\text{sum}}$ | $\lambda = \lambda_{\text{sum}}/B$ |
| PyTorch/TorchSharp `AdamW(lr, weight_decay:)` | `weight_decay` | `Decoupled`, the same $\lambda$ |
| AdamW as in the paper: $\lambda_{\text{paper}}\theta$ removed per step | $\lambda_{\text{paper}}$ | `Decoupled`, $\lambda = \lambda_{\text{paper}}/\mathrm{lr}$, or $\lambda_{\text{paper}}$ with `DecoupledScalesWithLearningRate = false` |
| PyTorch `SGD(weight_decay:)` given all parameters | `weight_decay` | `Coupled`, the same $\lambda$, `DecaySelection.All` |

## Exercises

1. **Momentum.** With SGD and momentum 0.9, are coupled and decoupled decay still the same? Run the lockstep comparison and
   explain the answer from the update of the momentum buffer.
2. **Converting.** A paper trains with AdamW, $\lambda_{\text{paper}} = 10^{-4}$ per step and learning rate $3\cdot10^{-4}$;
   a Keras model uses `l2(5e-4)` with a summed loss over batches of 64. Give the `weight_decay` for TorchSharp's AdamW and
   our $\lambda$ for the Keras model, with `LambdaConversion`, and check the second by comparing gradients.
3. **The finite-difference step.** Repeat the gradient check for $h$ from $10^{-1}$ to $10^{-11}$ and plot the error
   against $h$ on log–log axes. Explain the V shape, and predict the best $h$.
4. **Pixels that never light up.** Some pixels are zero in every training digit, so their first-layer weights get no data
   gradient at all. How fast do those weights decay under Adam with L2 and under AdamW? Predict, then measure.

Worked solutions: [solutions/02-the-gradient-derived-and-verified.ipynb](solutions/02-the-gradient-derived-and-verified.ipynb).
"""),
])
