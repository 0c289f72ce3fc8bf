using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Deskbridge.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Deskbridge.Tests.Webhooks;

/// <summary>
/// W7 under fuzzing: signed bodies, valid and broken in known ways, against a real Deskbridge over HTTP. No answer may
/// be a 5xx; a batch's events must be rejected exactly where the generator broke a rule, and stored as valid elsewhere.
/// CI runs 10,000 cases; DESKBRIDGE_FUZZ_CASES (and DESKBRIDGE_FUZZ_SEED to replay) run it longer.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class WebhookFuzzTests(ITestOutputHelper output)
{
    private const long Portal = 24681357;

    [Fact]
    public async Task Fuzzed_bodies_never_get_a_5xx_and_only_valid_events_are_stored_as_valid()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("DESKBRIDGE_FUZZ_CASES"), CultureInfo.InvariantCulture, out var n) ? n : 10_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DESKBRIDGE_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed}, {cases} cases");
        await using var world = await ConnectedWorld.StartAsync(new Dictionary<string, string?> { ["Storage:Synchronous"] = "Normal" });
        await world.SettingsAsync(new { autopilotChannels = Array.Empty<string>(), assistMode = false, ticketingEnabled = false });

        var expected = new ConcurrentDictionary<Guid, bool[]>();
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var next = -1;
        using var http = new HttpClient { BaseAddress = world.Deskbridge.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < cases; i = Interlocked.Increment(ref next))
            {
                var fuzz = new Generator(new Random(HashCode.Combine(seed, i)));
                var (body, invalid) = fuzz.Body();
                using var response = await SignedDelivery.PostAsync(world, body, http: http);
                var status = (int)response.StatusCode;
                statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                var text = await response.Content.ReadAsStringAsync();
                if (status >= 500 || (invalid is null ? status != 400 : status != 200))
                {
                    failures.Enqueue($"case {i} (seed {seed}): {status} for a {(invalid is null ? "malformed body" : "batch")}: {text}; body {Preview(body)}");
                    continue;
                }
                if (invalid is not null)
                {
                    expected[JsonDocument.Parse(text).RootElement.GetProperty("batchId").GetGuid()] = invalid;
                }
            }
        }));
        var elapsed = stopwatch.Elapsed;

        var stored = StoredFates(world.Deskbridge.DataDirectory);
        foreach (var (batchId, invalid) in expected)
        {
            var rows = stored.GetValueOrDefault(batchId) ?? [];
            var rejected = rows.Select(r => r == RejectedFate).ToArray();
            if (!rejected.SequenceEqual(invalid))
            {
                failures.Enqueue($"batch {batchId}: expected rejected [{string.Join(",", invalid)}], stored [{string.Join(",", rejected)}]");
            }
        }

        output.WriteLine($"{cases} cases in {elapsed.TotalSeconds:0.0} s ({cases / elapsed.TotalSeconds:0} bodies/s); statuses {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))}; " +
            $"{expected.Values.Sum(v => v.Length)} events in {expected.Count} batches, {expected.Values.Sum(v => v.Count(x => x))} rejected");
        Assert.True(failures.IsEmpty, $"{failures.Count} failures, e.g.:\n{string.Join("\n", failures.Take(5))}");
        Assert.DoesNotContain(statuses.Keys, k => k >= 500);
    }

    private const int RejectedFate = 6;

    private static Dictionary<Guid, List<int?>> StoredFates(string dataDirectory)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "deskbridge.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT BatchId, Fate FROM InboxEvents ORDER BY Id";
        using var reader = command.ExecuteReader();
        var result = new Dictionary<Guid, List<int?>>();
        while (reader.Read())
        {
            var batch = reader.GetGuid(0);
            int? fate = reader.IsDBNull(1) ? null : reader.GetInt32(1);
            if (!result.TryGetValue(batch, out var list))
            {
                result[batch] = list = [];
            }
            list.Add(fate);
        }
        return result;
    }

    private static string Preview(byte[] body) => Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)));

    /// <summary>
    /// Builds bodies whose validity it knows: an event is a list of raw JSON fields; a broken event breaks exactly one
    /// rule of the webhook contract; a malformed body is not a JSON array of objects at all.
    /// </summary>
    private sealed class Generator(Random random)
    {
        private static readonly string[] IgnoredTypes = ["contact.propertyChange", "deal.creation", "company.propertyChange", "conversation.privacyDeletion", "ticket.creation"];

        /// <summary>The body and, for a batch, which of its events are invalid (null: the whole body is malformed).</summary>
        public (byte[] Body, bool[]? Invalid) Body()
        {
            if (random.NextDouble() < 0.15)
            {
                return (MalformedBody(), null);
            }

            var count = random.Next(1, 6);
            var invalid = new bool[count];
            var events = new List<byte[]>();
            for (var i = 0; i < count; i++)
            {
                var fields = ValidEvent();
                if (random.NextDouble() < 0.5)
                {
                    Break(fields);
                    invalid[i] = true;
                }
                events.Add(Serialize(fields));
            }

            var separator = random.NextDouble() < 0.2 ? " ,\n " : ",";
            return ([.. "["u8, .. Join(events, Encoding.UTF8.GetBytes(separator)), .. "]"u8], invalid);
        }

        private List<(string Name, byte[] Value)> ValidEvent()
        {
            var type = random.NextDouble() < 0.03 ? "ticket.propertyChange" : IgnoredTypes[random.Next(IgnoredTypes.Length)];
            var fields = new List<(string, byte[])>
            {
                ("eventId", Id(random.NextInt64(0, long.MaxValue))),
                ("subscriptionId", Id(random.Next(1, 1000))),
                ("portalId", Id(Portal)),
                ("appId", Id(2345678)),
                ("occurredAt", Number(random.NextInt64(0, 253_402_300_799_999))),
                (random.NextDouble() < 0.1 ? "eventType" : "subscriptionType", Str(type)),
                ("attemptNumber", Number(random.Next(0, 11))),
                ("objectId", Id(random.NextInt64(0, long.MaxValue))),
            };
            if (random.NextDouble() < 0.7)
            {
                fields.Add(("propertyName", Str(random.NextDouble() < 0.05 ? new string('n', 256) : "hs_" + random.Next(100))));
                fields.Add(("propertyValue", random.Next(4) switch
                {
                    0 => Number(random.Next()),
                    1 => "true"u8.ToArray(),
                    2 => Encoding.UTF8.GetBytes(random.NextDouble() < 0.05 ? Quote(new string('v', 65_536)) : "\"caf\\u00e9 \\ud83d\\ude00 ünï\""),
                    _ => Str(Words()),
                }));
            }
            if (random.NextDouble() < 0.3)
            {
                fields.Add(("messageId", Str(Guid.NewGuid().ToString("N"))));
            }
            if (random.NextDouble() < 0.3)
            {
                fields.Add(("changeSource", random.NextDouble() < 0.2 ? "null"u8.ToArray() : Str("CRM_UI")));
            }
            if (random.NextDouble() < 0.3)
            {
                fields.Add(("someFutureField", random.Next(3) switch { 0 => Str("😀 ok"), 1 => "{\"nested\":[1,2,{\"a\":null}]}"u8.ToArray(), _ => "[]"u8.ToArray() }));
            }
            Shuffle(fields);
            return fields;
        }

        /// <summary>Breaks exactly one rule (several breaks would still be one invalid event).</summary>
        private void Break(List<(string Name, byte[] Value)> fields)
        {
            byte[] LoneSurrogate() => "\"a\\ud800b\""u8.ToArray();
            byte[] BadUtf8() => [(byte)'"', (byte)'a', (byte)random.Next(0x80, 0xC0), (byte)'"'];
            switch (random.Next(14))
            {
                case 0:
                    var required = new[] { "eventId", "portalId", "occurredAt", "objectId" }[random.Next(4)];
                    fields.RemoveAll(f => f.Name == required);
                    break;
                case 1:
                    fields.RemoveAll(f => f.Name is "subscriptionType" or "eventType");
                    break;
                case 2:
                    Set(fields, "portalId", Id(random.NextInt64(0, Portal)));
                    break;
                case 3:
                    Set(fields, new[] { "eventId", "objectId", "portalId", "subscriptionId", "appId" }[random.Next(5)], random.Next(7) switch
                    {
                        0 => "-1"u8.ToArray(),
                        1 => "1.5"u8.ToArray(),
                        2 => "99999999999999999999"u8.ToArray(),
                        3 => "\"12a\""u8.ToArray(),
                        4 => "true"u8.ToArray(),
                        5 => "\"007\""u8.ToArray(),
                        _ => "{\"id\":1}"u8.ToArray(),
                    });
                    break;
                case 4:
                    Set(fields, Pick(fields).Name, random.NextDouble() < 0.5 ? LoneSurrogate() : BadUtf8());
                    break;
                case 5:
                    fields.Add(("x" + random.Next(), random.NextDouble() < 0.5 ? LoneSurrogate() : BadUtf8()));
                    break;
                case 6:
                    fields.Add((BadName, "1"u8.ToArray()));
                    break;
                case 7:
                    Set(fields, "propertyValue", Str(new string('v', 65_537)));
                    break;
                case 8:
                    Set(fields, new[] { "messageType", "changeFlag", "changeSource" }[random.Next(3)], Str(new string('t', 65)));
                    break;
                case 9:
                    var existing = Pick(fields, f => f.Name is "eventId" or "objectId" or "portalId" or "occurredAt");
                    fields.Add(existing);
                    break;
                case 10:
                    fields.RemoveAll(f => f.Name is "subscriptionType" or "eventType");
                    fields.Add(("subscriptionType", Str(random.NextDouble() < 0.5 ? "ticket property" : "ticket." + new string('p', 60))));
                    break;
                case 11:
                    fields.RemoveAll(f => f.Name is "subscriptionType" or "eventType" or "messageId");
                    fields.Add(("subscriptionType", Str("conversation.newMessage")));
                    break;
                case 12:
                    Set(fields, "attemptNumber", random.NextDouble() < 0.5 ? "1001"u8.ToArray() : "-1"u8.ToArray());
                    break;
                default:
                    Set(fields, "occurredAt", random.NextDouble() < 0.5 ? "253402300800000"u8.ToArray() : "\"soon\""u8.ToArray());
                    break;
            }
        }

        private byte[] MalformedBody()
        {
            var valid = Serialize(ValidEvent());
            return random.Next(8) switch
            {
                0 => ((byte[])[.. "["u8, .. valid, .. "]"u8])[..random.Next(0, valid.Length + 1)], // truncated: the array never closes
                1 => valid, // an object, not an array
                2 => [.. "["u8, .. valid, .. ","u8, .. (random.NextDouble() < 0.5 ? "42"u8 : "\"event\""u8), .. "]"u8],
                3 => [.. "[["u8, .. valid, .. "]]"u8],
                4 => Enumerable.Range(0, random.Next(1, 200)).Select(_ => (byte)random.Next(256)).Prepend((byte)'{').ToArray(),
                5 => [0xEF, 0xBB, 0xBF, .. "[]"u8],
                6 => Encoding.ASCII.GetBytes(new string('[', 200) + new string(']', 200)),
                _ => "null"u8.ToArray(),
            };
        }

        /// <summary>Stands for a field name whose bytes are not UTF-8.</summary>
        private const string BadName = "\u0001bad-name";

        private static byte[] Serialize(List<(string Name, byte[] Value)> fields)
        {
            var parts = fields.Select(f => (byte[])[.. (f.Name == BadName ? new byte[] { (byte)'"', 0xFF, (byte)'A', (byte)'"' } : Encoding.UTF8.GetBytes(Quote(f.Name))), (byte)':', .. f.Value]).ToList();
            return [(byte)'{', .. Join(parts, ","u8.ToArray()), (byte)'}'];
        }

        private static byte[] Join(List<byte[]> parts, byte[] separator) =>
            parts.SelectMany((p, i) => i == 0 ? p : [.. separator, .. p]).ToArray();

        private static string Quote(string text) => JsonSerializer.Serialize(text);

        private byte[] Id(long value) => random.NextDouble() < 0.2 ? Str(value.ToString(CultureInfo.InvariantCulture)) : Number(value);

        private static byte[] Number(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

        private static byte[] Str(string value) => Encoding.UTF8.GetBytes(Quote(value));

        private string Words() => string.Join(' ', Enumerable.Range(0, random.Next(1, 6)).Select(_ => Guid.NewGuid().ToString("N")[..random.Next(1, 10)]));

        private static void Set(List<(string Name, byte[] Value)> fields, string name, byte[] value)
        {
            fields.RemoveAll(f => f.Name == name);
            fields.Add((name, value));
        }

        private (string Name, byte[] Value) Pick(List<(string Name, byte[] Value)> fields, Func<(string Name, byte[] Value), bool>? where = null)
        {
            var candidates = fields.Where(where ?? (_ => true)).ToList();
            return candidates[random.Next(candidates.Count)];
        }

        private void Shuffle<T>(List<T> items)
        {
            for (var i = items.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }
}
