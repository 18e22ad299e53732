"""Writes notebooks/01-what-weight-decay-is.ipynb."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import code, bootstrap
from nbx import md, write

root = pathlib.Path(__file__).resolve().parents[2]
write(root / "notebooks" / "01-what-weight-decay-is.ipynb", [
    md(r"""
# 01 · What weight decay is

Weight decay is the most widely used regularizer in deep learning. It replaces the data loss $L(\boldsymbol\theta)$ that
training minimizes by

$$L'(\boldsymbol\theta) = L(\boldsymbol\theta) + \frac{\lambda}{2}\,\lVert\boldsymbol\theta\rVert_2^2, \qquad \lambda \ge 0 .$$

The added term is zero at the origin and grows with the square of the distance from it; $\lambda$ is its price. This
lesson looks at that one formula from three sides, and computes each of them:

1. **Regularization.** It trades fit to the training data for smaller, simpler weights.
2. **Bayesian inference.** It is maximum a posteriori estimation under a Gaussian prior on the weights.
3. **Geometry.** Near a minimum it shrinks the weights along each eigendirection of the Hessian by its own factor.

The workbook's conventions hold throughout: $L$ is a *mean* over the $n$ training examples (for regression
$L = \frac1n\sum_i \frac12(\hat y_i - y_i)^2$), the penalty carries the factor $\frac12$ so that its gradient is exactly
$\lambda\boldsymbol\theta$, and biases are not penalized. Lesson 02 shows how other conventions change what a given
$\lambda$ means.
"""),
    bootstrap(),
    md(r"""
## Parameters

The runner overrides these (`--param noiseStd=0.4`); its quick mode uses the values in the `// quick:` comments.
"""),
    code("""
var seed = 0;
// 1 · polynomial regression: degree D, n training points, noise σ, number of λ values from 1e-9 to 1e3
var degree = 12;
var trainCount = 15;
var noiseStd = 0.2;
var lambdaCount = 25;             // quick: 13
// 2 · Bayesian linear regression: n examples, d features, noise σ, prior τ
var bayesCount = 20;
var bayesFeatures = 10;
var bayesNoiseStd = 1.0;
var priorStd = 0.5;
// 2 and 3 · gradient-descent steps
var gdSteps = 2000;               // quick: 600
// 3 · curvatures h₁ (flat) and h₂ (sharp) of the quadratic loss, and the λ values of the slider
var flatCurvature = 0.5;
var sharpCurvature = 5.0;
var geometryLambdas = new double[] { 0, 0.1, 0.3, 1, 3, 10, 30 };
""", tags=["parameters"]),
    code("""
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;
using WeightDecay.Theory;
using WeightDecay.Training;
"""),
    md(r"""
## 1 · A price on large weights

### Polynomial regression

To see the trade-off we need a model that *can* overfit. We draw $n$ points $x_i \sim \mathcal U(-1, 1)$ with targets
$y_i = \sin(\pi x_i) + \varepsilon_i$, $\varepsilon_i \sim \mathcal N(0, \sigma^2)$, and fit a polynomial of degree $D$,

$$\hat y = b + \sum_{k=1}^{D} w_k\, x^k ,$$

which is linear regression on the features $(x, x^2, \dots, x^D)$. With $D$ close to $n$ the polynomial can pass almost
through every noisy point. For each $\lambda$ of a grid we minimize

$$L'(\mathbf w, b) = \frac1n\sum_{i=1}^n \frac12\bigl(\hat y_i - y_i\bigr)^2 + \frac\lambda2\lVert\mathbf w\rVert_2^2$$

in closed form: `Ridge.Solve` solves $\bigl(\tilde X^\top \tilde X/n + \lambda I\bigr)\mathbf w = \tilde X^\top \tilde{\mathbf y}/n$
on the centered data $\tilde X, \tilde{\mathbf y}$ and sets $b = \bar y - \bar{\mathbf x}^\top\mathbf w$.
"""),
    code("""
var poly = PolynomialRegression.Create(degree, trainCount, testCount: 200, noiseStd, seed);
var lambdas = Enumerable.Range(0, lambdaCount).Select(i => Math.Pow(10, -9 + 12.0 * i / (lambdaCount - 1)))
    .ToArray();   // 1e-9 … 1e3, evenly spaced on a log scale
var fits = FitTradeoff.Sweep(poly.Train, poly.Test, lambdas);
$"{fits.Count} fits, λ from {lambdas[0]:0e0} to {lambdas[^1]:0e0}, {degree} weights each"
"""),
    md(r"""
