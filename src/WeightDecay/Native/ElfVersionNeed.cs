namespace WeightDecay.Native;

/// <summary>One version requirement (a <c>Vernaux</c> entry) of an ELF shared object.</summary>
/// <param name="Library">The needed library (e.g. <c>libstdc++.so.6</c>).</param>
/// <param name="Version">The version name (e.g. <c>GLIBCXX_3.4.32</c>).</param>
/// <param name="Index">The version index (<c>vna_other</c>) that symbols use in <c>.gnu.version</c>.</param>
/// <param name="IsWeak">Whether <c>VER_FLG_WEAK</c> is set: the loader then tolerates a missing version.</param>
/// <param name="FlagsOffset">File offset of the entry's 16-bit <c>vna_flags</c> field.</param>
public sealed record ElfVersionNeed(string Library, string Version, int Index, bool IsWeak, long FlagsOffset);
