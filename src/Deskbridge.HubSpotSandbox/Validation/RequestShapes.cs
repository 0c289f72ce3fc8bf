using static Deskbridge.HubSpotSandbox.Validation.JsonShape;

namespace Deskbridge.HubSpotSandbox.Validation;

/// <summary>
/// The request bodies of the public endpoints, as HubSpot's OpenAPI specs (Conversations v3, CRM objects v3,
/// Associations v4) type them: which fields are required, their JSON types and enums. Written by hand from the
/// specs' schemas (the specs themselves may not be copied); the schema each shape follows is named beside it.
/// </summary>
public static class RequestShapes
{
    private static readonly string[] DeliveryIdentifierTypes = ["CHANNEL_SPECIFIC_OPAQUE_ID", "HS_EMAIL_ADDRESS", "HS_PHONE_NUMBER", "HS_SHORT_CODE"];

    private static readonly string[] AssociationCategories = ["HUBSPOT_DEFINED", "INTEGRATOR_DEFINED", "USER_DEFINED", "WORK"];

    private static readonly string[] SearchOperators =
        ["BETWEEN", "CONTAINS_TOKEN", "EQ", "GT", "GTE", "HAS_PROPERTY", "IN", "LT", "LTE", "NEQ", "NOT_CONTAINS_TOKEN", "NOT_HAS_PROPERTY", "NOT_IN"];

    // PublicDeliveryIdentifier: type (enum) and value, both required.
    private static readonly ObjectShape DeliveryIdentifier = Fields(new Dictionary<string, JsonShape>
    {
        ["type"] = Enum(DeliveryIdentifierTypes),
        ["value"] = Text,
    }, "type", "value");

    // PublicRecipientEgg: deliveryIdentifiers required.
    private static readonly ObjectShape RecipientEgg = Fields(new Dictionary<string, JsonShape>
    {
        ["actorId"] = Text,
        ["name"] = Text,
        ["recipientField"] = Text,
        ["deliveryIdentifier"] = DeliveryIdentifier,
        ["deliveryIdentifiers"] = ArrayOf(DeliveryIdentifier),
    }, "deliveryIdentifiers");

    // Attachment eggs: PublicFileEgg, PublicQuickRepliesEgg, PublicSocialMediaEgg, told apart by type.
    private static readonly JsonShape AttachmentEgg = OneOf("type", new Dictionary<string, ObjectShape>
    {
        ["FILE"] = Fields(new Dictionary<string, JsonShape> { ["fileId"] = Text }, "fileId", "type"),
        ["QUICK_REPLIES"] = Fields(new Dictionary<string, JsonShape>
        {
            ["quickReplies"] = ArrayOf(Fields(new Dictionary<string, JsonShape>
            {
                ["label"] = Text,
                ["value"] = Text,
                ["valueType"] = Enum("TEXT", "URL"),
            }, "value", "valueType")),
        }, "quickReplies", "type"),
        ["SOCIAL_MEDIA_METADATA"] = Fields(new Dictionary<string, JsonShape>
        {
            ["socialMetadata"] = Fields(new Dictionary<string, JsonShape>
            {
                ["mediaType"] = Enum("ARTICLE", "AUDIO", "CAROUSEL", "DOCUMENT", "GIF", "LINK", "NONE", "PHOTO", "POLL", "STORY", "VIDEO"),
            }, "mediaType"),
        }, "socialMetadata", "type"),
    });

    /// <summary>PublicMessageEgg: a PublicConversationsMessageEgg (MESSAGE) or a PublicCommentEgg (COMMENT).</summary>
    public static readonly JsonShape MessageEgg = OneOf("type", new Dictionary<string, ObjectShape>
    {
        ["MESSAGE"] = Fields(new Dictionary<string, JsonShape>
        {
            ["text"] = Text,
            ["richText"] = Text,
            ["subject"] = Text,
            ["senderActorId"] = Text,
            ["channelId"] = Text,
            ["channelAccountId"] = Text,
            ["recipients"] = ArrayOf(RecipientEgg),
            ["attachments"] = ArrayOf(AttachmentEgg),
        }, "attachments", "channelAccountId", "channelId", "recipients", "senderActorId", "text", "type"),
        ["COMMENT"] = Fields(new Dictionary<string, JsonShape>
        {
            ["text"] = Text,
            ["richText"] = Text,
            ["attachments"] = ArrayOf(AttachmentEgg),
        }, "attachments", "text", "type"),
    });