Move the slider from small to large $\lambda$. With almost no penalty the polynomial threads through the training points
and swings wildly between them. As $\lambda$ grows the swings die out. With a very large $\lambda$ the weights are nearly
zero and what is left is the flat line $\hat y = \bar y$: simple, and wrong.
"""),
    code("TheoryCharts.PolynomialFits(poly, fits, active: lambdaCount / 2)"),
    md(r"""
### Training loss rises, weights shrink, test loss is U-shaped

Two of the three curves below are monotone, whatever the data. Let $\mathbf w_1$ and $\mathbf w_2$ minimize
$L + \lambda_1 R$ and $L + \lambda_2 R$, with $\lambda_1 < \lambda_2$ and $R(\mathbf w) = \frac12\lVert\mathbf w\rVert_2^2$.
Each is optimal for its own objective:

$$L(\mathbf w_1) + \lambda_1 R(\mathbf w_1) \le L(\mathbf w_2) + \lambda_1 R(\mathbf w_2), \qquad
L(\mathbf w_2) + \lambda_2 R(\mathbf w_2) \le L(\mathbf w_1) + \lambda_2 R(\mathbf w_1).$$

Adding the two inequalities leaves $(\lambda_2 - \lambda_1)\bigl(R(\mathbf w_2) - R(\mathbf w_1)\bigr) \le 0$, so
$R(\mathbf w_2) \le R(\mathbf w_1)$: **the weight norm can only shrink as $\lambda$ grows**. Using that in the first
inequality gives $L(\mathbf w_1) \le L(\mathbf w_2)$: **the training loss can only rise**. Nothing constrains the test
loss: it falls while the penalty removes wiggles that only fit the noise, and rises again once it removes the signal too.
"""),
    code("TheoryCharts.Tradeoff(fits)"),
    md(r"""
The checks below assert these statements on the sweep just computed; the evidence shows the numbers.
"""),
    code("""
var (first, best, last) = (fits[0], fits.MinBy(f => f.TestLoss)!, fits[^1]);
bool trainRises = fits.Zip(fits.Skip(1)).All(p => p.Second.TrainLoss >= p.First.TrainLoss * (1 - 1e-9));
bool normShrinks = fits.Zip(fits.Skip(1)).All(p => p.Second.WeightNorm <= p.First.WeightNorm * (1 + 1e-9));
display(Claims.Check("the training loss never decreases as λ grows", trainRises,
    $"{first.TrainLoss:G3} at the smallest λ → {last.TrainLoss:G3} at the largest"));
display(Claims.Check("‖w‖₂ never increases as λ grows", normShrinks,
    $"‖w‖₂ = {first.WeightNorm:G3} → {last.WeightNorm:G3}"));
display(Claims.Check("with the smallest λ the polynomial overfits: training loss below a tenth of the test loss",
    first.TrainLoss < 0.1 * first.TestLoss, $"train {first.TrainLoss:G3}, test {first.TestLoss:G3}"));
Claims.Check("the test loss is U-shaped: lowest at an interior λ, below both ends of the grid",
    best != first && best != last && best.TestLoss < first.TestLoss && best.TestLoss < last.TestLoss,
    $"test loss {first.TestLoss:G3} → {best.TestLoss:G3} at λ = {best.Lambda:0.#e0} → {last.TestLoss:G3}")
"""),
    md(r"""
## 2 · A prior belief: weight decay as MAP estimation

### From the posterior to the penalty

Bayesian linear regression states how the data came about: $y_i = \mathbf x_i^\top\mathbf w + b + \varepsilon_i$ with
independent noise $\varepsilon_i \sim \mathcal N(0, \sigma^2)$, and before seeing any data we believe the weights are
small, $\mathbf w \sim \mathcal N(\mathbf 0, \tau^2 I)$. We express no preference about the bias (a flat prior). By Bayes'
rule the posterior is proportional to likelihood times prior, so

$$-\log p(\mathbf w, b \mid \mathcal D) = \frac{1}{2\sigma^2}\sum_{i=1}^n \bigl(\mathbf x_i^\top\mathbf w + b - y_i\bigr)^2
+ \frac{1}{2\tau^2}\lVert\mathbf w\rVert_2^2 + \text{const}.$$

The maximum a posteriori (MAP) estimate minimizes it. Multiplying by the positive constant $\sigma^2/n$ does not move the
minimizer, and turns it into exactly our objective:

