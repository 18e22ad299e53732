"""Writes notebooks/06-seeing-the-landscape.ipynb and its solutions notebook."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import md, code, bootstrap, write

root = pathlib.Path(__file__).resolve().parents[2]

USINGS = """using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Landscape;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;"""

SETUP = USINGS + """

var mnist = Mnist.Load();
var loss = new CrossEntropy();
var subset = mnist.Train.Subset(Enumerable.Range(0, 2000).Select(i => (long)i * 4).ToArray());       // landscapes: every 4th training digit
var hessianSet = mnist.Train.Subset(Enumerable.Range(0, 1000).Select(i => (long)i * 8).ToArray());   // Hessians: every 8th
Mlp TrainMlp(double λ, out TrainingHistory history, int batchSize = 128)
{
    var model = new Mlp(seed: seed);   // 784 → 64 → ReLU → 10, the same initialization for every λ
    history = Trainer.Fit(model, mnist.Train, mnist.Test, loss, new TrainerOptions
    {
        Epochs = epochs, BatchSize = batchSize, Seed = seed, SnapshotEveryEpochs = 1,
        Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: 0.1),
        Decay = λ == 0 ? WeightDecayOptions.None : new WeightDecayOptions(DecayMethod.Coupled, λ),
    });
    return model;
}"""

write(root / "notebooks" / "06-seeing-the-landscape.ipynb", [
    md(r"""
# 06 · Seeing the landscape

A network has tens of thousands of parameters; its loss is a function on a space we cannot draw. Li et al. (2018) draw
it anyway along one or two directions through the trained parameters $\theta^*$:

$$f(\alpha) = L(\theta^* + \alpha\,\mathbf{d}), \qquad f(\alpha, \beta) = L(\theta^* + \alpha\,\mathbf{d}_1 + \beta\,\mathbf{d}_2),$$

with random Gaussian directions $\mathbf{d}$. A raw random direction is misleading, though: ReLU networks can be rescaled
without changing what they compute, and a perturbation of fixed size is large for small weights and small for large ones.
Li et al. therefore use **filter normalization**: every filter (for a linear layer, every output unit's row of incoming
weights) of the direction is rescaled to the norm of the same filter of $\theta^*$,

$$\mathbf{d}_{f} \leftarrow \frac{\mathbf{d}_{f}}{\|\mathbf{d}_{f}\|}\,\|\theta^*_{f}\| ,$$

and biases get no perturbation. This lesson compares the landscapes of the seed's MLP trained without and with weight
decay, and shows why the normalization matters.
"""),
    bootstrap(),
    md(r"""
## Parameters
"""),
    code("""
var seed = 0;
var epochs = 8;          // quick: 3
var lambda = 5e-3;
var gridPoints = 25;     // quick: 11
var linePoints = 41;     // quick: 15
var lambdas = new double[] { 0, 5e-3, 1e-2, 3e-2 };   // quick: new double[] { 0, 5e-3, 3e-2 }
var largeBatch = 1024;
var rawRadius = 0.02;
""", tags=["parameters"]),
    code(SETUP + """
var plain = TrainMlp(0, out var plainHistory);
var decayed = TrainMlp(lambda, out var decayedHistory);
Charts.LearningCurves(new[] { ("λ = 0", plainHistory), ($"λ = {lambda}", decayedHistory) })"""),
    md(r"""
## Two solutions, side by side

The same pair of filter-normalized random directions (same seed), each normalized against its own solution, on the same
grid and the same colour scale (training loss on 2,000 training digits, every fourth; losses above the scale's top are drawn in its
top colour).
"""),
    code("""
var axis = new GridAxis(-1, 1, gridPoints);
Slice2D PlaneOf(Mlp model)
{
    var (dx, dy) = ParameterDirection.RandomPair(model, seed, DirectionNormalization.Filter);
    try { return LossLandscape.Plane(model, dx, dy, subset, null, loss, axis, axis); } finally { dx.Dispose(); dy.Dispose(); }
}
var planePlain = PlaneOf(plain);
var planeDecayed = PlaneOf(decayed);
double zmax = 3.0;
var panels = new[] { ("λ = 0", planePlain), ($"λ = {lambda}", planeDecayed) };
LandscapeCharts.ContourPair(panels, zmax, "Training loss around θ*: contours", "α (filter-normalized d₁)", "β (filter-normalized d₂)")
"""),
    code("""
LandscapeCharts.SurfacePair(panels, zmax, "The same planes as surfaces (drag to rotate)", "α", "β")
"""),
    code("""
