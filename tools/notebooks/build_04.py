"""Writes notebooks/04-the-seeds-mlp-on-mnist.ipynb and its solutions notebook."""
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

TRAIN = """var mnist = Mnist.Load();   // the bundled 10,000 digits: 8,000 train / 2,000 test, pixels in [0, 1]
(TrainingHistory History, ParameterSnapshot Weights) TrainMlp(double λ, Loss loss, int runEpochs)
{
    using var model = new Mlp(seed: seed);   // 784 → 64 → ReLU → 10
    var history = Trainer.Fit(model, mnist.Train, mnist.Test, loss, new TrainerOptions
    {
        Epochs = runEpochs, BatchSize = batchSize, Seed = seed,
        Optimizer = new OptimizerOptions(OptimizerKind.Adam, LearningRate: 1e-3),
        Decay = λ == 0 ? WeightDecayOptions.None : new WeightDecayOptions(DecayMethod.Penalty, λ),   // the attached L2
    });
    return (history, Evaluation.Snapshot(model, runEpochs, 0));
}
double[] Values(ParameterSnapshot s, string name) => s.Values.Single(v => v.Key == name).Value;"""

write(root / "notebooks" / "04-the-seeds-mlp-on-mnist.ipynb", [
    md(r"""
# 04 · The seed's MLP on MNIST

This workbook started from a question about a small Keras model. Here is its code, condensed:

```python
model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(64, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
regularizer = tf.keras.regularizers.l2(1e-5)          # weight decay ... ?
model.compile(optimizer=tf.keras.optimizers.Adam(decay=1e-6),
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(x_train, y_train, epochs=5)
```

It looks as if it trains with weight decay. It does not, and it has a third, unrelated defect. We take the three defects
one at a time, demonstrate each, and then train the faithful C# version — 784 → 64 → ReLU → 10 on the bundled MNIST
subset — with weight decay that is really applied, over a sweep of λ.
"""),
    bootstrap(),
    md(r"""
## Parameters
"""),
    code("""
var seed = 0;
var epochs = 10;         // quick: 3
var batchSize = 128;
var lambdas = new double[] { 0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1 };
""", tags=["parameters"]),
    code(USINGS + "\n\n" + TRAIN),
    md(r"""
## Defect 1: `Adam(decay=1e-6)` decays the learning rate, not the weights

Keras' legacy `decay` argument is *inverse-time learning-rate decay*: after $t$ steps the learning rate is
$\eta_t = \eta_0/(1 + \text{decay}\cdot t)$. The weights are never multiplied by anything. Over the seed's training
(5 epochs of 60,000 images in batches of 32 — 9,375 steps) the learning rate drops by less than one percent; weight decay
of the same strength on AdamW's scale would have shrunk the weights by the factor $(1 - \eta\lambda)^t$ instead.
"""),
    code("""
long seedSteps = 5 * 60_000 / 32;
double lrAfter = Schedules.KerasInverseTimeDecay(1e-3, 1e-6, seedSteps);
display(Claims.Check("Adam(decay=1e-6) lowers the learning rate by less than 1% over the seed's training", 1 - lrAfter / 1e-3 < 0.01,
    $"η falls from 1e-3 to {lrAfter:E4} ({(1 - lrAfter / 1e-3):P2}) after {seedSteps} steps"));
Claims.Check("a real decay of λ = 1e-6 per unit learning rate would not have done much either — the number just looks like weight decay",
    Math.Pow(1 - 1e-3 * 1e-6, seedSteps) > 0.9999, $"AdamW shrink factor (1 − ηλ)^t = {Math.Pow(1 - 1e-3 * 1e-6, seedSteps):F8}")
"""),
    md(r"""
## Defect 2: the regularizer is created but never attached

`tf.keras.regularizers.l2(1e-5)` returns an object; it acts only when passed to a layer as `kernel_regularizer`. The seed
never passes it, so the loss has no penalty term and no weight is decayed. Our optimizer's audit makes such mistakes
visible: it lists every parameter tensor with how (and whether) decay acts on it and by what factor per step.
"""),
    code("""
var seedModel = new Mlp(seed: seed);
var unattached = WeightDecay.Regularization.Regularizer.L2;                        // created ...
var seedAdam = new WeightDecayOptimizer(seedModel, new OptimizerOptions(OptimizerKind.Adam, 1e-3));   // ... never attached
var seedAudit = DecayAudit.Of(seedAdam, seedModel);
display(Claims.Check("in the seed's configuration no parameter tensor is decayed", !seedAudit.AnyDecay,
    $"{seedAudit.Rows.Count(r => r.Decayed)} of {seedAudit.Rows.Count} tensors decayed"));
seedAudit.ToDataFrame()
"""),
    md(r"""
Attached — Keras' `l2(1e-5)` adds $10^{-5}\sum\theta^2$ to the loss, i.e. our $\lambda = 2\cdot 10^{-5}$ with
$R(\theta) = \tfrac12\|\theta\|^2$ — the same audit shows the weights decayed and the biases not. With Adam the
shrink factor is known only after a step, and it differs per coordinate (lesson 02 and lesson 07 explain why):
"""),
    code("""
var fixedAdam = new WeightDecayOptimizer(seedModel, new OptimizerOptions(OptimizerKind.Adam, 1e-3), new WeightDecayOptions(DecayMethod.Penalty, 2e-5));
var fixedAudit = DecayAudit.Of(fixedAdam, seedModel);
display(Claims.Check("attached, the penalty decays exactly the two weight matrices", fixedAudit.Rows.Count(r => r.Decayed) == 2 && fixedAudit.Rows.Where(r => r.Decayed).All(r => r.Name.EndsWith("weight")),
    $"decayed: {string.Join(", ", fixedAudit.Rows.Where(r => r.Decayed).Select(r => r.Name))}"));
fixedAudit.ToDataFrame()
"""),
    md(r"""
## Defect 3: `from_logits=True` on softmax outputs

The last layer already applies a softmax, and `from_logits=True` tells the loss to apply another one. The loss then sees
probabilities $p \in [0, 1]$ as if they were logits. Even a certain, correct network ($p_y = 1$, all others 0) gets the
loss $-\log\frac{e^{1}}{e^{1} + 9e^{0}} = \log\left(1 + \tfrac{9}{e}\right) \approx 1.46$ — the loss can never go
lower, and its gradients are damped. We train the same network with the right loss and with the double softmax:
"""),
    code("""
var right = TrainMlp(0, new CrossEntropy(), epochs);
var doubled = TrainMlp(0, new DoubleSoftmaxCrossEntropy(), epochs);
double bound = DoubleSoftmaxCrossEntropy.LowerBound(10);
display(Claims.Check("the double-softmax loss never goes below log(1 + 9/e)", doubled.History.Epochs.All(e => e.TrainLoss >= bound),
    $"bound {bound:F4}; lowest training loss {doubled.History.Epochs.Min(e => e.TrainLoss):F4}"));
display(Claims.Check("the right loss goes far below that bound", right.History.Final.TrainLoss < bound / 3,
    $"cross-entropy {right.History.Final.TrainLoss:F4} after {epochs} epochs"));
var fig = Charts.LearningCurves(new[] { ("cross-entropy", right.History), ("double softmax", doubled.History) }, logY: true,
    title: "Training with the right loss and with a double softmax (each measured with its own loss)");
fig.AddLine(new[] { 0.0, epochs }, new[] { bound, bound }, "bound log(1 + 9/e)", dash: "dot", color: "#777777");
fig
"""),
    code("""
Claims.Check("test accuracy with each loss (Adam hides most of the damped gradient, but not the loss values)", true,
    $"cross-entropy {right.History.Final.TestAccuracy:P2}, double softmax {doubled.History.Final.TestAccuracy:P2}")
"""),
    md(r"""
## The faithful version, with weight decay that is applied

We attach the L2 penalty (Adam, λ on the weights, not the biases — as Keras' `kernel_regularizer` would) and sweep λ
over a log grid that includes 0. The slider shows each run's learning curves.
"""),
    code("""
var sweep = lambdas.Select(l => (Lambda: l, Run: TrainMlp(l, new CrossEntropy(), epochs))).ToList();
var labels = lambdas.Select(l => l == 0 ? "0" : l.ToString("0e0")).ToList();
SweepCharts.LearningCurvesSlider(sweep.Select((s, i) => (labels[i], s.Run.History)).ToList(), "λ = ", "Learning curves over λ (drag the slider)")
"""),
    code("""
IReadOnlyList<double> Final(Func<EpochMetrics, double> f) => sweep.Select(s => f(s.Run.History.Final)).ToList();
SweepCharts.CategoryLines(labels, new[] { ("train accuracy", Final(e => e.TrainAccuracy!.Value)), ("test accuracy", Final(e => e.TestAccuracy!.Value)) },
    "Accuracy against λ", "λ", "accuracy")
"""),
    code("""
var gap = Final(e => e.TrainAccuracy!.Value - e.TestAccuracy!.Value);
var fc1 = Final(e => e.LayerNorms["fc1.weight"]);
var fc2 = Final(e => e.LayerNorms["fc2.weight"]);
display(SweepCharts.CategoryLines(labels, new[] { ("generalization gap (train − test accuracy)", gap) }, "Generalization gap against λ", "λ", "accuracy gap"));
SweepCharts.CategoryLines(labels, new[] { ("‖W₁‖ (fc1.weight)", fc1), ("‖W₂‖ (fc2.weight)", fc2) }, "Per-layer weight norms against λ", "λ", "Frobenius norm", logY: true)
"""),
    code("""
display(Claims.Check("the first layer's weight norm decreases monotonically with λ", fc1.Zip(fc1.Skip(1), (a, b) => b < a).All(x => x),
    $"‖W₁‖ = {string.Join(" → ", fc1.Select(v => v.ToString("F2")))}"));
Claims.Check("the largest λ narrows the generalization gap by at least a quarter", gap[^1] < 0.75 * gap[0],
    $"gap {gap[0]:P2} at λ = 0, {gap[^1]:P2} at λ = {lambdas[^1]}")
"""),
    md(r"""
## What decay does to the first layer

Each of the 64 hidden units has 784 incoming weights: a 28 × 28 image. Without decay, pixels that are (almost) always
blank in the training digits — the border — get weights that no gradient ever corrects, and everywhere the weights carry
high-frequency noise. Decay pulls every weight towards zero unless the data keep it away, which removes that noise: the
images become smooth strokes. We measure *roughness*, the energy of neighbouring-pixel differences relative to the
image's energy (about 4 for pixel noise, near 0 for smooth images).
"""),
    code("""
var w0 = Values(sweep[0].Run.Weights, "fc1.weight");
var wBig = Values(sweep[^1].Run.Weights, "fc1.weight");
double Rough(double[] w) => Enumerable.Range(0, 64).Average(u => WeightStatistics.Roughness(w.Skip(u * 784).Take(784).ToList()));
display(ImageCharts.WeightMosaic(w0, 64, "First-layer weights, λ = 0 (each unit scaled to its own max |w|)"));
ImageCharts.WeightMosaic(wBig, 64, $"First-layer weights, λ = {lambdas[^1]}")
"""),
    code("""
display(Claims.Check("decay makes the first-layer weight images smoother (mean roughness falls by more than a third)", Rough(wBig) < 0.66 * Rough(w0),
    $"roughness {Rough(w0):F3} at λ = 0, {Rough(wBig):F3} at λ = {lambdas[^1]}"));
double Std(double[] w) => Math.Sqrt(w.Select(v => v * v).Average() - Math.Pow(w.Average(), 2));
display(Claims.Check("decay narrows the distribution of the first-layer weights", Std(wBig) < Std(w0),
    $"std {Std(w0):F4} → {Std(wBig):F4}"));
double lim = w0.Select(Math.Abs).Max();
ImageCharts.Histograms(new[] { ("λ = 0", (IReadOnlyList<double>)w0), ($"λ = {lambdas[^1]}", wBig) }, 80, -lim, lim,
    "Distribution of the first-layer weights", "weight value", logY: true)
"""),
    md(r"""
## Summary

- `Adam(decay=…)` in Keras is learning-rate decay; a regularizer object does nothing until it is attached; a softmax output
  with `from_logits=True` applies the softmax twice and bounds the loss below by $\log(1 + 9/e)$.
- An audit of the optimizer's decay per tensor catches the first two kinds of mistake before any training.
- Really applied, weight decay shrinks the weights (monotonically in λ here), narrows the generalization gap at the
  largest λ and smooths the first layer's weight images.

## Exercises

1. Replace the penalty (Adam + L2) by decoupled decay (AdamW) with the same λ values. Which λ now gives the best test
   accuracy, and how do the weight norms compare?
2. Train the double-softmax network with plain SGD (learning rate 0.1) instead of Adam. How much slower does it learn than
   with the right loss, and why does Adam hide most of the difference?
3. Which pixels have first-layer weights that stay at their initial values without decay? Count the pixels that are zero in
   every training digit.

Worked solutions: [solutions/04-the-seeds-mlp-on-mnist](solutions/04-the-seeds-mlp-on-mnist.ipynb).
"""),
])

