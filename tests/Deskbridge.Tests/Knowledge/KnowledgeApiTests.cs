using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Knowledge;

/// <summary>Articles through the admin API on a real service and SQLite file: add, list, search, edit, delete, preview, access.</summary>
public sealed class KnowledgeApiTests : IAsyncLifetime
{
    private DeskbridgeTestHost _host = null!;
    private DeskbridgeApi.Organization _organization = null!;

    private string Articles => $"api/organizations/{_organization.Id}/knowledge/articles";

    public async Task InitializeAsync()
    {
        _host = await DeskbridgeTestHost.StartAsync();
        _organization = await _host.CreateOrganizationAsync("Acme Knowledge", "acme-knowledge");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Articles_are_added_listed_searched_edited_and_deleted_through_the_api()
    {
        var created = await _host.Http.PostAsJsonAsync(Articles, new { title = "Gift wrapping", markdown = "We wrap any order in recycled paper for 3 euros.\n\n## How\n\n- Tick *gift wrap* at checkout." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var article = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (string)article["id"]!;
        Assert.Equal("gift-wrapping", (string?)article["slug"]);
        Assert.Equal("en", (string?)article["language"]);
        Assert.Equal("Manual", (string?)article["source"]);
        Assert.Equal("operator", (string?)article["updatedBy"]);
        Assert.Contains("<em>gift wrap</em>", (string?)article["html"], StringComparison.Ordinal);

        (await _host.Http.PostAsJsonAsync(Articles, new { title = "Versand", markdown = "Wir liefern innerhalb von zwei bis vier Werktagen, kostenlos ab 50 Euro Bestellwert.", slug = "versand" })).EnsureSuccessStatusCode();
        var german = Assert.Single(await _host.GetJsonAsync<JsonArray>($"{Articles}?q=WERKTAGEN"));
        Assert.Equal("de", (string?)german!["language"]);
        Assert.Equal(2, (await _host.GetJsonAsync<JsonArray>(Articles)).Count);
        Assert.Empty(await _host.GetJsonAsync<JsonArray>($"{Articles}?q=nothing-like-this"));

        var edited = await _host.Http.PutAsJsonAsync($"{Articles}/{id}", new { title = "Gift wrapping", markdown = "Gift wrapping is free in December.", language = "en" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var read = await _host.GetJsonAsync<JsonObject>($"{Articles}/{id}");
        Assert.Equal("Gift wrapping is free in December.", (string?)read["markdown"]);
        Assert.NotEqual((string?)article["contentHash"], (string?)read["contentHash"]);

        var status = await _host.GetJsonAsync<JsonObject>($"api/organizations/{_organization.Id}/knowledge");
        Assert.True((bool)status["inDatabase"]!);
        Assert.Equal(2, (int)status["articles"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await _host.Http.DeleteAsync($"{Articles}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync($"{Articles}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.DeleteAsync($"{Articles}/{id}")).StatusCode);
        Assert.Single(await _host.GetJsonAsync<JsonArray>(Articles));
    }

    [Fact]
    public async Task Refuses_an_article_without_title_with_a_bad_language_or_a_taken_slug_naming_the_field()
    {
        await AssertFieldAsync(await _host.Http.PostAsJsonAsync(Articles, new { title = " ", markdown = "text" }), "title");
        await AssertFieldAsync(await _host.Http.PostAsJsonAsync(Articles, new { title = "T", markdown = "" }), "markdown");
        await AssertFieldAsync(await _host.Http.PostAsJsonAsync(Articles, new { title = "T", markdown = "text", language = "english" }), "language");
        await AssertFieldAsync(await _host.Http.PostAsJsonAsync(Articles, new { title = "T", markdown = "text", slug = "Not A Slug" }), "slug");
        await AssertFieldAsync(await _host.Http.PostAsJsonAsync(Articles, new { title = "T", markdown = new string('x', 200_001) }), "markdown");
        (await _host.Http.PostAsJsonAsync(Articles, new { title = "Taken", markdown = "text", slug = "taken" })).EnsureSuccessStatusCode();
        await AssertFieldAsync(await _host.Http.PostAsJsonAsync(Articles, new { title = "Other", markdown = "text", slug = "taken" }), "slug");
        Assert.Single(await _host.GetJsonAsync<JsonArray>(Articles));
    }

    [Fact]
    public async Task Preview_renders_markdown_and_drops_scripts_and_raw_html()
    {
        var response = await _host.Http.PostAsJsonAsync($"api/organizations/{_organization.Id}/knowledge/preview",
            new { markdown = "# Hello\n\n**bold** [link](javascript:alert(1)) <script>alert(1)</script><img src=x onerror=alert(1)>" });
        var html = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["html"]!;
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase); // raw HTML is shown as text, never as elements
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_member_key_reads_articles_but_cannot_change_them_and_other_organizations_do_not_exist_for_it()
    {
        (await _host.Http.PostAsJsonAsync(Articles, new { title = "Opening hours", markdown = "We are open 9 to 5." })).EnsureSuccessStatusCode();
        var (_, key) = await _host.CreateApiKeyAsync(_organization.Id, "Member");
        using var member = new HttpClient { BaseAddress = _host.BaseAddress };
        member.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Single((await member.GetFromJsonAsync<JsonArray>(Articles))!);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync(Articles, new { title = "x", markdown = "y" })).StatusCode);

        var other = await _host.CreateOrganizationAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"api/organizations/{other.Id}/knowledge/articles")).StatusCode);
    }

    private static async Task AssertFieldAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["errors"]?[field]);
    }
}
