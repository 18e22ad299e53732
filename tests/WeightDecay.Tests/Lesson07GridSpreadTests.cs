using System.Diagnostics;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// Lesson 07's (η, λ) grid claims over many seeds, run exactly as the notebook runs them (its data split, its grids,
/// <see cref="HyperparameterGrid"/>, <see cref="GridResult.EdgeLog2LambdaPerLearningRate"/>, the seeds of the test
/// comparison): the spread of each statistic the notebook checks, printed, and the notebook's tolerance asserted for
/// every seed. Quick mode and the default sizes run the same grids (lrCount 7, lambdaCount 6) and differ only in the
/// seeds of the test-set comparison (3 and 5), which no claim uses: about 20 and 25 s of CPU per seed. The quick-mode
/// fact was measured over 101 seeds (0–99 and 17255, with <c>WD_SPREAD_SEEDS</c>); the default-size fact, which adds
/// the five-seed comparison, over seeds 0–19 and again over 20–39 on 2026-12-01 (all claims held; skipped, run on
/// demand), over 40–99 with the median offset (session 14) and over 100–129 (session 16), all claims held; the
/// quick-mode fact also passed over seeds 100–159 on 2026-12-01.
/// The test command runs a sample of three seeds by default; see <see cref="SpreadSeeds"/>.
/// </summary>
public class Lesson07GridSpreadTests(ITestOutputHelper output)
{
    private static IReadOnlyList<int> Seeds => SpreadSeeds.Seeds;

    // the notebook's parameters cell: trainCount, validationCount, testCount, epochs, edgeTolerance, trainsWithin
    private const int TrainCount = 600, ValidationCount = 1000, TestCount = 1000, Epochs = 25;
    private const double EdgeTolerance = 0.1, TrainsWithin = 0.5;

    /// <summary>log₂ of the notebook's learning-rate ranges (<c>sgdRates</c>, <c>adamRates</c>), widened in session 9
    /// until the optimum is bracketed in η.</summary>
    private static readonly (double From, double To) SgdLog2 = (-6, 0), AdamLog2 = (-9, -3);

    /// <summary>The parameters that quick mode changes.</summary>
    private sealed record Sizes(int LrCount, int LambdaCount, int ComparisonSeeds);

    /// <summary>One notebook seed's statistics, one value per claim.</summary>
    private sealed record SeedStats(int Seed, double[] DecayMargin, int[] BestRow, int Rows, int[] BestColumn,
        int Columns, double[] EdgeSlope, int[] Edges, double[] PaperSlopeW, double[] Offsets, double[] TestGain, double[] L2MinusW,
        string Chosen)
    {
        public double MeanOffset => Offsets.Length > 0 ? Offsets.Average() : double.NaN;

        /// <summary>The notebook's statistic since session 13: the median, which one column's outlier edge cannot
        /// move (the mean reached +0.41 at seed 174).</summary>
        public double MedianOffset => GridStatistics.Median(Offsets);

        public override string ToString() =>
            $"seed {Seed}: none − best {Join(DecayMargin, "F4")}; best row {string.Join(" ", BestRow)} of {Rows}; " +
            $"best column {string.Join(" ", BestColumn)} of {Columns}; " +
            $"edge slope {Join(EdgeSlope, "F2")} ({string.Join(" ", Edges)} edges); " +
            $"paper slope (W) {Join(PaperSlopeW, "F2")}; SGDW − SGD+L2 {Join(Offsets, "F2")} " +
            $"(mean {MeanOffset:F2}, median {MedianOffset:F2}); test none − (L2, W) {Join(TestGain, "F4")}; " +
            $"L2 − W (loss, accuracy) {Join(L2MinusW, "F4")}; {Chosen}";

        private static string Join(double[] v, string f) => string.Join(" ", v.Select(x => x.ToString(f)));
    }

    private static readonly string[] Labels = ["SGD+L2", "SGDW", "Adam+L2", "AdamW"];

    /// <summary>The data cell of lesson 07 and of its solutions: every k-th training digit, validation from the
    /// rest.</summary>
    internal static (TensorDataset Train, TensorDataset Validation) TrainAndValidation()
    {
        var mnist = Shared.Mnist;
        long k = mnist.Train.Count / TrainCount;
        var rest = Enumerable.Range(0, (int)mnist.Train.Count).Select(i => (long)i)
            .Where(i => i % k != 0 || i / k >= TrainCount).ToArray();
        var train = mnist.Train.Subset(Enumerable.Range(0, TrainCount).Select(i => i * k).ToArray());
        var validation = mnist.Train.Subset(Enumerable.Range(0, ValidationCount)
            .Select(i => rest[(long)i * rest.Length / ValidationCount]).ToArray());
        return (train, validation);
    }

