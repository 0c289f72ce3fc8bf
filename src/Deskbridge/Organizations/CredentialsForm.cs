using System.Text.RegularExpressions;
using Deskbridge.Accounts;

namespace Deskbridge.Organizations;

/// <summary>S2: what a person types into the HubSpot settings, checked before anything is sent to HubSpot.</summary>
/// <param name="ClientSecret">Empty keeps the saved secret (a form never shows it back, so a re-save without it must not erase it).</param>
/// <param name="RemoveClientSecret">True erases the saved secret, which turns the v3 signature check off.</param>
public sealed partial record CredentialsForm(string? AccessToken, string? DefaultUserId, string? ClientSecret, string? ApiBaseUrl, bool? RemoveClientSecret = null)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        // Limits first: nothing longer is matched, trimmed or echoed back.
        var tooLong = InputLimits.Check(errors, "accessToken", AccessToken, InputLimits.AccessToken, "The access token")
            | InputLimits.Check(errors, "defaultUserId", DefaultUserId, InputLimits.DefaultUserId, "The Default User ID")
            | InputLimits.Check(errors, "clientSecret", ClientSecret, InputLimits.ClientSecret, "The client secret")
            | InputLimits.Check(errors, "apiBaseUrl", ApiBaseUrl, InputLimits.ApiBaseUrl, "The API address");
        if (tooLong)
        {
            return errors;
        }
        if (RemoveClientSecret == true && !string.IsNullOrWhiteSpace(ClientSecret))
        {
            errors["clientSecret"] = ["Either give a new client secret or ask to remove the saved one, not both."];
        }
        var token = AccessToken?.Trim() ?? "";
        if (token.Length == 0)
        {
            errors["accessToken"] = ["Enter the access token from your HubSpot Legacy App (it starts with pat-)."];
        }
        else if (!TokenPattern().IsMatch(token))
        {
            errors["accessToken"] = ["This is not a HubSpot private app access token: it must look like pat-<region>-… (for example pat-na1-…). Copy it from the app's Auth tab."];
        }

        var user = DefaultUserId?.Trim() ?? "";
        if (user.Length == 0)
        {
            errors["defaultUserId"] = ["Enter the Default User ID: the number at the end of the user's settings URL in HubSpot."];
        }
        else if (user.StartsWith("A-", StringComparison.OrdinalIgnoreCase))
        {
            errors["defaultUserId"] = [$"Enter the number only, without A- (for example {user[2..]}). Deskbridge adds A- itself."];
        }
        else if (!long.TryParse(user, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            errors["defaultUserId"] = ["The Default User ID must be a plain number, like 71822709: digits only, no letters, spaces or symbols."];
        }
        return errors;
    }

    public string Token => AccessToken!.Trim();

    public long UserId => long.Parse(DefaultUserId!.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The hublet named by the token, e.g. na1 or eu1.</summary>
    public string Region => RegionOf(Token) ?? "na1";

    /// <summary>The hublet a pat- token names; what HubSpot says in account-info wins when the token may read it.</summary>
    public static string? RegionOf(string token) => TokenPattern().Match(token) is { Success: true } match ? match.Groups["region"].Value : null;

    [GeneratedRegex(@"^pat-(?<region>[a-z]{2,4}\d{1,2})-[0-9a-fA-F-]{8,}$")]
    private static partial Regex TokenPattern();
}
