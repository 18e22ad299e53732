using System.Buffers.Binary;
using System.Text;

namespace WeightDecay.Native;

/// <summary>
/// A minimal reader of the GNU symbol-versioning sections of a 64-bit little-endian ELF file:
/// version needs (<c>.gnu.version_r</c>), version definitions (<c>.gnu.version_d</c>), the dynamic
/// symbols that use each version and whether any relocation refers to them. It exists for one job:
/// deciding, with evidence, whether a version need can safely be marked weak (see <see cref="TorchNativeLoader"/>).
/// </summary>
public sealed class ElfVersionInfo
{
    private const uint ShtDynsym = 11, ShtRela = 4, ShtRel = 9;
    private const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;

    /// <summary>Version requirements, in file order.</summary>
    public IReadOnlyList<ElfVersionNeed> Needs { get; }

    /// <summary>Version names this object defines (e.g. every <c>GLIBCXX_*</c> of libstdc++).</summary>
    public IReadOnlySet<string> Definitions { get; }

    private readonly Dictionary<int, List<string>> _symbolsByVersionIndex;
    private readonly HashSet<string> _relocatedSymbols;

    private ElfVersionInfo(List<ElfVersionNeed> needs, HashSet<string> defs,
        Dictionary<int, List<string>> symbolsByVersion, HashSet<string> relocated)
    {
        Needs = needs;
        Definitions = defs;
        _symbolsByVersionIndex = symbolsByVersion;
        _relocatedSymbols = relocated;
    }

    /// <summary>Dynamic symbols whose version index (in <c>.gnu.version</c>, hidden bit masked) is
    /// <paramref name="index"/>.</summary>
    public IReadOnlyList<string> SymbolsWithVersion(int index) =>
        _symbolsByVersionIndex.TryGetValue(index, out var list) ? list : [];

    /// <summary>Whether any relocation (<c>.rela.*</c>/<c>.rel.*</c>) refers to the named dynamic symbol.</summary>
    public bool IsRelocated(string symbol) => _relocatedSymbols.Contains(symbol);

    /// <summary>Reads the versioning information of the ELF file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file or is
    /// truncated.</exception>
    public static ElfVersionInfo Read(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        try
        {
            return Parse(b, path);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"'{path}' is a truncated or malformed ELF file.", e);
        }
        catch (IndexOutOfRangeException e)
        {
            throw new InvalidDataException($"'{path}' is a truncated or malformed ELF file.", e);
        }
    }

    private static ElfVersionInfo Parse(byte[] b, string path)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new InvalidDataException($"'{path}' is not an ELF file (expected the magic bytes 7F 45 4C 46).");
        if (b[4] != 2 || b[5] != 1)
            throw new InvalidDataException($"'{path}' is not a 64-bit little-endian ELF file (class {b[4]}, data " +
                $"{b[5]}).");

        long shoff = checked((long)U64(b, 0x28));
        int shentsize = U16(b, 0x3A), shnum = U16(b, 0x3C);
        var sections = new List<(uint Type, long Offset, long Size, int Link, long EntSize)>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            sections.Add((U32(b, h + 4), checked((long)U64(b, h + 0x18)), checked((long)U64(b, h + 0x20)),
                (int)U32(b, h + 0x28), checked((long)U64(b, h + 0x38))));
        }

        var needs = new List<ElfVersionNeed>();
        var defs = new HashSet<string>(StringComparer.Ordinal);
        var symbolsByVersion = new Dictionary<int, List<string>>();
        var relocated = new HashSet<string>(StringComparer.Ordinal);
        string[] dynsymNames = [];
        int dynsymIndex = -1;

        for (int s = 0; s < sections.Count; s++)
        {
            var sec = sections[s];
            if (sec.Type == ShtDynsym)
            {
                dynsymIndex = s;
                long strOff = sections[sec.Link].Offset;
                int count = (int)(sec.Size / 24);
                dynsymNames = new string[count];
                for (int i = 0; i < count; i++)
                    dynsymNames[i] = CString(b, strOff + U32(b, sec.Offset + (long)i * 24));
            }
        }

        foreach (var sec in sections)
        {
            if (sec.Type == ShtGnuVerneed)
            {
                long strOff = sections[sec.Link].Offset;
                long vn = sec.Offset;
                while (true)
                {
                    int cnt = U16(b, vn + 2);
                    string file = CString(b, strOff + U32(b, vn + 4));
                    long aux = vn + U32(b, vn + 8);
                    for (int i = 0; i < cnt; i++)
                    {
                        int flags = U16(b, aux + 4);
                        needs.Add(new ElfVersionNeed(file, CString(b, strOff + U32(b, aux + 8)),
                            U16(b, aux + 6), (flags & 0x2) != 0, aux + 4));
                        uint nextAux = U32(b, aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = U32(b, vn + 12);
                    if (next == 0) break;
                    vn += next;
                }
            }
            else if (sec.Type == ShtGnuVerdef)
            {
                long strOff = sections[sec.Link].Offset;
                long vd = sec.Offset;
                while (true)
                {
                    int cnt = U16(b, vd + 6);
                    long aux = vd + U32(b, vd + 12);
                    if (cnt > 0) defs.Add(CString(b, strOff + U32(b, aux)));
                    uint next = U32(b, vd + 16);
                    if (next == 0) break;
                    vd += next;
                }
            }
            else if (sec.Type == ShtGnuVersym)
            {
                int count = (int)(sec.Size / 2);
                for (int i = 0; i < count && i < dynsymNames.Length; i++)
                {
                    int v = U16(b, sec.Offset + 2L * i) & 0x7fff;
                    if (!symbolsByVersion.TryGetValue(v, out var list)) symbolsByVersion[v] = list = [];
                    list.Add(dynsymNames[i]);
                }
            }
        }

        foreach (var sec in sections)
        {
            if ((sec.Type != ShtRela && sec.Type != ShtRel) || sec.Link != dynsymIndex || dynsymIndex < 0) continue;
            long entSize = sec.EntSize != 0 ? sec.EntSize : sec.Type == ShtRela ? 24 : 16;
            for (long off = sec.Offset; off + entSize <= sec.Offset + sec.Size; off += entSize)
            {
                long symIndex = (long)(U64(b, off + 8) >> 32);
                if (symIndex > 0 && symIndex < dynsymNames.Length) relocated.Add(dynsymNames[symIndex]);
            }
        }

        return new ElfVersionInfo(needs, defs, symbolsByVersion, relocated);
    }

    private static ushort U16(byte[] b, long o) =>
        BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(checked((int)o), 2));
    private static uint U32(byte[] b, long o) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(checked((int)o), 4));
    private static ulong U64(byte[] b, long o) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(checked((int)o), 8));

    private static string CString(byte[] b, long o)
    {
        int start = checked((int)o), end = start;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, start, end - start);
    }
}
