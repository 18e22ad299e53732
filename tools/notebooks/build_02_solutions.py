"""Writes notebooks/solutions/02-the-gradient-derived-and-verified.ipynb (worked solutions of lesson 02's exercises)."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import code, bootstrap
from nbx import md, write

root = pathlib.Path(__file__).resolve().parents[2]
write(root / "notebooks" / "solutions" / "02-the-gradient-derived-and-verified.ipynb", [
    md(r"""
# Solutions · 02 · The gradient, derived and verified

Worked solutions of the exercises of [lesson 02](../02-the-gradient-derived-and-verified.ipynb), on the same MLP and
digits. Every claim is checked by an assertion cell.
"""),
    bootstrap(depth=2),
    md(r"""
## Parameters
"""),
    code("""
var seed = 0;
var lambda = 0.1;
var batchSize = 64;
var sgdLr = 0.1;
var trainSteps = 30;              // quick: 10
var fdEntries = 10;               // entries per tensor for each step h (exercise 3)    // quick: 5
var deadLr = 1e-4;                // Adam's learning rate in exercise 4
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
(torch.Tensor X, torch.Tensor Y) Digits(int n)
{
    var (x, y) = mnist.Train.Batch(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
    return (x.to_type(torch.ScalarType.Float64), y);
}
Mlp NewMlp() => new Mlp(seed: seed, dtype: torch.ScalarType.Float64);
var crossEntropy = new CrossEntropy();
var (x, y) = Digits(batchSize);
"""),
    md(r"""
## Exercise 1 · Momentum

With momentum $\mu$ the optimizer keeps a buffer $\mathbf b$ and steps along it. Coupled decay puts $\lambda\boldsymbol\theta$
into the buffer:

$$\mathbf b_{t+1} = \mu\,\mathbf b_t + \nabla L(\boldsymbol\theta_t) + \lambda\boldsymbol\theta_t, \qquad
\boldsymbol\theta_{t+1} = \boldsymbol\theta_t - \eta\,\mathbf b_{t+1},$$

so each step's decay keeps acting in the following steps, with weights $\mu, \mu^2, \dots$ — in steady state the decay is
amplified by about $1/(1-\mu)$ and it lags behind $\boldsymbol\theta$. Decoupled decay (SGDW) keeps it out of the buffer:
$\boldsymbol\theta_{t+1} = \boldsymbol\theta_t - \eta\lambda\boldsymbol\theta_t - \eta\mathbf b_{t+1}$ with
$\mathbf b_{t+1} = \mu\mathbf b_t + \nabla L(\boldsymbol\theta_t)$. The two are different algorithms as soon as $\mu > 0$.
"""),
    code("""
var coupled = new WeightDecayOptions(DecayMethod.Coupled, lambda);
var decoupled = new WeightDecayOptions(DecayMethod.Decoupled, lambda);
double[] Gap(double momentum) => DecayDynamics.LockstepDifference(NewMlp, x, y, crossEntropy,
    new OptimizerOptions(OptimizerKind.Sgd, sgdLr, Momentum: momentum), coupled, decoupled, trainSteps);
var (plain, heavy) = (Gap(0), Gap(0.9));
display(Claims.Check("without momentum coupled and decoupled SGD agree to rounding", plain.Max() <= 1e-12,
    $"max |Δθ| {plain.Max():E1} over {trainSteps} steps"));
Claims.Check("with momentum 0.9 they differ", heavy[^1] > 1e-6, $"max |Δθ| after {trainSteps} steps {heavy[^1]:E2}")
"""),
    md(r"""
## Exercise 2 · Converting

The paper's AdamW removes $\lambda_{\text{paper}} = 10^{-4}$ of each weight per step; TorchSharp's AdamW removes
$\mathrm{lr}\cdot\mathrm{weight\_decay}$, so $\mathrm{weight\_decay} = \lambda_{\text{paper}}/\mathrm{lr}$. For the Keras
model two conversions compose: `l2(5e-4)` is our $\lambda_{\text{sum}} = 2\cdot 5\cdot10^{-4}$ for a summed loss, and a summed
loss over $B = 64$ examples is our mean loss with $\lambda = \lambda_{\text{sum}}/64$.
"""),
    code("""
double paperLambda = 1e-4, paperLr = 3e-4, kerasL2 = 5e-4;
int kerasBatch = 64;
double weightDecay = LambdaConversion.PyTorchFromPaper(paperLambda, paperLr);
double kerasLambda = LambdaConversion.FromSumReduction(LambdaConversion.FromKerasL2(kerasL2), kerasBatch);
$"AdamW(lr: {paperLr}, weight_decay: {weightDecay:G4}); Keras l2({kerasL2}) summed over {kerasBatch} → λ = {kerasLambda:G4}"
"""),
    md(r"""
Both conversions checked: TorchSharp's AdamW with the converted `weight_decay` against our decoupled decay in the paper's
form; and the gradient of the Keras objective (summed cross-entropy plus $l_2\sum\theta^2$) against $B$ times the gradient
of ours.
"""),
    code("""
var torchModel = NewMlp();
var torchAdamW = DecayDynamics.Train(torchModel, x, y, crossEntropy,
    torch.optim.AdamW(torchModel.parameters(), paperLr, weight_decay: weightDecay), trainSteps);
var paperForm = new WeightDecayOptions(DecayMethod.Decoupled, paperLambda, Selection: DecaySelection.All,
    DecoupledScalesWithLearningRate: false);
var adam = new OptimizerOptions(OptimizerKind.Adam, paperLr);
var ours = DecayDynamics.Train(NewMlp(), x, y, crossEntropy, adam, paperForm, trainSteps);
var model = NewMlp();
var (xk, yk) = Digits(kerasBatch);
var weights = model.parameters().Where(p => p.dim() >= 2).Cast<torch.Tensor>().ToList();
var gKeras = GradientCheck.FlatGradient(model, () => weights.Select(w => w.square().sum()).Aggregate((a, b) => a + b) * kerasL2
    + torch.nn.functional.cross_entropy(model.forward(xk), yk, reduction: torch.nn.Reduction.Sum));
var gOurs = GradientCheck.FlatGradient(model, () =>
    Regularizer.L2.Total(weights) * kerasLambda + crossEntropy.Forward(model.forward(xk), yk));
double kerasError = GradientCheck.MaxRelativeDifference(gOurs.Select(v => v * kerasBatch).ToArray(), gKeras);
double adamWGap = GradientCheck.MaxAbsDifference(ours, torchAdamW);
display(Claims.Check("TorchSharp's AdamW with weight_decay = λ_paper/lr is the paper's AdamW with λ_paper",
    adamWGap <= 1e-10, $"max |Δθ| after {trainSteps} steps {adamWGap:E1} (tolerance 1e-10)"));
Claims.Check("Keras l2(l2) with a summed loss over B examples is our λ = 2·l2/B", kerasError <= 1e-12,
    $"max relative difference of the gradients {kerasError:E1} (tolerance 1e-12)")
"""),
    md(r"""
## Exercise 3 · The finite-difference step

For a smooth function $f$ a central difference errs by about $\frac{h^2}{6}|f'''|$ (truncation) plus about
$\epsilon|f|/h$ (rounding of the two function values, $\epsilon \approx 10^{-16}$). The sum is smallest near
$h^* \approx (3\epsilon|f|/|f'''|)^{1/3}$, of the order of $10^{-5}$ when $f$ and its derivatives are of order 1: below
it the error grows like $1/h$, above it like $h^2$ — or faster, because our loss is not smooth everywhere. A hidden unit
whose pre-activation $z$ lies within about $h$ of zero switches between the two pieces of $\max(0, z)$ when a weight
moves by $h$, and the difference quotient then mixes two different slopes.
"""),
    code("""
