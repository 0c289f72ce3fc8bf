using System.Globalization;

namespace Deskbridge.HubSpotSandbox.Infrastructure;

public sealed record PagingNext(string After, string? Link = null);

public sealed record Paging(PagingNext Next);

public sealed record PagedResults<T>(IReadOnlyList<T> Results, Paging? Paging = null);

internal static class Pager
{
    /// <summary>Offset paging with an opaque-looking "after" cursor (the offset as a string).</summary>
    public static (IReadOnlyList<T> Page, Paging? Paging) Page<T>(IReadOnlyList<T> all, int offset, int limit, Func<string, string?>? linkFor = null)
    {
        var page = all.Skip(offset).Take(limit).ToList();
        var nextOffset = offset + page.Count;
        if (nextOffset >= all.Count)
        {
            return (page, null);
        }

        var after = nextOffset.ToString(CultureInfo.InvariantCulture);
        return (page, new Paging(new PagingNext(after, linkFor?.Invoke(after))));
    }

    public static int ParseAfter(string? after) =>
        int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset >= 0 ? offset : 0;
}

/// <summary>HubSpot's CollectionResponseWithTotal…: the list endpoints whose spec promises a total.</summary>
public sealed record PagedResultsWithTotal<T>(int Total, IReadOnlyList<T> Results, Paging? Paging = null);
