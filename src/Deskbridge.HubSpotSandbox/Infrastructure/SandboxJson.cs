using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deskbridge.HubSpotSandbox.Infrastructure;

/// <summary>HubSpot omits absent optional fields, so nulls are not written (dictionary values,
/// such as CRM properties, are still written as null, as HubSpot does).</summary>
internal static class SandboxJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

        // Like HubSpot: quotes escaped as \", non-ASCII text (emoji markers) written as is.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
