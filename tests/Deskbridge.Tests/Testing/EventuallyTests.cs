using Deskbridge.Testing;

namespace Deskbridge.Tests.Testing;

/// <summary>The shared polling helper: a timeout has to say what was awaited and what was seen, or it sends people to a debugger.</summary>
public sealed class EventuallyTests
{
    private sealed record Reading(int Replies, string Thread);

    [Fact]
    public async Task Times_out_naming_the_condition_and_the_last_reading()
    {
        var reads = 0;
        var failure = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => Eventually.UntilAsync(
            () => Task.FromResult(new Reading(++reads, "9100000001")), r => r.Replies < 0, TimeSpan.FromMilliseconds(200)));

        Assert.Contains("r => r.Replies < 0", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"\"replies\":{reads}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("9100000001", failure.Message, StringComparison.Ordinal);
        Assert.True(reads > 1, "it should have polled more than once");
    }

    [Fact]
    public async Task Says_what_it_waited_for_in_the_callers_words_when_given()
    {
        var failure = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => Eventually.UntilAsync(
            () => Task.FromResult(0), n => n > 0, TimeSpan.FromMilliseconds(50), what: "the AI's reply"));

        Assert.Contains("the AI's reply", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_the_first_reading_that_holds()
    {
        var reads = 0;
        var value = await Eventually.UntilAsync(() => Task.FromResult(++reads), n => n == 3);

        Assert.Equal(3, value);
    }
}