double Center(Slice2D s) => s.TrainLoss[gridPoints / 2, gridPoints / 2];
double ownPlain = Evaluation.Evaluate(plain, subset, loss).Loss, ownDecayed = Evaluation.Evaluate(decayed, subset, loss).Loss;
display(Claims.Check("the center of each plane is the trained model's own training loss", Math.Abs(Center(planePlain) - ownPlain) < 1e-4 && Math.Abs(Center(planeDecayed) - ownDecayed) < 1e-4,
    $"center {Center(planePlain):F5} vs evaluated {ownPlain:F5}; {Center(planeDecayed):F5} vs {ownDecayed:F5}"));
Claims.Check("every grid point was evaluated (no non-finite losses)", !planePlain.HasNonFinite && !planeDecayed.HasNonFinite, $"{gridPoints}×{gridPoints} points each")
"""),
    md(r"""
The 1-D slices along the first direction $\mathbf{d}_1$ (the α-axis of each plane), now with the test loss too:
"""),
    code("""
Slice1D LineThrough(Mlp model) { using var d = ParameterDirection.Random(model, seed, DirectionNormalization.Filter); return LossLandscape.Line(model, d, subset, mnist.Test, loss, new GridAxis(-1, 1, linePoints)); }
var linePlain = LineThrough(plain);
var lineDecayed = LineThrough(decayed);
LandscapeCharts.SlicePair(new[] { ("λ = 0", linePlain), ($"λ = {lambda}", lineDecayed) }, zmax, "1-D slices along the filter-normalized d₁", "α")
"""),
    md(r"""
## From one solution to the other

The 1-D linear interpolation $\theta(\alpha) = (1-\alpha)\,\theta_{\lambda=0} + \alpha\,\theta_{\lambda>0}$ shows whether the two
minima are connected by a low-loss path (α = 0 and α = 1 are the two trained networks).
"""),
    code("""
var between = LossLandscape.Interpolation(plain, decayed, mnist.Train, mnist.Test, loss, new GridAxis(-0.5, 1.5, linePoints));
new Figure().WithTitle("Linear interpolation between the λ = 0 and λ > 0 solutions").WithXAxis("α").WithYAxis("loss", log: true)
    .AddLine(between.Alpha, between.TrainLoss, "train loss").AddLine(between.Alpha, between.TestLoss!, "test loss", dash: "dash")
"""),
    md(r"""
## The scale-invariance trap

Multiply the first layer (weights and biases) by $c$ and divide the second layer's weights by $c$: since
$\mathrm{ReLU}(cz) = c\,\mathrm{ReLU}(z)$ for $c > 0$, the network computes exactly the same function. Its "sharpness" cannot
have changed. Along a **raw** random direction, though, the landscape looks very different, because the same perturbation is
now large relative to the shrunken second layer. Along **filter-normalized** directions the two landscapes are identical.
"""),
    code("""
const double c = 4.0;
var rescaled = new Mlp(seed: seed);
using (torch.no_grad())
{
    foreach (var ((name, target), (_, source)) in rescaled.named_parameters().Zip(plain.named_parameters())) target.copy_(source);
    rescaled.Layers[0].weight!.mul_(c); rescaled.Layers[0].bias!.mul_(c); rescaled.Layers[1].weight!.div_(c);
}
var (xs, _) = mnist.Test.Batch(Enumerable.Range(0, 500).Select(i => (long)i).ToArray());
double maxDiff; using (torch.no_grad()) maxDiff = (plain.forward(xs) - rescaled.forward(xs)).abs().max().ToDouble();
display(Claims.Check("the rescaled network computes the same function", maxDiff < 1e-4, $"largest logit difference {maxDiff:E1}"));

var lineAxis = new GridAxis(-1, 1, linePoints);
var rawAxis = new GridAxis(-0.05, 0.05, linePoints);   // a raw N(0, I) direction has norm ≈ √50,000 ≈ 224 ≫ ‖θ‖: look closer
Slice1D LineOf(Mlp m, DirectionNormalization n, GridAxis a) { var d = ParameterDirection.Random(m, seed, n); try { return LossLandscape.Line(m, d, subset, null, loss, a); } finally { d.Dispose(); } }
var rawA = LineOf(plain, DirectionNormalization.None, rawAxis); var rawB = LineOf(rescaled, DirectionNormalization.None, rawAxis);
var filA = LineOf(plain, DirectionNormalization.Filter, lineAxis); var filB = LineOf(rescaled, DirectionNormalization.Filter, lineAxis);
display(new Figure().WithTitle("Raw random direction: the same network looks different").WithXAxis("α (raw direction)").WithYAxis("training loss", log: true)
    .AddLine(rawA.Alpha, rawA.TrainLoss, "original").AddLine(rawB.Alpha, rawB.TrainLoss, $"rescaled (c = {c})", dash: "dash"));
