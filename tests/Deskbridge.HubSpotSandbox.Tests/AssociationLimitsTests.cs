using System.Net;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

/// <summary>Only association types HubSpot defines: none links a ticket to a conversation thread through the CRM APIs.</summary>
public sealed class AssociationLimitsTests
{
    [Fact]
    public async Task Ticket_to_conversation_associations_are_refused_on_public_paths_and_the_thread_still_shows_its_ticket()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var chat = await sandbox.CustomerStartsChatAsync();
        var (threadId, ticketId) = (chat["threadId"].Str(), chat["ticketId"].Str());

        var create = await sandbox.Client.PostAsync("crm/v3/objects/tickets", HttpJson.Body(new
        {
            properties = new { subject = "x", hs_pipeline_stage = "1" },
            associations = new[] { new { to = new { id = threadId }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 32 } } } },
        }));
        var v4 = await sandbox.Client.PutAsync($"crm/v4/objects/tickets/{ticketId}/associations/default/conversations/{threadId}", null);
        var thread = await sandbox.GetJsonAsync($"conversations/v3/conversations/threads/{threadId}?association=TICKET", sandbox.Client);

        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, v4.StatusCode);
        Assert.Equal(ticketId, thread["threadAssociations"]!["associatedTicketId"].Str());
    }
}
