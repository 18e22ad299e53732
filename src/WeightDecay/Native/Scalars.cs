using TorchSharp;
using static TorchSharp.torch;

namespace WeightDecay;

/// <summary>
/// Tensor arithmetic with numbers, and reads of one-element tensors, that never leave a TorchSharp
/// <see cref="Scalar"/> to its finalizer.
/// <para>Why: a number passed where TorchSharp expects a Scalar (<c>t.mul_(0.5)</c>, <c>t * 2.0</c>) — and, inside
/// TorchSharp, <c>square()</c> (<c>pow(2)</c>), <c>a + b</c> and <c>add_(t)</c> (<c>alpha: 1</c>), <c>ToDouble()</c>
/// (<c>ToScalar().ToDouble()</c>) — makes a native Scalar that nothing references once its handle is read. A garbage
/// collection during the native call can then run its finalizer, which frees the value while libtorch reads it: an
/// "INTERNAL ASSERT FAILED … Scalar.h" error or a crash, more likely the more threads allocate. Each helper here
/// makes its Scalar in a <c>using</c> (alive until the call returns, then freed) or uses a long-lived one, and
/// computes exactly what the TorchSharp expression it replaces computes: the same libtorch call with a Scalar of the
/// same type, so results are bit-for-bit the same. <c>ScalarGuardTests</c> keeps the library free of the leaking
/// forms.</para>
/// </summary>
public static class Scalars
{
    /// <summary>The integer 0 (long-lived), e.g. for <c>clamp_min</c>.</summary>
    public static Scalar Zero { get; } = 0.ToScalar();

    /// <summary>The integer 1 (long-lived): the <c>alpha</c> TorchSharp's <c>add(Tensor)</c> passes.</summary>
    public static Scalar One { get; } = 1.ToScalar();

    /// <summary>The integer 2 (long-lived): the exponent of TorchSharp's <c>square()</c>.</summary>
    public static Scalar Two { get; } = 2.ToScalar();

    /// <summary><c>a + b</c>: TorchSharp's operator, <c>a.add(b, alpha: 1)</c>, with a long-lived alpha.</summary>
    public static Tensor Add(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>In place <c>a += b</c> (<c>a.add_(b)</c>) with a long-lived alpha 1.</summary>
    public static Tensor Add_(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><c>t + value</c>: <c>t.add(value, alpha: 1)</c>.</summary>
    public static Tensor Add(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.add(s, One);
    }

    /// <summary><c>t − value</c>.</summary>
    public static Tensor Sub(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.sub(s);
    }

    /// <summary><c>value − t</c>: TorchSharp's operator, <c>(−t) + value</c>.</summary>
    public static Tensor RSub(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.negative().add(s, One);
    }

    /// <summary><c>t · factor</c>.</summary>
    public static Tensor Mul(this Tensor t, double factor)
    {
        using var s = factor.ToScalar();
        return t.mul(s);
    }

    /// <summary><c>t / divisor</c>.</summary>
    public static Tensor Div(this Tensor t, double divisor)
    {
        using var s = divisor.ToScalar();
        return t.div(s);
    }

    /// <summary><c>t / divisor</c> with an integer divisor (an integer Scalar, as TorchSharp's operator
    /// makes).</summary>
    public static Tensor Div(this Tensor t, long divisor)
    {
        using var s = divisor.ToScalar();
        return t.div(s);
    }

    /// <summary><c>value / t</c>: TorchSharp's operator, <c>t.reciprocal() · value</c>.</summary>
    public static Tensor RDiv(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.reciprocal().mul(s);
    }

    /// <summary><c>t²</c>: TorchSharp's <c>square()</c>, <c>pow(2)</c>, with a long-lived exponent.</summary>
    public static Tensor Square(this Tensor t) => t.pow(Two);

    /// <summary>
    /// The value of a one-element tensor as a double, read from its memory (<c>item&lt;T&gt;()</c>) instead
    /// of through a Scalar as TorchSharp's <c>ToDouble()</c> does; the same value for every dtype (float32 widens
    /// exactly).
    /// </summary>
    /// <exception cref="ArgumentException">The tensor does not have exactly one element.</exception>
    public static double ItemAsDouble(this Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        switch (t.dtype)
        {
            case ScalarType.Float64: return t.item<double>();
            case ScalarType.Float32: return t.item<float>();
            case ScalarType.Int64: return t.item<long>();
            case ScalarType.Int32: return t.item<int>();
            case ScalarType.Bool: return t.item<bool>() ? 1 : 0;
            default:
                using (var d = t.to_type(ScalarType.Float64)) return d.item<double>();
        }
    }

    /// <summary>The value of a one-element integer or boolean tensor as a long, read without a Scalar.</summary>
    /// <exception cref="ArgumentException">The tensor does not have exactly one element, or holds floating-point
    /// values.</exception>
    public static long ItemAsInt64(this Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        switch (t.dtype)
        {
            case ScalarType.Int64: return t.item<long>();
            case ScalarType.Int32: return t.item<int>();
            case ScalarType.Bool: return t.item<bool>() ? 1 : 0;
            case ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte:
                using (var l = t.to_type(ScalarType.Int64)) return l.item<long>();
            default:
                throw new ArgumentException($"ItemAsInt64 reads integer tensors; this one is {t.dtype}.", nameof(t));
        }
    }
}
