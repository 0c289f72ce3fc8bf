using System.Text.RegularExpressions;

namespace Deskbridge.Organizations;

/// <summary>S2: what a person types into the HubSpot settings, checked before anything is sent to HubSpot.</summary>
public sealed partial record CredentialsForm(string? AccessToken, string? DefaultUserId, string? ClientSecret, string? ApiBaseUrl)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
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

        if (ApiBaseUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors["apiBaseUrl"] = ["The API base URL must be an absolute URL, e.g. http://127.0.0.1:5099/."];
        }
        return errors;
    }

    public string Token => AccessToken!.Trim();

    public long UserId => long.Parse(DefaultUserId!.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The hublet named by the token, e.g. na1 or eu1.</summary>
    public string Region => TokenPattern().Match(Token).Groups["region"].Value;

    [GeneratedRegex(@"^pat-(?<region>[a-z]{2,4}\d{1,2})-[0-9a-fA-F-]{8,}$")]
    private static partial Regex TokenPattern();
}