new Figure().WithTitle("Filter-normalized direction: identical").WithXAxis("α (filter-normalized)").WithYAxis("training loss", log: true)
    .AddLine(filA.Alpha, filA.TrainLoss, "original").AddLine(filB.Alpha, filB.TrainLoss, $"rescaled (c = {c})", dash: "dash")
"""),
    code("""
double Rise(Slice1D s) { int mid = s.Alpha.Length / 2, q = s.Alpha.Length / 4; return (s.TrainLoss[mid - q] + s.TrainLoss[mid + q]) / 2 - s.TrainLoss[mid]; }
double filterGap = filA.TrainLoss.Zip(filB.TrainLoss, (a, b) => Math.Abs(a - b)).Max();
display(Claims.Check("along raw directions the apparent sharpness changes with the parameterization", Math.Abs(Rise(rawA) - Rise(rawB)) > 0.5 * Math.Min(Rise(rawA), Rise(rawB)),
    $"loss rise at half the range: {Rise(rawA):F4} (original) vs {Rise(rawB):F4} (rescaled)"));
Claims.Check("along filter-normalized directions it does not", filterGap < 1e-4, $"largest difference between the two slices {filterGap:E1}")
"""),
    md(r"""
## The path of training

The path of the parameters during training is nearly flat in most directions: Li et al. project it on the two principal
directions of the differences $\theta_i - \theta_n$ between each epoch's parameters and the final ones, and draw the loss
on the plane they span (centered at $\theta_n$).
"""),
    code("""
var pca = Trajectory.Pca(decayedHistory.Snapshots, decayed);
double range = 1.2 * Math.Max(pca.PathX.Select(Math.Abs).Max(), pca.PathY.Select(Math.Abs).Max());
var pcaPlane = LossLandscape.Plane(decayed, pca.X, pca.Y, subset, null, loss, new GridAxis(-range, range, gridPoints), new GridAxis(-range, range, gridPoints),
    new SliceOptions { Center = pca.Center });
var pathFig = LandscapeCharts.Contour(pcaPlane, zmax, $"λ = {lambda}: the training path on its two principal directions",
    $"PC 1 ({pca.ExplainedVarianceRatio[0]:P0} of the variance)", $"PC 2 ({pca.ExplainedVarianceRatio[1]:P0})");
pathFig.AddLine(pca.PathX, pca.PathY, "path (one point per epoch)", markers: true, color: "#D55E00");
display(Claims.Check("two principal directions explain most of the training path", pca.ExplainedVarianceRatio.Sum() > 0.6,
    $"explained variance {pca.ExplainedVarianceRatio[0]:P1} + {pca.ExplainedVarianceRatio[1]:P1}"));
pathFig
"""),
    md(r"""
## Sharpness

The top eigenvalue of the Hessian of the training loss, $\lambda_{\max}(\nabla^2 L)$, is the curvature along the sharpest
direction. We estimate it by power iteration on Hessian-vector products (double backward), on 1,000 training digits:
"""),
    code("""
var hessian = new HessianOptions { MaxIterations = 100, Tolerance = 1e-3 };
var sharpPlain = Sharpness.Estimate(plain, hessianSet, loss, hessian);
var sharpDecayed = Sharpness.Estimate(decayed, hessianSet, loss, hessian);
display(Claims.Check("power iteration converged for both networks", sharpPlain.Max.Converged && sharpDecayed.Max.Converged,
    $"λ_max = {sharpPlain.Max.Value:F3} (λ = 0, {sharpPlain.Max.Iterations} iterations), {sharpDecayed.Max.Value:F3} (λ = {lambda}, {sharpDecayed.Max.Iterations} iterations)"));
var rescaledSharp = Sharpness.Estimate(rescaled, hessianSet, loss, hessian with { MaxIterations = 30 });   // a factor of ~10 shows long before convergence
Claims.Check("the Hessian's top eigenvalue is not invariant to the harmless rescaling: raw sharpness depends on the parameterization",
    Math.Abs(rescaledSharp.Max.Value - sharpPlain.Max.Value) > 0.2 * sharpPlain.Max.Value,
    $"λ_max = {sharpPlain.Max.Value:F3} original, {rescaledSharp.Max.Value:F3} rescaled by c = {c}")
