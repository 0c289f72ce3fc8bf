namespace Deskbridge.HubSpotSandbox.Errors;

/// <summary>HubSpot's standard error body; every field is optional in HubSpot's own responses.</summary>
public sealed record HubSpotErrorBody
{
    public string Status { get; init; } = "error";
    public required string Message { get; init; }
    public string CorrelationId { get; init; } = Guid.NewGuid().ToString();
    public string? Category { get; init; }
    public string? SubCategory { get; init; }
    public IReadOnlyList<HubSpotErrorDetail>? Errors { get; init; }
    public IReadOnlyDictionary<string, string>? Links { get; init; }

    // Rate-limit bodies carry these instead of (besides) category.
    public string? ErrorType { get; init; }
    public string? PolicyName { get; init; }
    public string? RequestId { get; init; }
}

/// <summary>ErrorDetail: <see cref="In"/> names the field or parameter at fault.</summary>
public sealed record HubSpotErrorDetail(string Message, string? Code = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? Context = null, string? In = null);