$$\frac{\sigma^2}{n}\bigl(-\log p(\mathbf w, b\mid\mathcal D)\bigr) =
\underbrace{\frac1n\sum_{i=1}^n\frac12\bigl(\mathbf x_i^\top\mathbf w + b - y_i\bigr)^2}_{L(\mathbf w,\, b)}
+ \frac{\lambda}{2}\lVert\mathbf w\rVert_2^2 + \text{const}, \qquad \lambda = \frac{\sigma^2}{n\,\tau^2}.$$

So **L2 weight decay is MAP estimation under a Gaussian prior**, and with our mean-reduced loss the matching coefficient is
$\lambda = \sigma^2/(n\tau^2)$. The often-quoted $\lambda = \sigma^2/\tau^2$ is the same statement for a *summed* loss.
Mind the $n$: a fixed prior weighs less and less against more and more data, so the $\lambda$ that encodes it falls like
$1/n$. A strong prior (small $\tau$) or noisy data (large $\sigma$) both call for a larger $\lambda$.

### Checking it

We draw data from this very model, with true weights sampled from the prior, and compute the posterior mode in two ways
that never mention weight decay. First, the closed-form posterior of Bayesian linear regression: it is Gaussian, so its
mode is its mean, the solution of

$$A\begin{pmatrix}\mathbf w\\ b\end{pmatrix} = \frac{1}{\sigma^2}\begin{pmatrix}X^\top\mathbf y\\ \mathbf 1^\top\mathbf y\end{pmatrix},
\qquad A = \frac{1}{\sigma^2}\begin{pmatrix} X^\top X & X^\top\mathbf 1\\ \mathbf 1^\top X & n\end{pmatrix}
+ \begin{pmatrix}\tau^{-2} I & \mathbf 0\\ \mathbf 0^\top & 0\end{pmatrix},$$

where $A$ is the posterior precision. Second, gradient descent on $-\log p$, with the gradient from TorchSharp's autograd.
Both are compared with `Ridge.Solve` at $\lambda = \sigma^2/(n\tau^2)$, and with the ridge solution for the $\lambda$ one
gets by forgetting the $n$.
"""),
    code("""
var sample = BayesianLinearRegression.Sample(bayesCount, bayesFeatures, bayesNoiseStd, priorStd, seed: seed);
double σ2 = sample.NoiseVariance, τ2 = sample.PriorVariance;
double λMap = BayesianLinearRegression.LambdaFromPrior(σ2, τ2, bayesCount);
var ridge = Ridge.Solve(sample.Data, λMap);
var posteriorMean = BayesianLinearRegression.PosteriorMean(sample.Data, σ2, τ2);
var (gdMode, gradientNorm) = BayesianLinearRegression.PosteriorModeByGradientDescent(sample.Data, σ2, τ2, gdSteps);
var forgotN = Ridge.Solve(sample.Data, σ2 / τ2);
$"σ² = {σ2}, τ² = {τ2}, n = {bayesCount}: λ = σ²/(nτ²) = {λMap:G4}; forgetting n would give σ²/τ² = {σ2 / τ2:G4}"
"""),
    md(r"""
The table lists each estimate's largest deviation from the ridge solution, over all weights and the bias, relative to
the ridge solution's largest entry.
"""),
    code("""
SolutionComparison.Table(ridge, new[]
{
    ("posterior mean, closed form", posteriorMean),
    ($"posterior mode, {gdSteps} steps of gradient descent", gdMode),
    ("ridge with λ = σ²/τ² (n forgotten)", forgotN),
}, referenceName: "ridge at σ²/(nτ²)")
"""),
    code("""
double Deviation(LinearSolution s) => SolutionComparison.RelativeDeviation(s, ridge);
display(Claims.Check("the closed-form posterior mean equals the ridge solution with λ = σ²/(nτ²)",
    Deviation(posteriorMean) <= 1e-10, $"relative deviation {Deviation(posteriorMean):E1} (tolerance 1e-10)"));
display(Claims.Check("gradient descent on −log p(w, b | D) converges to the same ridge solution",
    Deviation(gdMode) <= 1e-8,
    $"relative deviation {Deviation(gdMode):E1} (tolerance 1e-8), gradient norm {gradientNorm:E1}"));
var (normForgot, normRidge) = (SolutionComparison.WeightNorm(forgotN), SolutionComparison.WeightNorm(ridge));
Claims.Check("forgetting n (λ = σ²/τ²) over-shrinks: a different estimate with a smaller ‖w‖₂",
    Deviation(forgotN) > 1e-2 && normForgot < normRidge,
    $"relative deviation {Deviation(forgotN):G3}; ‖w‖₂ = {normForgot:G3} instead of {normRidge:G3}")
