using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Deskbridge.Testing;

/// <summary>The one way tests wait for something that happens in the background (a webhook, a reply, a fate).</summary>
public static class Eventually
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>
    /// Reads until <paramref name="done"/> holds and answers that reading. At the deadline it fails, saying what it waited
    /// for (<paramref name="what"/>, by default the condition's own source text) and what it last saw: a timeout that says
    /// only "false" sends whoever reads it back to the debugger.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null,
        [CallerArgumentExpression(nameof(done))] string condition = "")
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T last;
        do
        {
            last = await read();
            if (done(last))
            {
                return last;
            }
            await Task.Delay(25);
        }
        while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException(
            $"Waited {(timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds:0.#} s for {what ?? condition} and it never held; last seen: {Describe(last)}");
    }

    private static string Describe<T>(T value)
    {
        try
        {
            var text = JsonSerializer.Serialize(value, Json);
            return text.Length <= 4000 ? text : text[..4000] + "…";
        }
        catch (NotSupportedException)
        {
            return value?.ToString() ?? "null";
        }
    }
}
