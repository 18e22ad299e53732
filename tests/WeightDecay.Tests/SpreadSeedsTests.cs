namespace WeightDecay.Tests;

public class SpreadSeedsTests
{
    [Fact]
    public void TheSampleIsThreeDistinctMeasuredSeedsAndAllSelectsEveryMeasuredSeed()
    {
        Assert.Equal(20, SpreadSeeds.Measured.Count);
        Assert.Equal(3, SpreadSeeds.Sample.Distinct().Count());
        Assert.All(SpreadSeeds.Sample, s => Assert.Contains(s, SpreadSeeds.Measured));
        // CI's notebook runs use seeds 0, 1 and 2; the sample adds others
        Assert.DoesNotContain(SpreadSeeds.Sample, s => s <= 2);
        var value = Environment.GetEnvironmentVariable(SpreadSeeds.Variable);
        var expected = value switch
        {
            null or "" => SpreadSeeds.Sample,
            "all" => SpreadSeeds.Measured,
            _ => SpreadSeeds.Parse(value),
        };
        Assert.Equal(expected, SpreadSeeds.Seeds);
    }

    [Fact]
    public void AListTakesSeedsAndInclusiveRangesInOrderWithoutDuplicates()
    {
        Assert.Equal([20, 21, 22, 17255, 5], SpreadSeeds.Parse("20-22, 17255,5,21"));
        Assert.Equal([7], SpreadSeeds.Parse("7-7"));
    }

    [Theory]
    [InlineData("al", "'al' is neither a seed")]
    [InlineData("3,-1", "'-1' is neither a seed")]
    [InlineData("9-4", "the range '9-4' ends before it starts")]
    [InlineData("1-2-3", "'1-2-3' is neither a seed")]
    [InlineData("4,", "'' is neither a seed")]
    public void ABadListIsRefusedNamingTheItem(string value, string message)
    {
        var e = Assert.Throws<InvalidOperationException>(() => SpreadSeeds.Parse(value));
        Assert.Contains(message, e.Message);
        Assert.Contains("WD_SPREAD_SEEDS", e.Message);
    }
}
