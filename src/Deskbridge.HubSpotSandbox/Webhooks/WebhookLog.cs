namespace Deskbridge.HubSpotSandbox.Webhooks;

internal static partial class WebhookLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivered webhook batch {BatchId} ({EventCount} events, attempt {AttemptNumber}) with status {StatusCode}")]
    public static partial void Delivered(ILogger logger, string batchId, int eventCount, int attemptNumber, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook batch {BatchId} attempt {AttemptNumber} failed ({Reason}); retry at {RetryAt}")]
    public static partial void WillRetry(ILogger logger, string batchId, int attemptNumber, string reason, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook batch {BatchId} dropped after attempt {AttemptNumber} ({Reason})")]
    public static partial void GaveUp(ILogger logger, string batchId, int attemptNumber, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook batch {BatchId} dropped after attempt {AttemptNumber}: HubSpot does not retry {Reason}")]
    public static partial void NotRetried(ILogger logger, string batchId, int attemptNumber, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery loop failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception);
}
