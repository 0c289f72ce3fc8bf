using System.Globalization;

namespace Deskbridge.HubSpotSandbox.Faults;

public sealed record FaultView(string Id, FaultRequest Request, int? Remaining, int Hits);

public sealed class FaultStore
{
    private readonly Lock _lock = new();
    private readonly List<FaultRule> _rules = [];
    private int _nextId = 1;

    public FaultView Add(FaultRequest request)
    {
        lock (_lock)
        {
            var rule = new FaultRule((_nextId++).ToString(CultureInfo.InvariantCulture), request);
            _rules.Add(rule);
            return View(rule);
        }
    }

    public IReadOnlyList<FaultView> All()
    {
        lock (_lock)
        {
            return [.. _rules.Select(View)];
        }
    }

    public bool Remove(string id)
    {
        lock (_lock)
        {
            return _rules.RemoveAll(r => r.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>The first rule that matches and fires for this call; count-limited rules are used up.</summary>
    public FaultRequest? Take(string method, string path)
    {
        lock (_lock)
        {
            foreach (var rule in _rules)
            {
                if (!rule.Matches(method, path) || rule.Remaining is <= 0)
                {
                    continue;
                }

                if (rule.Request.Probability is { } p && Random.Shared.NextDouble() >= p)
                {
                    continue;
                }

                rule.Hits++;
                if (rule.Remaining is { } remaining)
                {
                    rule.Remaining = remaining - 1;
                    if (rule.Remaining == 0)
                    {
                        _rules.Remove(rule);
                    }
                }

                return rule.Request;
            }

            return null;
        }
    }

    private static FaultView View(FaultRule rule) => new(rule.Id, rule.Request, rule.Remaining, rule.Hits);
}
