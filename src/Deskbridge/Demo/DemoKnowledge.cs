using Deskbridge.Agent.Knowledge;
using Deskbridge.Knowledge;
using Deskbridge.Organizations;

namespace Deskbridge.Demo;

/// <summary>
/// The demo organization's seed data: the shipped demo articles (Deskbridge.Agent/KnowledgeBase/demo, copied to
/// <c>knowledge/demo</c> beside the binary) become its articles in the database on the demo's first start, so the
/// dashboard can show, edit and delete them. Later starts leave the organization's knowledge as its people left it.
/// </summary>
public static partial class DemoKnowledge
{
    public const string SeededBy = "demo seed";

    public static string Folder => Path.Combine(KnowledgeBaseCatalog.DefaultRoot, DemoSetup.DemoSlug);

    public static async Task SeedAsync(IServiceProvider services, Organization organization, ILogger logger, CancellationToken ct)
    {
        var store = services.GetRequiredService<KnowledgeStore>();
        if (await store.EnsureManagedAsync(organization, SeededBy, ct, Folder))
        {
            LogSeeded(logger, (await store.ListAsync(organization.Id, null, ct)).Count, Folder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo knowledge seeded: {Count} article(s) from {Folder}; edit them on the dashboard's Knowledge page")]
    private static partial void LogSeeded(ILogger logger, int count, string folder);
}