"""),
    md(r"""
### Sharpness against λ

Does weight decay make the solution sharper or flatter? We train the same network for each λ of the grid (same seed, same
budget) and measure two things: the Hessian's top eigenvalue (1,000 digits), and the scale-free flatness of
filter-normalized slices, the mean rise of the training loss at $\alpha = \pm 0.5$ over four random directions
(`Flatness.Rise`).
"""),
    code("""
var sweep = lambdas.Select(l =>
{
    var m = l == 0 ? plain : l == lambda ? decayed : TrainMlp(l, out _);
    try { return (λ: l, sharpness: Sharpness.Estimate(m, hessianSet, loss, hessian).Max.Value, rise: Flatness.Rise(m, subset, loss, DirectionNormalization.Filter, 0.5),
        accuracy: Evaluation.Evaluate(m, mnist.Test, loss).Accuracy!.Value); }
    finally { if (m != plain && m != decayed) m.Dispose(); }
}).ToList();
var labels = sweep.Select(r => TheoryCharts.Format(r.λ)).ToList();
display(SweepCharts.CategoryLines(labels, new[] { ("λ_max of the Hessian", (IReadOnlyList<double>)sweep.Select(r => r.sharpness).ToList()) }, "Top Hessian eigenvalue against λ", "λ", "λ_max"));
SweepCharts.CategoryLines(labels, new[] { ("loss rise at α = ±0.5 (filter-normalized)", (IReadOnlyList<double>)sweep.Select(r => r.rise).ToList()) }, "Filter-normalized flatness against λ", "λ", "loss rise")
"""),
    code("""
double spread = sweep.Max(r => r.sharpness) / sweep.Min(r => r.sharpness) - 1, riseSpread = sweep.Max(r => r.rise) / sweep.Min(r => r.rise) - 1;
display(Claims.Check("λ_max moves far less over the λ grid than the scale-free flatness: its spread (max/min − 1) is under a third of the rise's", spread < riseSpread / 3,
    $"λ_max {string.Join(", ", sweep.Select(r => $"{r.sharpness:F3}"))} (spread {spread:P1}); rise spread {riseSpread:P1}"));
Claims.Check("the filter-normalized loss rise falls as λ grows: decay gives a flatter solution on its own scale",
    sweep.Zip(sweep.Skip(1), (a, b) => b.rise < a.rise).All(x => x), $"{string.Join(", ", sweep.Select(r => $"λ = {r.λ}: {r.rise:F4} (test accuracy {r.accuracy:P1})"))}")
"""),
    md(r"""
The curvature of the sharpest direction changes little with λ, and not in a reliable direction: at the default budget
(8 epochs, λ from 0 to 0.03) it rose by 8 % and 13 % for seeds 0 and 2 but went up and down within 1.5 % for seed 1; at
4 epochs it fell again at the largest λ for two of three seeds. So we claim no trend for λ_max — only that it moves much
less than the scale-free flatness, which fell with every step of λ for every seed we tried (by 54–72 % over the grid). What
weight decay changes visibly is the shape of the landscape relative to the weights: on its own scale the decayed solution
sits in a wider valley.
"""),
    md(r"""
## Li et al.'s experiment at small scale: batch size × weight decay

Li et al. (2018, §3 and §5) trained the same network with small and large batches, without and with weight decay, for the same
number of epochs. Along raw directions the picture contradicted generalization: with weight decay the small-batch solutions,
which generalize better, looked *sharper*, because more updates with decay leave smaller weights, and a fixed raw step is
large for small weights. With filter normalization the small-batch solutions looked flatter in both cases.

Here: batch 128 (the networks above) and batch `largeBatch`, λ = 0 and λ = `lambda`, the same epochs and learning rate. For each,
test accuracy, ‖θ‖ and the loss rise at ±`rawRadius` along raw directions and at ±0.5 along filter-normalized ones
(four directions each, on the 2,000 landscape digits).
"""),
    code("""
