namespace Deskbridge.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Sqlite (embedded, one instance) or Postgres (<c>ConnectionStrings:Deskbridge</c>, any number of instances).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Folder for the SQLite database (and, before the keys moved into the database, the Data Protection keys).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// A PFX certificate (with its private key) that encrypts the Data Protection keys in the database. Unset, the keys
    /// are stored in plain XML beside the data they protect, so a copy of the database is a copy of the HubSpot tokens.
    /// </summary>
    public string? KeyCertificatePath { get; set; }

    public string? KeyCertificatePassword { get; set; }

    /// <summary>Overrides the SQLite file in <see cref="DataDirectory"/> when set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a write waits for another writer before it fails (the webhook then answers 503).</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// Longest a webhook waits for its batch to be committed before it answers 503 (HubSpot gives up after 5 s and
    /// retries). The write itself is not abandoned: if it commits later, HubSpot's retry is recorded as a duplicate.
    /// </summary>
    public TimeSpan IngressWriteTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// SQLite's synchronous setting. FULL (default): a committed inbox batch survives power loss. NORMAL: it survives a
    /// crash of the process, not of the machine; commits skip the fsync.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    public string ResolveConnectionString() =>
        ConnectionString ?? $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory), "deskbridge.db")};Cache=Private;Pooling=True;Default Timeout={Math.Max(1, BusyTimeoutMilliseconds / 1000)}";
}

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

public enum SqliteSynchronous
{
    Full,
    Normal,
}
