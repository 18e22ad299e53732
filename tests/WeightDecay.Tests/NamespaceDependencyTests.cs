using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WeightDecay.Tests.ScalarGuard;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The namespaces of the core library (src/WeightDecay) and of the lessons' experiments (src/WeightDecay.Experiments)
/// form no cycle, and the core never uses the experiments: a reader can read the core bottom-up (Data, Models, Losses,
/// Regularization → Optimization → Training → Landscape) and each lesson's experiments on top of it. Both projects are
/// compiled with Roslyn; every name in their sources that binds to a type or member of a <c>WeightDecay*</c>
/// namespace other than the file's own is an edge, reported with the file and line of one use.
/// </summary>
public class NamespaceDependencyTests(ITestOutputHelper output)
{
    private static readonly Lazy<Dictionary<(string From, string To), string>> Edges = new(BuildEdges);

    [Fact]
    public void TheNamespacesOfCoreAndExperimentsFormNoCycle()
    {
        var edges = Edges.Value;
        Assert.NotEmpty(edges);
        foreach (var group in edges.Keys.GroupBy(e => e.From).OrderBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"{group.Key} → {string.Join(", ", group.Select(e => e.To).Order(StringComparer.Ordinal))}");
        var cycles = StronglyConnected(edges.Keys).Where(c => c.Count > 1).ToList();
        string Describe(List<string> cycle) => string.Join(", ", cycle) + ":\n  " + string.Join("\n  ", edges
            .Where(e => cycle.Contains(e.Key.From) && cycle.Contains(e.Key.To))
            .Select(e => $"{e.Key.From} → {e.Key.To} ({e.Value})"));
        Assert.True(cycles.Count == 0,
            "Namespace cycles (each edge with one use):\n" + string.Join("\n", cycles.Select(Describe)));
    }

    [Fact]
    public void TheCoreNeverUsesTheExperiments()
    {
        var offending = Edges.Value.Where(e => e.Key.To == "WeightDecay.Experiments"
                                               && e.Key.From != "WeightDecay.Experiments").ToList();
        Assert.True(offending.Count == 0, string.Join("\n",
            offending.Select(e => $"{e.Key.From} → {e.Key.To} ({e.Value})")));
    }

    [Fact]
    public void TheCycleCheckFindsACycle()
    {
        var cycles = StronglyConnected([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")]).Where(c => c.Count > 1);
        Assert.Equal(["A", "B", "C"], Assert.Single(cycles).Order());
    }

    /// <summary>Every (using namespace → used namespace) pair among the WeightDecay namespaces, with one use.</summary>
    private static Dictionary<(string From, string To), string> BuildEdges()
    {
        var core = ProjectCompilation.Compile("src/WeightDecay", "WeightDecay");
        var experiments = ProjectCompilation.Compile("src/WeightDecay.Experiments", "WeightDecay.Experiments", core);
        var edges = new Dictionary<(string, string), string>();
        foreach (var compilation in new[] { core, experiments })
        {
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
            Assert.True(errors.Count == 0, $"{compilation.AssemblyName} does not compile here:\n" +
                string.Join("\n", errors));
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                var root = tree.GetRoot();
                foreach (var name in root.DescendantNodes().OfType<SimpleNameSyntax>())
                {
                    if (name.Ancestors().Any(a => a is UsingDirectiveSyntax)) continue;
                    var from = name.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault() is { } decl
                        ? model.GetDeclaredSymbol(decl)?.ContainingNamespace?.ToDisplayString()
                        : null;
                    var info = model.GetSymbolInfo(name);
                    var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                    var to = Namespace(symbol);
                    if (from is null || to is null || from == to) continue;
                    if (!from.StartsWith("WeightDecay", StringComparison.Ordinal)
                        || !to.StartsWith("WeightDecay", StringComparison.Ordinal)) continue;
                    var line = name.GetLocation().GetLineSpan();
                    string where = $"{Path.GetRelativePath(ProjectCompilation.RepositoryRoot, line.Path)}:" +
                                   $"{line.StartLinePosition.Line + 1}";
                    edges.TryAdd((from, to), where);
                }
            }
        }
        return edges;
    }

    /// <summary>The namespace a use of <paramref name="symbol"/> depends on: a type's own, a member's type's.</summary>
    private static string? Namespace(ISymbol? symbol) => symbol switch
    {
        null or INamespaceSymbol or ILocalSymbol or IParameterSymbol or ILabelSymbol or IRangeVariableSymbol => null,
        IMethodSymbol { ReducedFrom: { } extension } => extension.ContainingType?.ContainingNamespace?.ToDisplayString(),
        INamedTypeSymbol type => type.ContainingNamespace?.ToDisplayString(),
        _ => symbol.ContainingType?.ContainingNamespace?.ToDisplayString(),
    };

    /// <summary>Tarjan's strongly connected components of a directed graph.</summary>
    private static List<List<string>> StronglyConnected(IEnumerable<(string From, string To)> edges)
    {
        var next = new Dictionary<string, List<string>>();
        foreach (var (a, b) in edges)
        {
            (next.TryGetValue(a, out var l) ? l : next[a] = []).Add(b);
            if (!next.ContainsKey(b)) next[b] = [];
        }
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next[v])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string u;
            do
            {
                u = stack.Pop();
                onStack.Remove(u);
                component.Add(u);
            } while (u != v);
            result.Add(component);
        }
        foreach (var v in next.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(v)) Visit(v);
        return result;
    }
}