var steps = Enumerable.Range(1, 11).Select(e => Math.Pow(10, -e)).ToArray();
var mlp = NewMlp();
var errors = steps.Select(h => GradientCheck.Run(mlp, crossEntropy, x, y, lambda, coordinatesPerTensor: fdEntries, step: h, seed: seed)
    .MaxFiniteDifferenceError).ToArray();
new Figure().WithTitle("Error of central finite differences against the step h")
    .WithXAxis("step h (log scale)", log: true).WithYAxis("max |FD − autograd| (log scale)", log: true)
    .AddLine(steps, errors, "measured", markers: true, color: Charts.Palette[0])
"""),
    code("""
int best = Array.IndexOf(errors, errors.Min());
double roundingSlope = Math.Log10(errors[^1] / errors[^5]) / 4;   // decades of error per decade of h, 1e-7 → 1e-11
double jump = errors[2] / errors[3];                               // from h = 1e-4 to 1e-3; h² alone would give 100
double nearestKink = mlp.Layers[0].forward(x).abs().min().item<double>();   // smallest |pre-activation| of fc1
"""),
    code("""
display(Claims.Check("the error is V-shaped with its minimum between 1e-7 and 1e-3",
    steps[best] >= 1e-7 && steps[best] <= 1e-3 && errors[0] > 1000 * errors[best] && errors[^1] > 1000 * errors[best],
    $"minimum {errors[best]:E1} at h = {steps[best]:0e0}; {errors[0]:E1} at h = 0.1, {errors[^1]:E1} at h = 1e-11"));
