using Microsoft.Extensions.Options;

namespace Deskbridge.Retention;

public static class RetentionRegistration
{
    public static WebApplicationBuilder AddRetention(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidation>();
        builder.Services.AddSingleton<RetentionPruner>();
        builder.Services.AddHostedService<RetentionService>();
        return builder;
    }

    private sealed class RetentionOptionsValidation : IValidateOptions<RetentionOptions>
    {
        public ValidateOptionsResult Validate(string? name, RetentionOptions options)
        {
            var problems = RetentionOptions.Problems(options).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
