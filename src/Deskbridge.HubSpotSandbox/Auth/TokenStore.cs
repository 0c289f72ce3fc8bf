namespace Deskbridge.HubSpotSandbox.Auth;

/// <summary>Private-app access tokens of the portal. The demo token is seeded; tests add tokens with chosen scopes.</summary>
public sealed class TokenStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AccessToken> _tokens = new(StringComparer.Ordinal);
    private readonly SandboxOptions _options;
    private readonly TimeProvider _time;

    public TokenStore(SandboxOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        Reset();
    }

    public void Reset()
    {
        lock (_lock)
        {
            _tokens.Clear();
            _tokens[_options.DemoToken] = new AccessToken(_options.DemoToken, new HashSet<string>(Scopes.Demo), _options.HumanUserId, _time.GetUtcNow());
        }
    }

    public AccessToken Create(IEnumerable<string> scopes)
    {
        var token = $"pat-{_options.Region}-{Guid.NewGuid()}";
        var created = new AccessToken(token, new HashSet<string>(scopes, StringComparer.Ordinal), _options.HumanUserId, _time.GetUtcNow());
        lock (_lock)
        {
            _tokens[token] = created;
        }

        return created;
    }

    /// <summary>An OAuth access token issued by the sandbox's authorization server for an app installed in this portal.</summary>
    public void Add(AccessToken token)
    {
        lock (_lock)
        {
            _tokens[token.Token] = token;
        }
    }

    /// <summary>Drops every access token of an app (its installation was removed).</summary>
    public int RevokeApp(long appId)
    {
        lock (_lock)
        {
            var gone = _tokens.Values.Where(t => t.AppId == appId).Select(t => t.Token).ToList();
            foreach (var token in gone)
            {
                _tokens.Remove(token);
            }
            return gone.Count;
        }
    }

    public int ExpireApp(long appId, DateTimeOffset now)
    {
        lock (_lock)
        {
            var live = _tokens.Values.Where(t => t.AppId == appId && t.ExpiresAt > now).ToList();
            foreach (var token in live)
            {
                _tokens[token.Token] = token with { ExpiresAt = now };
            }
            return live.Count;
        }
    }

    public bool Revoke(string token)
    {
        lock (_lock)
        {
            return _tokens.Remove(token);
        }
    }

    public AccessToken? Find(string token)
    {
        lock (_lock)
        {
            return _tokens.GetValueOrDefault(token);
        }
    }

    public IReadOnlyList<AccessToken> All()
    {
        lock (_lock)
        {
            return [.. _tokens.Values];
        }
    }
}