    /// <summary>The notebook's data cell: <see cref="TrainAndValidation"/> and every k-th test digit.</summary>
    private static (TensorDataset Train, TensorDataset Validation, TensorDataset Test) Split()
    {
        var (train, validation) = TrainAndValidation();
        var mnist = Shared.Mnist;
        var test = mnist.Test.Subset(Enumerable.Range(0, TestCount)
            .Select(i => i * (mnist.Test.Count / TestCount)).ToArray());
        return (train, validation, test);
    }

    /// <summary>The notebook's cells from "The grids" to the test comparison's claim, for one seed. Test cells are
    /// cached by (method, η, λ, seed): TrainCell is deterministic, and neighbouring notebook seeds share seeds of the
    /// comparison.</summary>
    private static SeedStats Run(int seed, Sizes sizes, (TensorDataset Train, TensorDataset Validation,
        TensorDataset Test) data, Dictionary<(DecayMethod, double, double, int), GridCell> testCache)
    {
        var (train, validation, test) = data;
        var gridOptions = new GridTrainingOptions(Epochs: Epochs, BatchSize: 50, Hidden: [32], Seed: seed,
            CosineSchedule: true);
        var sgd = new OptimizerOptions(OptimizerKind.Sgd, 0.1, Momentum: 0.9);
        var adam = new OptimizerOptions(OptimizerKind.Adam, 1e-3);
        var sgdRates = HyperparameterGrid.PowersOfTwo(SgdLog2.From, SgdLog2.To, sizes.LrCount);
        var adamRates = HyperparameterGrid.PowersOfTwo(AdamLog2.From, AdamLog2.To, sizes.LrCount);
        GridResult Sweep(string label, OptimizerOptions o, WeightDecayOptions d, double[] rates, double from,
            double to) => HyperparameterGrid.Train(label, o, d, rates,
                HyperparameterGrid.PowersOfTwo(from, to, sizes.LambdaCount), train, validation, gridOptions);
        var grids = new List<GridResult>
        {
            Sweep("SGD+L2", sgd, new WeightDecayOptions(DecayMethod.Coupled), sgdRates, -10, -5),
            Sweep("SGDW", sgd, new WeightDecayOptions(DecayMethod.Decoupled), sgdRates, -6, -1),
            Sweep("Adam+L2", adam, new WeightDecayOptions(DecayMethod.Coupled), adamRates, -10, -5),
            Sweep("AdamW", adam, new WeightDecayOptions(DecayMethod.Decoupled), adamRates, -4, 1),
        };
        GridCell[] NoDecay(OptimizerOptions o, double[] rates) => rates.Select(r =>
            HyperparameterGrid.TrainCell(o with { LearningRate = r }, WeightDecayOptions.None, train, validation,
                gridOptions)).ToArray();
        var sgdNone = NoDecay(sgd, sgdRates);
        var adamNone = NoDecay(adam, adamRates);
        GridCell BestOf(GridCell[] cells) => cells.Where(c => !c.Diverged).MinBy(c => c.TestLoss)!;
        var nones = new[] { BestOf(sgdNone), BestOf(sgdNone), BestOf(adamNone), BestOf(adamNone) };

        var summary = HyperparameterGrid.Summary(grids, EdgeTolerance, TrainsWithin);
        var sgdEdgeL2 = grids[0].EdgeLog2LambdaPerLearningRate(EdgeTolerance, TrainsWithin);
        var sgdEdgeW = grids[1].EdgeLog2LambdaPerLearningRate(EdgeTolerance, TrainsWithin);
        var offsets = sgdEdgeW.Zip(sgdEdgeL2, (a, b) => a - b).Where(double.IsFinite).ToArray();

        var seeds = Enumerable.Range(seed + 1, sizes.ComparisonSeeds).ToArray();
        GridCell[] OnTest(WeightDecayOptions d, GridCell c) => seeds.Select(s =>
        {
            var key = (d.Method, c.LearningRate, c.Lambda, s);
            if (!testCache.TryGetValue(key, out var cell))
                testCache[key] = cell = HyperparameterGrid.TrainCell(adam with { LearningRate = c.LearningRate },
                    d with { Lambda = c.Lambda }, train, test, gridOptions with { Seed = s });
            return cell;
        }).ToArray();
        var l2Test = OnTest(new WeightDecayOptions(DecayMethod.Coupled), grids[2].Best);
        var wTest = OnTest(new WeightDecayOptions(DecayMethod.Decoupled), grids[3].Best);
        var noneTest = OnTest(WeightDecayOptions.None, BestOf(adamNone));
        double noneMean = noneTest.Average(c => c.TestLoss);

        return new SeedStats(seed,
            DecayMargin: grids.Zip(nones, (g, n) => n.TestLoss - g.Best.TestLoss).ToArray(),
            BestRow: grids.Select(g => g.Lambdas.ToList().IndexOf(g.Best.Lambda)).ToArray(),
            Rows: sizes.LambdaCount,
            BestColumn: grids.Select(g => g.LearningRates.ToList().IndexOf(g.Best.LearningRate)).ToArray(),
            Columns: sizes.LrCount,
            EdgeSlope: summary.Select(s => s.EdgeSlope).ToArray(),
            Edges: grids.Select(g => g.EdgeLog2LambdaPerLearningRate(EdgeTolerance, TrainsWithin).Count(double.IsFinite))
                .ToArray(),
            PaperSlopeW: summary.Where(s => s.Label.EndsWith('W')).Select(s => s.EdgeSlopePaper).ToArray(),
            Offsets: offsets,
            TestGain: [noneMean - l2Test.Average(c => c.TestLoss), noneMean - wTest.Average(c => c.TestLoss)],
            L2MinusW: [l2Test.Average(c => c.TestLoss) - wTest.Average(c => c.TestLoss),
                l2Test.Average(c => c.TestAccuracy) - wTest.Average(c => c.TestAccuracy)],
            Chosen: string.Join("; ", new[] { ("none", noneTest), ("L2", l2Test), ("W", wTest) }.Select(p =>
                $"{p.Item1} η 2^{Math.Log2(p.Item2[0].LearningRate):F1} λ 2^{Math.Log2(p.Item2[0].Lambda):F1}: "
                + string.Join(" ", p.Item2.Select(c => c.TestLoss.ToString("F3"))))));
    }

