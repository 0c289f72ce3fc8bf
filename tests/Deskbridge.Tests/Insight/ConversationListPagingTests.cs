using Deskbridge.Sessions;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Insight;

/// <summary>
/// I1: the list's keyset paging through the API on both providers: every conversation exactly once, newest activity
/// first, ties on the time broken by id the same way both directions, another organization's never shown.
/// </summary>
public sealed class ConversationListPagingTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Pages_forward_and_back_through_every_conversation_once_in_activity_order(StorageProvider provider)
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: TestStorage.With(provider));
        var organization = await host.CreateOrganizationAsync("Paging Shop");
        var other = await host.CreateOrganizationAsync("Other Shop");
        // 23 conversations on 8 distinct times (three share each), so most page edges fall inside a tie.
        var mine = await SeedAsync(host, organization.Id, 23);
        await SeedAsync(host, other.Id, 5);

        var forward = new List<ConversationFactsTests.ConversationListView>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(host, organization.Id, cursor);
            forward.Add(page);
            cursor = page.Next;
            Assert.Equal(forward.Count > 1, page.Previous is not null);
        }
        while (cursor is not null);

        var seen = forward.SelectMany(p => p.Conversations).ToList();
        Assert.Equal([7, 7, 7, 2], forward.Select(p => p.Conversations.Count));
        Assert.Equal(mine.Select(s => s.Id).Order(), seen.Select(c => c.Id).Order());
        Assert.Equal(seen.Select(c => c.LastActivityAt).OrderDescending(), seen.Select(c => c.LastActivityAt));

        // Back from the last page: the same pages, in the same order within each, until the first has no previous.
        var back = forward[^1];
        for (var index = forward.Count - 2; index >= 0; index--)
        {
            back = await ListAsync(host, organization.Id, back.Previous);
            Assert.Equal(forward[index].Conversations.Select(c => c.Id), back.Conversations.Select(c => c.Id));
            Assert.NotNull(back.Next);
        }
        Assert.Null(back.Previous);
    }

    private static async Task<ConversationFactsTests.ConversationListView> ListAsync(DeskbridgeTestHost host, Guid organizationId, string? cursor)
    {
        var page = await host.GetJsonAsync<ConversationFactsTests.ConversationListView>(
            $"api/organizations/{organizationId}/conversations?limit=7{(cursor is null ? "" : $"&cursor={cursor}")}");
        return page;
    }

    private static async Task<List<Session>> SeedAsync(DeskbridgeTestHost host, Guid organizationId, int count)
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var sessions = Enumerable.Range(0, count).Select(i => new Session
        {
            OrganizationId = organizationId,
            ThreadId = $"paging-{organizationId:N}-{i}",
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(start),
            FirstCustomerMessageAt = start,
            CustomerMessages = 1,
            LastActivityAt = start + i / 3 * 60_000,
        }).ToList();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        db.Sessions.AddRange(sessions);
        await db.SaveChangesAsync();
        return sessions;
    }
}
