using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace WeightDecay.Tests.ScalarGuard;

/// <summary>
/// Which methods of a TorchSharp.dll hand a freshly made <c>Scalar</c> to native code and drop it, read from the
/// assembly's IL (not from a hand-kept list, so a TorchSharp update re-derives it).
/// <para>A <em>creator</em> returns a new Scalar to its caller: <c>ToScalar()</c>, the implicit conversions, and
/// every Scalar-returning method that makes one (<c>newobj Scalar::.ctor</c>) or calls a creator. A <em>leaking</em>
/// method calls a creator, or another leaking method, and does not return the Scalar: the Scalar is then only
/// reachable until its handle is read, so a garbage collection during the native call that uses it can run its
/// finalizer, which frees the native value while libtorch still reads it. Examples: <c>Tensor.square()</c>
/// (<c>pow(2)</c>), <c>Tensor.add(Tensor)</c> (<c>alpha: 1</c>), <c>tensor * 2.0</c>, <c>Tensor.ToDouble()</c>
/// (<c>ToScalar().ToDouble()</c>).</para>
/// <para>Approximations, all on the safe side: a call counts wherever it is in the body (also on branches a given
/// argument never takes) and through delegates made with <c>ldftn</c>; a call to a method of a generic TorchSharp type
/// counts as a call to every overload with that name and number of parameters. A method that also calls
/// <c>Scalar.Dispose()</c> is taken to dispose what it makes (TorchSharp 0.107.0 has none). Virtual calls are followed
/// to the method named in the IL only, so a <c>Module.forward</c> override is checked where the module is created
/// (see <see cref="SourceScan"/>).</para>
/// </summary>
internal sealed class TorchSharpScalarLeaks
{
    private readonly MetadataReader _md;
    private readonly Dictionary<MethodDefinitionHandle, MethodDefinitionHandle> _leakCause = [];
    private readonly HashSet<MethodDefinitionHandle> _creators = [];

    /// <summary>The assembly's path.</summary>
    public string Path { get; }

    /// <summary>Number of leaking methods found.</summary>
    public int LeakingCount => _leakCause.Count;