write(root / "notebooks" / "solutions" / "04-the-seeds-mlp-on-mnist.ipynb", [
    md(r"""
# Solutions · 04 The seed's MLP on MNIST

Worked solutions to the exercises of lesson 04, each computed and checked.
"""),
    bootstrap(depth=2),
    code("""
var seed = 0;
var epochs = 4;          // quick: 2
var batchSize = 128;
""", tags=["parameters"]),
    code(USINGS + """

var mnist = Mnist.Load();
TrainingHistory Run(OptimizerOptions opt, WeightDecayOptions decay, Loss loss)
{
    using var model = new Mlp(seed: seed);
    return Trainer.Fit(model, mnist.Train, mnist.Test, loss, new TrainerOptions { Epochs = epochs, BatchSize = batchSize, Seed = seed, Optimizer = opt, Decay = decay });
}"""),
    md(r"""
## 1. Penalty vs decoupled decay with Adam

With AdamW every weight shrinks by $(1 - \eta\lambda)$ per step, independently of its gradient history; with Adam + L2
the decay of each weight is divided by $\sqrt{\hat v}$. For the same λ the decoupled runs therefore keep much larger
weights at small λ (η = 10⁻³ makes ηλ tiny) — the two λ scales are not comparable, which is lesson 07's subject.
"""),
    code("""
var adam = new OptimizerOptions(OptimizerKind.Adam, 1e-3);
var l2 = Run(adam, new WeightDecayOptions(DecayMethod.Penalty, 1e-2), new CrossEntropy());
var adamw = Run(adam, new WeightDecayOptions(DecayMethod.Decoupled, 1e-2), new CrossEntropy());
Claims.Check("with the same λ = 1e-2, AdamW keeps larger first-layer weights than Adam + L2", adamw.Final.LayerNorms["fc1.weight"] > l2.Final.LayerNorms["fc1.weight"],
    $"‖W₁‖: Adam + L2 {l2.Final.LayerNorms["fc1.weight"]:F2}, AdamW {adamw.Final.LayerNorms["fc1.weight"]:F2}; test accuracy {l2.Final.TestAccuracy:P1} vs {adamw.Final.TestAccuracy:P1}")
"""),
    md(r"""
## 2. The double softmax under plain SGD

The double softmax multiplies the gradient with respect to the logits by the softmax Jacobian, whose entries are at most
1/4: with SGD the steps shrink accordingly and learning slows. Adam divides by the gradient's own scale, which undoes a
uniform damping.
"""),
    code("""
var sgd = new OptimizerOptions(OptimizerKind.Sgd, 0.1);
var rightSgd = Run(sgd, WeightDecayOptions.None, new CrossEntropy());
var doubleSgd = Run(sgd, WeightDecayOptions.None, new DoubleSoftmaxCrossEntropy());
Claims.Check("with plain SGD the double softmax learns more slowly", doubleSgd.Epochs[1].TestAccuracy < rightSgd.Epochs[1].TestAccuracy,
    $"test accuracy after one epoch: {rightSgd.Epochs[1].TestAccuracy:P1} (cross-entropy) vs {doubleSgd.Epochs[1].TestAccuracy:P1} (double softmax)")
"""),
    md(r"""
## 3. Pixels the data never light up

A weight on a pixel that is zero in every training image receives the gradient $\partial L/\partial w = \delta \cdot x = 0$
at every step: without decay it keeps its initial value forever.
"""),
    code("""
var pixelMax = mnist.Train.Features.max(0).values.data<float>().ToArray();
int dead = pixelMax.Count(v => v == 0);
var model = new Mlp(seed: seed);
var before = model.Layers[0].weight!.detach().clone();
Trainer.Fit(model, mnist.Train, null, new CrossEntropy(), new TrainerOptions { Epochs = 1, BatchSize = batchSize, Optimizer = new OptimizerOptions(OptimizerKind.Adam, 1e-3) });
var moved = (model.Layers[0].weight!.detach() - before).abs().max(0).values.data<float>().ToArray();
Claims.Check("first-layer weights of never-lit pixels do not move without decay", Enumerable.Range(0, 784).Where(i => pixelMax[i] == 0).All(i => moved[i] == 0),
    $"{dead} of 784 pixels are zero in all 8,000 training digits")
"""),
])
