using System.Net;
using System.Net.Http.Json;
using System.Text;
using Deskbridge.Testing;
using Microsoft.Data.Sqlite;

using static Deskbridge.Testing.DeskbridgeApi;

namespace Deskbridge.Tests.Webhooks;

/// <summary>W1–W5 at the door: what is accepted, what is refused, and that refused batches leave nothing behind.</summary>
public sealed class WebhookIngressTests : IAsyncLifetime
{
    private DeskbridgeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Webhooks:PreviousUrlGracePeriod"] = "00:00:01.5",
        ["Storage:BusyTimeoutMilliseconds"] = "300",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Accepts_a_batch_and_records_every_event_in_the_inbox()
    {
        var org = await _host.CreateOrganizationAsync();
        var response = await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("101", "m-1", 1), NewMessageEvent("101", "m-2", 2))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await _host.EventsAsync(org.Id);
        Assert.Equal(["101-m-1", "101-m-2"], events.Select(e => e.DedupKey).Order());
    }

    [Fact]
    public async Task Tampered_webhook_url_gets_401_and_stores_nothing()
    {
        var org = await _host.CreateOrganizationAsync();
        var tampered = org.WebhookUrl[..^3] + (org.WebhookUrl.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA");

        var response = await _host.Http.PostAsync(tampered, Json(Batch(NewMessageEvent("101", "m-1", 1))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemBody>();
        Assert.Equal("Unknown webhook URL", problem!.Title);
        Assert.Empty(await _host.EventsAsync(org.Id));
    }

    [Fact]
    public async Task Url_of_another_organization_signature_is_rejected()
    {
        var first = await _host.CreateOrganizationAsync();
        var second = await _host.CreateOrganizationAsync();
        var token = first.WebhookUrl.Split('/')[^1];
        var forged = $"webhooks/hubspot/{second.Id:N}/{token}";

        var response = await _host.Http.PostAsync(forged, Json(Batch(NewMessageEvent("101", "m-1", 1))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await _host.EventsAsync(second.Id));
    }

    [Fact]
    public async Task Rotated_url_keeps_working_for_the_grace_period_then_gets_401()
    {
        var org = await _host.CreateOrganizationAsync();
        var rotated = await (await _host.Http.PostAsync($"api/organizations/{org.Id}/webhook-url/rotate", null)).Content.ReadFromJsonAsync<Organization>(DeskbridgeTestHost.Json);
        Assert.NotEqual(org.WebhookUrl, rotated!.WebhookUrl);

        Assert.Equal(HttpStatusCode.OK, (await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("101", "m-1", 1))))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.PostAsync(rotated.WebhookUrl, Json(Batch(NewMessageEvent("101", "m-2", 2))))).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(1.7));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("101", "m-3", 3))))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.PostAsync(rotated.WebhookUrl, Json(Batch(NewMessageEvent("101", "m-4", 4))))).StatusCode);
        Assert.Equal(["101-m-1", "101-m-2", "101-m-4"], (await _host.EventsAsync(org.Id)).Select(e => e.DedupKey).Order());
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("{\"subscriptionType\":\"conversation.newMessage\",\"objectId\":1}", "must be a JSON array")]
    [InlineData("[[{\"subscriptionType\":\"conversation.newMessage\",\"objectId\":1}]]", "must be a JSON object")]
    [InlineData("[null]", "must be a JSON object")]
    [InlineData("\"[]\"", "must be a JSON array")]
    [InlineData("", "not valid JSON")]
    [InlineData("[{\"subscriptionType\":\"conversation.newMessage\",\"objectId\":1}, 42]", "must be a JSON object")]
    public async Task Malformed_body_gets_400_with_a_reason_and_stores_nothing(string body, string reason)
    {
        var org = await _host.CreateOrganizationAsync();

        var response = await _host.Http.PostAsync(org.WebhookUrl, Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemBody>();
        Assert.Contains(reason, problem!.Detail, StringComparison.Ordinal);
        Assert.Empty(await _host.EventsAsync(org.Id));
    }

    [Fact]
    public async Task Oversized_body_gets_400_and_stores_nothing()
    {
        var org = await _host.CreateOrganizationAsync();
        var huge = Batch(Enumerable.Range(0, 6000).Select(i => NewMessageEvent("101", $"message-{i}-{new string('x', 200)}", i)).ToArray());

        var response = await _host.Http.PostAsync(org.WebhookUrl, Json(huge));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("exceeds", (await response.Content.ReadFromJsonAsync<ProblemBody>())!.Detail, StringComparison.Ordinal);
        Assert.Empty(await _host.EventsAsync(org.Id));
    }

    [Fact]
    public async Task Same_event_in_a_later_batch_or_a_hubspot_retry_is_recorded_as_duplicate()
    {
        var org = await _host.CreateOrganizationAsync();
        await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("202", "m-1", 10))));
        await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("202", "m-1", 10, attemptNumber: 1), NewMessageEvent("202", "m-2", 11))));
        await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("202", "m-1", 99))));

        var events = await _host.EventsAsync(org.Id);
        var duplicates = events.Where(e => e.Fate == "Duplicate").ToList();
        Assert.Equal(2, duplicates.Count);
        Assert.All(duplicates, d => Assert.Equal("202-m-1", d.DedupKey));
        Assert.Contains(duplicates, d => d.AttemptNumber == 1);
        Assert.Single(events, e => e.DedupKey == "202-m-1" && e.Fate != "Duplicate");
    }

    [Fact]
    public async Task Duplicate_within_one_batch_is_recorded_once_as_duplicate()
    {
        var org = await _host.CreateOrganizationAsync();
        await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("303", "m-1", 1), NewMessageEvent("303", "m-1", 1))));

        var events = await _host.EventsAsync(org.Id);
        Assert.Equal(2, events.Count);
        Assert.Single(events, e => e.Fate == "Duplicate");
    }

    [Fact]
    public async Task Event_types_other_than_the_three_are_recorded_as_ignored()
    {
        var org = await _host.CreateOrganizationAsync();
        var body = Batch(
            new { eventId = 1, portalId = 24681357, occurredAt = 1_700_000_000_000, subscriptionType = "contact.propertyChange", objectId = 55, propertyName = "email", propertyValue = "a@b.c", attemptNumber = 0 },
            new { eventId = 2, portalId = 24681357, occurredAt = 1_700_000_000_000, subscriptionType = "conversation.deletion", objectId = 56, attemptNumber = 0 });

        Assert.Equal(HttpStatusCode.OK, (await _host.Http.PostAsync(org.WebhookUrl, Json(body))).StatusCode);

        var events = await _host.EventsAsync(org.Id);
        Assert.Equal(2, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("Ignored", e.Fate);
            Assert.Contains("not acted on", e.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Events_of_an_organization_without_credentials_are_recorded_as_disconnected()
    {
        var org = await _host.CreateOrganizationAsync();
        await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("404", "m-1", 1))));

        var events = await Eventually.UntilAsync(() => _host.EventsAsync(org.Id), e => e.All(x => x.Status == "Done"), what: "the event's fate");
        Assert.Equal("Skipped", events.Single().Fate);
        Assert.Contains("disconnected", events.Single().Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Storage_failure_answers_503_so_hubspot_retries()
    {
        var org = await _host.CreateOrganizationAsync();
        await using (var blocker = new SqliteConnection($"Data Source={Path.Combine(_host.DataDirectory, "deskbridge.db")}"))
        {
            await blocker.OpenAsync();
            await using var command = blocker.CreateCommand();
            // Another writer holds the database longer than Deskbridge waits for it.
            command.CommandText = "BEGIN EXCLUSIVE; INSERT INTO ServerSecrets (Name, Value) VALUES ('blocker', 'x');";
            await command.ExecuteNonQueryAsync();

            var response = await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("505", "m-1", 1))));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            command.CommandText = "ROLLBACK;";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Empty(await _host.EventsAsync(org.Id));
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("505", "m-1", 1))))).StatusCode);
    }

    [Fact]
    public async Task A_503_for_a_locked_database_means_the_events_were_not_stored_even_when_the_lock_ends_right_after()
    {
        // The writer is still waiting for the lock (busy timeout 4 s) when the request gives up (0.5 s) and answers 503.
        await using var patient = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Storage:BusyTimeoutMilliseconds"] = "4000",
            ["Storage:IngressWriteTimeout"] = "00:00:00.5",
        });
        var org = await patient.CreateOrganizationAsync();
        await using (var blocker = new SqliteConnection($"Data Source={Path.Combine(patient.DataDirectory, "deskbridge.db")}"))
        {
            await blocker.OpenAsync();
            await using var command = blocker.CreateCommand();
            command.CommandText = "BEGIN EXCLUSIVE; INSERT INTO ServerSecrets (Name, Value) VALUES ('blocker', 'x');";
            await command.ExecuteNonQueryAsync();

            var response = await patient.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("606", "m-1", 1))));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            command.CommandText = "ROLLBACK;";
            await command.ExecuteNonQueryAsync();
        }

        // The waiting writer now gets the lock; the events its caller gave up on must not be written behind the 503.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await patient.EventsAsync(org.Id));
        Assert.Equal(HttpStatusCode.OK, (await patient.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("606", "m-1", 1))))).StatusCode);
        Assert.Equal(["606-m-1"], (await patient.EventsAsync(org.Id)).Select(e => e.DedupKey));
    }

    private sealed record ProblemBody(string? Title, string? Detail, int? Status);
}
