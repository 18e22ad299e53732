"""Writes notebooks/solutions/01-what-weight-decay-is.ipynb (worked solutions of lesson 01's exercises)."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from nb import code, bootstrap
from nbx import md, write

root = pathlib.Path(__file__).resolve().parents[2]
write(root / "notebooks" / "solutions" / "01-what-weight-decay-is.ipynb", [
    md(r"""
# Solutions · 01 · What weight decay is

Worked solutions of the exercises of [lesson 01](../01-what-weight-decay-is.ipynb). As in the lesson, every claim is
checked by an assertion cell.
"""),
    bootstrap(depth=2),
    md(r"""
## Parameters
"""),
    code("""
var seeds = 20;                   // draws of the data averaged in exercise 1
var noisyStd = 0.4;               // exercise 1: the noisier data (the lesson uses σ = 0.2)
var moreCount = 60;               // exercise 1: the larger training set (the lesson uses n = 15)
var gdSteps = 2000;               // quick: 600
""", tags=["parameters"]),
    code("""
using WeightDecay.Interactive;
using WeightDecay.Interactive.Visualization;
using WeightDecay.Theory;
using WeightDecay.Training;
"""),
    md(r"""
## Exercise 1 · Where does the best λ go?

A single draw of 15 points is a noisy experiment: rerun the lesson with other seeds and the $\lambda$ of lowest test loss
jumps around. To see the trend we average over many draws of the data: for each $\lambda$ of the lesson's grid we take
the geometric mean of the test loss over `seeds` draws, for the lesson's set-up ($n = 15$, $\sigma = 0.2$), for noisier
data, and for more data.
"""),
    code("""
var grid = Enumerable.Range(0, 25).Select(i => Math.Pow(10, -9 + 12.0 * i / 24)).ToArray();
double[] MeanTestLoss(int n, double σ)   // geometric mean over the seeds 0 … seeds − 1, per λ
{
    var meanLog = new double[grid.Length];
    for (int seed = 0; seed < seeds; seed++)
    {
        using var data = PolynomialRegression.Create(degree: 12, trainCount: n, testCount: 200, noiseStd: σ, seed: seed);
        var fits = FitTradeoff.Sweep(data.Train, data.Test, grid);
        for (int i = 0; i < grid.Length; i++) meanLog[i] += Math.Log(fits[i].TestLoss) / seeds;
    }
    return meanLog.Select(Math.Exp).ToArray();
}
var setUps = new (string Label, double[] Loss)[]
{
    ("n = 15, σ = 0.2 (the lesson)", MeanTestLoss(15, 0.2)),
    ($"n = 15, σ = {noisyStd}", MeanTestLoss(15, noisyStd)),
    ($"n = {moreCount}, σ = 0.2", MeanTestLoss(moreCount, 0.2)),
};
double Best(double[] loss) => grid[Array.IndexOf(loss, loss.Min())];
var chart = new Figure().WithTitle($"Test loss against λ, geometric mean over {seeds} draws of the data")
    .WithXAxis("weight decay λ (log scale)", log: true).WithYAxis("test loss ½·mean squared error (log scale)", log: true);
foreach (var (s, i) in setUps.Select((s, i) => (s, i)))
    chart.AddLine(grid, s.Loss, $"{s.Label}: best λ = {Best(s.Loss):0.#e0}", markers: true, color: Charts.Palette[i]);
chart
"""),
    code("""
var (lesson, noisier, moreData) = (Best(setUps[0].Loss), Best(setUps[1].Loss), Best(setUps[2].Loss));
display(Claims.Check("noisier data move the best λ up", noisier > lesson,
    $"σ 0.2 → {noisyStd}: {lesson:0.#e0} → {noisier:0.#e0}"));
Claims.Check("more data move the best λ down", moreData < lesson,
    $"n 15 → {moreCount}: {lesson:0.#e0} → {moreData:0.#e0}")
"""),
    md(r"""
The Bayesian view of section 2 predicts the direction. There the matching coefficient is $\lambda = \sigma^2/(n\tau^2)$:
more noise means each point tells less about the weights, so the prior (the pull towards zero) should count for more;
more data means the likelihood outweighs the prior, so it should count for less. The polynomial's true coefficients are
not drawn from a Gaussian prior, so the formula does not give the best $\lambda$ exactly — but the direction holds.

## Exercise 2 · More data, same prior

$\lambda = \sigma^2/(n\tau^2)$ is inversely proportional to $n$: doubling $n$ halves $\lambda$. The identity between the
posterior mode and the ridge solution holds for every $n$, so `Ridge.Solve` with the halved $\lambda$ still reproduces it.
"""),
    code("""
var (σ, τ) = (1.0, 0.5);
double λ20 = BayesianLinearRegression.LambdaFromPrior(σ * σ, τ * τ, 20);
double λ40 = BayesianLinearRegression.LambdaFromPrior(σ * σ, τ * τ, 40);
var sample = BayesianLinearRegression.Sample(40, 10, σ, τ, seed: 0);
var posteriorMean = BayesianLinearRegression.PosteriorMean(sample.Data, σ * σ, τ * τ);
var (gdMode, _) = BayesianLinearRegression.PosteriorModeByGradientDescent(sample.Data, σ * σ, τ * τ, gdSteps);
var ridge40 = Ridge.Solve(sample.Data, λ40);
display(Claims.Check("doubling n halves the λ that matches the prior", Math.Abs(λ40 / λ20 - 0.5) <= 1e-15,
    $"λ = {λ20:G4} for n = 20, {λ40:G4} for n = 40"));