"""),
    md(r"""
## 3 · Geometry: shrinking along the Hessian's eigendirections

### The penalized minimum in closed form

Near a minimum $\mathbf w^*$ of the data loss, its second-order Taylor expansion is an accurate model (Goodfellow, Bengio
& Courville, *Deep Learning*, §7.1.1):

$$L(\mathbf w) \approx L(\mathbf w^*) + \frac12(\mathbf w - \mathbf w^*)^\top H\,(\mathbf w - \mathbf w^*), \qquad
H = Q\Lambda Q^\top,\quad \Lambda = \operatorname{diag}(h_1, h_2).$$

There is no linear term because $\nabla L(\mathbf w^*) = \mathbf 0$. The columns $\mathbf q_1, \mathbf q_2$ of the
rotation $Q$ are the Hessian's eigenvectors and $h_1, h_2 > 0$ the curvatures along them. Adding the penalty and setting
the gradient to zero gives

$$H(\tilde{\mathbf w} - \mathbf w^*) + \lambda\tilde{\mathbf w} = \mathbf 0
\quad\Longrightarrow\quad
\tilde{\mathbf w}(\lambda) = (H + \lambda I)^{-1} H\,\mathbf w^* = Q\,(\Lambda + \lambda I)^{-1}\Lambda\,Q^\top\mathbf w^* .$$

Read it from right to left: rotate $\mathbf w^*$ into the eigenbasis, multiply its $i$-th coordinate by

$$\frac{h_i}{h_i + \lambda},$$

and rotate back. Where the loss is sharply curved ($h_i \gg \lambda$) the factor is close to 1 and the weight is kept.
Where it is flat ($h_i \ll \lambda$) the factor is close to 0 and the weight is removed: moving along a flat direction
costs little loss and saves a lot of penalty.

We take one flat and one sharp direction (the parameters `flatCurvature` and `sharpCurvature`) and compute
$\tilde{\mathbf w}(\lambda)$ twice: from the closed form, and by gradient descent on the penalized loss with TorchSharp's
autograd, independently for each $\lambda$ of the grid.
"""),
    code("""
var bowl = new QuadraticBowl(flatCurvature, sharpCurvature, angleDegrees: 15, minimizer: new[] { 1.5, 2.0 });
var closedForm = geometryLambdas.Select(bowl.RegularizedMinimizer).ToArray();
var descended = bowl.MinimizeWithAutograd(geometryLambdas, gdSteps);
string Vector(IReadOnlyList<double> v) => $"({v[0]:F3}, {v[1]:F3})";
$"h₁ = {bowl.H1} along q₁ = {Vector(bowl.Q1)}; h₂ = {bowl.H2} along q₂ = {Vector(bowl.Q2)}"
"""),
    md(r"""
Move the slider. The filled ellipses are contours of $L$, the dotted circles contours of the penalty. At
$\tilde{\mathbf w}(\lambda)$ the loss contour and the penalty circle through it touch: there the two gradients point in
opposite directions, $\nabla L(\tilde{\mathbf w}) = -\lambda\tilde{\mathbf w}$, so no small step can lower one term
without raising the sum by more. As $\lambda$ grows the point does not slide straight to the origin: it first gives up its
coordinate along the flat direction $\mathbf q_1$, swinging towards $\mathbf q_2$, and only then shrinks to the origin.
"""),
    code("TheoryCharts.Geometry(bowl, geometryLambdas, active: geometryLambdas.Length / 2)"),
    md(r"""
The same numbers in the eigenbasis: the lines are the factors $h_i/(h_i+\lambda)$, the markers the ratios measured on the
gradient-descent minimizers. The flat direction (small $h_1$) is shrunk at every $\lambda$ more than the sharp one.
"""),
    code("TheoryCharts.ShrinkFactors(bowl, geometryLambdas, descended)"),
    md(r"""
We measure each statement on the numbers above: the distance between closed form and gradient descent, the shrink factor
of each eigen-coordinate, the tangency condition, and the norm and direction of $\tilde{\mathbf w}$ along the grid.
"""),
    code("""
double closedVsDescent = closedForm.Zip(descended, (c, d) => Math.Max(Math.Abs(c[0] - d[0]), Math.Abs(c[1] - d[1])))
    .Max();
