using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge;

namespace Deskbridge.Llm.Tests;

/// <summary>A small knowledge base written to a temp folder: key "shop" with a returns and a shipping article.</summary>
public sealed class TestKnowledge : IDisposable
{
    public const string Key = "shop";
    public const string ReturnsFact = "You can return any item within 30 days of delivery for a full refund.";
    public const string ShippingFact = "Standard delivery takes 3 to 5 working days and costs 4.95 euros.";

    public TestKnowledge()
    {
        Root = Path.Combine(Path.GetTempPath(), "deskbridge-llm-tests-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(Root, Key);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "returns-and-refunds.md"), $"# Returns and refunds\n\n{ReturnsFact}\n\n## How to send an item back\n\nPrint the return label from your account and drop the parcel at any post office.\n");
        File.WriteAllText(Path.Combine(folder, "shipping.md"), $"# Shipping times and costs\n\n{ShippingFact}\n\nExpress delivery arrives the next working day.\n");
        Catalog = new KnowledgeBaseCatalog(Root);
    }

    public string Root { get; }

    public KnowledgeBaseCatalog Catalog { get; }

    public static AgentRequest Ask(params string[] customerMessages) =>
        new(Key, [.. customerMessages.Select((m, i) => new TranscriptEntry(Speaker.Customer, m, DateTimeOffset.Parse("2025-03-01T10:00:00Z").AddMinutes(i)))], new Dictionary<string, string>());

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
