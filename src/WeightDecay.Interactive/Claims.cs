using System.Globalization;

namespace WeightDecay.Interactive;

/// <summary>A scientific claim of a notebook that was checked and holds.</summary>
/// <param name="Statement">What is claimed.</param>
/// <param name="Evidence">The numbers that support it.</param>
public sealed record Claim(string Statement, string Evidence)
{
    /// <inheritdoc/>
    public override string ToString() => $"✔ {Statement} — {Evidence}";
}

/// <summary>A notebook claim that the computed numbers contradict.</summary>
public sealed class ClaimFailedException(string statement, string evidence)
    : Exception($"Claim does not hold: {statement} — {evidence}")
{
    /// <summary>What was claimed.</summary>
    public string Statement { get; } = statement;

    /// <summary>The numbers that contradict it.</summary>
    public string Evidence { get; } = evidence;
}

/// <summary>Assertion cells: every claim a notebook's text makes is checked by one of these, which throws when it is
/// false.</summary>
public static class Claims
{
    /// <summary>Returns the claim (displayed as "✔ statement — evidence") when <paramref name="holds"/>, else
    /// throws.</summary>
    /// <exception cref="ClaimFailedException">The claim is false.</exception>
    public static Claim Check(string statement, bool holds, FormattableString evidence)
    {
        string e = evidence.ToString(CultureInfo.InvariantCulture);
        return holds ? new Claim(statement, e) : throw new ClaimFailedException(statement, e);
    }

    /// <summary>As <see cref="Check(string, bool, FormattableString)"/>, with the evidence given in parts that are
    /// joined (so that a long evidence string can be wrapped over several lines of a notebook cell without
    /// concatenating interpolated strings, which would lose the invariant-culture formatting).</summary>
    /// <exception cref="ClaimFailedException">The claim is false.</exception>
    public static Claim Check(string statement, bool holds, FormattableString evidence,
        params FormattableString[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        string e = string.Concat(new[] { evidence }.Concat(more).Select(p => p.ToString(CultureInfo.InvariantCulture)));
        return holds ? new Claim(statement, e) : throw new ClaimFailedException(statement, e);
    }
}
