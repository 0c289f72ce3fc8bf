using System.Globalization;
using System.Text.Json;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Crm;

public sealed record SearchFilter(string? PropertyName, string? Operator, JsonElement? Value, IReadOnlyList<JsonElement>? Values, JsonElement? HighValue);

public sealed record SearchFilterGroup(IReadOnlyList<SearchFilter>? Filters);

public sealed record SearchRequest(
    IReadOnlyList<SearchFilterGroup>? FilterGroups,
    IReadOnlyList<JsonElement>? Sorts,
    IReadOnlyList<string>? Properties,
    int? Limit,
    JsonElement? After,
    string? Query);

public sealed record SearchResponse(int Total, IReadOnlyList<CrmObjectDto> Results, Paging? Paging);

/// <summary>CRM search with HubSpot's limits: ≤5 filter groups (ORed), ≤6 filters per group (ANDed), ≤18 filters,
/// page size ≤200 (default 10), and no paging past 10,000 results.</summary>
public static class CrmSearch
{
    public const int MaxGroups = 5;
    public const int MaxFiltersPerGroup = 6;
    public const int MaxFilters = 18;
    public const int MaxLimit = 200;
    public const int MaxResults = 10_000;

    private static readonly IReadOnlyDictionary<string, string[]> QueryProperties = new Dictionary<string, string[]>
    {
        [CrmObjectTypes.Contacts] = ["firstname", "lastname", "email", "phone", "company"],
        [CrmObjectTypes.Companies] = ["name", "domain", "phone"],
        [CrmObjectTypes.Deals] = ["dealname"],
        [CrmObjectTypes.Tickets] = ["subject", "content"],
    };

    public static string? Validate(SearchRequest request)
    {
        var groups = request.FilterGroups ?? [];
        if (groups.Count > MaxGroups)
        {
            return $"Too many filter groups: {groups.Count}. A search request may contain at most {MaxGroups} filterGroups.";
        }

        if (groups.FirstOrDefault(g => (g.Filters?.Count ?? 0) > MaxFiltersPerGroup) is { } big)
        {
            return $"Too many filters in a filter group: {big.Filters!.Count}. A filter group may contain at most {MaxFiltersPerGroup} filters.";
        }

        var total = groups.Sum(g => g.Filters?.Count ?? 0);
        if (total > MaxFilters)
        {
            return $"Too many filters: {total}. A search request may contain at most {MaxFilters} filters in total.";
        }

        if (request.Limit is > MaxLimit or < 0)
        {
            return $"limit must be between 0 and {MaxLimit}, was {request.Limit}";
        }

        return null;
    }

    public static IResult Run(IReadOnlyList<CrmRecord> records, string objectType, SearchRequest request)
    {
        if (Validate(request) is { } error)
        {
            return HubSpotErrors.Validation(error);
        }

        var offset = Pager.ParseAfter(JsonValues.AsString(request.After));
        var limit = request.Limit ?? 10;
        if (offset + limit > MaxResults)
        {
            return HubSpotErrors.Validation($"Paging past {MaxResults} results is not supported by search (after={offset}).");
        }

        var groups = (request.FilterGroups ?? []).Where(g => g.Filters is { Count: > 0 }).ToList();
        var matches = records
            .Where(r => groups.Count == 0 || groups.Any(g => g.Filters!.All(f => Matches(r, f))))
            .Where(r => MatchesQuery(r, objectType, request.Query));
        var sorted = Sort(matches, request.Sorts).ToList();
        var (page, paging) = Pager.Page(sorted, offset, limit);
        var results = page.Select(r => CrmDtoMapper.ForRead(r, request.Properties)).ToList();
        return TypedResults.Ok(new SearchResponse(sorted.Count, results, paging));
    }

    private static bool MatchesQuery(CrmRecord record, string objectType, string? query) =>
        string.IsNullOrWhiteSpace(query)
        || (QueryProperties.GetValueOrDefault(objectType) ?? []).Any(p => record.Property(p)?.Contains(query.Trim(), StringComparison.OrdinalIgnoreCase) == true);

    private static bool Matches(CrmRecord record, SearchFilter filter)
    {
        var actual = filter.PropertyName is null ? null : record.Property(filter.PropertyName);
        var value = JsonValues.AsString(filter.Value);
        var values = filter.Values?.Select(v => JsonValues.AsString(v)).ToList() ?? [];
        return (filter.Operator ?? "EQ").ToUpperInvariant() switch
        {
            "EQ" => actual is not null && Compare(actual, value) == 0,
            "NEQ" => actual is null || Compare(actual, value) != 0,
            "LT" => actual is not null && Compare(actual, value) < 0,
            "LTE" => actual is not null && Compare(actual, value) <= 0,
            "GT" => actual is not null && Compare(actual, value) > 0,
            "GTE" => actual is not null && Compare(actual, value) >= 0,
            "BETWEEN" => actual is not null && Compare(actual, value) >= 0 && Compare(actual, JsonValues.AsString(filter.HighValue)) <= 0,
            "IN" => actual is not null && values.Any(v => Compare(actual, v) == 0),
            "NOT_IN" => actual is null || values.All(v => Compare(actual, v) != 0),
            "HAS_PROPERTY" => !string.IsNullOrEmpty(actual),
            "NOT_HAS_PROPERTY" => string.IsNullOrEmpty(actual),
            "CONTAINS_TOKEN" => actual is not null && ContainsToken(actual, value),
            "NOT_CONTAINS_TOKEN" => actual is null || !ContainsToken(actual, value),
            _ => false,
        };
    }

    private static bool ContainsToken(string actual, string? token)
    {
        var needle = (token ?? "").Trim('*');
        return needle.Length > 0 && actual.Contains(needle, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Numbers compare as numbers, ISO dates against epoch milliseconds, everything else case-insensitively.</summary>
    private static int Compare(string actual, string? expected)
    {
        if (expected is null)
        {
            return 1;
        }

        if (decimal.TryParse(actual, NumberStyles.Number, CultureInfo.InvariantCulture, out var a)
            && decimal.TryParse(expected, NumberStyles.Number, CultureInfo.InvariantCulture, out var b))
        {
            return a.CompareTo(b);
        }

        if (DateTimeOffset.TryParse(actual, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            && long.TryParse(expected, NumberStyles.Integer, CultureInfo.InvariantCulture, out var millis))
        {
            return date.ToUnixTimeMilliseconds().CompareTo(millis);
        }

        return string.Compare(actual, expected, StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<CrmRecord> Sort(IEnumerable<CrmRecord> records, IReadOnlyList<JsonElement>? sorts)
    {
        JsonElement? first = sorts is [var firstSort, ..] ? firstSort : null;
        string? property = null;
        var descending = false;
        if (first is { ValueKind: JsonValueKind.String } s)
        {
            property = s.GetString();
            if (property?.StartsWith('-') == true)
            {
                descending = true;
                property = property[1..];
            }
        }
        else if (first is { ValueKind: JsonValueKind.Object } o)
        {
            property = o.TryGetProperty("propertyName", out var p) ? p.GetString() : null;
            descending = o.TryGetProperty("direction", out var d) && string.Equals(d.GetString(), "DESCENDING", StringComparison.OrdinalIgnoreCase);
        }

        if (string.IsNullOrEmpty(property))
        {
            return records.OrderBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture));
        }

        var comparer = Comparer<string?>.Create((x, y) => x is null ? (y is null ? 0 : -1) : y is null ? 1 : Compare(x, y));
        return descending ? records.OrderByDescending(r => r.Property(property), comparer) : records.OrderBy(r => r.Property(property), comparer);
    }
}
