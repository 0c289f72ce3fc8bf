using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Knowledge;

/// <summary>A small web site on a free loopback port whose pages a test sets and changes; it records which paths were asked for.</summary>
internal sealed class TestSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Response> _pages = new(StringComparer.Ordinal);

    private TestSite(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public sealed record Response(int Status, string ContentType, byte[] Body, TimeSpan Delay = default, string? Location = null);

    public Uri BaseAddress { get; }

    public ConcurrentQueue<string> Requested { get; } = new();

    public Uri Url(string path) => new(BaseAddress, path);

    public static async Task<TestSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        TestSite? site = null;
        app.Run(async context =>
        {
            var path = context.Request.Path.Value + context.Request.QueryString.Value;
            site!.Requested.Enqueue(path);
            if (!site._pages.TryGetValue(path, out var response))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (response.Delay > TimeSpan.Zero)
            {
                await Task.Delay(response.Delay, context.RequestAborted);
            }
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            if (response.Location is not null)
            {
                context.Response.Headers.Location = response.Location;
            }
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site = new TestSite(app, new Uri(address.TrimEnd('/') + "/"));
        return site;
    }

    public void Page(string path, string html, TimeSpan delay = default) =>
        _pages[path] = new Response(200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html), delay);

    public void Article(string path, string title, string text) =>
        Page(path, $"<!DOCTYPE html><html lang=\"en\"><head><title>{title} | Help</title></head><body><nav><a href=\"/\">Home</a> Menu menu</nav>" +
            $"<main><h1>{title}</h1><p>{text}</p></main><footer>© Example</footer></body></html>");

    public void Set(string path, Response response) => _pages[path] = response;

    public void Text(string path, string contentType, string body) => _pages[path] = new Response(200, contentType, Encoding.UTF8.GetBytes(body));

    public void Remove(string path) => _pages.TryRemove(path, out _);

    public void Sitemap(string path, params string[] pagePaths) =>
        Text(path, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">" +
            string.Concat(pagePaths.Select(p => $"<url><loc>{(p.StartsWith("http", StringComparison.Ordinal) ? p : Url(p).ToString())}</loc></url>")) + "</urlset>");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
