using System.Collections.Frozen;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Knowledge;

/// <summary>
/// Every organization's knowledge revision, read from the database in one query every
/// <see cref="KnowledgeOptions.RecheckInterval"/> in the background, so that the agent's lookups
/// (<see cref="DatabaseKnowledgeSource.Version"/>, on every customer message) read memory and never wait on the database.
/// Changes made by this instance are noted at once; another instance's within one interval.
/// </summary>
public sealed partial class KnowledgeRevisionWatcher(IServiceScopeFactory scopes, IOptions<KnowledgeOptions> options, ILogger<KnowledgeRevisionWatcher> logger)
    : BackgroundService
{
    public readonly record struct Managed(Guid OrganizationId, long Revision);

    private readonly Lock _gate = new();
    private FrozenDictionary<string, Managed> _bySlug = FrozenDictionary<string, Managed>.Empty;

    /// <summary>The organization's revision when its knowledge lives in the database; null while it reads its folder.</summary>
    public Managed? Revision(string slug) => _bySlug.TryGetValue(slug, out var managed) ? managed : null;

    /// <summary>A change this instance committed: live here without waiting for the next read.</summary>
    public void Note(string slug, Guid organizationId, long revision)
    {
        lock (_gate)
        {
            if (_bySlug.TryGetValue(slug, out var known) && known.Revision >= revision)
            {
                return;
            }
            var next = new Dictionary<string, Managed>(_bySlug, StringComparer.Ordinal) { [slug] = new Managed(organizationId, revision) };
            _bySlug = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first read before the service takes messages, so no lookup sees "no revisions" for a moment.
        await RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RefreshAsync(stoppingToken);
        }
    }

    public async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            var rows = await (from r in db.KnowledgeRevisions.AsNoTracking()
                              join o in db.Organizations.AsNoTracking() on r.OrganizationId equals o.Id
                              select new { o.Slug, r.OrganizationId, r.Revision }).ToListAsync(ct);
            lock (_gate)
            {
                // A revision noted here a moment ago may be newer than what this read saw: keep the higher one.
                _bySlug = rows.ToFrozenDictionary(r => r.Slug, r => new Managed(r.OrganizationId,
                    _bySlug.TryGetValue(r.Slug, out var known) ? Math.Max(known.Revision, r.Revision) : r.Revision), StringComparer.Ordinal);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRefreshFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the knowledge revisions (the agent keeps the indexes it has until the next try): {Problem}")]
    private static partial void LogRefreshFailed(ILogger logger, string problem);
}