    private TorchSharpScalarLeaks(string path, MetadataReader md, PEReader pe)
    {
        Path = path;
        _md = md;
        var scalar = md.TypeDefinitions.Single(t => FullName(t) == "TorchSharp.Scalar");
        var scalarType = md.GetTypeDefinition(scalar);
        HashSet<MethodDefinitionHandle> Named(string name) =>
            scalarType.GetMethods().Where(m => md.GetString(md.GetMethodDefinition(m).Name) == name).ToHashSet();
        var scalarCtors = Named(".ctor");
        var dispose = Named("Dispose");

        var calls = new Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>>();
        foreach (var h in md.MethodDefinitions)
        {
            var m = md.GetMethodDefinition(h);
            if (m.RelativeVirtualAddress == 0) continue;
            calls[h] = Callees(pe.GetMethodBody(m.RelativeVirtualAddress)).ToList();
        }

        bool ReturnsScalar(MethodDefinitionHandle h)
        {
            var r = md.GetBlobReader(md.GetMethodDefinition(h).Signature);
            if (r.ReadSignatureHeader().IsGeneric) r.ReadCompressedInteger();
            r.ReadCompressedInteger(); // parameter count
            return r.ReadSignatureTypeCode() == SignatureTypeCode.TypeHandle
                && r.ReadTypeHandle() == (EntityHandle)scalar;
        }

        // creators: Scalar-returning methods that construct one or get one from another creator (a fixpoint)
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var (h, callees) in calls)
                if (!_creators.Contains(h) && ReturnsScalar(h)
                    && callees.Any(c => scalarCtors.Contains(c) || _creators.Contains(c)))
                    changed |= _creators.Add(h);
        }
        // leaking: calls a creator or a leaking method without returning the Scalar (and without disposing one)
        foreach (var (h, callees) in calls)
        {
            if (_creators.Contains(h) || scalarCtors.Contains(h) || callees.Any(dispose.Contains)) continue;
            foreach (var c in callees)
                if (_creators.Contains(c)) { _leakCause[h] = c; break; }
        }
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var (h, callees) in calls)
            {
                if (_creators.Contains(h) || _leakCause.ContainsKey(h)) continue;
                foreach (var c in callees)
                    if (_leakCause.ContainsKey(c)) { _leakCause[h] = c; changed = true; break; }
            }
        }
    }

    /// <summary>Reads <paramref name="path"/> (a TorchSharp.dll).</summary>
    public static TorchSharpScalarLeaks Load(string path)
    {
        var pe = new PEReader(new MemoryStream(File.ReadAllBytes(path)));
        return new TorchSharpScalarLeaks(path, pe.GetMetadataReader(), pe);
    }

    /// <summary>Whether the method with this metadata token returns a new Scalar to its caller.</summary>
    public bool IsCreator(int token) => Handle(token) is { } h && _creators.Contains(h);

    /// <summary>Whether the method with this metadata token makes a Scalar and drops it.</summary>
    public bool Leaks(int token) => Handle(token) is { } h && _leakCause.ContainsKey(h);

    /// <summary>Whether a method of this name leaks (any overload, any type; for the self-test).</summary>
    public bool AnyLeaks(string typeName, string methodName) =>
        _leakCause.Keys.Any(h => Name(h) == $"{typeName}.{methodName}");

    /// <summary>Why the method leaks: the chain of calls down to the creator, e.g.
    /// <c>Tensor.square → Scalar.op_Implicit</c>.</summary>
    public string Chain(int token)
    {
        if (Handle(token) is not { } h || !_leakCause.ContainsKey(h)) return "";
        var names = new List<string> { Name(h) };
        for (int i = 0; i < 8 && _leakCause.TryGetValue(h, out var next); i++)
        {
            names.Add(Name(next));
            h = next;
        }
        return string.Join(" → ", names);
    }

    private MethodDefinitionHandle? Handle(int token)
    {
        if (token == 0 || (token >> 24) != 0x06) return null;
        var h = MetadataTokens.MethodDefinitionHandle(token & 0xFFFFFF);
        return MetadataTokens.GetRowNumber(h) <= _md.MethodDefinitions.Count ? h : null;
    }

    private string Name(MethodDefinitionHandle h)
    {
        var m = _md.GetMethodDefinition(h);
        var type = FullName(m.GetDeclaringType());
        type = type[(type.LastIndexOfAny(['.', '+']) + 1)..];
        return $"{type}.{_md.GetString(m.Name)}";
    }

    private string FullName(TypeDefinitionHandle h)
    {
        var t = _md.GetTypeDefinition(h);
        var outer = t.GetDeclaringType();
        string name = _md.GetString(t.Name);
        return outer.IsNil ? $"{_md.GetString(t.Namespace)}.{name}" : $"{FullName(outer)}+{name}";
    }

    /// <summary>The methods of this assembly that a body calls, constructs with or takes a delegate to.</summary>
    private IEnumerable<MethodDefinitionHandle> Callees(MethodBodyBlock body)
    {
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int b = il.ReadByte();
            var op = b == 0xFE ? (ILOpCode)(0xFE00 | il.ReadByte()) : (ILOpCode)b;
            if (op is ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn)
            {
                foreach (var m in Resolve(MetadataTokens.EntityHandle(il.ReadInt32()))) yield return m;
            }
            else if (op == ILOpCode.Switch)
            {
                il.Offset += 4 * il.ReadInt32();
            }
            else
            {
                il.Offset += OperandSize(op);
            }
        }
    }

    private IEnumerable<MethodDefinitionHandle> Resolve(EntityHandle h)
    {
        switch (h.Kind)
        {
            case HandleKind.MethodDefinition:
                yield return (MethodDefinitionHandle)h;
                break;
            case HandleKind.MethodSpecification:
                var generic = _md.GetMethodSpecification((MethodSpecificationHandle)h).Method;
                foreach (var m in Resolve(generic)) yield return m;
                break;
            case HandleKind.MemberReference:
                // a method of a generic type of this assembly (Module<T, T>, …): every overload with that name and
                // arity
                var reference = _md.GetMemberReference((MemberReferenceHandle)h);
                if (reference.Parent.Kind != HandleKind.TypeSpecification) break;
                var parent = _md.GetTypeSpecification((TypeSpecificationHandle)reference.Parent);
                var spec = _md.GetBlobReader(parent.Signature);
                if (spec.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) break;
                spec.ReadSignatureTypeCode();
                var type = spec.ReadTypeHandle();
                if (type.Kind != HandleKind.TypeDefinition) break;
                if (reference.GetKind() != MemberReferenceKind.Method) break;
                string name = _md.GetString(reference.Name);
                int arity = ParameterCount(reference.Signature);
                foreach (var m in _md.GetTypeDefinition((TypeDefinitionHandle)type).GetMethods())
                {
                    var def = _md.GetMethodDefinition(m);
                    if (_md.GetString(def.Name) == name && ParameterCount(def.Signature) == arity) yield return m;
                }
                break;
        }
    }

    private int ParameterCount(BlobHandle signature)
    {
        var r = _md.GetBlobReader(signature);
        if (r.ReadSignatureHeader().IsGeneric) r.ReadCompressedInteger();
        return r.ReadCompressedInteger();
    }

    private static int OperandSize(ILOpCode op) => op switch
    {
        ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s
            or ILOpCode.Stloc_s or ILOpCode.Ldc_i4_s or ILOpCode.Unaligned or (ILOpCode)0xFE19 => 1, // 0xFE19: no.
        >= ILOpCode.Br_s and <= ILOpCode.Blt_un_s => 1,
        ILOpCode.Leave_s => 1,
        ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => 2,
        ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8 => 8,
        >= ILOpCode.Br and <= ILOpCode.Blt_un => 4,
        ILOpCode.Leave or ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 => 4,
        ILOpCode.Jmp or ILOpCode.Call or ILOpCode.Calli or ILOpCode.Callvirt or ILOpCode.Cpobj or ILOpCode.Ldobj
            or ILOpCode.Ldstr or ILOpCode.Newobj or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Unbox
            or ILOpCode.Ldfld or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda
            or ILOpCode.Stsfld or ILOpCode.Stobj or ILOpCode.Box or ILOpCode.Newarr or ILOpCode.Ldelema
            or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Unbox_any or ILOpCode.Refanyval or ILOpCode.Mkrefany
            or ILOpCode.Ldtoken or ILOpCode.Ldftn or ILOpCode.Ldvirtftn or ILOpCode.Initobj or ILOpCode.Constrained
            or ILOpCode.Sizeof => 4,
        _ => 0,
    };
}
