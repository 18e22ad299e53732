using System.Globalization;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using WeightDecay.Experiments;
using Chart = Plotly.NET.CSharp.Chart;

namespace WeightDecay.Interactive.Visualization;

/// <summary>Charts of the theory lessons (01, 02): fits against λ, the geometry of the penalized minimum, decay
/// trajectories.</summary>
public static class TheoryCharts
{
    private static readonly string[] Symbols = ["circle", "square", "diamond", "x", "triangle-up", "star"];

    /// <summary>λ as a short label: <c>0</c>, <c>1e-05</c>, <c>0.3</c>.</summary>
    public static string Format(double lambda) => lambda == 0 ? "0"
        : lambda < 1e-3 || lambda >= 1e3
            ? lambda.ToString("0.#e+00", CultureInfo.InvariantCulture)
                .Replace("e+", "e").Replace("e0", "e").Replace("e-0", "e-")
            : lambda.ToString("G3", CultureInfo.InvariantCulture);

    private static string G3(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>
    /// The training points, the true function and the fitted polynomial for each λ of a sweep, one λ at a time by
    /// a slider. The y axis is fixed so that the slider does not rescale it.
    /// </summary>
    public static GenericChart PolynomialFits(PolynomialRegression data, IReadOnlyList<RidgeFit> fits, int active = 0,
        int points = 201)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fits);
        var x = Enumerable.Range(0, points).Select(i => -1 + 2.0 * i / (points - 1)).ToArray();
        var curves = new List<Curve>
        {
            new("true function sin(πx)", x, x.Select(PolynomialRegression.TrueFunction).ToList())
                { Dash = "dash", Color = Charts.Reference },
            new("training points", data.TrainX, data.TrainY) { Line = false, Markers = true, Color = "#000000" },
        };
        curves.AddRange(fits.Select((f, k) =>
            new Curve($"fit, λ = {Format(f.Lambda)}", x, PolynomialRegression.Predict(f.Solution, x))
                { Color = Charts.Palette[0], Step = k }));
        string title = $"Ridge fits of a degree-{data.Degree} polynomial to {data.TrainX.Count} noisy points";
        return Plot.Curves(title, curves, new Axis("input x"), new Axis("target y") { Range = [-2.0, 2.0] },
            sliderPrefix: "λ = ", sliderLabels: fits.Select(f => Format(f.Lambda)).ToList(), active: active);
    }

    /// <summary>Training and test loss (left axis) and ‖w‖₂ (right axis) against λ, all on log scales; the best
    /// test λ marked.</summary>
    public static GenericChart Tradeoff(IReadOnlyList<RidgeFit> fits,
        string title = "Fit against simplicity: loss and weight norm as λ grows")
    {
        ArgumentNullException.ThrowIfNull(fits);
        var l = fits.Select(f => f.Lambda).ToArray();
        var curves = new List<Curve>
        {
            new("training loss", l, fits.Select(f => f.TrainLoss).ToList())
                { Markers = true, Color = Charts.Palette[0] },
            new("test loss", l, fits.Select(f => f.TestLoss).ToList()) { Markers = true, Color = Charts.Palette[1] },
            new("‖w‖₂ (right axis)", l, fits.Select(f => f.WeightNorm).ToList())
                { Dash = "dot", Color = Charts.Palette[2], RightAxis = true },
        };
        var best = fits.MinBy(f => f.TestLoss)!;
        var chart = Plot.Curves(title, curves, new Axis("weight decay λ (log scale)") { Log = true },
            new Axis("data loss ½·mean squared error (log scale)") { Log = true },
            new Axis("weight norm ‖w‖₂ (log scale)") { Log = true });
        // on a log axis a shape's x is in data units, an annotation's in log₁₀ units
        var note = Plot.Note($"lowest test loss at λ = {Format(best.Lambda)}", Math.Log10(best.Lambda), 1, xref: "x");
        return chart.WithShapes([Plot.Vertical(best.Lambda, "#999999")]).WithNotes([note]).LegendBelow(-0.22);
    }

    /// <summary>
    /// Goodfellow et al.'s Figure 7.1, computed: contours of the quadratic loss, circles of the penalty ½‖w‖², the
    /// eigen-axes through w*, the path of w̃(λ) from w* to the origin and, for each λ (slider), w̃(λ) with the loss
    /// contour and the penalty circle through it — tangent there. Axes are equally scaled.
    /// </summary>
    public static GenericChart Geometry(QuadraticBowl bowl, IReadOnlyList<double> lambdas, int active = 0,
        double min = -0.5, double max = 3)
    {
        ArgumentNullException.ThrowIfNull(bowl);
        ArgumentNullException.ThrowIfNull(lambdas);
        int n = 61;
        var grid = Enumerable.Range(0, n).Select(i => min + (max - min) * i / (n - 1)).ToArray();
        var z = grid.Select(w2 => grid.Select(w1 => bowl.Loss([w1, w2]))).ToArray();
        var blues = Plot.CustomScale((0, "#F7FBFF"), (0.5, "#6BAED6"), (1, "#08306B"));
        var contour = Chart.Contour<double, double, double, string>(z, Name: "loss L(w)", Opacity: 0.55, X: grid,
                Y: grid, ColorScale: blues, ShowScale: false, ContourLinesColor: Plot.Color("#FFFFFF"),
                ContourLinesWidth: 0.5, ContoursColoring: StyleParam.ContourColoring.Fill, NContours: 18,
                UseDefaults: false)
            .WithTraceAttribute("hovertemplate",
                "w<sub>1</sub> = %{x:.2f}<br>w<sub>2</sub> = %{y:.2f}<br>L(w) = %{z:.3f}<extra></extra>");
        var curves = new List<Curve>();
        // penalty circles ½‖w‖² = const, as one curve with gaps
        var cx = new List<double>();
        var cy = new List<double>();
        for (double r = 0.5; r <= Math.Sqrt(2) * max; r += 0.5)
        {
            for (int k = 0; k <= 120; k++)
            {
                cx.Add(r * Math.Cos(2 * Math.PI * k / 120));
                cy.Add(r * Math.Sin(2 * Math.PI * k / 120));
            }
            cx.Add(double.NaN);
            cy.Add(double.NaN);
        }
        curves.Add(new Curve("penalty ½‖w‖² contours", cx, cy)
            { Color = "#AAAAAA", Dash = "dot", Width = 1, Hover = "<extra></extra>" });
        double len = 2 * (max - min);
        var w0 = bowl.Minimizer;
        foreach (var (q, h, label) in new[] { (bowl.Q1, bowl.H1, "q₁"), (bowl.Q2, bowl.H2, "q₂") })
            curves.Add(new Curve($"eigen-axis {label} (curvature {G3(h)})",
                [w0[0] - len * q[0], w0[0] + len * q[0]], [w0[1] - len * q[1], w0[1] + len * q[1]])
                { Color = "#555555", Dash = "dashdot", Width = 1 });
        // the path of w̃(λ), λ from 0 to 10⁴
        var dense = new[] { 0.0 }.Concat(Enumerable.Range(0, 141).Select(i => Math.Pow(10, -3 + i * 0.05))).ToArray();
        var path = dense.Select(bowl.RegularizedMinimizer).ToArray();
        curves.Add(new Curve("path of w̃(λ), λ: 0 → ∞", path.Select(p => p[0]).ToList(),
            path.Select(p => p[1]).ToList())
        {
            Color = Charts.Palette[1], Width = 3, CustomData = dense,
            Hover = "λ = %{customdata:.3g}<br>w̃ = (%{x:.3f}, %{y:.3f})<extra></extra>",
        });
        curves.Add(new Curve("w* (λ = 0) and the origin (λ → ∞)", [w0[0], 0], [w0[1], 0])
            { Line = false, Markers = true, Symbol = "star", MarkerSize = 12, Color = "#000000" });
        for (int k = 0; k < lambdas.Count; k++)
        {
            double l = lambdas[k];
            var w = bowl.RegularizedMinimizer(l);
            double r = Math.Sqrt(w[0] * w[0] + w[1] * w[1]);
            var ellipse = bowl.LevelSet(bowl.Loss(w));
            var circle = Enumerable.Range(0, 121).Select(t => 2 * Math.PI * t / 120).ToArray();
            curves.Add(new Curve($"loss contour through w̃, λ = {Format(l)}", ellipse.Select(p => p[0]).ToList(),
                ellipse.Select(p => p[1]).ToList()) { Color = Charts.Palette[0], Step = k });
            curves.Add(new Curve($"penalty circle through w̃, λ = {Format(l)}",
                circle.Select(t => r * Math.Cos(t)).ToList(), circle.Select(t => r * Math.Sin(t)).ToList())
                { Color = Charts.Palette[2], Dash = "dash", Step = k });
            curves.Add(new Curve($"w̃(λ = {Format(l)})", [w[0]], [w[1]])
                { Line = false, Markers = true, MarkerSize = 13, Color = Charts.Palette[1], Step = k });
        }
        var lines = Plot.Curves("Where the penalized minimum sits: loss contours, penalty circles and w̃(λ)", curves,
            new Axis("weight w₁") { Range = [min, max] }, new Axis("weight w₂") { Range = [min, max] });
        var steps = new int?[] { null }.Concat(curves.Select(c => c.Step)).ToList();   // the contour is always shown
        return Chart.Combine([contour, lines]).WithSlider("λ = ", lambdas.Select(Format).ToList(), steps, active)
            .WithXAxis(new LinearAxis().With("constrain", "domain"))
            .WithYAxis(new LinearAxis().With("scaleanchor", "x").With("scaleratio", 1))
            .WithSize(Height: 640).WithLegendStyle(Font: new Font().With("size", 11));
    }

    /// <summary>
    /// The shrink factors hᵢ/(hᵢ + λ) of the two eigen-coordinates against λ (closed form, lines) and the same
    /// ratios measured on minimizers found by gradient descent (markers): (Qᵀw̃)ᵢ / (Qᵀw*)ᵢ.
    /// </summary>
    public static GenericChart ShrinkFactors(QuadraticBowl bowl, IReadOnlyList<double> lambdas,
        IReadOnlyList<double[]> measured)
    {
        ArgumentNullException.ThrowIfNull(bowl);
        ArgumentNullException.ThrowIfNull(lambdas);
        ArgumentNullException.ThrowIfNull(measured);
        if (lambdas.Count != measured.Count)
            throw new ArgumentException($"{lambdas.Count} λ values but {measured.Count} minimizers.", nameof(measured));
        var dense = Enumerable.Range(0, 121).Select(i => Math.Pow(10, -3 + i * 0.05)).ToArray();
        var (c1, c2) = bowl.EigenCoordinates(bowl.Minimizer);
        var positive = Enumerable.Range(0, lambdas.Count).Where(i => lambdas[i] > 0).ToArray();
        var curves = new List<Curve>();
        foreach (var (i, h, c, label) in new[] { (0, bowl.H1, c1, "q₁"), (1, bowl.H2, c2, "q₂") })
        {
            curves.Add(new Curve($"{label}: h/(h+λ), h = {G3(h)}", dense, dense.Select(l => h / (h + l)).ToList())
                { Color = Charts.Palette[i] });
            var m = positive.Select(k =>
            {
                var (m1, m2) = bowl.EigenCoordinates(measured[k]);
                return (i == 0 ? m1 : m2) / c;
            }).ToList();
            curves.Add(new Curve($"{label}: gradient descent", positive.Select(k => lambdas[k]).ToList(), m)
                { Line = false, Markers = true, MarkerSize = 9, Symbol = Symbols[i + 1], Color = Charts.Palette[i] });
        }
        return Plot.Curves("Each eigen-direction is shrunk by hᵢ/(hᵢ + λ)", curves,
            new Axis("weight decay λ (log scale)") { Log = true },
            new Axis("shrink factor (w̃ / w* along the eigenvector)") { Range = [0, 1.05] });
    }

    /// <summary>Lines against the step number 0, 1, 2, … (every <paramref name="stride"/>-th point drawn), hover
    /// unified by x.</summary>
    public static GenericChart Lines(string title, string xTitle, string yTitle, IReadOnlyList<Series> series,
        bool logY = false, int stride = 1, int firstStep = 0)
    {
        ArgumentNullException.ThrowIfNull(series);
        var curves = ToCurves(series, stride, firstStep, null).ToList();
        return Plot.Curves(title, curves, new Axis(xTitle), new Axis(yTitle) { Log = logY })
            .WithLayout(("hovermode", "x unified"));
    }

    /// <summary>
    /// Lines against the step number, one group of series per slider position (e.g. one group per λ); the y range
    /// is fixed over all groups so that moving the slider does not rescale the axis.
    /// </summary>
    public static GenericChart SliderLines(string title, string xTitle, string yTitle, string prefix,
        IReadOnlyList<(string Label, IReadOnlyList<Series> Series)> groups, int active = 0, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var curves = groups.SelectMany((g, k) => ToCurves(g.Series, stride, 0, k)).ToList();
        return Plot.Curves(title, curves, new Axis(xTitle), new Axis(yTitle), sliderPrefix: prefix,
                sliderLabels: groups.Select(g => g.Label).ToList(), active: active)
            .WithLayout(("hovermode", "x unified"));
    }

    private static IEnumerable<Curve> ToCurves(IReadOnlyList<Series> series, int stride, int firstStep, int? step)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be ≥ 1.");
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var idx = Enumerable.Range(firstStep, Math.Max(0, s.Y.Count - firstStep))
                .Where(t => (t - firstStep) % stride == 0 || t == s.Y.Count - 1).ToArray();
            yield return new Curve(s.Label, idx.Select(t => (double)t).ToList(), idx.Select(t => s.Y[t]).ToList())
            {
                Color = s.Color ?? Charts.Color(i), Dash = s.Dash, Line = !s.Markers, Markers = s.Markers,
                Symbol = s.Markers ? Symbols[i % Symbols.Length] : null, Step = step,
            };
        }
    }
}
