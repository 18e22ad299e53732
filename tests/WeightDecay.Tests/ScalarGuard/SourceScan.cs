using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace WeightDecay.Tests.ScalarGuard;

/// <summary>A place in the sources that makes a Scalar only a finalizer frees.</summary>
/// <param name="File">Path relative to the repository root.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Message">What is wrong there.</param>
internal sealed record Finding(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>
/// Finds, in compiled C# (Roslyn's bound operations, so overloads and implicit conversions are resolved as the compiler
/// resolves them), every place that makes a TorchSharp <c>Scalar</c> without owning it:
/// <list type="bullet">
/// <item>a user-defined conversion to Scalar (<c>t.mul_(0.5)</c>, <c>add_(g, alpha: lr)</c>, <c>(Scalar)2</c>) and a
/// call of a method returning a new Scalar (<c>x.ToScalar()</c>) whose result is not the resource of a <c>using</c>
/// or stored in a field or property — the two ways a Scalar stays referenced for as long as native code may read
/// it;</item>
/// <item>a call of a TorchSharp method, operator, conversion, constructor or accessor that makes a Scalar and drops
/// it (<see cref="TorchSharpScalarLeaks"/>: <c>square()</c>, <c>tensor * 2.0</c>, <c>a + b</c>, <c>ToDouble()</c>,
/// …), or a delegate to one;</item>
/// <item>creating a TorchSharp module or optimizer whose <c>forward</c>/<c>step</c> does so (reached later through a
/// virtual call, e.g. <c>Sequential.forward</c>).</item>
/// </list>
/// </summary>
internal static class SourceScan
{
    /// <summary>The findings in <paramref name="compilation"/>'s syntax trees; paths are made relative to
    /// <paramref name="root"/>.</summary>
    public static List<Finding> Run(Compilation compilation, TorchSharpScalarLeaks leaks, string root)
    {
        var findings = new List<Finding>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (string.IsNullOrEmpty(tree.FilePath) || tree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
                continue;
            var model = compilation.GetSemanticModel(tree);
            var seen = new HashSet<IOperation>();
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                var op = model.GetOperation(node);
                if (op is null || op.Parent is not null) continue; // roots only: bodies, initializers
                foreach (var o in op.DescendantsAndSelf())
                    if (seen.Add(o) && Check(o, leaks) is { } message)
                    {
                        string file = Path.GetRelativePath(root, tree.FilePath).Replace('\\', '/');
                        int line = o.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                        findings.Add(new Finding(file, line, message));
                    }
            }
        }
        return findings.Distinct().OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ToList();
    }

    private static string? Check(IOperation o, TorchSharpScalarLeaks leaks)
    {
        switch (o)
        {
            case IConversionOperation { OperatorMethod: { } m } c when IsScalar(m.ContainingType) && IsTorchSharp(m):
                return Owned(o) ? null
                    : $"{(c.IsImplicit ? "implicit" : "explicit")} conversion of " +
                      $"{c.Operand.Type?.ToDisplayString()} to Scalar: " +
                      "nothing owns the Scalar (use `using var s = x.ToScalar();` or a long-lived Scalar in a field)";
            case IConversionOperation { OperatorMethod: { } m }:
                return Leak(m, leaks, "conversion");
            case IInvocationOperation i:
                var target = i.TargetMethod.ReducedFrom ?? i.TargetMethod;
                if (IsTorchSharp(target) && leaks.IsCreator(Token(target)))
                    return Owned(o) ? null
                        : $"{target.ContainingType.Name}.{target.Name}() returns a new Scalar that nothing owns " +
                          "(make it the resource of a `using` or store it in a field)";
                return Leak(target, leaks, "call") ?? CreatesLeakyModule(i.Type, leaks);
            case IObjectCreationOperation { Constructor: { } ctor } n:
                return Leak(ctor, leaks, "constructor") ?? CreatesLeakyModule(n.Type, leaks);
            case IBinaryOperation { OperatorMethod: { } m }:
                return Leak(m, leaks, "operator");
            case IUnaryOperation { OperatorMethod: { } m }:
                return Leak(m, leaks, "operator");
            case ICompoundAssignmentOperation { OperatorMethod: { } m }:
                return Leak(m, leaks, "operator");
            case IIncrementOrDecrementOperation { OperatorMethod: { } m }:
                return Leak(m, leaks, "operator");
            case IPropertyReferenceOperation p:
                return (p.Property.GetMethod is { } get ? Leak(get, leaks, "property") : null)
                    ?? (p.Property.SetMethod is { } set ? Leak(set, leaks, "property") : null);
            case IMethodReferenceOperation r:
                return Leak(r.Method.ReducedFrom ?? r.Method, leaks, "delegate to");
            default:
                return null;
        }
    }

    private static string? Leak(IMethodSymbol method, TorchSharpScalarLeaks leaks, string kind)
    {
        if (!IsTorchSharp(method) || !leaks.Leaks(Token(method))) return null;
        return $"{kind} {Display(method)} makes a Scalar that " +
               $"only its finalizer frees ({leaks.Chain(Token(method))})";
    }

    /// <summary>A TorchSharp module or optimizer whose forward/step leaks is created here.</summary>
    private static string? CreatesLeakyModule(ITypeSymbol? type, TorchSharpScalarLeaks leaks)
    {
        if (type is not INamedTypeSymbol named || !IsTorchSharp(named)) return null;
        for (var t = named; t is not null && IsTorchSharp(t); t = t.BaseType)
            foreach (var m in t.GetMembers().OfType<IMethodSymbol>())
                if (m.Name is "forward" or "step" or "call" && leaks.Leaks(Token(m)))
                    return $"creates {Display(named)}, whose " +
                           $"{m.Name} makes a Scalar that only its finalizer frees ({leaks.Chain(Token(m))})";
        return null;
    }

    /// <summary>Whether the Scalar made by <paramref name="o"/> (through implicit conversions) is the resource of a
    /// <c>using</c> declaration or statement, or is stored in a field or property.</summary>
    private static bool Owned(IOperation o)
    {
        var p = o.Parent;
        while (p is IConversionOperation { IsImplicit: true }) p = p.Parent;
        switch (p)
        {
            case IFieldInitializerOperation or IPropertyInitializerOperation:
                return true;
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation }:
                return true;
            case IVariableInitializerOperation init:
                for (IOperation? q = init.Parent; q is not null; q = q.Parent)
                {
                    if (q is IUsingDeclarationOperation or IUsingOperation) return true;
                    if (q is not (IVariableDeclaratorOperation or IVariableDeclarationOperation
                        or IVariableDeclarationGroupOperation))
                        return false;
                }
                return false;
            case IUsingOperation:
                return true;
            default:
                return false;
        }
    }

    private static bool IsScalar(ITypeSymbol? t) =>
        t is { Name: "Scalar", ContainingNamespace: { Name: "TorchSharp", ContainingNamespace.IsGlobalNamespace: true } };

    private static string Display(ISymbol s) => s.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    private static bool IsTorchSharp(ISymbol s) => s.ContainingAssembly?.Name == "TorchSharp";

    private static int Token(IMethodSymbol m) => m.OriginalDefinition.MetadataToken;
}
