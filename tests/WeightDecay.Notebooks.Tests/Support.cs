using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>Paths of the repository and of the built runner.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Notebooks => Path.Combine(Root, "notebooks");

    public static string Configuration =>
        typeof(Repo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The runner built alongside these tests (a project reference).</summary>
    public static string RunnerDll => Path.Combine(AppContext.BaseDirectory, "WeightDecay.Runner.dll");

    /// <summary>Every notebook's .dib source (the source of truth), lessons then solutions, in name order.</summary>
    public static IReadOnlyList<string> AllNotebooks()
    {
        var lessons = Directory.GetFiles(Notebooks, "*.dib").Order(StringComparer.Ordinal);
        string sol = Path.Combine(Notebooks, "solutions");
        var solutions = Directory.Exists(sol) ? Directory.GetFiles(sol, "*.dib").Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        return lessons.Concat(solutions).ToList();
    }

    /// <summary><see cref="AllNotebooks"/> by <see cref="RelativeName"/>: the data of every per-notebook
    /// theory.</summary>
    public static TheoryData<string> NotebookNames() => new(AllNotebooks().Select(RelativeName));

    /// <summary>E.g. <c>05-norm-decay</c> or <c>solutions/05-norm-decay</c> for either of its files.</summary>
    public static string RelativeName(string notebook)
    {
        string rel = Path.GetRelativePath(Notebooks, notebook).Replace('\\', '/');
        return rel[..^Path.GetExtension(rel).Length];
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "WeightDecay.Notebooks.sln"))) return d.FullName;
        throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Runs a process to completion, optionally with a limit against hangs (none for the runner, whose own per-cell
/// limits and watchdog end a hung notebook: a whole-workbook limit would fail on a busy machine).</summary>
public static class Proc
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + "\n" + Stderr;
    }

    public static Result Run(string file, IEnumerable<string> args, string? cwd = null, IDictionary<string, string>? env = null,
        int? timeoutSeconds = null, IEnumerable<string>? unset = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? Repo.Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        foreach (var k in unset ?? []) psi.Environment.Remove(k);
        using var p = new Process { StartInfo = psi };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        try
        {
            p.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot start '{file}': {e.Message}. Install the prerequisites with 'bash scripts/prerequisites.sh'.", e);
        }
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (timeoutSeconds is { } limit && !p.WaitForExit(limit * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', args)}' did not finish within {timeoutSeconds} s.\n{stdout}\n{stderr}");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public static Result Runner(params string[] args) =>
        Run("dotnet", new[] { Repo.RunnerDll }.Concat(args), env: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });

    /// <summary>Starts the runner without waiting (for tests that interrupt it or run two at once).</summary>
    public static Process StartRunner(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        psi.ArgumentList.Add(Repo.RunnerDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(psi)!;
    }
}

/// <summary>Headless Chromium with the network unavailable: loads a page from file:// and returns the DOM after scripts ran.</summary>
internal static partial class Browser
{
    public static string Executable =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Chromium is not installed; run 'bash scripts/prerequisites.sh' (Debian package chromium).");

    /// <summary>Loads the page (optionally with a #fragment, in a window of the given size) and returns the DOM after its scripts ran.</summary>
    public static string DumpDom(string htmlPath, string fragment = "", int width = 1280, int height = 900)
    {
        string profile = Directory.CreateTempSubdirectory("wd-chromium-").FullName;
        try
        {
            var r = Proc.Run(Executable, [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync", "--disable-background-networking",
                "--disable-component-update", "--disable-quic", $"--user-data-dir={profile}",
                // no network: every host resolves to nothing and any proxy use fails
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw", $"--window-size={width},{height}",
                "--dump-dom", new Uri(htmlPath).AbsoluteUri + fragment,
            ], timeoutSeconds: 900);
            Assert.True(r.ExitCode == 0, $"Chromium failed on {htmlPath}: {r.Stderr}");
            return r.Stdout;
        }
        finally
        {
            try { Directory.Delete(profile, true); } catch (IOException) { }
        }
    }

    /// <summary>The attributes the report's self-check script sets on &lt;html&gt;.</summary>
    public static IReadOnlyDictionary<string, string> SelfCheck(string dom)
    {
        var tag = HtmlTag().Match(dom);
        Assert.True(tag.Success, "no <html> element in the dumped DOM");
        return Attribute().Matches(tag.Value).ToDictionary(m => m.Groups[1].Value, m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    [GeneratedRegex("<html[^>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex("(data-wd-[a-z-]+)=\"([^\"]*)\"")]
    private static partial Regex Attribute();
}
