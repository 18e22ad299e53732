namespace WeightDecay.Runner;

/// <summary>
/// Which arrays an array parameter (a λ grid, a list of sizes) accepts beyond its entries' <c>range:</c>, declared
/// as <c>grid: any</c>, <c>grid: subsequence</c> or <c>grid: measured</c>. A claim about "the largest λ", a trend
/// along the grid or the λ a selection picks depends on the whole grid, so a grid that was never measured can make it
/// fail; the rule keeps an override on grids where the claims still hold. The reference grid is the one the mode
/// runs by default (the <c>quick:</c> value in quick mode where one is declared, else the default).
/// </summary>
public enum GridRule
{
    /// <summary>Any array whose entries lie in the range: the claims hold entry by entry or for any grid.</summary>
    Any,

    /// <summary>Entries of the reference grid, in its order, keeping its first and last entry: claims that hold on
    /// the full grid at a seed (a trend, a bound on a maximum, the ends compared) hold on such a subsequence, because
    /// each entry's run is seeded on its own.</summary>
    Subsequence,

    /// <summary>Only the reference grid itself: a claim depends on the grid as a whole (a selection over it, a slope
    /// fitted across it, a fixed pair of entries).</summary>
    Measured,
}