double closedForm = SolutionComparison.RelativeDeviation(posteriorMean, ridge40);
double descent = SolutionComparison.RelativeDeviation(gdMode, ridge40);
Claims.Check("with n = 40 the ridge solution at the halved λ is still the posterior mode",
    closedForm <= 1e-10 && descent <= 1e-8,
    $"relative deviations {closedForm:E1} (closed form, tol. 1e-10), {descent:E1} (gradient descent, tol. 1e-8)")
"""),
    md(r"""
## Exercise 3 · Isotropic curvature

With $h_1 = h_2 = h$ the Hessian is $H = hI$ whatever the rotation $Q$, and

$$\tilde{\mathbf w}(\lambda) = (hI + \lambda I)^{-1} h\,\mathbf w^* = \frac{h}{h+\lambda}\,\mathbf w^* :$$

a scalar multiple of $\mathbf w^*$ that falls from 1 to 0, so the path is the straight segment from $\mathbf w^*$ to the
origin, and weight decay rescales all of $\mathbf w^*$ by the same factor. We check it on a bowl with $h = 2$, against
gradient descent as well.
"""),
    code("""
var round = new QuadraticBowl(2, 2, angleDegrees: 40, minimizer: new[] { 1.0, 3.0 });
var lambdas = new double[] { 0, 0.1, 0.3, 1, 3, 10, 30 };
var descended = round.MinimizeWithAutograd(lambdas, gdSteps);
double scalingError = lambdas.Zip(descended, (l, w) =>
    Math.Max(Math.Abs(w[0] - 2 / (2 + l) * 1.0), Math.Abs(w[1] - 2 / (2 + l) * 3.0))).Max();
double offLine = lambdas.Select(round.RegularizedMinimizer).Max(w => Math.Abs(w[0] * 3.0 - w[1] * 1.0)); // w̃ × w*
display(Claims.Check("with H = hI, w̃(λ) = h/(h+λ)·w* (gradient descent agrees)", scalingError <= 1e-9,
    $"max |w̃ − h/(h+λ)·w*| = {scalingError:E1} (tolerance 1e-9)"));
Claims.Check("and the path is the straight line from w* to the origin", offLine <= 1e-14,
    $"max |w̃ × w*| = {offLine:E1}")
"""),
    md(r"""
## Exercise 4 · Very large λ

Write $\lambda\tilde{\mathbf w}(\lambda) = \lambda(H + \lambda I)^{-1}H\mathbf w^* = (I + H/\lambda)^{-1}H\mathbf w^*$.
As $\lambda\to\infty$, $(I + H/\lambda)^{-1} \to I$, so $\tilde{\mathbf w}(\lambda) \approx H\mathbf w^*/\lambda$. In the
eigenbasis the error factor of coordinate $i$ is $1/(1 + h_i/\lambda) - 1$, at most $h_{\max}/(\lambda + h_{\max})$ in
size, which bounds the relative error. The path therefore enters the origin along $H\mathbf w^*$: the direction in which
the sharp eigenvector's coordinate, multiplied by its large curvature, dominates. We check both on the lesson's bowl.
"""),
    code("""
var bowl = new QuadraticBowl(0.5, 5, angleDegrees: 15, minimizer: new[] { 1.5, 2.0 });
var h = bowl.Hessian;
var hw = new[] { h[0, 0] * 1.5 + h[0, 1] * 2.0, h[1, 0] * 1.5 + h[1, 1] * 2.0 };   // H w*
double Norm(double[] v) => Math.Sqrt(v[0] * v[0] + v[1] * v[1]);
var rows = new[] { 10.0, 100, 1000, 1e4 }.Select(l =>
{
    var w = bowl.RegularizedMinimizer(l);
    double error = Norm(new[] { l * w[0] - hw[0], l * w[1] - hw[1] }) / Norm(hw);
    return new { λ = l, relative_error_of_λw̃_vs_Hw = error, bound_h_max_over_λ_plus_h_max = bowl.H2 / (l + bowl.H2) };
}).ToList();
rows.ToTable()
"""),
    code("""
double Angle(double[] a, IReadOnlyList<double> b) =>
    Math.Acos(Math.Abs(a[0] * b[0] + a[1] * b[1]) / (Norm(a) * Math.Sqrt(b[0] * b[0] + b[1] * b[1]))) * 180 / Math.PI;
display(Claims.Check("λw̃(λ) → Hw*, within the bound h_max/(λ + h_max)",
    rows.All(r => r.relative_error_of_λw̃_vs_Hw <= r.bound_h_max_over_λ_plus_h_max),
    $"relative error {rows[^1].relative_error_of_λw̃_vs_Hw:E1} at λ = {rows[^1].λ:0e0}"));
Claims.Check("the path enters the origin along Hw*, close to the sharp eigenvector q₂",
    Angle(bowl.RegularizedMinimizer(1e4), hw) < 0.1 && Angle(hw, bowl.Q2) < 10,
    $"angle(w̃(1e4), Hw*) = {Angle(bowl.RegularizedMinimizer(1e4), hw):F3}°, angle(Hw*, q₂) = {Angle(hw, bowl.Q2):F1}°")
"""),
])