    private void Report(string name, IEnumerable<double> values)
    {
        var v = values.ToArray();
        int nan = v.Count(x => !double.IsFinite(x));
        var f = v.Where(double.IsFinite).DefaultIfEmpty(double.NaN).ToArray();
        output.WriteLine($"{name}: min {f.Min():F4}, mean {f.Average():F4}, max {f.Max():F4}"
            + (nan > 0 ? $" ({nan} NaN)" : ""));
    }

    private List<SeedStats> RunAll(Sizes sizes)
    {
        using var threads = TorchThreads.Limit(1);
        var data = Split();
        try
        {
            var cache = new Dictionary<(DecayMethod, double, double, int), GridCell>();
            var rows = new List<SeedStats>();
            var clock = Stopwatch.StartNew();
            foreach (int seed in Seeds)
            {
                rows.Add(Run(seed, sizes, data, cache));
                output.WriteLine($"{rows[^1]} [{clock.Elapsed.TotalSeconds:F0} s, CPU "
                    + $"{Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F0} s]");
            }
            for (int p = 0; p < Labels.Length; p++)
            {
                Report($"{Labels[p]}: best λ = 0 − best validation loss", rows.Select(r => r.DecayMargin[p]));
                Report($"{Labels[p]}: row of the best λ (0-based)", rows.Select(r => (double)r.BestRow[p]));
                Report($"{Labels[p]}: column of the best η (0-based)", rows.Select(r => (double)r.BestColumn[p]));
                Report($"{Labels[p]}: edge slope", rows.Select(r => r.EdgeSlope[p]));
                Report($"{Labels[p]}: columns with an edge", rows.Select(r => (double)r.Edges[p]));
            }
            Report("SGDW, AdamW: paper-convention slope − 1", rows.SelectMany(r => r.PaperSlopeW.Select(s => s - 1)));
            Report("SGDW − SGD+L2 mean edge offset − log₂ 10", rows.Select(r => r.MeanOffset - Math.Log2(10)));
            Report("SGDW − SGD+L2 median edge offset − log₂ 10", rows.Select(r => r.MedianOffset - Math.Log2(10)));
            Report("SGDW − SGD+L2 finite offsets", rows.Select(r => (double)r.Offsets.Length));
            Report("test: Adam λ = 0 − Adam+L2 (mean over seeds)", rows.Select(r => r.TestGain[0]));
            Report("test: Adam λ = 0 − AdamW (mean over seeds)", rows.Select(r => r.TestGain[1]));
            Report("test: Adam+L2 − AdamW (mean over seeds)", rows.Select(r => r.L2MinusW[0]));
            Report("test accuracy: Adam+L2 − AdamW (mean over seeds)", rows.Select(r => r.L2MinusW[1]));
            Report("test: AdamW lower than Adam+L2", rows.Select(r => r.L2MinusW[0] > 0 ? 1.0 : 0.0));
            return rows;
        }
        finally
        {
            data.Train.Dispose();
            data.Validation.Dispose();
            data.Test.Dispose();
        }
    }

