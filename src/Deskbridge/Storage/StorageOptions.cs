namespace Deskbridge.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder for the SQLite database and the Data Protection keys.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Overrides the SQLite file in <see cref="DataDirectory"/> when set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a write waits for another writer before it fails (the webhook then answers 503).</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 10_000;

    public string ResolveConnectionString() =>
        ConnectionString ?? $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory), "deskbridge.db")};Cache=Private;Pooling=True;Default Timeout={Math.Max(1, BusyTimeoutMilliseconds / 1000)}";
}
