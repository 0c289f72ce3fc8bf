using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Deskbridge.Telemetry;

public sealed class TelemetryOptions
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>Where to send traces, metrics and logs (OTLP). Unset (and no OTEL_EXPORTER_OTLP_ENDPOINT): nothing is exported.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string? OtlpProtocol { get; set; }
}

public static class TelemetryRegistration
{
    /// <summary>
    /// O3: the "Deskbridge" ActivitySource and Meter always exist (in-process listeners, dotnet-counters, tests); the
    /// OpenTelemetry SDK with ASP.NET Core and HttpClient instrumentation runs only when an OTLP endpoint is configured.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<DeskbridgeMetrics>();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName);

        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var standardEndpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (options.OtlpEndpoint is null && string.IsNullOrWhiteSpace(standardEndpoint))
        {
            return builder;
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(DeskbridgeTelemetry.Name))
            .WithTracing(tracing => tracing
                .AddSource(DeskbridgeTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = http => !http.Request.Path.StartsWithSegments("/healthz"))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(DeskbridgeTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging();
        if (options.OtlpEndpoint is { } endpoint)
        {
            var protocol = string.Equals(options.OtlpProtocol, "http/protobuf", StringComparison.OrdinalIgnoreCase)
                ? OtlpExportProtocol.HttpProtobuf
                : OtlpExportProtocol.Grpc;
            otel.UseOtlpExporter(protocol, endpoint);
        }
        else
        {
            // Reads the standard OTEL_EXPORTER_OTLP_* settings itself.
            otel.UseOtlpExporter();
        }
        return builder;
    }
}
