"""Writes notebooks/08-choosing-lambda-and-the-alternatives.ipynb and its solutions notebook."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import md, code, bootstrap, write

root = pathlib.Path(__file__).resolve().parents[2]
NAME = "08-choosing-lambda-and-the-alternatives"

USINGS = """using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Regularization;
using WeightDecay.Theory;
using WeightDecay.Training;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;"""

SETUP = USINGS + """

var mnist = Mnist.Load();
var loss = new CrossEntropy();
// Small networks and batches: one intra-op thread is faster than two and does not stall on a busy machine.
var threads = TorchThreads.Limit(1);
// `count` digits of the 8,000 training digits, every (8000/count)-th from `offset` (the pool is ordered by class).
TensorDataset Digits(int count, int offset = 0) => mnist.Train.Subset(Enumerable.Range(0, count).Select(i => (long)(i * (8000 / count) + offset)).ToArray());
WeightDecayOptions L2(double λ) => λ == 0 ? WeightDecayOptions.None : new WeightDecayOptions(DecayMethod.Coupled, λ);
TrainerOptions Sgd(int epochs, WeightDecayOptions decay, int batch = 64) => new()
{
    Epochs = epochs, BatchSize = batch, Seed = seed, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1), Decay = decay,
};"""

RIDGE_GRID = "var grid = Enumerable.Range(0, 13).Select(i => Math.Pow(10, -4 + 0.5 * i)).ToArray();   // 10⁻⁴ … 10², half decades"

write(root / "notebooks" / f"{NAME}.ipynb", [
    md(r"""
# 08 · Choosing λ and the alternatives

The seed's FAQ asks three questions that every user of weight decay meets. This lesson answers each with a computation:

