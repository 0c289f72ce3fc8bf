using Deskbridge.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Deskbridge.Dashboard;

/// <summary>
/// Sign-in. Every failure reads the same and costs the same (the hasher runs for unknown emails too), so the form does not
/// tell which emails have accounts. Guessing is limited per client address (AttemptLimits), not by locking the account:
/// an outsider could otherwise lock an owner out at will.
/// </summary>
public sealed class LoginModel(SignInManager<DeskbridgeUser> signIn, UserManager<DeskbridgeUser> users) : PageModel
{
    public const string Failed = "That email and password do not match an account.";

    // A hash of a random password, made once: verifying against it costs what verifying a real hash costs.
    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<DeskbridgeUser>().HashPassword(new DeskbridgeUser(), Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var email = Email?.Trim();
        var fits = InputLimits.TooLong(email, InputLimits.Email, "") is null && InputLimits.TooLong(Password, InputLimits.Password, "") is null;
        var user = fits && !string.IsNullOrEmpty(email) ? await users.FindByEmailAsync(email) : null;
        if (user is null)
        {
            if (fits && !string.IsNullOrEmpty(Password))
            {
                users.PasswordHasher.VerifyHashedPassword(new DeskbridgeUser(), DecoyHash.Value, Password);
            }
            return Refused();
        }
        var result = string.IsNullOrEmpty(Password)
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Password, isPersistent: true, lockoutOnFailure: false);
        return result.Succeeded ? LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/") : Refused();
    }

    private PageResult Refused()
    {
        Error = Failed;
        if (Email?.Length > InputLimits.Email)
        {
            Email = null;
        }
        return Page();
    }
}
