using Deskbridge.Periods;

namespace Deskbridge.Tests.Periods;

/// <summary>The one rule analytics, the conversations list and knowledge gaps read from/to with.</summary>
public sealed class InstantTextTests
{
    [Theory]
    [InlineData("2026-12-01", "2026-12-01T00:00:00.0000000+00:00")]
    [InlineData(" 2026-12-01 ", "2026-12-01T00:00:00.0000000+00:00")]
    [InlineData("2026-12-01T08:30:00Z", "2026-12-01T08:30:00.0000000+00:00")]
    [InlineData("2026-12-01T08:30:00.250Z", "2026-12-01T08:30:00.2500000+00:00")]
    [InlineData("2026-12-01T09:30:00+01:00", "2026-12-01T08:30:00.0000000+00:00")]
    [InlineData("2026-11-30T22:00:00-05:00", "2026-12-01T03:00:00.0000000+00:00")]
    public void Reads_a_date_as_midnight_UTC_and_a_date_and_time_by_its_offset(string text, string expected)
    {
        Assert.True(InstantText.TryParse(text, out var instant));

        Assert.Equal(expected, instant.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Theory]
    [InlineData("2026-12-01T08:30:00")]
    [InlineData("2026-12-01 08:30:00Z")]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    [InlineData("01.12.2026")]
    [InlineData("1999-12-31T23:00:00Z")]
    [InlineData("0202-12-01")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_a_time_without_its_offset_and_anything_that_is_not_a_date(string? text)
    {
        Assert.False(InstantText.TryParse(text, out _));
    }

    [Fact]
    public void Quotes_long_input_cut_so_a_message_stays_short()
    {
        Assert.Equal("\"" + new string('x', 40) + "…\"", InstantText.Quoted(new string('x', 90)));
    }
}