var runs = new List<(string name, int batch, double λ, double accuracy, double norm, double raw, double filter)>();
foreach (var (batch, l) in new[] { (128, 0.0), (128, lambda), (largeBatch, 0.0), (largeBatch, lambda) })
{
    var m = batch == 128 ? (l == 0 ? plain : decayed) : TrainMlp(l, out _, batch);
    double norm; using (var θ = ParameterDirection.FromModel(m)) norm = θ.Norm();
    runs.Add(($"B = {batch}, λ = {l}", batch, l, Evaluation.Evaluate(m, mnist.Test, loss).Accuracy!.Value, norm,
        Flatness.Rise(m, subset, loss, DirectionNormalization.None, rawRadius), Flatness.Rise(m, subset, loss, DirectionNormalization.Filter, 0.5)));
    if (batch != 128) m.Dispose();
}
var names = runs.Select(r => r.name).ToList();
display(new Microsoft.Data.Analysis.DataFrame(new Microsoft.Data.Analysis.StringDataFrameColumn("run", names),
    new Microsoft.Data.Analysis.DoubleDataFrameColumn("test accuracy", runs.Select(r => r.accuracy)), new Microsoft.Data.Analysis.DoubleDataFrameColumn("‖θ‖", runs.Select(r => r.norm)),
    new Microsoft.Data.Analysis.DoubleDataFrameColumn("raw rise", runs.Select(r => r.raw)), new Microsoft.Data.Analysis.DoubleDataFrameColumn("filter-normalized rise", runs.Select(r => r.filter))));
SweepCharts.CategoryLines(names, new[] { ("raw rise (×10)", (IReadOnlyList<double>)runs.Select(r => 10 * r.raw).ToList()), ("filter-normalized rise", (IReadOnlyList<double>)runs.Select(r => r.filter).ToList()),
    ("test error", (IReadOnlyList<double>)runs.Select(r => 1 - r.accuracy).ToList()) }, "Apparent sharpness and test error per run", "run", "loss rise / error")
"""),
    code("""
var (s0, sλ, l0, lλ) = (runs[0], runs[1], runs[2], runs[3]);
display(Claims.Check("at equal epochs the small batch generalizes better, with and without decay", s0.accuracy > l0.accuracy && sλ.accuracy > lλ.accuracy,
    $"test accuracy {s0.accuracy:P1} vs {l0.accuracy:P1} (λ = 0), {sλ.accuracy:P1} vs {lλ.accuracy:P1} (λ = {lambda})"));
display(Claims.Check("raw directions: decay makes the small-batch solution look sharper (its weights are smaller), whatever it does to accuracy",
    sλ.raw > s0.raw && sλ.norm < s0.norm, $"raw rise {s0.raw:F4} → {sλ.raw:F4}, ‖θ‖ {s0.norm:F2} → {sλ.norm:F2}, accuracy {s0.accuracy:P1} → {sλ.accuracy:P1}"));
display(Claims.Check("filter-normalized: decay makes both solutions flatter on their own scale", sλ.filter < s0.filter && lλ.filter < l0.filter,
    $"B = 128: {s0.filter:F4} → {sλ.filter:F4}; B = {largeBatch}: {l0.filter:F4} → {lλ.filter:F4}"));
Claims.Check("but across batch sizes filter-normalized flatness does not track generalization here: the under-trained large-batch networks look flatter",
    l0.filter < s0.filter && lλ.filter < sλ.filter, $"filter rise B = {largeBatch}: {l0.filter:F4}, {lλ.filter:F4} vs B = 128: {s0.filter:F4}, {sλ.filter:F4}")
"""),
    md(r"""
What this small experiment shows, and what it does not:

- **Raw directions measure the weight scale.** Decay shrinks the weights, and the same raw step then hurts more: the decayed
  small-batch network looks sharper, exactly Li et al.'s trap. Across batch sizes raw flatness happens to agree with test
  accuracy here, but for the same reason: the large-batch networks, with 8× fewer updates, stayed small.
- **Filter normalization removes the scale**, and then decay makes every solution flatter. It does *not* restore the
  correlation between flatness and generalization across batch sizes at this budget: with the same epochs the large batch
  took 8× fewer steps and is still far from a minimum (its training loss is much higher); a network that has not yet fallen
  into a valley looks flat. Li et al. trained to convergence (hundreds of epochs, ~0 training loss); reproducing that
  is beyond this notebook's time budget. Flatness is a statement about minima: compare trained-to-convergence solutions.
"""),
    md(r"""
## Summary

- Filter-normalized slices compare solutions on their own scale; raw directions confuse scale with sharpness.
- The top Hessian eigenvalue is no more invariant than raw slices: a harmless rescaling changes it.
- Training paths are low-dimensional: two principal directions capture most of them.
- Over our λ grid the Hessian's top eigenvalue moves little and in no reliable direction, while the filter-normalized
  slices get flatter with every step of λ.
