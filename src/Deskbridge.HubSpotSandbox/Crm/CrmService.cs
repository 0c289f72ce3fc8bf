using System.Globalization;
using Deskbridge.HubSpotSandbox.Conversations;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.Crm;

public sealed record CrmWriteResult(CrmRecord? Record, IResult? Error, IReadOnlyList<PropertyChange> Changes)
{
    public static CrmWriteResult Failed(IResult error) => new(null, error, []);
}

/// <summary>CRM writes with HubSpot's rules (validation, unique contact email, associations) and the
/// webhook events they cause. Used by the public API and by simulations.</summary>
public sealed class CrmService(
    CrmStore store,
    AssociationStore associations,
    CrmValidator validator,
    ConversationStore conversations,
    WebhookPublisher publisher)
{
    public CrmWriteResult Create(string objectType, IReadOnlyDictionary<string, string?> properties, IReadOnlyList<AssociationInput>? associationInputs, string changeSource)
    {
        var failures = validator.Validate(objectType, properties, isCreate: true);
        if (failures.Count > 0)
        {
            return CrmWriteResult.Failed(HubSpotErrors.PropertyValidation(failures));
        }

        if (DuplicateEmail(objectType, properties, exceptId: null) is { } conflict)
        {
            return CrmWriteResult.Failed(conflict);
        }

        var links = new List<(string ToType, string ToId, AssociationType Type)>();
        foreach (var input in associationInputs ?? [])
        {
            foreach (var spec in input.Types ?? [])
            {
                var type = AssociationTypes.FindFrom(objectType, spec.AssociationTypeId);
                if (type is null)
                {
                    return CrmWriteResult.Failed(HubSpotErrors.Validation(
                        $"{spec.AssociationTypeId} is not a valid association type id from {CrmObjectTypes.Singular(objectType).ToUpperInvariant()}"));
                }

                var toId = input.To?.Id;
                if (toId is null || !Exists(type.To, toId))
                {
                    return CrmWriteResult.Failed(HubSpotErrors.Validation(
                        $"Association target {CrmObjectTypes.Singular(type.To).ToUpperInvariant()} {toId} was not found"));
                }

                links.Add((type.To, toId, type));
            }
        }

        var values = properties.Where(p => !string.IsNullOrEmpty(p.Value)).ToDictionary(p => p.Key, p => p.Value);
        if (objectType == CrmObjectTypes.Tickets)
        {
            values.TryAdd("hs_pipeline", "0");
        }

        var record = store.Create(objectType, values);
        foreach (var (toType, toId, type) in links)
        {
            associations.Associate(objectType, record.Id, toType, toId, type);
        }

        publisher.Publish(new WebhookEventDraft($"{CrmObjectTypes.Singular(objectType)}.creation", ObjectId(record.Id), changeSource, ChangeFlag: "CREATED"));
        return new CrmWriteResult(record, null, []);
    }

    public CrmWriteResult Update(string objectType, string id, IReadOnlyDictionary<string, string?> properties, string changeSource, string? sourceId = null)
    {
        if (store.Find(objectType, id) is null)
        {
            return CrmWriteResult.Failed(HubSpotErrors.NotFound("resource not found"));
        }

        var failures = validator.Validate(objectType, properties, isCreate: false);
        if (failures.Count > 0)
        {
            return CrmWriteResult.Failed(HubSpotErrors.PropertyValidation(failures));
        }

        if (DuplicateEmail(objectType, properties, exceptId: id) is { } conflict)
        {
            return CrmWriteResult.Failed(conflict);
        }

        var updated = store.Update(objectType, id, properties);
        if (updated is null)
        {
            return CrmWriteResult.Failed(HubSpotErrors.NotFound("resource not found"));
        }

        var (record, changes) = updated.Value;
        var subscriptionType = $"{CrmObjectTypes.Singular(objectType)}.propertyChange";
        publisher.Publish([.. changes.Select(c => new WebhookEventDraft(subscriptionType, ObjectId(id), changeSource, c.Name, c.Value ?? "", SourceId: sourceId))]);
        return new CrmWriteResult(record, null, changes);
    }

    public bool Archive(string objectType, string id, string changeSource)
    {
        if (!store.Archive(objectType, id))
        {
            return false;
        }

        publisher.Publish(new WebhookEventDraft($"{CrmObjectTypes.Singular(objectType)}.deletion", ObjectId(id), changeSource));
        return true;
    }

    public bool Exists(string objectType, string id) =>
        objectType == CrmObjectTypes.Conversations ? conversations.Exists(id) : store.Find(objectType, id) is not null;

    public static long ObjectId(string id) => long.Parse(id, CultureInfo.InvariantCulture);

    private IResult? DuplicateEmail(string objectType, IReadOnlyDictionary<string, string?> properties, string? exceptId)
    {
        if (objectType != CrmObjectTypes.Contacts || properties.GetValueOrDefault("email") is not { Length: > 0 } email)
        {
            return null;
        }

        var existing = store.FindByProperty(CrmObjectTypes.Contacts, "email", email);
        return existing is not null && existing.Id != exceptId
            ? HubSpotErrors.Conflict($"Contact already exists. Existing ID: {existing.Id}")
            : null;
    }
}