display(Claims.Check("below the minimum rounding dominates: the error grows like 1/h",
    roundingSlope >= 0.7 && roundingSlope <= 1.3, $"slope {roundingSlope:F2} decades per decade between h = 1e-7 and 1e-11"));
Claims.Check("above it the error grows faster than h², and some pre-activations lie that close to the ReLU's kink",
    jump > 100 && nearestKink < 1e-3, $"×{jump:G2} from h = 1e-4 to 1e-3; smallest |z| = {nearestKink:E1}")
"""),
    md(r"""
## Exercise 4 · Pixels that never light up

A first-layer weight $W_{ij}$ multiplies pixel $j$, so its data gradient is the error signal of hidden unit $i$ times
$x_j$, which is zero for every digit when pixel $j$ is always dark. Only the decay moves such a weight. Under AdamW that
is pure decay: the weight is multiplied by $1 - \eta\lambda$ per step, exactly. Under Adam with L2 its whole gradient is
$\lambda W_{ij}$, which Adam normalizes to a step of about $\eta$ towards zero (lesson 02, section 3): the dead pixels'
weights are driven to zero at a roughly constant speed, far faster than AdamW moves them.
"""),
    code("""
var deadPixels = x.abs().sum(dim: 0).eq(0.0).nonzero().reshape(-1).data<long>().ToArray();
// fc1.weight [64, 784] comes first in the flattened parameters: W[i, j] is entry i·784 + j
var dead = Enumerable.Range(0, 64).SelectMany(i => deadPixels.Select(j => i * 784 + (int)j)).ToArray();
var initial = GradientCheck.FlatParameters(NewMlp());
double[] TrainAdam(DecayMethod method) => DecayDynamics.Train(NewMlp(), x, y, crossEntropy,
    new OptimizerOptions(OptimizerKind.Adam, deadLr), new WeightDecayOptions(method, lambda), trainSteps);
var (adamW, adamL2) = (TrainAdam(DecayMethod.Decoupled), TrainAdam(DecayMethod.Coupled));
var away = dead.Where(k => Math.Abs(initial[k]) > 2 * deadLr * trainSteps).ToArray();   // not yet near zero
double l2Step = away.Average(k => Math.Abs(initial[k]) - Math.Abs(adamL2[k])) / trainSteps;
double adamWStep = away.Average(k => Math.Abs(initial[k]) - Math.Abs(adamW[k])) / trainSteps;
double factor = Math.Pow(1 - deadLr * lambda, trainSteps);
double geometricError = dead.Max(k => Math.Abs(adamW[k] - factor * initial[k]) / Math.Abs(initial[k]));
$"{deadPixels.Length} of 784 pixels are dark in all {batchSize} digits: {dead.Length} weights without data gradient"
"""),
    code("""
display(Claims.Check("under AdamW the dead pixels' weights decay exactly as (1 − ηλ)ᵗ", geometricError <= 1e-12,
    $"max relative error {geometricError:E1} after {trainSteps} steps"));
display(Claims.Check("under Adam + L2 they move towards zero by about η per step",
    l2Step / deadLr >= 0.8 && l2Step / deadLr <= 1.0,
    $"mean step {l2Step:E3} for η = {deadLr}, over {away.Length} weights still away from zero"));
Claims.Check("over 100 times faster than under AdamW", l2Step > 100 * adamWStep,
    $"{l2Step:E2} vs {adamWStep:E2} per step: {l2Step / adamWStep:F0}×")
"""),
])