var (c1, c2) = bowl.EigenCoordinates(bowl.Minimizer);
double shrinkError = geometryLambdas.Zip(descended, (l, w) =>
{
    var (m1, m2) = bowl.EigenCoordinates(w);
    var (s1, s2) = bowl.ShrinkFactors(l);
    return Math.Max(Math.Abs(m1 / c1 - s1), Math.Abs(m2 / c2 - s2));
}).Max();
double tangency = geometryLambdas.Zip(closedForm, (l, w) =>
{
    var g = bowl.Gradient(w);   // ∇L(w̃), which should be −λw̃
    return Math.Max(Math.Abs(g[0] + l * w[0]), Math.Abs(g[1] + l * w[1]));
}).Max();
var norms = closedForm.Select(w => Math.Sqrt(w[0] * w[0] + w[1] * w[1])).ToArray();
var angles = closedForm.Select(w => Math.Atan2(w[1], w[0]) * 180 / Math.PI).ToArray();
"""),
    code("""
display(Claims.Check("the closed form Q(Λ+λI)⁻¹ΛQᵀw* is the minimizer found by gradient descent with autograd",
    closedVsDescent <= 1e-9,
    $"max |difference| {closedVsDescent:E1} over {geometryLambdas.Length} values of λ (tolerance 1e-9)"));
display(Claims.Check("each eigen-coordinate of w̃ is w*'s scaled by hᵢ/(hᵢ+λ)", shrinkError <= 1e-8,
    $"max |measured − hᵢ/(hᵢ+λ)| = {shrinkError:E1} (tolerance 1e-8)"));
display(Claims.Check("the flat direction is shrunk more than the sharp one at every λ > 0",
    geometryLambdas.Where(l => l > 0).All(l => bowl.ShrinkFactors(l).S1 < bowl.ShrinkFactors(l).S2),
    $"at λ = 1: {bowl.ShrinkFactors(1).S1:F3} along q₁ vs {bowl.ShrinkFactors(1).S2:F3} along q₂"));
display(Claims.Check("loss contour and penalty circle are tangent at w̃: ∇L(w̃) = −λw̃", tangency <= 1e-12,
    $"max |∇L(w̃) + λw̃| = {tangency:E1} (tolerance 1e-12)"));
Claims.Check("w̃(λ) moves to the origin along a curve: ‖w̃‖ falls at every step while its direction turns",
    norms.Zip(norms.Skip(1)).All(p => p.Second < p.First) && Math.Abs(angles[^1] - angles[0]) > 10,
    $"‖w̃‖ {norms[0]:F3} → {norms[^1]:F3}; direction {angles[0]:F1}° → {angles[^1]:F1}°")
"""),
    md(r"""
## Summary

* Weight decay minimizes $L(\boldsymbol\theta) + \frac\lambda2\lVert\boldsymbol\theta\rVert_2^2$. As $\lambda$ grows the
  training loss can only rise and the weight norm can only fall; the test loss is typically U-shaped, so $\lambda$ is
  chosen on held-out data.
* It is MAP estimation under the prior $\mathbf w \sim \mathcal N(\mathbf 0, \tau^2 I)$: with a mean-reduced squared
  error $\lambda = \sigma^2/(n\tau^2)$, with a summed one $\lambda = \sigma^2/\tau^2$.
* Near a minimum it rescales each eigen-coordinate of $\mathbf w^*$ by $h_i/(h_i+\lambda)$: flat directions, which the
  data hardly pins down, are removed; sharp ones are kept.

## Exercises

1. **Where does the best λ go?** Rerun section 1 with `--param noiseStd=0.4`, then with `--param trainCount=30`. Does the
   $\lambda$ with the lowest test loss move up or down? Explain the direction with the Bayesian view of section 2.
2. **More data, same prior.** In section 2, double $n$ while keeping $\sigma$ and $\tau$. By what factor does the matching
   $\lambda$ change, and does `Ridge.Solve` still reproduce the posterior mode?
3. **Isotropic curvature.** Take $h_1 = h_2 = h$. Show that $\tilde{\mathbf w}(\lambda)$ then moves along the straight line
   from $\mathbf w^*$ to the origin, and that weight decay simply scales $\mathbf w^*$ by $h/(h+\lambda)$. Check it with a
   `QuadraticBowl`.
4. **Very large λ.** Show that for $\lambda \gg h_1, h_2$, $\tilde{\mathbf w}(\lambda) \approx H\mathbf w^*/\lambda$. From
   which direction does the path enter the origin? Verify numerically.

Worked solutions: [solutions/01-what-weight-decay-is.ipynb](solutions/01-what-weight-decay-is.ipynb).
"""),
])
