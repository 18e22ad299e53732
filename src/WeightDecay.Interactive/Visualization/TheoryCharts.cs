using System.Globalization;
using System.Text.Json.Nodes;
using WeightDecay.Experiments;

namespace WeightDecay.Interactive.Visualization;

/// <summary>One line of a chart: y against 0, 1, 2, … (or the chart's x values).</summary>
/// <param name="Label">Legend entry.</param>
/// <param name="Y">Values (NaN and ±∞ are drawn as gaps).</param>
/// <param name="Markers">Markers instead of a line.</param>
/// <param name="Dash">plotly.js dash style (<c>dash</c>, <c>dot</c>, …) or null for solid.</param>
/// <param name="Color">A colour, or null for the palette's next one.</param>
public sealed record Series(string Label, IReadOnlyList<double> Y, bool Markers = false, string? Dash = null,
    string? Color = null);

/// <summary>Charts of the theory lessons (01, 02): fits against λ, the geometry of the penalized minimum, decay
/// trajectories.</summary>
public static class TheoryCharts
{
    private static readonly string[] Symbols = ["circle", "square", "diamond", "x", "triangle-up", "star"];

    /// <summary>λ as a short label: <c>0</c>, <c>1e-05</c>, <c>0.3</c>.</summary>
    public static string Format(double lambda) => lambda == 0 ? "0"
        : lambda < 1e-3 || lambda >= 1e3 ? lambda.ToString("0.#e+00", CultureInfo.InvariantCulture).Replace("e+",
            "e").Replace("e0", "e").Replace("e-0", "e-")
        : lambda.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>
    /// The training points, the true function and the fitted polynomial for each λ of a sweep, one λ at a time by a
    /// slider. The y axis is fixed so that the slider does not rescale it.
    /// </summary>
    public static Figure PolynomialFits(PolynomialRegression data, IReadOnlyList<RidgeFit> fits, int active = 0,
        int points = 201)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fits);
        var x = Enumerable.Range(0, points).Select(i => -1 + 2.0 * i / (points - 1)).ToArray();
        var fig =
            new Figure()
            .WithTitle($"Ridge fits of a degree-{data.Degree} polynomial to {data.TrainX.Count} noisy points")
            .WithXAxis("input x").WithYAxis("target y");
        fig.AddLine(x, x.Select(PolynomialRegression.TrueFunction), "true function sin(πx)", dash: "dash",
            color: "#777777");
        fig.Add(Scatter(data.TrainX, data.TrainY, "training points", markers: true, color: "#000000"));
        foreach (var f in fits)
            fig.AddLine(x, PolynomialRegression.Predict(f.Solution, x), $"fit, λ = {Format(f.Lambda)}",
                color: Charts.Palette[0]);
        ((JsonObject)fig.Layout["yaxis"]!)["range"] = new JsonArray(-2.0, 2.0);
        var groups = fits.Select((_, k) => (IReadOnlyCollection<int>)[0, 1, 2 + k]).ToList();
        return fig.WithSlider("λ = ", fits.Select(f => Format(f.Lambda)).ToList(), groups, active);
    }

    /// <summary>Training and test loss (left axis) and ‖w‖₂ (right axis) against λ, all on log scales; the best test λ
    /// marked.</summary>
    public static Figure Tradeoff(IReadOnlyList<RidgeFit> fits,
        string title = "Fit against simplicity: loss and weight norm as λ grows")
    {
        ArgumentNullException.ThrowIfNull(fits);
        var l = fits.Select(f => f.Lambda).ToArray();
        var fig = new Figure().WithTitle(title).WithXAxis("weight decay λ (log scale)", log: true)
            .WithYAxis("data loss ½·mean squared error (log scale)", log: true);
        fig.AddLine(l, fits.Select(f => f.TrainLoss), "training loss", markers: true, color: Charts.Palette[0]);
        fig.AddLine(l, fits.Select(f => f.TestLoss), "test loss", markers: true, color: Charts.Palette[1]);
        var norm = Scatter(l, fits.Select(f => f.WeightNorm).ToArray(), "‖w‖₂ (right axis)", markers: false,
            color: Charts.Palette[2]);
        norm["yaxis"] = "y2";
        ((JsonObject)norm["line"]!)["dash"] = "dot";
        fig.Add(norm);
        fig.Layout["yaxis2"] = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = "weight norm ‖w‖₂ (log scale)" }, ["type"] = "log", ["overlaying"] =
                "y",
            ["side"] = "right", ["showgrid"] = false, ["exponentformat"] = "power",
        };
        var best = fits.MinBy(f => f.TestLoss)!;
        fig.Layout["shapes"] = new JsonArray(new JsonObject
        {
            ["type"] = "line", ["xref"] = "x", ["yref"] = "paper", ["x0"] = best.Lambda, ["x1"] = best.Lambda, ["y0"] =
                0, ["y1"] = 1,
            ["line"] = new JsonObject { ["color"] = "#999999", ["dash"] = "dot", ["width"] = 1 },
        });
        fig.Layout["annotations"] = new JsonArray(new JsonObject
        {
            ["x"] = Math.Log10(best.Lambda), ["y"] = 1, ["xref"] = "x", ["yref"] = "paper", ["yanchor"] =
                "bottom", ["showarrow"] = false,
            ["text"] = $"lowest test loss at λ = {Format(best.Lambda)}",
        });
        fig.Layout["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.22 };
        return fig;
    }

    /// <summary>
    /// Goodfellow et al.'s Figure 7.1, computed: contours of the quadratic loss, circles of the penalty ½‖w‖², the
    /// eigen-axes through w*, the path of w̃(λ) from w* to the origin and, for each λ (slider), w̃(λ) with the loss
    /// contour and the penalty circle through it — tangent there. Axes are equally scaled.
    /// </summary>
    public static Figure Geometry(QuadraticBowl bowl, IReadOnlyList<double> lambdas, int active = 0, double min = -0.5,
        double max = 3)
    {
        ArgumentNullException.ThrowIfNull(bowl);
        ArgumentNullException.ThrowIfNull(lambdas);
        var fig = new Figure().WithTitle("Where the penalized minimum sits: loss contours, penalty circles and w̃(λ)")
            .WithXAxis("weight w₁").WithYAxis("weight w₂");
        int n = 61;
        var grid = Enumerable.Range(0, n).Select(i => min + (max - min) * i / (n - 1)).ToArray();
        var z = Figure.Matrix(grid.Select(w2 => grid.Select(w1 => bowl.Loss([w1, w2]))));
        fig.Add(new JsonObject
        {
            ["type"] = "contour", ["name"] = "loss L(w)", ["x"] = Figure.Numbers(grid), ["y"] = Figure.Numbers(grid),
            ["z"] = z, ["ncontours"] = 18, ["colorscale"] = "Blues", ["reversescale"] = true, ["showscale"] =
                false, ["opacity"] = 0.55,
            ["contours"] = new JsonObject { ["coloring"] = "fill", ["showlines"] = true },
            ["line"] = new JsonObject { ["width"] = 0.5, ["color"] = "#ffffff" },
            ["hovertemplate"] = "w₁ = %{x:.2f}<br>w₂ = %{y:.2f}<br>L(w) = %{z:.3f}<extra></extra>",
        });
        // penalty circles ½‖w‖² = const, as one trace with gaps
        var cx = new List<double?>();
        var cy = new List<double?>();
        for (double r = 0.5; r <= Math.Sqrt(2) * max; r += 0.5)
        {
            for (int k = 0; k <= 120; k++)
            {
                cx.Add(r * Math.Cos(2 * Math.PI * k / 120));
                cy.Add(r * Math.Sin(2 * Math.PI * k / 120));
            }
            cx.Add(null);
            cy.Add(null);
        }
        fig.Add(new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines", ["name"] = "penalty ½‖w‖² contours", ["x"] =
                Figure.Numbers(cx), ["y"] = Figure.Numbers(cy),
            ["line"] = new JsonObject { ["color"] = "#aaaaaa", ["dash"] = "dot", ["width"] = 1 }, ["hoverinfo"] =
                "skip",
        });
        // eigen-axes through w*
        double len = 2 * (max - min);
        foreach (var (q, h, label) in new[] { (bowl.Q1, bowl.H1, "q₁"), (bowl.Q2, bowl.H2, "q₂") })
            fig.Add(Scatter([bowl.Minimizer[0] - len * q[0], bowl.Minimizer[0] + len * q[0]],
                [bowl.Minimizer[1] - len * q[1], bowl.Minimizer[1] + len * q[1]],
                $"eigen-axis {label} (curvature {h.ToString("G3", CultureInfo.InvariantCulture)})", markers: false,
                color: "#555555", dash: "dashdot", width: 1));
        // the path of w̃(λ), λ from 0 to 10⁴
        var dense = new[] { 0.0 }.Concat(Enumerable.Range(0, 141).Select(i => Math.Pow(10, -3 + i * 0.05))).ToArray();
        var path = dense.Select(bowl.RegularizedMinimizer).ToArray();
        var pathTrace = Scatter(path.Select(p => p[0]).ToArray(), path.Select(p => p[1]).ToArray(),
            "path of w̃(λ), λ: 0 → ∞", markers: false, color: Charts.Palette[1], width: 3);
        pathTrace["customdata"] = Figure.Numbers(dense);
        pathTrace["hovertemplate"] = "λ = %{customdata:.3g}<br>w̃ = (%{x:.3f}, %{y:.3f})<extra></extra>";
        fig.Add(pathTrace);
        var stars = Scatter([bowl.Minimizer[0], 0], [bowl.Minimizer[1], 0], "w* (λ = 0) and the origin (λ → ∞)",
            markers: true, color: "#000000");
        ((JsonObject)stars["marker"]!)["symbol"] = "star";
        ((JsonObject)stars["marker"]!)["size"] = 12;
        fig.Add(stars);
        int fixedTraces = fig.Data.Count;
        foreach (var l in lambdas)
        {
            var w = bowl.RegularizedMinimizer(l);
            double r = Math.Sqrt(w[0] * w[0] + w[1] * w[1]);
            var ellipse = bowl.LevelSet(bowl.Loss(w));
            fig.Add(Scatter(ellipse.Select(p => p[0]).ToArray(), ellipse.Select(p => p[1]).ToArray(),
                $"loss contour through w̃, λ = {Format(l)}", markers: false, color: Charts.Palette[0], width: 2));
            var circle = Enumerable.Range(0, 121).Select(k => 2 * Math.PI * k / 120).ToArray();
            fig.Add(Scatter(circle.Select(t => r * Math.Cos(t)).ToArray(),
                circle.Select(t => r * Math.Sin(t)).ToArray(),
                "penalty circle through w̃, λ = " +
                $"{Format(l)}", markers: false, color: Charts.Palette[2], dash: "dash", width: 2));
            var point = Scatter([w[0]], [w[1]], $"w̃(λ = {Format(l)})", markers: true, color: Charts.Palette[1]);
            ((JsonObject)point["marker"]!)["size"] = 13;
            fig.Add(point);
        }
        var groups =
            lambdas.Select((_, k) => (IReadOnlyCollection<int>)Enumerable.Range(0, fixedTraces)
            .Concat(Enumerable.Range(fixedTraces + 3 * k, 3)).ToArray()).ToList();
        fig.WithSlider("λ = ", lambdas.Select(Format).ToList(), groups, active);
        var xa = (JsonObject)fig.Layout["xaxis"]!;
        xa["range"] = new JsonArray(min, max);
        xa["constrain"] = "domain";
        var ya = (JsonObject)fig.Layout["yaxis"]!;
        ya["range"] = new JsonArray(min, max);
        ya["scaleanchor"] = "x";
        ya["scaleratio"] = 1;
        fig.Layout["height"] = 640;
        fig.Layout["legend"] = new JsonObject { ["font"] = new JsonObject { ["size"] = 11 } };
        return fig;
    }

    /// <summary>
    /// The shrink factors hᵢ/(hᵢ + λ) of the two eigen-coordinates against λ (closed form, lines) and the same ratios
    /// measured on minimizers found by gradient descent (markers): (Qᵀw̃)ᵢ / (Qᵀw*)ᵢ.
    /// </summary>
    public static Figure ShrinkFactors(QuadraticBowl bowl, IReadOnlyList<double> lambdas,
        IReadOnlyList<double[]> measured)
    {
        ArgumentNullException.ThrowIfNull(bowl);
        ArgumentNullException.ThrowIfNull(lambdas);
        ArgumentNullException.ThrowIfNull(measured);
        if (lambdas.Count != measured.Count)
            throw new ArgumentException($"{lambdas.Count} λ values but {measured.Count} minimizers.", nameof(measured));
        var fig = new Figure().WithTitle("Each eigen-direction is shrunk by hᵢ/(hᵢ + λ)")
            .WithXAxis("weight decay λ (log scale)", log: true)
                .WithYAxis("shrink factor (w̃ / w* along the eigenvector)");
        var dense = Enumerable.Range(0, 121).Select(i => Math.Pow(10, -3 + i * 0.05)).ToArray();
        var (c1, c2) = bowl.EigenCoordinates(bowl.Minimizer);
        var positive = Enumerable.Range(0, lambdas.Count).Where(i => lambdas[i] > 0).ToArray();
        foreach (var (i, h, c, label) in new[] { (0, bowl.H1, c1, "q₁"), (1, bowl.H2, c2, "q₂") })
        {
            string color = Charts.Palette[i == 0 ? 0 : 1];
            fig.AddLine(dense, dense.Select(l => h / (h + l)),
                $"{label}: h/(h+λ), h = {h.ToString("G3", CultureInfo.InvariantCulture)}", color: color);
            var m = positive.Select(k =>
            {
                var (m1, m2) = bowl.EigenCoordinates(measured[k]);
                return (i == 0 ? m1 : m2) / c;
            }).ToArray();
            var t = Scatter(positive.Select(k => lambdas[k]).ToArray(), m, $"{label}: gradient descent", markers: true,
                color: color);
            ((JsonObject)t["marker"]!)["size"] = 9;
            ((JsonObject)t["marker"]!)["symbol"] = Symbols[i + 1];
            fig.Add(t);
        }
        fig.Layout["yaxis"]!["range"] = new JsonArray(0, 1.05);
        return fig;
    }

    /// <summary>Lines against the step number 0, 1, 2, … (every <paramref name="stride"/>-th point drawn), hover
    /// unified by x.</summary>
    public static Figure Lines(string title, string xTitle, string yTitle, IReadOnlyList<Series> series,
        bool logY = false, int stride = 1, int firstStep = 0)
    {
        ArgumentNullException.ThrowIfNull(series);
        var fig = new Figure().WithTitle(title).WithXAxis(xTitle).WithYAxis(yTitle, logY);
        AddSeries(fig, series, stride, firstStep);
        fig.Layout["hovermode"] = "x unified";
        return fig;
    }

    /// <summary>
    /// Lines against the step number, one group of series per slider position (e.g. one group per λ); the y range is
    /// fixed over all groups so that moving the slider does not rescale the axis.
    /// </summary>
    public static Figure SliderLines(string title, string xTitle, string yTitle, string prefix,
        IReadOnlyList<(string Label, IReadOnlyList<Series> Series)> groups, int active = 0, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var fig = new Figure().WithTitle(title).WithXAxis(xTitle).WithYAxis(yTitle);
        var indices = new List<IReadOnlyCollection<int>>();
        foreach (var (_, s) in groups)
        {
            int start = fig.Data.Count;
            AddSeries(fig, s, stride, 0);
            indices.Add(Enumerable.Range(start, fig.Data.Count - start).ToArray());
        }
        var all = groups.SelectMany(g => g.Series).SelectMany(s => s.Y).Where(double.IsFinite).ToList();
        if (all.Count > 0)
        {
            double lo = all.Min(), hi = all.Max(), pad = 0.04 * Math.Max(hi - lo, 1e-12);
            ((JsonObject)fig.Layout["yaxis"]!)["range"] = new JsonArray(lo - pad, hi + pad);
        }
        fig.Layout["hovermode"] = "x unified";
        return fig.WithSlider(prefix, groups.Select(g => g.Label).ToList(), indices, active);
    }

    private static void AddSeries(Figure fig, IReadOnlyList<Series> series, int stride, int firstStep)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be ≥ 1.");
        int i = 0;
        foreach (var s in series)
        {
            var idx =
                Enumerable.Range(firstStep, Math.Max(0, s.Y.Count - firstStep))
                .Where(t => (t - firstStep) % stride == 0 || t == s.Y.Count - 1).ToArray();
            var trace = Scatter(idx.Select(t => (double)t).ToArray(), idx.Select(t => s.Y[t]).ToArray(), s.Label,
                s.Markers, s.Color ?? Charts.Palette[i % Charts.Palette.Length], s.Dash);
            if (s.Markers) ((JsonObject)trace["marker"]!)["symbol"] = Symbols[i % Symbols.Length];
            fig.Add(trace);
            i++;
        }
    }

    private static JsonObject Scatter(IReadOnlyList<double> x, IReadOnlyList<double> y, string name, bool markers,
        string color, string? dash = null, double width = 2)
    {
        var line = new JsonObject { ["color"] = color, ["width"] = width };
        if (dash is not null) line["dash"] = dash;
        return new JsonObject
        {
            ["type"] = "scatter", ["mode"] = markers ? "markers" : "lines", ["name"] = name,
            ["x"] = Figure.Numbers(x), ["y"] = Figure.Numbers(y),
            ["line"] = line, ["marker"] = new JsonObject { ["color"] = color, ["size"] = 7 },
        };
    }
}

