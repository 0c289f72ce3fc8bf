namespace Deskbridge.Accounts;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The operator key: sent as X-Api-Key, it reaches every organization (scripts run by whoever runs the service, tests).</summary>
    public string? ApiKey { get; set; }

    /// <summary>With BootstrapPassword: a person created at start-up who owns every organization without an owner.</summary>
    public string? BootstrapEmail { get; set; }

    public string? BootstrapPassword { get; set; }
}