- Batch size × decay: raw flatness follows the weight norm; filter normalization removes that, but flatness only speaks
  about generalization when the solutions compared are minima.

## Exercises

1. Draw the λ = 0 plane along raw (unnormalized) directions on the same grid. How does the picture change, and which of the
   two solutions looks "flatter" now?
2. In the batch-size experiment the large batch took 8× fewer updates. Train it for 8× the epochs (the same number of
   updates as the small batch) and compare again: test accuracy, training loss and the filter-normalized rise. Does
   filter-normalized flatness now rank the two networks by how well they generalize?

Worked solutions: [solutions/06-seeing-the-landscape](solutions/06-seeing-the-landscape.ipynb).
"""),
])

write(root / "notebooks" / "solutions" / "06-seeing-the-landscape.ipynb", [
    md(r"""
# Solutions · 06 Seeing the landscape

Worked solution to the exercise of lesson 06, computed and checked.
"""),
    bootstrap(depth=2),
    code("""
var seed = 0;
var epochs = 3;
var lambda = 5e-3;
var gridPoints = 13;
""", tags=["parameters"]),
    code(SETUP + """
var plain = TrainMlp(0, out var plainHistory);
var decayed = TrainMlp(lambda, out var decayedHistory);"""),
    md(r"""
## 1. Raw directions

A raw Gaussian direction has one unit of variance per parameter: its norm is about $\sqrt{50{,}890} \approx 226$, while
the trained weights have a norm below 10. On the same grid $[-1, 1]^2$ almost every point of the raw plane is a wrecked
network, and the picture shows a plateau with a pinhole at the center — it says nothing about the solution. Filter
normalization makes the direction as large as the weights it perturbs, filter by filter.
"""),
    code("""
var axis = new GridAxis(-1, 1, gridPoints);
double MeanLoss(Mlp m, DirectionNormalization n)
{
    var (x, y) = ParameterDirection.RandomPair(m, seed, n);
    try
    {
        var plane = LossLandscape.Plane(m, x, y, subset, null, loss, axis, axis);
        double sum = 0;
        foreach (var v in plane.TrainLoss) sum += v;
        return sum / plane.TrainLoss.Length;
    }
    finally { x.Dispose(); y.Dispose(); }
}
double raw = MeanLoss(plain, DirectionNormalization.None), filtered = MeanLoss(plain, DirectionNormalization.Filter);
Claims.Check("on [−1, 1]² the raw plane is a plateau of wrecked networks: its mean loss is over 10× the filter-normalized plane's", raw > 10 * filtered,
    $"mean training loss over the plane: {raw:F2} (raw) vs {filtered:F3} (filter-normalized)")
"""),
    md(r"""
## 2. Equal updates instead of equal epochs

Batch 1024 for 8× the epochs makes as many updates as batch 128 for `epochs` epochs (8,000 digits: 63 vs 8 updates per
epoch, so 8·epochs·8 ≈ 63·epochs).
"""),
    code("""
var small = TrainMlp(0, out var smallHistory);
epochs *= 8;
var large = TrainMlp(0, out var largeHistory, 1024);
epochs /= 8;
var rows = new[] { ("B = 128", small, smallHistory), ("B = 1024, 8× epochs", large, largeHistory) }.Select(r => (name: r.Item1, accuracy: r.Item3.Final.TestAccuracy, train: r.Item3.Final.TrainLoss,
    rise: Flatness.Rise(r.Item2, subset, loss, DirectionNormalization.Filter, 0.5))).ToList();
var (a, b) = (rows[0], rows[1]);
Claims.Check("with equal updates the large batch catches up, and both look equally flat: test accuracy within 1 point, filter-normalized rise within 10 %",
    Math.Abs(a.accuracy!.Value - b.accuracy!.Value) < 0.01 && Math.Abs(a.rise - b.rise) < 0.1 * a.rise,
    $"{string.Join("; ", rows.Select(r => $"{r.name}: test accuracy {r.accuracy:P1}, training loss {r.train:F4}, rise {r.rise:F4}"))}")
"""),
    md(r"""
The large batch's deficit in the lesson came from making 8× fewer updates, not from the batch size itself: with the same
number of updates (and, at this short budget, the same learning rate) both networks reach the same training loss, the same
test accuracy and equally flat filter-normalized slices. Flatness and generalization agree here — because nothing differs.
Li et al.'s sharper large-batch minima appear after training to convergence, where the batch size changes which minimum
SGD settles in.
"""),
])
