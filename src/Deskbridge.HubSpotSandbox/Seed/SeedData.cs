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

    public static IReadOnlyList<Owner> Owners(SandboxOptions options)
    {
        IReadOnlyList<OwnerTeam> supportTeam = [new(Id(options, "301"), "Customer Support", true)];
        var domain = options.SupportEmailAddress[(options.SupportEmailAddress.IndexOf('@') + 1)..];
        return
        [
            new(Id(options, AiOwnerId), $"ai@{domain}", "Deskbridge", "AI", options.AiUserId, supportTeam),
            new(Id(options, HumanOwnerId), $"hannah@{domain}", "Hannah", "Human", options.HumanUserId, supportTeam),
        ];
    }

    /// <summary>A seeded id in this portal's range (<see cref="SandboxOptions.IdOffset"/>); the default portal's ids stay as documented.</summary>
    public static string Id(SandboxOptions options, string id) => options.IdOffset == 0
        ? id
        : (long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) + options.IdOffset).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>When the sandbox was seeded (owners report it as createdAt).</summary>
public sealed class SeedClock(TimeProvider time)
{
    public DateTimeOffset SeededAt { get; } = time.GetUtcNow();
}
