using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Deskbridge.Admin;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>Scripts send it as X-Api-Key. When unset, the admin API answers only on the loopback interface.</summary>
    public string? ApiKey { get; set; }
}

public static class AdminAccess
{
    /// <summary>Puts the admin API behind its key (or behind loopback on a machine without one).</summary>
    public static RouteGroupBuilder RequireAdminAccess(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var key = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value.ApiKey;
            if (key is { Length: > 0 })
            {
                var given = http.Request.Headers["X-Api-Key"].ToString();
                if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key)))
                {
                    return TypedResults.Problem(title: "API key required", detail: "Send the admin API key in the X-Api-Key header.", statusCode: StatusCodes.Status401Unauthorized);
                }
            }
            else if (http.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
            {
                return TypedResults.Problem(title: "Admin API is local only", detail: "Set Admin:ApiKey to use the admin API from another machine.", statusCode: StatusCodes.Status403Forbidden);
            }
            return await next(context);
        });
}
