namespace Deskbridge.HubSpotSandbox.Auth;

public enum HubSpotAuthKind
{
    /// <summary>Authorization: Bearer pat-… (private app access token).</summary>
    PrivateAppToken,

    /// <summary>?hapikey= developer API key (webhooks v3 API).</summary>
    DeveloperApiKey,

    /// <summary>No credentials needed (token introspection).</summary>
    None,
}

/// <summary>Marks an endpoint as part of HubSpot's public API and says how callers authenticate.</summary>
public sealed record HubSpotApiMetadata(HubSpotAuthKind Auth);

/// <summary>Scope requirement: every group must be satisfied by at least one of its scopes.
/// Resolved per request because generic CRM routes depend on the object type in the path.</summary>
public sealed record RequiredScopesMetadata(Func<HttpContext, IReadOnlyList<IReadOnlyList<string>>> Resolve);

/// <summary>CRM search endpoints have their own per-second limit and carry no rate-limit headers.</summary>
public sealed record SearchEndpointMetadata;

public static class HubSpotApiEndpointExtensions
{
    public static TBuilder RequirePrivateAppToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HubSpotApiMetadata(HubSpotAuthKind.PrivateAppToken));

    public static TBuilder RequireDeveloperApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HubSpotApiMetadata(HubSpotAuthKind.DeveloperApiKey));

    public static TBuilder AllowWithoutCredentials<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HubSpotApiMetadata(HubSpotAuthKind.None));

    /// <summary>The caller needs one of <paramref name="anyOf"/>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] anyOf) where TBuilder : IEndpointConventionBuilder
    {
        IReadOnlyList<IReadOnlyList<string>> groups = [anyOf];
        return builder.WithMetadata(new RequiredScopesMetadata(_ => groups));
    }

    public static TBuilder RequireScopes<TBuilder>(this TBuilder builder, Func<HttpContext, IReadOnlyList<IReadOnlyList<string>>> resolve)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScopesMetadata(resolve));

    public static TBuilder IsSearchEndpoint<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SearchEndpointMetadata());
}