    /// <summary>The notebook's grid claims, with its tolerances, at every seed. The test-set comparison with Adam
    /// without decay is not a claim of the notebook (it prints a mean ± s.e. verdict instead, because at default sizes
    /// it fails for 3 of 20 seeds); its per-seed values are printed.</summary>
    private static void AssertClaims(IReadOnlyList<SeedStats> rows)
    {
        Assert.All(rows, r => Assert.True(r.DecayMargin.All(m => m > 0), $"decay helps: {r}"));
        Assert.All(rows, r => Assert.True(r.BestRow.All(i => i > 0 && i < r.Rows - 1), $"bracketed in λ: {r}"));
        Assert.All(rows, r => Assert.True(r.BestColumn.All(i => i > 0 && i < r.Columns - 1),
            $"bracketed in η: {r}"));
        Assert.All(rows, r => Assert.True(r.EdgeSlope.All(s => Math.Abs(s) < 0.4), $"axis-aligned: {r}"));
        Assert.All(rows, r => Assert.True(r.PaperSlopeW.All(s => Math.Abs(s - 1) < 0.4), $"paper slope: {r}"));
        Assert.All(rows, r => Assert.True(r.Offsets.Length >= 3 && Math.Abs(r.MedianOffset - Math.Log2(10)) < 0.4,
            $"offset log₂ 10: {r}"));
    }

    /// <summary>Quick mode (comparisonSeeds 3; since session 10 quick mode runs the default grids, lrCount 7 and
    /// lambdaCount 6), as CI runs the notebook. Measured on 2026-12-01 (session 10, one intra-op thread) over 101
    /// seeds, 0–99 and 17255, with <see cref="GridResult.EdgeLog2LambdaPerLearningRate"/> leaving out learning rates
    /// that do not train (best cell above 1.5× the panel's best): validation margin of decay over λ = 0 ≥ 0.011 in
    /// every panel (AdamW; SGD ≥ 0.031); the best cell inside in λ (rows 1–4 of 0–5) and in η (columns 2–5 of 0–6);
    /// columns with an edge: SGDW 6 of 7 at every seed (η = 2⁰ never trains), the others 5–7; |edge slope| ≤ 0.27
    /// (SGDW −0.27 … +0.15, s.d. 0.061; claimed &lt; 0.4: 1.48×); SGDW's mean edge offset − log₂ 10 from −0.342 to
    /// +0.238 (s.d. 0.086; five or six finite offsets; claimed within 0.6: 1.75×); test-set gain of Adam+L2 and AdamW
    /// over Adam without decay negative at some seeds (down to −0.0215 and −0.0749; not claims, the notebook prints
    /// verdicts); AdamW lower than Adam+L2 on test at 72 of 101 seeds. Every claim holds at every seed. About 20 s of
    /// CPU per seed.
    /// <para>Session 13 (2026-12-01) ran seeds 160–299: every claim held, but SGDW's mean offset − log₂ 10 reached
    /// +0.41 at seed 174 (offsets 3.25 3.32 3.41 3.30 3.33 5.79: one column's edge 2.5 octaves off), so the claim now
    /// reads the median offset (<see cref="GridStatistics.Median"/>, at least 3 finite offsets, within 0.4). Its
    /// spread: −0.088 … +0.116 over seeds 0–159 (this test, after the change; the mean −0.217 … +0.343 there) and
    /// −0.137 … +0.118 over 160–299 (from the printed offsets; mean −0.229 … +0.411): margin 2.9×. |edge slope| ≤ 0.311
    /// (SGD+L2, seeds 0–159) and ≤ 0.277 (AdamW, 160–299).</para>
    /// <para>History. Session 9 widened the η ranges (to 2⁻⁶ … 2⁰ for SGD and 2⁻⁹ … 2⁻³ for Adam) so that the optimum is
    /// bracketed in η; before that the best cell often sat in the top column. Quick mode then ran 4 × 4 grids, which
    /// passed seeds 0–19 (|edge slope| ≤ 0.266) but failed seed 17255 (SGDW −0.47). Over seeds 20–79 and 17255 its SGDW
    /// slope reached −0.482 and the mean offset − log₂ 10 −0.584. The full grids with every column's edge counted
    /// still reached −0.392 and −0.502 (seeds 20–99, 17255): all of that tail came from the η = 2⁰ column of SGD
    /// with momentum 0.9, whose best cell is 2.6–3.9× the panel's best (it does not train) and whose "edge" moved by
    /// several octaves from seed to seed. Leaving such columns out cut the SGDW slope's s.d. from 0.123 to 0.061.
    /// </para>
    /// </summary>
    [Fact]
    public void QuickModeGridClaimsOverTheSpreadSeeds() => AssertClaims(RunAll(new Sizes(7, 6, 3)));

