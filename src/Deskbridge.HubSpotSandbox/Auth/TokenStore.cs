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