/// <summary>Charts of lesson 02's decay experiments.</summary>
public static class DecayCharts
{
    /// <summary>
    /// θ_t/θ₀ under pure decay for every set-up of a <see cref="PureDecayComparison"/> and the exact (1 − ηλ)ᵗ, one λ
    /// per slider position (fixed y axis). The geometric set-ups are drawn as markers on the exact curve, Adam + L2 as
    /// a line.
    /// </summary>
    public static Figure PureDecay(IReadOnlyList<PureDecayComparison> comparisons, int active = 0, int stride = 10)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var groups = comparisons.Select(c => (TheoryCharts.Format(c.Lambda), (IReadOnlyList<Series>)
            new[] { new Series("(1 − ηλ)ᵗ, exact", c.Exact, Dash: "dash", Color: "#000000") }
                .Concat(c.Runs.Select((r, i) => new Series(r.Label, r.Trajectory,
                    Markers: r.Method == Optimization.DecayMethod.Decoupled ||
                    r.Kind == Optimization.OptimizerKind.Sgd, Color: Charts.Palette[i % Charts.Palette.Length])))
                .ToList())).ToList();
        double lr = comparisons.Count > 0 ? comparisons[0].LearningRate : double.NaN;
        return TheoryCharts.SliderLines("Pure decay (zero data gradient), η = " +
            $"{lr.ToString("G3", CultureInfo.InvariantCulture)}",
            "step t", "weight θ_t / θ₀", "λ = ", groups, active, stride);
    }

    /// <summary>The weights of an <see cref="AdamShrinkage"/> experiment against the step: no decay (dotted), Adam + L2
    /// (solid), AdamW (dashed), one colour per weight.</summary>
    public static Figure AdamShrinkage(AdamShrinkage run, int stride = 5)
    {
        ArgumentNullException.ThrowIfNull(run);
        var series = new List<Series>();
        for (int i = 0; i < run.GradientScales.Count; i++)
        {
            string s =
                $"w{i + 1} (gradient scale {run.GradientScales[i].ToString("G3", CultureInfo.InvariantCulture)})";
            string color = Charts.Palette[i % Charts.Palette.Length];
            series.Add(new Series($"{s}, no decay", run.Reference[i], Dash: "dot", Color: color));
            series.Add(new Series($"{s}, Adam + L2", run.AdamL2[i], Color: color));
            series.Add(new Series($"{s}, AdamW", run.AdamW[i], Dash: "dash", Color: color));
        }
        var fig =
            TheoryCharts.Lines("Two weights under Adam, η = " +
            $"{run.LearningRate.ToString("G3", CultureInfo.InvariantCulture)}, " +
            $"λ = {run.Lambda.ToString("G3", CultureInfo.InvariantCulture)}: L2 spares the weight with large " +
            "gradients, AdamW does not", "step t", "weight θ_t", series, stride: stride);
        fig.Layout["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.25 };
        return fig;
    }
}
