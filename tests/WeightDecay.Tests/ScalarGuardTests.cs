using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using WeightDecay.Tests.ScalarGuard;

namespace WeightDecay.Tests;

/// <summary>
/// Keeps the library, its notebook glue, the benchmarks, the stress program and these tests free of Scalars that
/// only a finalizer frees (a GC can run that finalizer while libtorch still reads the Scalar: issue 11; in a test it
/// can abort the test host). The projects are compiled with Roslyn and every implicit Scalar, unowned
/// <c>ToScalar()</c> and call of a TorchSharp method that makes and drops a Scalar (derived from TorchSharp.dll's IL)
/// is reported as file:line.
/// </summary>
public class ScalarGuardTests
{
    private static readonly Lazy<TorchSharpScalarLeaks> Leaks =
        new(() => TorchSharpScalarLeaks.Load(ProjectCompilation.TorchSharpAssembly("src/WeightDecay")));

    private static readonly Lazy<CSharpCompilation> Library =
        new(() => ProjectCompilation.Compile("src/WeightDecay", "WeightDecay"));

    private static readonly Lazy<CSharpCompilation> Experiments =
        new(() => ProjectCompilation.Compile("src/WeightDecay.Experiments", "WeightDecay.Experiments", Library.Value));

    public static TheoryData<string, string> Projects => new()
    {
        { "src/WeightDecay", "WeightDecay" },
        { "src/WeightDecay.Experiments", "WeightDecay.Experiments" },
        { "src/WeightDecay.Interactive", "WeightDecay.Interactive" },
        { "bench/WeightDecay.Benchmarks", "WeightDecay.Benchmarks" },
        { "tests/WeightDecay.Stress", "WeightDecay.Stress" },
        { "tests/WeightDecay.Tests", "WeightDecay.Tests" },
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public void NoScalarInTheProjectIsLeftToAFinalizer(string project, string assembly)
    {
        var compilation = project switch
        {
            "src/WeightDecay" => Library.Value,
            "src/WeightDecay.Experiments" => Experiments.Value,
            "src/WeightDecay.Interactive" =>
                ProjectCompilation.Compile(project, assembly, Library.Value, Experiments.Value),
            "tests/WeightDecay.Tests" =>
                ProjectCompilation.Compile(project, assembly, Library.Value, Experiments.Value),
            _ => ProjectCompilation.Compile(project, assembly, Library.Value),
        };
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(10).ToList();
        Assert.True(errors.Count == 0,
            $"{project} does not compile here, so it cannot be checked:\n{string.Join("\n", errors)}");

        var findings = SourceScan.Run(compilation, Leaks.Value, ProjectCompilation.RepositoryRoot);
        Assert.True(findings.Count == 0,
            $"{findings.Count} Scalar(s) in {project} only a finalizer frees; a GC during the native call can free " +
            "them while libtorch reads them. Pass a Scalar the code owns (`using var s = x.ToScalar();` or a " +
            "long-lived one such as Scalars.One) or use WeightDecay.Scalars' helpers (t.Mul(x), a.Add(b), " +
            $"t.Square(), t.ItemAsDouble(), …):\n{string.Join("\n", findings)}");
    }

    [Fact]
    public void TheIlScanFindsTorchSharpsHiddenScalars()
    {
        var leaks = Leaks.Value;
        // each makes a Scalar internally: pow(2), alpha: 1, value: 1, ToScalar().ToDouble(), tensor–number operators
        foreach (var (type, method) in new[]
                 {
                     ("Tensor", "square"), ("Tensor", "add"), ("Tensor", "add_"), ("Tensor", "addcdiv_"),
                     ("TensorExtensionMethods", "ToDouble"), ("TensorExtensionMethods", "ToSingle"),
                     ("Tensor", "op_Multiply"), ("Tensor", "op_Addition"), ("Tensor", "op_Explicit"),
                     ("linalg", "vector_norm"),
                 })
            Assert.True(leaks.AnyLeaks(type, method), $"{type}.{method} should be found to leak a Scalar.");
        // these take Scalars from the caller or none at all
        foreach (var (type, method) in new[]
                 {
                     ("Tensor", "mul"), ("Tensor", "mul_"), ("Tensor", "pow"), ("Tensor", "sub"), ("Tensor", "item"),
                     ("Tensor", "matmul"), ("Tensor", "sum"), ("Tensor", "mean"), ("functional", "relu"),
                     ("functional", "cross_entropy"),
                 })
            Assert.False(leaks.AnyLeaks(type, method), $"{type}.{method} should not be found to leak a Scalar.");
    }

    [Fact]
    public void TheSourceScanReportsEachKindOfHiddenScalarAndAcceptsOwnedOnes()
    {
        const string source = """
            using TorchSharp;
            using static TorchSharp.torch;
            static class Sample
            {
                static readonly Scalar Half = 0.5.ToScalar();              // owned by a field
                static Scalar Two { get; } = 2.ToScalar();                 // owned by a property
                static void Bad(Tensor a, Tensor b, double lr)
                {
                    a.mul_(0.5);                                           // 9: implicit double → Scalar
                    a.add_(b, alpha: -lr);                                 // 10: implicit
                    var c = a.square();                                    // 11: pow(2) inside
                    var d = a * 2.0;                                       // 12: operator with a number
                    var e = a + b;                                         // 13: add(b, alpha: 1) inside
                    double f = a.sum().ToDouble();                         // 14: ToScalar().ToDouble() inside
                    a.mul_(lr.ToScalar());                                 // 15: ToScalar() nobody disposes
                    Scalar g = 3;                                          // 16: implicit, in a plain local
                    double h = (double)a.sum();                            // 17: explicit Tensor → double
                    System.Func<Tensor> k = a.square;                      // 18: delegate to a leaking method
                }
                static void Good(Tensor a, Tensor b, double lr)
                {
                    using var s = lr.ToScalar();
                    a.mul_(s).add_(b, alpha: Half).pow_(Two);
                    using (var t = (Scalar)3.0) a.div_(t);
                    using Scalar u = 1;
                    a.sub_(u);
                    var c = a.mul(a).sub(b);
                    float f = a.sum().item<float>();
                }
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview),
            Path.Combine(ProjectCompilation.RepositoryRoot, "Sample.cs"));
        var compilation = CSharpCompilation.Create("Sample", [tree], Library.Value.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var findings = SourceScan.Run(compilation, Leaks.Value, ProjectCompilation.RepositoryRoot);
        Assert.True(findings.Select(f => f.Line).Distinct().SequenceEqual(Enumerable.Range(9, 10)),
            $"expected findings on lines 9–18 only:\n{string.Join("\n", findings)}");
        Assert.All(findings, f => Assert.Equal("Sample.cs", f.File));
        Assert.Contains(findings, f => f.Line == 11 && f.Message.Contains("square", StringComparison.Ordinal));
    }
}
