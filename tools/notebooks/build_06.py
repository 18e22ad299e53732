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
Mlp TrainMlp(double λ, out TrainingHistory history)
{
    var model = new Mlp(seed: seed);   // 784 → 64 → ReLU → 10, the same initialization for every λ
    history = Trainer.Fit(model, mnist.Train, mnist.Test, loss, new TrainerOptions
    {
        Epochs = epochs, BatchSize = 128, Seed = seed, SnapshotEveryEpochs = 1,
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
var gridPoints = 31;     // quick: 13
var linePoints = 41;     // quick: 21
""", tags=["parameters"]),
    code(SETUP + """
var plain = TrainMlp(0, out var plainHistory);
var decayed = TrainMlp(lambda, out var decayedHistory);
Charts.LearningCurves(new[] { ("λ = 0", plainHistory), ($"λ = {lambda}", decayedHistory) })"""),
    md(r"""
## Two solutions, side by side

The same pair of filter-normalized random directions (same seed), each normalized against its own solution, on the same
grid and the same colour scale (training loss on all 8,000 training digits).
"""),
    code("""
var axis = new GridAxis(-1, 1, gridPoints);
Slice2D PlaneOf(Mlp model, out ParameterDirection dx, out ParameterDirection dy)
{
    (dx, dy) = ParameterDirection.RandomPair(model, seed, DirectionNormalization.Filter);
    return LossLandscape.Plane(model, dx, dy, mnist.Train, null, loss, axis, axis);
}
var planePlain = PlaneOf(plain, out var px, out var py);
var planeDecayed = PlaneOf(decayed, out var dx, out var dy);
double zmax = 3.0;
Figure Contour(Slice2D s, string title) => new Figure().WithTitle(title).WithXAxis("α (filter-normalized d₁)").WithYAxis("β (filter-normalized d₂)")
    .Add(new System.Text.Json.Nodes.JsonObject { ["type"] = "contour", ["x"] = Figure.Numbers(s.Alpha.Select(v => (double?)v)), ["y"] = Figure.Numbers(s.Beta.Select(v => (double?)v)),
        ["z"] = new System.Text.Json.Nodes.JsonArray(s.ContourZ(LandscapeMetric.TrainLoss).Select(r => (System.Text.Json.Nodes.JsonNode?)Figure.Numbers(r.Select(v => (double?)Math.Min(v, zmax)))).ToArray()),
        ["zmin"] = 0, ["zmax"] = zmax, ["colorscale"] = "Viridis", ["ncontours"] = 30,
        ["colorbar"] = new System.Text.Json.Nodes.JsonObject { ["title"] = new System.Text.Json.Nodes.JsonObject { ["text"] = "training loss" } } });
display(Contour(planePlain, "λ = 0: training loss around θ*"));
Contour(planeDecayed, $"λ = {lambda}: training loss around θ*")
"""),
    code("""
double Center(Slice2D s) => s.TrainLoss[gridPoints / 2, gridPoints / 2];
display(Claims.Check("the center of each plane is the trained model's own training loss", Math.Abs(Center(planePlain) - plainHistory.Final.TrainLoss) < 1e-4 && Math.Abs(Center(planeDecayed) - decayedHistory.Final.TrainLoss) < 1e-4,
    $"center {Center(planePlain):F5} vs history {plainHistory.Final.TrainLoss:F5}; {Center(planeDecayed):F5} vs {decayedHistory.Final.TrainLoss:F5}"));
Claims.Check("every grid point was evaluated (no non-finite losses)", !planePlain.HasNonFinite && !planeDecayed.HasNonFinite, $"{gridPoints}×{gridPoints} points each")
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
Slice1D LineOf(Mlp m, DirectionNormalization n, GridAxis a) { var d = ParameterDirection.Random(m, seed, n); try { return LossLandscape.Line(m, d, mnist.Train, null, loss, a); } finally { d.Dispose(); } }
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
var pcaPlane = LossLandscape.Plane(decayed, pca.X, pca.Y, mnist.Train, null, loss, new GridAxis(-range, range, gridPoints), new GridAxis(-range, range, gridPoints),
    new SliceOptions { Center = pca.Center });
var pathFig = Contour(pcaPlane, $"λ = {lambda}: the training path on its two principal directions").WithXAxis($"PC 1 ({pca.ExplainedVarianceRatio[0]:P0} of the variance)").WithYAxis($"PC 2 ({pca.ExplainedVarianceRatio[1]:P0})");
pathFig.AddLine(pca.PathX, pca.PathY, "path (one point per epoch)", markers: true, color: "#D55E00");
display(Claims.Check("two principal directions explain most of the training path", pca.ExplainedVarianceRatio.Sum() > 0.6,
    $"explained variance {pca.ExplainedVarianceRatio[0]:P1} + {pca.ExplainedVarianceRatio[1]:P1}"));
pathFig
"""),
    md(r"""
## Sharpness

The top eigenvalue of the Hessian of the training loss, $\lambda_{\max}(\nabla^2 L)$, is the curvature along the sharpest
direction. We estimate it by power iteration on Hessian-vector products (double backward), on 2,000 training digits:
"""),
    code("""
var subset = mnist.Train.Subset(Enumerable.Range(0, 2000).Select(i => (long)i * 4).ToArray());
var sharpPlain = Sharpness.Estimate(plain, subset, loss, new HessianOptions { MaxIterations = 100, Tolerance = 1e-4 });
var sharpDecayed = Sharpness.Estimate(decayed, subset, loss, new HessianOptions { MaxIterations = 100, Tolerance = 1e-4 });
display(Claims.Check("power iteration converged for both networks", sharpPlain.Max.Converged && sharpDecayed.Max.Converged,
    $"λ_max = {sharpPlain.Max.Value:F3} (λ = 0, {sharpPlain.Max.Iterations} iterations), {sharpDecayed.Max.Value:F3} (λ = {lambda}, {sharpDecayed.Max.Iterations} iterations)"));
var rescaledSharp = Sharpness.Estimate(rescaled, subset, loss, new HessianOptions { MaxIterations = 100, Tolerance = 1e-4 });
Claims.Check("the Hessian's top eigenvalue is not invariant to the harmless rescaling: raw sharpness depends on the parameterization",
    Math.Abs(rescaledSharp.Max.Value - sharpPlain.Max.Value) > 0.2 * sharpPlain.Max.Value,
    $"λ_max = {sharpPlain.Max.Value:F3} original, {rescaledSharp.Max.Value:F3} rescaled by c = {c}")
"""),
    md(r"""
## Summary

- Filter-normalized slices compare solutions on their own scale; raw directions confuse scale with sharpness.
- The top Hessian eigenvalue is no more invariant than raw slices: a harmless rescaling changes it.
- Training paths are low-dimensional: two principal directions capture most of them.

## Exercises

1. Draw the λ = 0 plane along raw (unnormalized) directions on the same grid. How does the picture change, and which of the
   two solutions looks "flatter" now?

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
        var plane = LossLandscape.Plane(m, x, y, mnist.Train, null, loss, axis, axis);
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
])