    /// <summary>PublicThreadUpdateRequest.</summary>
    public static readonly JsonShape ThreadUpdate = Fields(new Dictionary<string, JsonShape>
    {
        ["status"] = Enum("CLOSED", "OPEN"),
        ["archived"] = Flag,
    });

    /// <summary>PublicThreadAssignRequest.</summary>
    public static readonly JsonShape ThreadAssign = Fields(new Dictionary<string, JsonShape> { ["actorId"] = Text }, "actorId");

    /// <summary>BatchInputString (actors batch read).</summary>
    public static readonly JsonShape BatchInputString = Fields(new Dictionary<string, JsonShape> { ["inputs"] = ArrayOf(Text) }, "inputs");

    // AssociationSpec: category (enum) and type id (int32), both required.
    private static readonly ObjectShape AssociationSpec = Fields(new Dictionary<string, JsonShape>
    {
        ["associationCategory"] = Enum(AssociationCategories),
        ["associationTypeId"] = WholeNumber,
    }, "associationCategory", "associationTypeId");

    /// <summary>SimplePublicObjectInputForCreate: properties and associations are both required; property values are strings.</summary>
    public static readonly JsonShape ObjectCreate = Fields(new Dictionary<string, JsonShape>
    {
        ["properties"] = MapOf(Text),
        ["associations"] = ArrayOf(Fields(new Dictionary<string, JsonShape>
        {
            ["to"] = Fields(new Dictionary<string, JsonShape> { ["id"] = Text }, "id"),
            ["types"] = ArrayOf(AssociationSpec),
        }, "to", "types")),
    }, "associations", "properties");

    /// <summary>SimplePublicObjectInput (PATCH).</summary>
    public static readonly JsonShape ObjectUpdate = Fields(new Dictionary<string, JsonShape> { ["properties"] = MapOf(Text) }, "properties");

    /// <summary>PublicObjectSearchRequest: after, filterGroups, limit, properties and sorts are all required; sorts are strings.</summary>
    public static readonly JsonShape Search = Fields(new Dictionary<string, JsonShape>
    {
        ["after"] = Text,
        ["limit"] = WholeNumber,
        ["query"] = Text,
        ["properties"] = ArrayOf(Text),
        ["sorts"] = ArrayOf(Text),
        ["filterGroups"] = ArrayOf(Fields(new Dictionary<string, JsonShape>
        {
            ["filters"] = ArrayOf(Fields(new Dictionary<string, JsonShape>
            {
                ["propertyName"] = Text,
                ["operator"] = Enum(SearchOperators),
                ["value"] = Text,
                ["values"] = ArrayOf(Text),
                ["highValue"] = Text,
            }, "operator", "propertyName")),
        }, "filters")),
    }, "after", "filterGroups", "limit", "properties", "sorts");

    /// <summary>BatchReadInputSimplePublicObjectId: inputs, properties and propertiesWithHistory are required.</summary>
    public static readonly JsonShape BatchRead = Fields(new Dictionary<string, JsonShape>
    {
        ["inputs"] = ArrayOf(Fields(new Dictionary<string, JsonShape> { ["id"] = Text }, "id")),
        ["properties"] = ArrayOf(Text),
        ["propertiesWithHistory"] = ArrayOf(Text),
        ["idProperty"] = Text,
    }, "inputs", "properties", "propertiesWithHistory");

    /// <summary>v4 PUT (labelled association): an array of AssociationSpec.</summary>
    public static readonly JsonShape AssociationSpecs = ArrayOf(AssociationSpec);

    /// <summary>Token introspection: no published schema; HubSpot's guide sends {"tokenKey": "..."}.</summary>
    public static readonly JsonShape TokenInfo = Fields(new Dictionary<string, JsonShape> { ["tokenKey"] = Text }, "tokenKey");
}
