using Deskbridge.HubSpotSandbox.Crm;

namespace Deskbridge.HubSpotSandbox;

/// <summary>The demo portal: fixed ids so tests and docs can refer to them.</summary>
public static class SeedData
{
    public const string AiOwnerId = "601";
    public const string HumanOwnerId = "602";
    public const string InboxId = "1001";
    public const string ChatChannelAccountId = "5001";
    public const string EmailChannelAccountId = "5002";
    public const string SupportEmailAddress = "support@demo-shop.example";

    public const string AdaContactId = "101";
    public const string GraceContactId = "102";
    public const string AlanContactId = "103";
    public const string NorthwindCompanyId = "201";
    public const string ContosoCompanyId = "202";
    public const string NorthwindDealId = "301";
    public const string ContosoDealId = "302";
    public const string RefundTicketId = "401";
    public const string LoginTicketId = "402";

    private static readonly IReadOnlyList<OwnerTeam> SupportTeam = [new("301", "Customer Support", true)];

    public static IReadOnlyList<Owner> Owners(SandboxOptions options) =>
    [
        new(AiOwnerId, "ai@demo-shop.example", "Deskbridge", "AI", options.AiUserId, SupportTeam),
        new(HumanOwnerId, "hannah@demo-shop.example", "Hannah", "Human", options.HumanUserId, SupportTeam),
    ];
}

/// <summary>When the sandbox was seeded (owners report it as createdAt).</summary>
public sealed class SeedClock(TimeProvider time)
{
    public DateTimeOffset SeededAt { get; } = time.GetUtcNow();
}
