using System.Security.Cryptography;

namespace Deskbridge.Dashboard;

/// <summary>
/// Headers on every answer: a CSP that runs only the page's own nonce-marked scripts and styles (a sanitizer miss in a
/// signature or an injected tag stays inert), no framing (clickjacking the credential forms), no MIME sniffing, and no
/// dashboard URL (organization and session ids) in the Referer to other sites.
/// </summary>
public static class SecurityHeaders
{
    private static readonly object NonceKey = new();

    /// <summary>The request's CSP nonce, for &lt;script nonce&gt; and &lt;style nonce&gt; in the pages.</summary>
    public static string CspNonce(this HttpContext http) => (string)http.Items[NonceKey]!;

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        // "Install in HubSpot" posts to Deskbridge, which redirects to HubSpot's install page: form-action covers redirects
        // after a form, so that one origin is allowed beside 'self' when the OAuth app is configured.
        var appOptions = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HubSpotApp.HubSpotAppOptions>>().Value;
        var formTargets = appOptions.IsConfigured
            ? "'self' " + app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HubSpot.HubSpotOptions>>().Value.AuthorizeUrl.GetLeftPart(UriPartial.Authority)
            : "'self'";
        app.Use(async (http, next) =>
        {
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            http.Items[NonceKey] = nonce;
            var headers = http.Response.Headers;
            // style-src-attr: the pages use style="" attributes (no script can come of them); <style> elements need the nonce.
            // img-src https: signature previews show the logos their HTML links to.
            headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; " +
                $"img-src 'self' data: https:; connect-src 'self'; form-action {formTargets}; frame-ancestors 'none'; base-uri 'none'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            await next(http);
        });
        return app;
    }
}