    /// <summary>
    /// Default sizes (lrCount 7, lambdaCount 6, comparisonSeeds 5), what a reader runs: about seven minutes of CPU,
    /// over the suite's budget, so skipped; remove the Skip to measure. Its grid claims are those of the quick-mode
    /// fact, on the same grids (measured there over 101 seeds); this fact adds the five-seed test comparison. Measured
    /// on 2026-12-01 before edges left out learning rates that do not train (session 9, seeds 0–19,
    /// one intra-op thread, 412 s of CPU) with the widened η ranges: validation margin ≥ 0.035; the best cell inside in
    /// λ (rows 1–3 of 0–5) and in η (columns 3–5 of 0–6: the top column, η = 2⁰ for SGD and 2⁻³ for Adam, never wins;
    /// with the former ranges 2⁻⁶ … 2⁻¹ and 2⁻⁹ … 2⁻⁴ the best cell sat in the top column at 11 of 20 seeds: SGDW at 4,
    /// Adam+L2 at 1, AdamW at 7); |edge slope| ≤ 0.230; mean offset − log₂ 10 from −0.279 to +0.288 (at least six
    /// finite offsets). A test-set claim would FAIL at 3 of 20 seeds: Adam+L2 − λ = 0 = +0.0055 at seed 9, AdamW − λ =
    /// 0 = +0.020 and +0.031 at seeds 16 and 17. Each time the failing method's validation-best cell sits at η = 2⁻⁴,
    /// and its retrained runs on fresh seeds scatter (test losses 0.345 … 0.466 at seed 16). AdamW beat Adam+L2 on test
    /// at only 12 of 20 seeds (mean margin +0.0025). The notebook therefore prints verdicts there.
    /// <para>Seeds 40–99 (2026-12-01, session 14, the claims of session 13: edges without the columns that do not
    /// train, the median offset; one intra-op thread, 21 min of CPU): validation margin ≥ 0.011 (AdamW; SGD ≥ 0.031);
    /// the best cell in rows 1–4 of 0–5 and columns 2–5 of 0–6; |edge slope| ≤ 0.227 (AdamW); SGDW's median offset −
    /// log₂ 10 from −0.085 to +0.116 (mean offset −0.209 … +0.239; five or six finite offsets). On test, the five-seed
    /// mean of Adam without decay minus Adam+L2 fell to −0.014 and minus AdamW to −0.039 at some seeds (verdicts, not
    /// claims); AdamW beat Adam+L2 at 45 of 60 seeds (mean margin +0.0061).</para>
    /// <para>Seeds 100–129 (2026-12-02, session 16; 32 min of test time beside a whole-workbook loop): every claim held.
    /// Validation margin ≥ 0.020 (Adam+L2; SGD ≥ 0.037); the best cell in rows 1–4 of 0–5 and columns 3–5 of 0–6;
    /// |edge slope| ≤ 0.250 (AdamW; claimed &lt; 0.4); SGDW's median offset − log₂ 10 from −0.084 to +0.090 (mean offset
    /// −0.217 … +0.124; five or six finite offsets). On test, Adam without decay minus Adam+L2 fell to −0.008 and minus
    /// AdamW to −0.030 at some seeds (verdicts); AdamW beat Adam+L2 at 17 of 30 seeds (mean margin +0.0035).</para>
    /// </summary>
    [Fact(Skip = "default sizes: about seven minutes of CPU; run on demand")]
    public void DefaultSizesGridClaimsOverTheSpreadSeeds() => AssertClaims(RunAll(new Sizes(7, 6, 5)));
}
