using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests.Contracts;

/// <summary>Actors, inboxes, channels, channel accounts and owners, against the specs' schemas.</summary>
public sealed class DirectoryContractTests
{
    private const string Conversations = "conversations/v3/conversations";

    [Fact]
    public async Task Actor_get_answers_spec_actor_types()
    {
        await using var sandbox = await Sandbox.StartAsync();

        foreach (var actorId in new[] { $"A-{sandbox.Options.AiUserId}", "V-101", "E-someone@example.com", $"I-{sandbox.Options.AppId}", "S-hubspot" })
        {
            ConversationShapes.Actor(await sandbox.GetJsonAsync($"{Conversations}/actors/{actorId}", sandbox.Client));
        }

        Assert.Equal("INTEGRATOR", (await sandbox.GetJsonAsync($"{Conversations}/actors/I-{sandbox.Options.AppId}", sandbox.Client))["type"].Str());
    }

    [Fact]
    public async Task Actor_batch_read_answers_200_when_all_resolve_and_207_with_standard_errors_otherwise()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var all = await sandbox.Client.PostAsJsonAsync($"{Conversations}/actors/batch/read", new { inputs = new[] { "V-101", $"A-{sandbox.Options.HumanUserId}" } });
        var some = await sandbox.Client.PostAsJsonAsync($"{Conversations}/actors/batch/read", new { inputs = new[] { "V-101", "A-1" } });
        var numbers = await sandbox.Client.PostAsJsonAsync($"{Conversations}/actors/batch/read", new { inputs = new[] { 101 } });

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var batch = Expect.Fields(await all.Json(), "BatchResponsePublicActor",
            ("status", Json.Text), ("results", Json.Array), ("startedAt", Json.DateTime), ("completedAt", Json.DateTime));
        Expect.OneOf(batch["status"], "status", "CANCELED", "COMPLETE", "PENDING", "PROCESSING");
        Assert.All(batch["results"]!.AsArray(), ConversationShapes.Actor);
        Assert.Equal((HttpStatusCode)207, some.StatusCode);
        var partial = await some.Json();
        Assert.Single(partial["results"]!.AsArray());
        Expect.Is(partial["numErrors"], Json.WholeNumber, "numErrors");
        Expect.StandardError(partial["errors"]![0], "errors[0]");
        await Expect.InvalidAsync(numbers, "inputs[0]", "INVALID_TYPE");
    }

    [Theory]
    [InlineData("inboxes")]
    [InlineData("channels")]
    [InlineData("channel-accounts")]
    public async Task Inbox_lists_carry_a_total_and_page(string list)
    {
        await using var sandbox = await Sandbox.StartAsync();

        var all = await sandbox.GetJsonAsync($"{Conversations}/{list}", sandbox.Client);
        var first = await sandbox.GetJsonAsync($"{Conversations}/{list}?limit=1", sandbox.Client);

        Expect.Fields(all, list, ("results", Json.Array), ("total", Json.WholeNumber));
        Assert.Equal(all["results"]!.AsArray().Count, all["total"]!.GetValue<int>());
        Assert.Single(first["results"]!.AsArray());
        Assert.Equal(all["total"]!.GetValue<int>(), first["total"]!.GetValue<int>());
        Expect.Paging(first, list);
        if (all["total"]!.GetValue<int>() > 1)
        {
            Assert.NotNull(first["paging"]?["next"]?["after"]);
        }
    }

    [Fact]
    public async Task Inbox_channel_and_channel_account_items_have_their_spec_fields()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var inbox = await sandbox.GetJsonAsync($"{Conversations}/inboxes/1001", sandbox.Client);
        var channel = await sandbox.GetJsonAsync($"{Conversations}/channels/1002", sandbox.Client);
        var account = await sandbox.GetJsonAsync($"{Conversations}/channel-accounts/5002", sandbox.Client);
        var chatAccounts = await sandbox.GetJsonAsync($"{Conversations}/channel-accounts?channelId=1000", sandbox.Client);

        Expect.Fields(inbox, "PublicInbox", ("id", Json.Text), ("name", Json.Text), ("type", Json.Text), ("archived", Json.Boolean), ("createdAt", Json.DateTime), ("updatedAt", Json.DateTime));
        Expect.OneOf(inbox["type"], "inbox.type", "HELP_DESK", "INBOX");
        Expect.Fields(channel, "PublicChannel", ("id", Json.Text), ("name", Json.Text));
        Expect.Fields(account, "PublicChannelAccount", ("id", Json.Text), ("channelId", Json.Text), ("inboxId", Json.Text), ("name", Json.Text),
            ("active", Json.Boolean), ("authorized", Json.Boolean), ("archived", Json.Boolean), ("createdAt", Json.DateTime));
        ConversationShapes.DeliveryIdentifier(account["deliveryIdentifier"]);
        Assert.All(chatAccounts["results"]!.AsArray(), a => Assert.Equal("1000", a!["channelId"].Str()));
    }

    [Fact]
    public async Task Owner_list_and_get_answer_public_owners()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var list = await sandbox.GetJsonAsync("crm/v3/owners?limit=1", sandbox.Client);
        var byUser = await sandbox.GetJsonAsync($"crm/v3/owners/{sandbox.Options.AiUserId}?idProperty=userId", sandbox.Client);

        Assert.Null(list["total"]);
        Expect.Paging(list, "owners");
        foreach (var owner in Expect.Results(list, "owners").Append(byUser))
        {
            Expect.Fields(owner, "PublicOwner", ("id", Json.Text), ("type", Json.Text), ("archived", Json.Boolean), ("createdAt", Json.DateTime), ("updatedAt", Json.DateTime));
            Expect.OneOf(owner!["type"], "owner.type", "PERSON", "QUEUE");
            Expect.Optional(owner, "PublicOwner", ("email", Json.Text), ("firstName", Json.Text), ("lastName", Json.Text),
                ("userId", Json.WholeNumber), ("userIdIncludingInactive", Json.WholeNumber), ("teams", Json.Array));
            foreach (var team in owner["teams"]?.AsArray() ?? [])
            {
                Expect.Fields(team, "PublicTeam", ("id", Json.Text), ("name", Json.Text), ("primary", Json.Boolean));
            }
        }
    }

    [Fact]
    public async Task Owner_get_refuses_an_id_property_outside_the_enum_and_an_id_that_is_not_a_number()
    {
        await using var sandbox = await Sandbox.StartAsync();

        await Expect.InvalidAsync(await sandbox.Client.GetAsync("crm/v3/owners/601?idProperty=email"), "idProperty", "INVALID_ENUM");
        await Expect.InvalidAsync(await sandbox.Client.GetAsync("crm/v3/owners/abc"), "ownerId", "INVALID_TYPE");
        await Expect.ErrorAsync(await sandbox.Client.GetAsync("crm/v3/owners/999"), HttpStatusCode.NotFound, "OBJECT_NOT_FOUND");
    }

    [Fact]
    public async Task Owners_accept_either_scope_the_spec_lists()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var automation = sandbox.NewClient(await sandbox.CreateTokenAsync("automation"));
        using var neither = sandbox.NewClient(await sandbox.CreateTokenAsync("tickets"));

        Assert.Equal(HttpStatusCode.OK, (await automation.GetAsync("crm/v3/owners")).StatusCode);
        await Expect.ErrorAsync(await neither.GetAsync("crm/v3/owners"), HttpStatusCode.Forbidden, "MISSING_SCOPES");
    }
}
