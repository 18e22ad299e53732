using System.Text;

namespace WeightDecay.Data;

/// <summary>
/// Derives independent random streams from one user seed. Without it, components seeded with the same number draw the
/// same numbers: with seed 0 the d2l data's first example and the linear model's initial weights would be identical
/// vectors, which silently puts the initial w inside the data span and changes the experiment.
/// </summary>
public static class Seeds
{
    /// <summary>A 64-bit seed for the named stream (SplitMix64 of the seed and an FNV-1a hash of the name).</summary>
    public static ulong Derive(long seed, string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(stream)) h = (h ^ b) * 1099511628211UL;
        ulong z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (h | 1));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A 31-bit seed for <see cref="System.Random"/> for the named stream.</summary>
    public static int DeriveInt(long seed, string stream) => (int)(Derive(seed, stream) & 0x7FFFFFFF);
}
