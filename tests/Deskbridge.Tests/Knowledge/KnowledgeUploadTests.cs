using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Deskbridge.Testing;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Deskbridge.Tests.Knowledge;

/// <summary>Uploads of each supported file type, the re-upload of a file, and the refusals (type, size) as ProblemDetails.</summary>
public sealed class KnowledgeUploadTests : IAsyncLifetime
{
    private DeskbridgeTestHost _host = null!;
    private DeskbridgeApi.Organization _organization = null!;

    private string Uploads => $"api/organizations/{_organization.Id}/knowledge/uploads";

    public async Task InitializeAsync()
    {
        _host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Knowledge:MaxUploadBytes"] = "100000" });
        _organization = await _host.CreateOrganizationAsync("Upload Shop", "upload-shop");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Markdown_text_html_and_pdf_files_each_become_an_article()
    {
        var report = await UploadAsync(
            ("returns.md", "text/markdown", Encoding.UTF8.GetBytes("# Returns\n\nSend the parcel back within **30 days**.")),
            ("opening_hours.txt", "text/plain", Encoding.UTF8.GetBytes("We are open Monday to Friday from 9 to 17.")),
            ("warranty.html", "text/html", Encoding.UTF8.GetBytes("<html lang=\"en\"><head><title>Ignored</title><script>x()</script></head><body><nav>Menu</nav><main><h1>Warranty</h1><h2>Length</h2><p>Two years on every device.</p><ul><li>Keep the receipt</li></ul></main></body></html>")),
            ("payments.pdf", "application/pdf", Pdf("Payments", "We accept Visa, Mastercard and PayPal.")));
        Assert.Equal(4, report["added"]!.AsArray().Count);
        Assert.Empty(report["skipped"]!.AsArray());

        var articles = await _host.GetJsonAsync<JsonArray>($"api/organizations/{_organization.Id}/knowledge/articles");
        var byTitle = articles.ToDictionary(a => (string)a!["title"]!, a => a!.AsObject());
        Assert.Equal(["Opening hours", "Payments", "Returns", "Warranty"], byTitle.Keys.Order(StringComparer.Ordinal));
        Assert.All(byTitle.Values, a => Assert.Equal("Upload", (string?)a["source"]));

        var returns = await ArticleAsync(byTitle["Returns"]);
        Assert.Equal("Send the parcel back within **30 days**.", (string?)returns["markdown"]);
        Assert.Equal("returns.md", (string?)returns["sourceUrl"]);
        var warranty = await ArticleAsync(byTitle["Warranty"]);
        Assert.Equal("## Length\n\nTwo years on every device.\n\n- Keep the receipt", (string?)warranty["markdown"]);
        Assert.Equal("en", (string?)warranty["language"]);
        Assert.Contains("Visa, Mastercard and PayPal", (string?)(await ArticleAsync(byTitle["Payments"]))["markdown"], StringComparison.Ordinal);
        Assert.Contains("Monday to Friday", (string?)(await ArticleAsync(byTitle["Opening hours"]))["markdown"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_uploaded_again_replaces_its_article_and_an_unchanged_one_is_left_alone()
    {
        await UploadAsync(("faq.md", "text/markdown", Encoding.UTF8.GetBytes("# FAQ\n\nOld answer.")), ("same.md", "text/markdown", Encoding.UTF8.GetBytes("# Same\n\nSame text.")));
        var report = await UploadAsync(("faq.md", "text/markdown", Encoding.UTF8.GetBytes("# FAQ\n\nNew answer.")), ("same.md", "text/markdown", Encoding.UTF8.GetBytes("# Same\n\nSame text.")));
        Assert.Equal("FAQ", (string?)Assert.Single(report["updated"]!.AsArray())!["title"]);
        Assert.Equal("Same", (string?)Assert.Single(report["unchanged"]!.AsArray())!["title"]);
        var faq = Assert.Single(await _host.GetJsonAsync<JsonArray>($"api/organizations/{_organization.Id}/knowledge/articles?q=answer"));
        Assert.Equal("New answer.", (string?)(await ArticleAsync(faq!.AsObject()))["markdown"]);
    }

    [Fact]
    public async Task Refuses_unsupported_mislabelled_and_oversized_files_and_stores_nothing()
    {
        await AssertRefusedAsync(await PostAsync(("photo.png", "image/png", [0x89, 0x50, 0x4e, 0x47])), HttpStatusCode.UnsupportedMediaType);
        await AssertRefusedAsync(await PostAsync(("fake.pdf", "application/pdf", Encoding.UTF8.GetBytes("not a pdf"))), HttpStatusCode.UnsupportedMediaType);
        await AssertRefusedAsync(await PostAsync(("binary.txt", "text/plain", [0xff, 0xfe, 0x00, 0x41])), HttpStatusCode.UnsupportedMediaType);
        await AssertRefusedAsync(await PostAsync(("huge.md", "text/markdown", Encoding.UTF8.GetBytes(new string('a', 100_001)))), HttpStatusCode.RequestEntityTooLarge);
        var json = await _host.Http.PostAsJsonAsync(Uploads, new { file = "x" });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Empty(await _host.GetJsonAsync<JsonArray>($"api/organizations/{_organization.Id}/knowledge/articles"));
    }

    private async Task<JsonObject> ArticleAsync(JsonObject summary) =>
        await _host.GetJsonAsync<JsonObject>($"api/organizations/{_organization.Id}/knowledge/articles/{(string)summary["id"]!}");

    private async Task<JsonObject> UploadAsync(params (string Name, string Type, byte[] Body)[] files)
    {
        var response = await PostAsync(files);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task<HttpResponseMessage> PostAsync(params (string Name, string Type, byte[] Body)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, type, body) in files)
        {
            var part = new ByteArrayContent(body);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(part, "file", name);
        }
        return await _host.Http.PostAsync(Uploads, form);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
    }

    internal static byte[] Pdf(string title, string text)
    {
        var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = title;
        var page = builder.AddPage(PageSize.A4);
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        page.AddText(text, 12, new PdfPoint(40, 760), font);
        return builder.Build();
    }
}