1. **How do I choose λ?** By k-fold cross-validation over a logarithmic grid — and we check on held-out data whether
   the choice is actually the best one (d2l's exercise). For ridge regression, leave-one-out needs no refits at all.
2. **How else can I avoid overfitting?** The same network and budget with nothing, weight decay, dropout, early stopping
   and combinations — and why early stopping *is* a form of L2 on a quadratic (Goodfellow et al., *Deep Learning* §7.8).
3. **L1 or L2?** The L1 update, its proximal form (soft-thresholding), the exact zeros it produces, and the elastic net
   in between.
"""),
    bootstrap(),
    md(r"""
## Parameters

The runner overrides these (`--param cvEpochs=4`); its quick mode uses the values in the `// quick:` comments.
"""),
    code("""
var seed = 0;
var folds = 5;                 // k of k-fold cross-validation
var ridgeTrain = 200;          // training examples of the regression (d = 200)
var ridgeNoise = 0.3;          // label noise σ of the regression
var cvDigits = 2000;           // digits in the MNIST cross-validation
var cvEpochs = 3;              // quick: 2
var cvLambdas = new double[] { 1e-4, 1e-3, 1e-2, 3e-2, 1e-1 };
var overfitEpochs = 40;        // quick: 25
var l1Lambdas = new double[] { 1e-4, 3e-4, 1e-3, 3e-3 };
var l1Epochs = 3;
""", tags=["parameters"]),
    code(SETUP),
    md(r"""
## 1 · Choosing λ by k-fold cross-validation

Split the training data into k folds; for each λ on a grid, fit on k − 1 folds and measure the loss on the held-out
fold, k times. The mean over folds estimates the test loss at that λ; the spread over folds (± one standard deviation
in the charts) says how much one fold's estimate can be trusted. Choose the λ with the lowest mean. The test set is
touched only *afterwards*, to ask whether the choice was right.

### Ridge regression

The data come from d2l's generator ($d = 200$ features, every true weight 0.01, bias 0.05) with $n = d = 200$ training
examples and noise σ = 0.3: at the interpolation threshold of lesson 03, where without decay the fit chases the noise and
λ matters (exercise 2 asks the same question in d2l's own setting, $n = 20$, σ = 0.01). Ridge has a closed form (lesson 03), so every fold is an exact fit. Beside the 5-fold curve we draw two scores
that need **no refits**: ridge is a linear smoother $\hat y = Hy$, so the leave-one-out residual is exactly
$e_i/(1 - H_{ii})$, and generalized cross-validation (GCV) replaces every $H_{ii}$ by their mean $\operatorname{tr}(H)/n$.
"""),
    code(RIDGE_GRID + """
var reg = SyntheticRegression.Create(trainCount: ridgeTrain, noiseStd: ridgeNoise, seed: seed, dtype: torch.ScalarType.Float64);
var ridgeCv = CrossValidation.Run(reg.Train, grid, folds, CrossValidation.RidgeScore(), seed);
var ridgeTest = grid.Select(l => Ridge.Loss(reg.Test, Ridge.Solve(reg.Train, l))).ToArray();
var closed = grid.Select(l => Ridge.CrossValidation(reg.Train, l)).ToArray();
SelectionCharts.CrossValidationLoss(ridgeCv, $"Ridge: {folds}-fold CV, closed-form LOO and GCV, and the test loss", extra: new (string, IReadOnlyList<double>)[]
{
    ("test loss (100 held-out examples)", ridgeTest),
    ("leave-one-out (closed form)", closed.Select(c => c.LeaveOneOut).ToList()),
    ("GCV (closed form)", closed.Select(c => c.Gcv).ToList()),
})
"""),
    code("""
int ArgMin(IReadOnlyList<double> v) => Enumerable.Range(0, v.Count).MinBy(i => v[i]);
double bestTest = ridgeTest.Min();
var choices = new[]
{
    (Method: $"{folds}-fold CV", Index: Array.IndexOf(grid, ridgeCv.Best.Lambda)),
    (Method: "leave-one-out", Index: ArgMin(closed.Select(c => c.LeaveOneOut).ToList())),
    (Method: "GCV", Index: ArgMin(closed.Select(c => c.Gcv).ToList())),
    (Method: "test set (oracle)", Index: ArgMin(ridgeTest)),
};
display(choices.Select(c => new { c.Method, λ = grid[c.Index], TestLoss = ridgeTest[c.Index], RatioToBest = ridgeTest[c.Index] / bestTest }).ToTable());
display(Claims.Check("the test loss has a U in λ: the smallest λ is more than 1.5× worse than the best", ridgeTest[0] > 1.5 * bestTest,
    $"test loss {ridgeTest[0]:F4} at λ = 1e-4, best {bestTest:F4} at λ = {grid[ArgMin(ridgeTest)]:G3}"));
Claims.Check("5-fold CV, LOO and GCV each choose a λ whose test loss is within 10% of the best on the grid",
    choices.Take(3).All(c => ridgeTest[c.Index] <= 1.10 * bestTest),
    $"ratios to the best: {string.Join(", ", choices.Take(3).Select(c => $"{c.Method} {ridgeTest[c.Index] / bestTest:F3}"))}")
"""),
    md(r"""
Look at the left end first. 5-fold CV fits on 160 examples, below the threshold $n = d$, where small λ gives a harmless
minimum-norm interpolant; the full fit on 200 examples sits *at* the threshold and explodes. CV estimates the loss of a
model trained on $(k-1)/k$ of the data, and near a threshold that is a different model: leave-one-out (199 examples) sees
the explosion, 5-fold CV does not. Near the minimum the curves agree.

So: is the CV choice *optimal*? Not necessarily — it need not land on the test set's best grid point — but it is close,
because the test-loss curve is flat near its minimum and the CV curve has nearly the same shape. The fold-to-fold spread is large compared with the differences between neighbouring λ: picking
among them is noise, which is why the one-standard-error rule (exercise 1) prefers the largest λ within one standard
error of the best.

The closed-form leave-one-out is not an approximation. Running our k-fold helper with $k = n$ (one refit per left-out
example) gives the same number to rounding — with one subtlety of conventions: the shortcut keeps the penalty $n\lambda$ of
the sum-of-squares objective fixed, so in our mean convention each refit on $n - 1$ examples uses $\lambda\,n/(n-1)$.
"""),
    code("""
int n = (int)reg.Train.Count;
double[] looLambdas = { 0.1, 1, 10 };
var brute = CrossValidation.Run(reg.Train, looLambdas, n, CrossValidation.RidgeScore(lambdaScale: n / (n - 1.0)));
var looRows = brute.Rows.Select(r => new { λ = r.Lambda, Refits = r.MeanLoss, ClosedForm = Ridge.CrossValidation(reg.Train, r.Lambda).LeaveOneOut }).ToList();
display(looRows.ToTable());
double looWorst = looRows.Max(r => Math.Abs(r.Refits - r.ClosedForm) / r.ClosedForm);
Claims.Check($"closed-form leave-one-out equals {n}-fold CV by {n} refits (relative difference < 1e-9)", looWorst < 1e-9, $"largest relative difference {looWorst:E1}")
"""),
    md(r"""
### The MNIST MLP

The same procedure for the 784 → 32 → 10 MLP on 2,000 digits (every fourth of the training pool), SGD with η = 0.1,
batch 64, a few epochs — 25 trainings for 5 λ × 5 folds. Then each λ is retrained on all 2,000 digits and scored on the
2,000 test digits that CV never saw.
"""),
    code("""
var cvData = Digits(cvDigits);
var mnistCv = CrossValidation.Run(cvData, cvLambdas, folds,
    CrossValidation.TrainedScore((λ, fold) => new Mlp(hidden: new[] { 32 }, seed: seed), loss, λ => Sgd(cvEpochs, L2(λ))), seed);
var refits = cvLambdas.Select(λ => { using var m = new Mlp(hidden: new[] { 32 }, seed: seed); return Trainer.Fit(m, cvData, mnist.Test, loss, Sgd(cvEpochs, L2(λ))).Final; }).ToList();
var testAcc = refits.Select(f => f.TestAccuracy!.Value).ToList();
display(SelectionCharts.ErrorBarLines(cvLambdas, new (string, IReadOnlyList<double>, IReadOnlyList<double>?)[]
{
    ($"{folds}-fold CV accuracy (mean ± std)", mnistCv.Rows.Select(r => r.MeanAccuracy!.Value).ToList(), mnistCv.Rows.Select(r => r.StdAccuracy!.Value).ToList()),
    ("test accuracy (retrained on all 2,000)", testAcc, null),
}, "MNIST MLP: cross-validated and test accuracy against λ", "λ", "accuracy", logX: true));
mnistCv.Rows.Select((r, i) => new { λ = r.Lambda, CvLoss = r.MeanLoss, CvLossStd = r.StdLoss, CvAccuracy = r.MeanAccuracy, CvAccuracyStd = r.StdAccuracy,
    TestLoss = refits[i].TestLoss, TestAccuracy = refits[i].TestAccuracy }).ToTable()
"""),
    code("""
double atChoice = testAcc[Array.IndexOf(cvLambdas, mnistCv.Best.Lambda)];
Claims.Check("the λ chosen by CV (lowest mean validation loss) has a test accuracy within 1 point of the best λ on the grid", atChoice >= testAcc.Max() - 0.01,
    $"CV chooses λ = {mnistCv.Best.Lambda:G3}: test accuracy {atChoice:P1}; best on the grid {testAcc.Max():P1} at λ = {cvLambdas[ArgMin(testAcc.Select(a => -a).ToList())]:G3}")
"""),
    md(r"""
With this short budget the network is far from overfitting, and the grid's small λ values are all alike: CV correctly
says that large decay only hurts here. The fold spread (a few accuracy points) is again larger than the differences
between the small λ values — the choice among them is a coin toss that does not matter. Section 2 trains long enough to
overfit.

## 2 · Other ways to avoid overfitting

The same 784 → 64 → 10 MLP and the same budget (SGD, η = 0.1, batch 32) on only 1,000 digits, long enough to overfit,
with: (a) nothing, (b) weight decay λ = 3·10⁻³, (c) dropout p = 0.5 after the hidden layer, (d) early stopping and
(e) combinations. Early stopping needs data of its own: 1,000 *other* training digits serve as the validation set that
picks the epoch; the 2,000 test digits are only used to report. Every run keeps a snapshot per epoch, so early stopping
is simply the snapshot with the lowest validation loss.
"""),
    code("""
var small = Digits(1000);
var validation = Digits(1000, offset: 3);
(TrainingHistory History, List<(int Epoch, double Loss, double? Accuracy)> Test) Train(double dropout, double λ)
{
    using var m = new Mlp(hidden: new[] { 64 }, dropout: dropout, seed: seed);
    var h = Trainer.Fit(m, small, validation, loss, Sgd(overfitEpochs, L2(λ), batch: 32) with { SnapshotEveryEpochs = 1 });   // "test" = validation here
    return (h, EarlyStopping.EvaluateSnapshots(m, h.Snapshots, mnist.Test, loss).ToList());
}
int Stop(TrainingHistory h) => EarlyStopping.BestEpoch(h.Epochs.Select(e => e.TestLoss!.Value).ToList());
var plain = Train(0, 0);
var decayed = Train(0, 3e-3);
var dropped = Train(0.5, 0);
var decayedDropped = Train(0.5, 3e-3);
var regimes = new[]
{
    (Name: "(a) nothing", Run: plain, Epoch: overfitEpochs),
    (Name: "(b) weight decay", Run: decayed, Epoch: overfitEpochs),
    (Name: "(c) dropout", Run: dropped, Epoch: overfitEpochs),
    (Name: "(d) early stopping", Run: plain, Epoch: Stop(plain.History)),
    (Name: "(e) weight decay + dropout", Run: decayedDropped, Epoch: overfitEpochs),
    (Name: "(e) dropout + early stopping", Run: dropped, Epoch: Stop(dropped.History)),
};
regimes.Select(r => new { Regime = r.Name, r.Epoch, TrainLoss = r.Run.History.Epochs[r.Epoch].TrainLoss, ValidationLoss = r.Run.History.Epochs[r.Epoch].TestLoss,
    TestLoss = r.Run.Test[r.Epoch].Loss, TestAccuracy = r.Run.Test[r.Epoch].Accuracy }).ToTable()
"""),
    code("""
var curves = new Figure().WithTitle("Training (solid) and test (dashed) loss; markers: the early-stopping epochs").WithXAxis("epoch").WithYAxis("data loss", log: true);
var trained = new[] { ("nothing", plain), ("weight decay", decayed), ("dropout", dropped), ("weight decay + dropout", decayedDropped) };
for (int i = 0; i < trained.Length; i++)
{
    var (label, run) = trained[i];
    var ep = run.History.Epochs.Select(e => (double)e.Epoch).ToList();
    curves.AddLine(ep, run.History.Epochs.Select(e => e.TrainLoss), $"{label} · train", color: Charts.Palette[i], legendGroup: label);
    curves.AddLine(ep, run.Test.Select(t => t.Loss), $"{label} · test", dash: "dash", color: Charts.Palette[i], legendGroup: label);
}
curves.AddLine(new double[] { Stop(plain.History), Stop(dropped.History) }, new double[] { plain.Test[Stop(plain.History)].Loss, dropped.Test[Stop(dropped.History)].Loss },
    "early-stopping epoch", markers: true, color: Charts.Palette[7]);
curves.Data[^1]!["mode"] = "markers";
curves
"""),
    code("""
var noneFinal = plain.Test[^1].Loss;
var noneMin = plain.Test.Min(t => t.Loss);
display(Claims.Check("without regularization the test loss rises after its minimum: the final one is ≥ 5% above it", noneFinal >= 1.05 * noneMin,
    $"final {noneFinal:F4}, minimum {noneMin:F4} at epoch {ArgMin(plain.Test.Select(t => t.Loss).ToList())}; training loss {plain.History.Final.TrainLoss:F4}"));
Claims.Check("every alternative — weight decay, dropout, early stopping and the combinations — ends with a lower test loss than no regularization",
    regimes.Skip(1).All(r => r.Run.Test[r.Epoch].Loss < noneFinal),
    $"{string.Join("; ", regimes.Select(r => $"{r.Name} {r.Run.Test[r.Epoch].Loss:F4}"))}")
"""),
    md(r"""
The curves are noisy (η = 0.1 on batches of 32): single epochs can spike, for several regimes at once since they share
the batch order — compare whole curves, not one epoch. Which alternative wins depends on the budget and the data; this
lesson does not claim a ranking. What the numbers show is
that all of them attack the same symptom — the training loss going to zero while the test loss turns up — and that they
combine.

### Early stopping is L2 on a quadratic

Why should stopping early regularize at all? Take a quadratic loss with Hessian eigenvalues $h_i$ and minimizer $w^*$,
start gradient descent at $w = 0$ with step η. Along eigendirection $i$, after τ steps,

$$w_i(\tau) = \bigl[1 - (1 - \eta h_i)^\tau\bigr]\,w_i^*, \qquad w_i^{\text{ridge}}(\lambda) = \frac{h_i}{h_i + \lambda}\,w_i^*.$$

Both keep directions with $h_i$ large and suppress those with $h_i$ small; for $\eta h_i\tau \ll 1$ both are small,
$\eta h_i\tau$ and $h_i/\lambda$, equal when $\lambda = 1/(\tau\eta)$ (Goodfellow et al. §7.8). So the number of steps
plays the role of $1/\lambda$: the gradient-descent *path* tracks the ridge *path*. We check it on least squares with 10
features whose scales make the Hessian eigenvalues span three decades (η = 0.9 < 2/h_max).
"""),
    code("""
var q0 = SyntheticRegression.Create(inputs: 10, trainCount: 200, noiseStd: 0.5, weight: 1, seed: seed, dtype: torch.ScalarType.Float64);
var scales = torch.tensor(Enumerable.Range(0, 10).Select(j => Math.Pow(10, -j / 6.0)).ToArray());
var quad = new TensorDataset(q0.Train.Features * scales, q0.Train.Targets.clone());
const double etaGd = 0.9;
int[] taus = { 3, 10, 30, 100, 300, 1000, 3000, 10000 };
var gdPath = EarlyStopping.GradientDescentPath(quad, etaGd, taus);
double Distance(LinearSolution a, LinearSolution b) => Math.Sqrt(a.Weights.Zip(b.Weights, (x, y) => (x - y) * (x - y)).Sum()) / b.WeightNorm;
var match = gdPath.Select(p => { double λ = EarlyStopping.EquivalentLambda(etaGd, p.Steps);
    return new { τ = p.Steps, λ, ToRidgeAtλ = Distance(p.Solution, Ridge.Solve(quad, λ)), ToRidgeAt10λ = Distance(p.Solution, Ridge.Solve(quad, 10 * λ)), ToRidgeAtλOver10 = Distance(p.Solution, Ridge.Solve(quad, λ / 10)) }; }).ToList();
match.ToTable()
"""),
    code("""
var fine = Enumerable.Range(0, 41).Select(i => Math.Pow(10, -4.5 + 0.125 * i)).ToList();
var ridgePath = Ridge.Path(quad, fine);
var pathFig = new Figure().WithTitle("Ridge path (lines) and gradient descent after τ steps at λ = 1/(τη) (markers)")
    .WithXAxis("λ  (for gradient descent: 1/(τη))", log: true).WithYAxis("weight wⱼ");
int[] shown = { 0, 3, 6, 9 };
for (int k = 0; k < shown.Length; k++)
{
    int j = shown[k];
    pathFig.AddLine(fine, ridgePath.Select(p => p.Solution.Weights[j]), $"w{j} ridge", color: Charts.Palette[k], legendGroup: $"w{j}");
    pathFig.AddLine(match.Select(m => m.λ), gdPath.Select(p => p.Solution.Weights[j]), $"w{j} GD", markers: true, dash: "dot", color: Charts.Palette[k], legendGroup: $"w{j}");
}
display(pathFig);
display(Claims.Check("after τ ≥ 3 steps, gradient descent is within 35% (relative norm) of ridge at λ = 1/(τη)", match.All(m => m.ToRidgeAtλ <= 0.35),
    $"‖w_GD(τ) − w_ridge(1/(τη))‖/‖w_ridge‖ = {string.Join(", ", match.Select(m => m.ToRidgeAtλ.ToString("F3")))}"));
Claims.Check("... and at least twice as close as to ridge at 10/(τη): the correspondence fixes λ to within a decade", match.All(m => m.ToRidgeAt10λ >= 2 * m.ToRidgeAtλ),
    $"distances to ridge at 10λ: {string.Join(", ", match.Select(m => m.ToRidgeAt10λ.ToString("F3")))}")
"""),
    md(r"""
The match is not exact — $1-(1-\eta h)^\tau$ and $h/(h+\lambda)$ are different functions of $h$, differing by up to about
0.2 where $\eta h\tau \approx 1$ (lesson library: `EarlyStopping.GradientDescentFraction` vs `RidgeFraction`) — but the
paths have the same shape, and the small-λ end (long training) converges to the same least-squares solution. This is the
precise sense in which "early stopping ≈ L2": for a quadratic, choosing τ is choosing λ.

## 3 · L1 versus L2

With $R(\theta) = \|\theta\|_1$ the (sub)gradient step is $\theta \leftarrow \theta - \eta(\nabla L + \lambda\,\operatorname{sign}\theta)$:
a constant push of size ηλ toward zero whatever the weight's size. It overshoots: a small weight jumps across zero and
back, and lands *exactly* on zero only by accident. The **proximal** step does the data step first and then solves the
penalty exactly, $\theta \leftarrow \operatorname{prox}_{\eta\lambda\|\cdot\|_1}(v) = \operatorname{sign}(v)\max(|v| - \eta\lambda, 0)$
(**soft-thresholding**), which sets every weight with $|v| \le \eta\lambda$ to exactly 0. L2's prox is $v/(1+\eta\lambda)$: it
shrinks everything proportionally and never reaches zero. The elastic net $\alpha\|\theta\|_1 + (1-\alpha)\tfrac12\|\theta\|^2$
soft-thresholds by $\eta\lambda\alpha$, then shrinks by $1/(1 + \eta\lambda(1-\alpha))$.

We train the 784 → 32 → 10 MLP on the 2,000 digits with the proximal method for L1, elastic net (α = 0.5) and L2, and with
the L1 subgradient (`DecayMethod.Coupled`), and count the first layer's zero weights (25,088 of them).
"""),
    code("""
var penalties = new[]
{
    (Name: "L1 (proximal)", Reg: Regularizer.L1, Method: DecayMethod.Proximal),
    (Name: "elastic net α = 0.5 (proximal)", Reg: Regularizer.ElasticNet(0.5), Method: DecayMethod.Proximal),
    (Name: "L2 (proximal)", Reg: Regularizer.L2, Method: DecayMethod.Proximal),
    (Name: "L1 (subgradient)", Reg: Regularizer.L1, Method: DecayMethod.Coupled),
};
var sparse = new Dictionary<(string, double), (Sparsity Zeros, double TestAccuracy, double[] Weights)>();
foreach (var λ in l1Lambdas)
    foreach (var p in penalties)
    {
        using var m = new Mlp(hidden: new[] { 32 }, seed: seed);
        var h = Trainer.Fit(m, cvData, mnist.Test, loss, Sgd(l1Epochs, new WeightDecayOptions(p.Method, λ, p.Reg)));
        var w = m.Layers[0].weight!.to_type(torch.ScalarType.Float64).reshape(-1).data<double>().ToArray();
        sparse[(p.Name, λ)] = (Sparsity.Of(w, tolerance: 1e-3), h.Final.TestAccuracy!.Value, w);
    }
var zeroFig = new Figure().WithTitle("Share of first-layer weights that are zero: exactly (solid), |w| ≤ 10⁻³ (dashed)").WithXAxis("λ", log: true).WithYAxis("share of weights");
for (int k = 0; k < penalties.Length; k++)
{
    var name = penalties[k].Name;
    zeroFig.AddLine(l1Lambdas, l1Lambdas.Select(l => sparse[(name, l)].Zeros.ExactFraction), $"{name} · exactly 0", markers: true, color: Charts.Palette[k], legendGroup: name);
    zeroFig.AddLine(l1Lambdas, l1Lambdas.Select(l => sparse[(name, l)].Zeros.NearFraction), $"{name} · |w| ≤ 10⁻³", markers: true, dash: "dash", color: Charts.Palette[k], legendGroup: name);
}
zeroFig
"""),
    code("""
l1Lambdas.SelectMany(l => penalties.Select(p => new { λ = l, Penalty = p.Name, ExactlyZero = sparse[(p.Name, l)].Zeros.ExactFraction,
    NearZero = sparse[(p.Name, l)].Zeros.NearFraction, TestAccuracy = sparse[(p.Name, l)].TestAccuracy })).ToTable()
"""),
    code("""
double Exact(string name, double l) => sparse[(name, l)].Zeros.ExactFraction;
var l1Exact = l1Lambdas.Select(l => Exact("L1 (proximal)", l)).ToList();
display(Claims.Check("proximal L1 gives exact zeros, a share that grows with λ (to ≥ 40% at the largest λ)",
    l1Exact.Zip(l1Exact.Skip(1), (a, b) => b > a).All(x => x) && l1Exact[^1] >= 0.4, $"{string.Join(" → ", l1Exact.Select(v => v.ToString("P1")))}"));
display(Claims.Check("L2 gives no exact zeros at any λ, and neither does the L1 subgradient step",
    l1Lambdas.All(l => sparse[("L2 (proximal)", l)].Zeros.ExactZeros == 0 && sparse[("L1 (subgradient)", l)].Zeros.ExactZeros == 0), $"0 of 25,088 at every λ"));
display(Claims.Check("the elastic net is in between: some exact zeros, fewer than L1, at every λ",
    l1Lambdas.All(l => Exact("elastic net α = 0.5 (proximal)", l) > 0 && Exact("elastic net α = 0.5 (proximal)", l) < Exact("L1 (proximal)", l)),
    $"{string.Join(", ", l1Lambdas.Select(l => $"λ = {l:G2}: {Exact("elastic net α = 0.5 (proximal)", l):P1} vs {Exact("L1 (proximal)", l):P1}"))}"));
Claims.Check("the subgradient leaves as many weights near zero (|w| ≤ 10⁻³, within 5 points) — it just never lands on 0",
    l1Lambdas.All(l => Math.Abs(sparse[("L1 (subgradient)", l)].Zeros.NearFraction - sparse[("L1 (proximal)", l)].Zeros.NearFraction) <= 0.05),
    $"{string.Join(", ", l1Lambdas.Select(l => $"{sparse[("L1 (subgradient)", l)].Zeros.NearFraction:P1} vs {sparse[("L1 (proximal)", l)].Zeros.NearFraction:P1}"))}")
"""),
    md(r"""
The histograms at the largest λ make the difference visible (log scale): L1's spike at exactly zero, the elastic net's
smaller spike, L2's smooth peak. Then the first-layer weight images under proximal L1: the zeros (white) concentrate on
the border, where digits never have ink.
"""),
    code("""
double lMax = l1Lambdas[^1];
display(ImageCharts.Histograms(penalties.Take(3).Select(p => (p.Name, (IReadOnlyList<double>)sparse[(p.Name, lMax)].Weights)), 81, -0.06, 0.06,
    $"First-layer weights at λ = {lMax:G2}", "weight value", logY: true));
ImageCharts.WeightMosaic(sparse[("L1 (proximal)", lMax)].Weights, 32, $"First-layer weights under proximal L1, λ = {lMax:G2} (white = 0)")
"""),
    md(r"""
The border pixels give an exact check. Where no training digit has ink the input is 0, so the data gradient of those
weights is exactly 0 and only the prox acts on them: after $T$ steps each must be its soft-thresholded initial value,
$w_T = S_{T\eta\lambda}(w_0)$ — exactly zero wherever $|w_0| \le T\eta\lambda$.
"""),
    code("""
var inked = cvData.Features.amax(new long[] { 0 }).data<float>().ToArray();
var deadPixels = Enumerable.Range(0, 784).Where(j => inked[j] == 0).ToList();
double[] w0;
using (var init = new Mlp(hidden: new[] { 32 }, seed: seed)) w0 = init.Layers[0].weight!.to_type(torch.ScalarType.Float64).reshape(-1).data<double>().ToArray();
int steps = l1Epochs * (int)Math.Ceiling(cvDigits / 64.0);
double threshold = steps * 0.1 * lMax;                      // T·η·λ
var wL1 = sparse[("L1 (proximal)", lMax)].Weights;
var deadIdx = Enumerable.Range(0, 32).SelectMany(u => deadPixels.Select(j => u * 784 + j)).ToList();
double deadWorst = deadIdx.Max(i => Math.Abs(wL1[i] - Math.Sign(w0[i]) * Math.Max(Math.Abs(w0[i]) - threshold, 0)));
double deadZero = deadIdx.Count(i => wL1[i] == 0) / (double)deadIdx.Count;
Claims.Check($"on the {deadPixels.Count} never-inked pixels, proximal L1 gives exactly the soft-thresholded initial weights S_Tηλ(w₀) (within 1e-6)", deadWorst < 1e-6,
    $"T = {steps} steps, Tηλ = {threshold:F4}; largest deviation {deadWorst:E1}; {deadZero:P1} of these weights are exactly 0 (all weights: {sparse[("L1 (proximal)", lMax)].Zeros.ExactFraction:P1})")
"""),
    code("""
threads.Dispose();   // the experiments are done: restore torch's thread count for whatever runs next in this kernel
"""),
    md(r"""
L1 is the choice when you *want* zeros — feature selection, pruning, a compressible model — and L2 when you want every
weight small but present. Note that the same number λ means different strengths for the two: L1's push ηλ per step does
not shrink with the weight, L2's ηλθ does. The elastic net trades between them with α, and keeps L2's stability when
features are correlated (L1 alone picks one of a correlated group arbitrarily).

## Summary

- **Choosing λ**: k-fold CV over a log grid; report mean ± spread, expect the choice to be near-optimal rather than
  optimal, because the fold noise is larger than the differences between neighbouring λ. For ridge, leave-one-out and
  GCV are free (closed form, exactly equal to n refits).
- **Alternatives**: dropout, early stopping and weight decay all lower the test loss of an overfitting network, and they
  combine. On a quadratic, early stopping after τ steps ≈ ridge with λ = 1/(τη).
- **L1 vs L2**: only the proximal L1 step (soft-thresholding) produces exact zeros, more for larger λ; L2 never does;
  the elastic net lies in between.

## Exercises

1. **The one-standard-error rule.** In the ridge cross-validation, choose the *largest* λ whose mean CV loss is within one
   standard error (std/√k) of the minimum (`CrossValidationResult.OneStandardError`). Which λ does it pick, and what is its
   test loss compared with the plain CV choice?
2. **d2l's own setting.** Repeat the ridge cross-validation with d2l's $n = 20$ training examples and σ = 0.01. What does
   CV choose, is it the test-optimal λ, and how much does the choice matter?

Worked solutions: [solutions/08-choosing-lambda-and-the-alternatives](solutions/08-choosing-lambda-and-the-alternatives.ipynb).
"""),
])

write(root / "notebooks" / "solutions" / f"{NAME}.ipynb", [
    md(r"""
# Solutions · 08 Choosing λ and the alternatives

Worked solutions to the exercises of lesson 08, each computed and checked.
"""),
    bootstrap(depth=2),
    code("""
var seed = 0;
var folds = 5;
""", tags=["parameters"]),
    code(USINGS + "\n\n" + RIDGE_GRID + """
int ArgMin(IReadOnlyList<double> v) => Enumerable.Range(0, v.Count).MinBy(i => v[i]);
var threads = TorchThreads.Limit(1);   // hundreds of small solves: one intra-op thread avoids stalls on a busy machine"""),
    md(r"""
## 1. The one-standard-error rule

The rule trades a little estimated loss for a simpler (more regularized) model: among the λ whose mean CV loss is
statistically indistinguishable from the best, take the largest.
"""),
    code("""
var reg = SyntheticRegression.Create(trainCount: 200, noiseStd: 0.3, seed: seed, dtype: torch.ScalarType.Float64);   // as in the lesson
var cv = CrossValidation.Run(reg.Train, grid, folds, CrossValidation.RidgeScore(), seed);
var test = grid.Select(l => Ridge.Loss(reg.Test, Ridge.Solve(reg.Train, l))).ToArray();
double Test(double λ) => test[Array.IndexOf(grid, λ)];
var best = cv.Best; var oneSe = cv.OneStandardError;
display(new[] { new { Rule = "minimum CV loss", λ = best.Lambda, CvLoss = best.MeanLoss, StandardError = best.StandardErrorLoss, TestLoss = Test(best.Lambda) },
                new { Rule = "one standard error", λ = oneSe.Lambda, CvLoss = oneSe.MeanLoss, StandardError = oneSe.StandardErrorLoss, TestLoss = Test(oneSe.Lambda) } }.ToTable());
Claims.Check("the one-SE rule picks a λ at least as large, with a test loss within 10% of the best on the grid",
    oneSe.Lambda >= best.Lambda && Test(oneSe.Lambda) <= 1.10 * test.Min(),
    $"λ = {oneSe.Lambda:G3} (CV minimum {best.Lambda:G3}); test loss {Test(oneSe.Lambda):F4}, best {test.Min():F4}")
"""),
    md(r"""
Here the CV curve is flat to the right of its minimum compared with its standard error, so the rule moves to a larger λ
(here ten times larger) at a small cost in test loss. It is a good default when the fold spread is large compared with the differences along the
curve — as it was in every experiment of this lesson.

## 2. d2l's own setting: n = 20, σ = 0.01

With 20 examples of 200 features, the training inputs span only a 20-dimensional subspace; ridge with small λ gives the
minimum-norm interpolant, and large λ gives (almost) the mean predictor $\hat y = \bar y$.
"""),
    code("""
var d2l = SyntheticRegression.Create(seed: seed, dtype: torch.ScalarType.Float64);   // d2l: n = 20, σ = 0.01
var cv20 = CrossValidation.Run(d2l.Train, grid, folds, CrossValidation.RidgeScore(), seed);
var test20 = grid.Select(l => Ridge.Loss(d2l.Test, Ridge.Solve(d2l.Train, l))).ToArray();
display(SelectionCharts.CrossValidationLoss(cv20, "d2l's setting (n = 20, σ = 0.01)", extra: new (string, IReadOnlyList<double>)[] { ("test loss", test20) }));
int chosen = Array.IndexOf(grid, cv20.Best.Lambda), oracle = ArgMin(test20);
display(Claims.Check("CV does not choose the test-optimal λ here", chosen != oracle,
    $"CV: λ = {grid[chosen]:G3} (test loss {test20[chosen]:F5}); test optimum λ = {grid[oracle]:G3} ({test20[oracle]:F5})"));
Claims.Check("... and it hardly matters: every λ on the grid is within 1.5× of the best test loss", test20.Max() <= 1.5 * test20.Min(),
    $"test losses from {test20.Min():F5} to {test20.Max():F5}; the fold spread of CV is {cv20.Best.StdLoss:F5} (mean {cv20.Best.MeanLoss:F5})")
"""),
    md(r"""
So "is it really the optimal value?" — no: with 20 examples, 4 per validation fold, the CV curve is dominated by fold noise
(its standard deviation is about as large as its mean) and it can pick the far end of the grid. But in this setting
nothing that ridge can do helps much: the test loss moves by less than 1.5× across six decades of λ. In d2l's experiment
weight decay matters for a different reason — gradient descent from a random initialization keeps the initial weights
outside the data span unless they are decayed (lesson 03); the closed-form ridge solution never has that component.
"""),
    code("""
threads.Dispose();   // restore torch's thread count
"""),
])
