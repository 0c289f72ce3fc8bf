namespace Deskbridge.Threads;

/// <summary>Our own markers, byte for byte as OpenCX wrote them, so messages we posted are never answered (C2).</summary>
public static class Markers
{
    public const string AiResponse = "<!-- OpenCX-AI-Response -->";
    public const string Handoff = "🔄 AI decided to handoff";

    /// <summary>Hidden in each post's rich text so a retry can find what an interrupted attempt already posted.</summary>
    public static string IntentToken(string token) => $"<!-- deskbridge:{token} -->";

    public static bool AppearIn(string? text) =>
        text is not null && (text.Contains(AiResponse, StringComparison.Ordinal) || text.Contains(Handoff, StringComparison.Ordinal));
}
