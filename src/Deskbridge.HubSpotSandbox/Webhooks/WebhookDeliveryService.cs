using System.Text;
using System.Text.Json;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Webhooks;

/// <summary>Delivers queued events the way HubSpot does: JSON array batches (≤100 events) POSTed to the app's target
/// URL, signed (v1 and v3), at most <c>maxConcurrentRequests</c> in flight, and retried on HubSpot's schedule
/// (<see cref="WebhookRetrySchedule"/>) after a connection failure, a timeout or any 4xx/5xx answer; attemptNumber
/// counts up from 0. Other answers (1xx, 3xx: redirects are not followed) fail the batch without a retry.</summary>
public sealed class WebhookDeliveryService(
    WebhookQueue queue,
    WebhookSettingsStore settings,
    DeliveryLog deliveries,
    IHttpClientFactory httpClients,
    SandboxOptions options,
    TimeProvider time,
    ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    public const string HttpClientName = "hubspot-webhooks";
    public const string UserAgent = "HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon-executor";
    private const int ResponseExcerptLength = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (batch, wait) = queue.TakeNext(settings.Current.MaxConcurrentRequests);
                if (batch is null)
                {
                    await queue.WaitAsync(wait, stoppingToken);
                    continue;
                }

                // Deliveries run concurrently (bounded by the queue's in-flight limit).
                _ = DeliverAsync(batch, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                WebhookLog.LoopFailed(logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(OutgoingBatch batch, CancellationToken stoppingToken)
    {
        try
        {
            await SendAsync(batch, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            WebhookLog.LoopFailed(logger, ex);
        }
        finally
        {
            queue.Completed();
        }
    }

    private async Task SendAsync(OutgoingBatch batch, CancellationToken stoppingToken)
    {
        var events = batch.Events.Select(e => e with { AttemptNumber = batch.AttemptNumber }).ToList();
        var body = JsonSerializer.Serialize(events, SandboxJson.Options);
        var started = time.GetUtcNow();
        var url = settings.Current.TargetUrl;
        int? status = null;
        string? excerpt = null;
        string? error = null;

        if (string.IsNullOrWhiteSpace(url))
        {
            // HubSpot only delivers to a configured target; without one the events are dropped.
            Record(batch, events, url, body, started, null, null, "No target URL configured; events dropped.", false, null);
            return;
        }

        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            timeout.CancelAfter(options.WebhookTimeout);
            try
            {
                using var request = BuildRequest(url, body);
                using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                excerpt = text.Length > ResponseExcerptLength ? text[..ResponseExcerptLength] : text;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                error = $"Timed out after {options.WebhookTimeout.TotalMilliseconds:0} ms";
                status = null;
            }
            catch (HttpRequestException ex)
            {
                error = "Connection failed: " + ex.Message;
            }
        }

        var succeeded = status is >= 200 and < 300;
        var reason = error ?? $"HTTP {status}";
        DateTimeOffset? retryAt = null;
        DateTimeOffset? firstFailedAt = null;
        if (succeeded)
        {
            WebhookLog.Delivered(logger, batch.BatchId, events.Count, batch.AttemptNumber, status!.Value);
        }
        else if (!IsRetried(status))
        {
            WebhookLog.NotRetried(logger, batch.BatchId, batch.AttemptNumber, reason);
        }
        else if (batch.AttemptNumber < options.WebhookMaxAttempts)
        {
            // Offsets count from the first failure, so a slow later attempt does not push the whole schedule back.
            firstFailedAt = batch.FirstFailedAt ?? time.GetUtcNow();
            var scheduled = firstFailedAt.Value + WebhookRetrySchedule.OffsetOf(batch.AttemptNumber + 1, options.WebhookRetryWindow, Random.Shared);
            retryAt = scheduled > time.GetUtcNow() ? scheduled : time.GetUtcNow();
            WebhookLog.WillRetry(logger, batch.BatchId, batch.AttemptNumber, reason, retryAt.Value);
        }
        else
        {
            WebhookLog.GaveUp(logger, batch.BatchId, batch.AttemptNumber, reason);
        }

        // Record before scheduling, so the log always shows an attempt before its retry.
        Record(batch, events, url, body, started, status, excerpt, error, succeeded, retryAt);
        if (retryAt is { } due)
        {
            queue.ScheduleRetry(batch with { AttemptNumber = batch.AttemptNumber + 1, DueAt = due, FirstFailedAt = firstFailedAt });
        }
    }

    /// <summary>
    /// HubSpot retries connection failures, timeouts and 4xx/5xx answers. Older HubSpot docs exempted 400, 401, 403, 404
    /// and 405; the sandbox retries them too, the reading that asks more of a receiver (it must cope with a refused batch
    /// coming back up to ten times). Null status: no answer (connection failure or timeout).
    /// </summary>
    public static bool IsRetried(int? status) => status is null or >= 400 and <= 599;

    private HttpRequestMessage BuildRequest(string url, string body)
    {
        var timestamp = HubSpotTime.EpochMillisString(time.GetUtcNow());
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };

        // The v3 signature covers the URL exactly as it goes on the wire (scheme, host, port unless default, path and
        // query as HttpClient escapes and normalises them; never a fragment), not the configured text.
        request.Headers.TryAddWithoutValidation("X-HubSpot-Signature-v3", WebhookSigner.SignatureV3(options.ClientSecret, "POST", SentUrl(request.RequestUri!), body, timestamp));
        request.Headers.TryAddWithoutValidation("X-HubSpot-Request-Timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("X-HubSpot-Signature", WebhookSigner.SignatureV1(options.ClientSecret, body));
        request.Headers.TryAddWithoutValidation("X-HubSpot-Signature-Version", "v1");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        return request;
    }

    /// <summary>The URL as HttpClient sends it: the Host header's authority and the request line's path and query.</summary>
    public static string SentUrl(Uri uri) => uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    private void Record(OutgoingBatch batch, IReadOnlyList<WebhookEvent> events, string? url, string body, DateTimeOffset started,
        int? status, string? excerpt, string? error, bool succeeded, DateTimeOffset? retryAt) =>
        deliveries.Add(id => new DeliveryAttempt(
            id, batch.BatchId, batch.AttemptNumber, url, events.Count, events, body,
            HubSpotTime.Iso(started), HubSpotTime.Iso(time.GetUtcNow()), status, excerpt, error, succeeded, HubSpotTime.Iso(retryAt)));
}
