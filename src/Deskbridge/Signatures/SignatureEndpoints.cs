using Deskbridge.Accounts;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Signatures;

public static class SignatureEndpoints
{
    public static WebApplicationBuilder AddSignatures(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<EmailSignatureService>();
        builder.Services.AddScoped<ReplySignatures>();
        builder.Services.AddMemoryCache();
        return builder;
    }

    public static RouteGroupBuilder MapSignatureEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{organizationId:guid}/signatures").WithTags("Email signatures").RequireAdminAccess();
        group.MapGet("/", ListAsync);
        group.MapPut("/", SaveAsync);
        group.MapDelete("/{signatureId:guid}", DeleteAsync);
        return group;
    }

    public sealed record SignatureForm(string? DomainPattern, string? Html);

    public sealed record SignatureView(Guid Id, string DomainPattern, string Html);

    private static async Task<Results<Ok<List<SignatureView>>, NotFound>> ListAsync(
        Guid organizationId, DeskbridgeDb db, EmailSignatureService signatures, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok((await signatures.ListAsync(organizationId, ct)).Select(View).ToList());
    }

    /// <summary>Adds the signature for a domain pattern, or replaces that pattern's signature. The HTML is sanitized first.</summary>
    private static async Task<Results<Ok<SignatureView>, ValidationProblem, NotFound>> SaveAsync(
        Guid organizationId, SignatureForm form, DeskbridgeDb db, EmailSignatureService signatures, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return TypedResults.NotFound();
        }
        var saved = await signatures.SaveAsync(organizationId, form.DomainPattern, form.Html, ct);
        return saved.Signature is { } signature
            ? TypedResults.Ok(View(signature))
            : TypedResults.ValidationProblem(saved.Errors.ToDictionary(), title: "The signature was not saved");
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid organizationId, Guid signatureId, EmailSignatureService signatures, CancellationToken ct) =>
        await signatures.DeleteAsync(organizationId, signatureId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static SignatureView View(EmailSignature s) => new(s.Id, s.DomainPattern, s.Html);
}
