namespace Deskbridge.HubSpot;

/// <summary>
/// What a HubSpot call came to. Callers branch on <see cref="HubSpotError.Kind"/>; nothing is swallowed —
/// a 403 carries the missing scopes by name.
/// </summary>
public readonly record struct HubSpotResult<T>(T? Value, HubSpotError? Error)
{
    public bool IsSuccess => Error is null;

    public static HubSpotResult<T> Ok(T value) => new(value, null);

    public static HubSpotResult<T> Fail(HubSpotError error) => new(default, error);

    public T GetValueOrThrow() => IsSuccess ? Value! : throw new HubSpotException(Error!);
}

public enum HubSpotErrorKind
{
    Unauthorized,
    MissingScopes,
    NotFound,
    Conflict,
    BadRequest,
    RateLimited,
    ServerError,
    Timeout,
    CircuitOpen,
    Network,
}

public sealed record HubSpotError(
    HubSpotErrorKind Kind,
    int? StatusCode,
    string Message,
    IReadOnlyList<string> MissingScopes,
    string? Category = null,
    string? ExistingObjectId = null)
{
    /// <summary>Faults of HubSpot's side or the network: worth trying again later.</summary>
    public bool IsTransient => Kind is HubSpotErrorKind.RateLimited or HubSpotErrorKind.ServerError
        or HubSpotErrorKind.Timeout or HubSpotErrorKind.CircuitOpen or HubSpotErrorKind.Network;

    public override string ToString() => Kind switch
    {
        HubSpotErrorKind.MissingScopes => $"HubSpot 403 MISSING_SCOPES: the token lacks {string.Join(", ", MissingScopes)}",
        _ when StatusCode is { } code => $"HubSpot {code} {Kind}: {Message}",
        _ => $"HubSpot {Kind}: {Message}",
    };
}

public sealed class HubSpotException(HubSpotError error) : Exception(error.ToString())
{
    public HubSpotError Error { get; } = error;
}
