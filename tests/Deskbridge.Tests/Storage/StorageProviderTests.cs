using System.Net;
using System.Text.Json.Nodes;

using Organization = Deskbridge.Organizations.Organization;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using static Deskbridge.Testing.DeskbridgeApi;

namespace Deskbridge.Tests.Storage;

/// <summary>Provider choice, migrations, the shared key ring and the health probes, on real SQLite files and a real PostgreSQL.</summary>
public sealed class StorageProviderTests
{
    [Fact]
    public async Task Ready_names_the_database_migrations_and_inbox_processor_checks_on_postgres()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: TestStorage.With(StorageProvider.Postgres));
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };

        var ready = await anonymous.GetAsync("health/ready");
        var live = await anonymous.GetAsync("health/live");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (ready.StatusCode, live.StatusCode));
        var checks = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!.AsObject();
        Assert.Equal(["database", "inbox-processor", "migrations"], checks.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.All(checks, c => Assert.Equal("Healthy", (string?)c.Value!["status"]));
    }

    [Fact]
    public async Task Ready_is_503_naming_the_inbox_processor_when_this_instance_does_not_process()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Processing:Enabled"] = "false" });
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };

        var ready = await Eventually.UntilAsync(() => anonymous.GetAsync("health/ready"), r => r.StatusCode != HttpStatusCode.OK, what: "the processor to stop");
        var live = await anonymous.GetAsync("health/live");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), (ready.StatusCode, live.StatusCode));
        var checks = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!;
        Assert.Equal("Unhealthy", (string?)checks["inbox-processor"]!["status"]);
        Assert.Equal("Healthy", (string?)checks["database"]!["status"]);
    }

    [Fact]
    public async Task Two_instances_started_together_on_one_postgres_share_the_key_ring_and_the_webhook_signing_secret()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        // Both migrate a fresh database at once: the advisory lock makes one wait for the other.
        var started = await Task.WhenAll(DeskbridgeTestHost.StartAsync(settings: database.Settings()), DeskbridgeTestHost.StartAsync(settings: database.Settings()));
        await using var first = started[0];
        await using var second = started[1];

        var org = await first.CreateOrganizationAsync();
        var path = new Uri(org.WebhookUrl).AbsolutePath;
        var delivered = await second.Http.PostAsync(path.TrimStart('/'), new StringContent(Batch(NewMessageEvent("303", "m-1", 1)), System.Text.Encoding.UTF8, "application/json"));
        var secret = first.Services.GetRequiredService<SecretProtector>().Protect("pat-na1-shared");

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("pat-na1-shared", second.Services.GetRequiredService<SecretProtector>().Unprotect(secret));
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
        Assert.Equal(1, await db.ServerSecrets.CountAsync());
    }

    [Fact]
    public async Task The_same_events_sent_to_two_instances_at_once_are_stored_once_each_and_the_rest_are_duplicates_on_postgres()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var first = await DeskbridgeTestHost.StartAsync(settings: database.Settings());
        await using var second = await DeskbridgeTestHost.StartAsync(settings: database.Settings());
        var org = await first.CreateOrganizationAsync();
        var path = new Uri(org.WebhookUrl).AbsolutePath.TrimStart('/');
        var batch = Batch(Enumerable.Range(0, 50).Select(i => NewMessageEvent("404", $"m-{i}", 5000 + i)).ToArray());

        // Both instances look the keys up before either commits: the loser's insert fails on the key and its retry sees the winner's.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? first : second).Http.PostAsync(path, new StringContent(batch, System.Text.Encoding.UTF8, "application/json"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var events = await Eventually.UntilAsync(() => first.EventsAsync(org.Id), e => e.Count == 400, what: "400 events");
        Assert.Equal(50, events.Count(e => e.Fate != "Duplicate"));
        Assert.Equal(50, events.Where(e => e.Fate != "Duplicate").Select(e => e.DedupKey).Distinct().Count());
    }

    [Fact]
    public async Task Keys_left_in_the_data_folder_are_imported_once_so_existing_secrets_still_decrypt()
    {
        var data = DeskbridgeTestHost.NewDataDirectory();
        var keys = Directory.CreateDirectory(Path.Combine(data, "keys"));
        // What an older build did: the key ring in ./data/keys, a token protected with it.
        var old = DataProtectionProvider.Create(keys, b => b.SetApplicationName("Deskbridge"));
        var stored = new SecretProtector(old).Protect("pat-na1-from-before");
        var keyFiles = keys.GetFiles("key-*.xml").Select(f => (string?)Path.GetFileNameWithoutExtension(f.Name)).ToList();

        await using (var host = await DeskbridgeTestHost.StartAsync(data))
        {
            Assert.Equal("pat-na1-from-before", host.Services.GetRequiredService<SecretProtector>().Unprotect(stored));
        }
        await using var again = await DeskbridgeTestHost.StartAsync(data);

        Assert.Equal("pat-na1-from-before", again.Services.GetRequiredService<SecretProtector>().Unprotect(stored));
        await using var scope = again.Services.CreateAsyncScope();
        var names = await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync();
        Assert.Equal(keyFiles, names);
    }

    [Fact]
    public async Task An_existing_sqlite_database_keeps_its_migration_ids_and_gets_only_the_new_ones()
    {
        var data = DeskbridgeTestHost.NewDataDirectory();
        var file = Path.Combine(data, "deskbridge.db");
        // A database as the previous release left it: its two migrations, recorded under their ids, and an organization.
        var options = new DbContextOptionsBuilder<SqliteDeskbridgeDb>().UseSqlite($"Data Source={file};Pooling=False").Options;
        await using (var before = new SqliteDeskbridgeDb(options))
        {
            await before.GetService<IMigrator>().MigrateAsync("20261201105907_AnswerOnlyAssignedThreads");
            before.Organizations.Add(new Organization { Name = "Kept", Slug = "kept", CreatedAt = DateTimeOffset.UtcNow });
            await before.SaveChangesAsync();
        }

        await using var host = await DeskbridgeTestHost.StartAsync(data);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        Assert.Equal(["20261125154741_Initial", "20261201105907_AnswerOnlyAssignedThreads"], applied.Take(2));
        Assert.Contains(applied, m => m.EndsWith("_DataProtectionKeys", StringComparison.Ordinal));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal("Kept", (await db.Organizations.SingleAsync()).Name);
    }

    [Fact]
    public async Task A_time_with_an_offset_is_stored_as_its_instant_on_postgres()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: TestStorage.With(StorageProvider.Postgres));
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.FromHours(2));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            db.Organizations.Add(new Organization { Name = "Offset", Slug = "offset", CreatedAt = at });
            await db.SaveChangesAsync();
        }

        await using var read = host.Services.CreateAsyncScope();
        var stored = await read.ServiceProvider.GetRequiredService<DeskbridgeDb>().Organizations.SingleAsync(o => o.Slug == "offset");

        Assert.Equal(at.UtcDateTime, stored.CreatedAt.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, stored.CreatedAt.Offset);
    }
}

/// <summary>Storage:KeyCertificatePath: the key ring in the database is encrypted, so a copy of the database alone opens nothing.</summary>
public sealed class KeyCertificateTests
{
    [Fact]
    public async Task Keys_in_the_database_are_encrypted_with_the_configured_certificate()
    {
        var data = DeskbridgeTestHost.NewDataDirectory();
        var pfx = Path.Combine(data, "keys.pfx");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=Deskbridge keys", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-password"));
        }
        var settings = new Dictionary<string, string?> { ["Storage:KeyCertificatePath"] = pfx, ["Storage:KeyCertificatePassword"] = "pfx-password" };

        string secret;
        await using (var host = await DeskbridgeTestHost.StartAsync(data, settings))
        {
            secret = host.Services.GetRequiredService<SecretProtector>().Protect("pat-na1-encrypted-ring");
        }
        await using var again = await DeskbridgeTestHost.StartAsync(data, settings);

        Assert.Equal("pat-na1-encrypted-ring", again.Services.GetRequiredService<SecretProtector>().Unprotect(secret));
        await using var scope = again.Services.CreateAsyncScope();
        var xml = Assert.Single(await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.Contains("EncryptedXml", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
    }
}
