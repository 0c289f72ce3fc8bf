using Deskbridge.Threads;

namespace Deskbridge.Tests.Conversations;

/// <summary>The new part of an email: what mail clients put above their quoted history.</summary>
public sealed class NewPartTests
{
    [Theory]
    [InlineData("Thanks!\n\nOn Mon, Dec 1, 2026 at 10:00 AM Support <s@x.example> wrote:\n> Our answer <!-- OpenCX-AI-Response -->", "Thanks!")]
    [InlineData("Thanks!\r\n\r\n-----Original Message-----\r\nFrom: Support\r\nOur answer", "Thanks!")]
    [InlineData("Thanks!\nFrom: Support <s@x.example>\nSent: Monday\nOur answer", "Thanks!")]
    [InlineData("Thanks!\n> quoted", "Thanks!")]
    [InlineData("No history here.\nSecond line.", "No history here.\nSecond line.")]
    public void Text_stops_where_the_quoted_history_starts(string text, string expected) =>
        Assert.Equal(expected, NewPart.OfText(text));

    [Theory]
    [InlineData("""<div dir="ltr">Thanks!</div><div class="gmail_quote"><div class="gmail_attr">On … wrote:</div><blockquote class="gmail_quote"><p>Answer</p><!-- OpenCX-AI-Response --></blockquote></div>""")]
    [InlineData("""<div>Thanks!</div><blockquote type="cite"><div>Answer<!-- OpenCX-AI-Response --></div></blockquote>""")]
    [InlineData("""<div>Thanks!</div><div id="appendonsend"></div><hr><div id="x">From: Support</div><div>Answer<!-- OpenCX-AI-Response --></div>""")]
    public void Html_leaves_out_the_quoted_history_and_its_markers(string html)
    {
        var part = NewPart.OfHtml(html);

        Assert.Contains("Thanks!", part, StringComparison.Ordinal);
        Assert.DoesNotContain("Answer", part, StringComparison.Ordinal);
        Assert.False(Markers.AppearIn(part));
    }

    [Fact]
    public void Html_keeps_our_own_marker_outside_quotes()
    {
        Assert.True(Markers.AppearIn(NewPart.OfHtml("<p>Our answer</p><!-- OpenCX-AI-Response --><!-- deskbridge:abc -->")));
    }
}
