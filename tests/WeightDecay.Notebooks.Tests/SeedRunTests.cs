using Xunit;

namespace WeightDecay.Notebooks.Tests;

/// <summary>The quick run again with seed 1 (every claim is about the method, so it holds for any seed).</summary>
/// <remarks>The seed runs check claims, not isolation (the quick run with the default seed and
/// <see cref="RunnerRobustnessTests"/> do): their notebooks share one process per job (<c>--shared-processes</c>), which
/// saves 24 of the 26 process start-ups (≈ 5 CPU-seconds each, docs/performance.md § 7).</remarks>
public sealed class QuickRunSeed1() : WorkbookRun("quick run with seed 1", "--param", $"seed={SeedRuns.First}",
    "--shared-processes");

/// <summary>The quick run again with seed 2, sharing processes as <see cref="QuickRunSeed1"/> does.</summary>
public sealed class QuickRunSeed2() : WorkbookRun("quick run with seed 2", "--param", $"seed={SeedRuns.Second}",
    "--shared-processes");

/// <summary>The two extra seeds CI runs every notebook with (reviewers try others).</summary>
public static class SeedRuns
{
    public const int First = 1;
    public const int Second = 2;

}

[CollectionDefinition(nameof(SeedRun1Collection))]
public sealed class SeedRun1Collection : ICollectionFixture<QuickRunSeed1>;

[CollectionDefinition(nameof(SeedRun2Collection))]
public sealed class SeedRun2Collection : ICollectionFixture<QuickRunSeed2>;

/// <summary>Every notebook, and so every claim it checks, passes with seed 1.</summary>
[Collection(nameof(SeedRun1Collection))]
public class SeedOneTests(QuickRunSeed1 run)
{
    [Fact]
    public void QuickRunWithSeed1ProducedItsReport() => Assert.True(run.Failure is null, run.Failure);

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void EveryClaimHoldsWithSeed1(string rel)
    {
        var (status, error) = run.Outcome(rel);
        Assert.True(status == "passed", $"{rel} with --param seed={SeedRuns.First}: {error}");
    }
}

/// <summary>Every notebook, and so every claim it checks, passes with seed 2.</summary>
[Collection(nameof(SeedRun2Collection))]
public class SeedTwoTests(QuickRunSeed2 run)
{
    [Fact]
    public void QuickRunWithSeed2ProducedItsReport() => Assert.True(run.Failure is null, run.Failure);

    [Theory]
    [MemberData(nameof(Repo.NotebookNames), MemberType = typeof(Repo))]
    public void EveryClaimHoldsWithSeed2(string rel)
    {
        var (status, error) = run.Outcome(rel);
        Assert.True(status == "passed", $"{rel} with --param seed={SeedRuns.Second}: {error}");
    }
}
