using Deskbridge.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Deskbridge.Accounts;

public static class AccountsRegistration
{
    /// <summary>The scheme that picks the API key handler when X-Api-Key is sent and the sign-in cookie otherwise.</summary>
    public const string DefaultScheme = "Deskbridge";

    /// <summary>S1: people sign in with ASP.NET Core Identity (cookie); scripts send X-Api-Key.</summary>
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName);
        builder.Services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "Sign-in cookie or X-Api-Key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        builder.Services.AddIdentityCore<DeskbridgeUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                // Sign-in never locks an account (an outsider could lock an owner out); AttemptLimits limits guessing per client.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddEntityFrameworkStores<DeskbridgeDb>()
            .AddSignInManager();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "deskbridge";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/";
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
        });
        builder.Services.AddAuthorization(o => o.AddPolicy(OrganizationMemberPolicy.Name, p => p.AddRequirements(new OrganizationMemberRequirement())));
        builder.Services.AddSingleton<IAuthorizationHandler, OrganizationMemberHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, OrganizationMemberResultHandler>();
        builder.Services.AddScoped<OrganizationAccess>();
        builder.Services.AddScoped<AccountService>();
        builder.Services.AddHostedService<BootstrapOwner>();
        return builder;
    }
}

/// <summary>Admin:BootstrapEmail and Admin:BootstrapPassword create the first owner at start-up.</summary>
public sealed partial class BootstrapOwner(IServiceScopeFactory scopes, IOptions<AdminOptions> options, ILogger<BootstrapOwner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.BootstrapEmail) || string.IsNullOrEmpty(settings.BootstrapPassword))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        try
        {
            await accounts.EnsureOwnerAsync(settings.BootstrapEmail, settings.BootstrapPassword, null, cancellationToken);
            LogBootstrapped(logger, settings.BootstrapEmail);
        }
        catch (InvalidOperationException ex)
        {
            LogBootstrapFailed(logger, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Email} can sign in to the dashboard and owns every organization that had no owner.")]
    private static partial void LogBootstrapped(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Error, Message = "Admin:BootstrapEmail is set but the owner could not be created: {Problem}")]
    private static partial void LogBootstrapFailed(ILogger logger, string problem);
}
