using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Storage;

/// <summary>
/// Before the key ring moved into the database it lived in ./data/keys (one key-{id}.xml per key). Those keys still
/// decrypt the tokens stored with them, so every key file the database lacks is copied in, under the file's own name
/// (which is the friendly name Data Protection gave it). Idempotent: a key already in the table is left alone, and the
/// folder itself is never changed, so a rollback to an older build still finds it.
/// </summary>
internal static partial class KeyFolderImport
{
    public static async Task<int> ImportAsync(DeskbridgeDb db, string folder, ILogger logger)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        var files = Directory.GetFiles(folder, "*.xml");
        if (files.Length == 0)
        {
            return 0;
        }
        var names = files.Select(Path.GetFileNameWithoutExtension).OfType<string>().ToList();
        var present = await db.DataProtectionKeys.AsNoTracking().Where(k => k.FriendlyName != null && names.Contains(k.FriendlyName))
            .Select(k => k.FriendlyName!).ToListAsync();
        var imported = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (present.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }
            var xml = XElement.Load(file).ToString(SaveOptions.DisableFormatting);
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = name, Xml = xml });
            imported++;
        }
        if (imported > 0)
        {
            await db.SaveChangesAsync();
            LogImported(logger, imported, folder);
        }
        return imported;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Count} Data Protection key(s) from {Folder} into the database; the folder is no longer written to")]
    private static partial void LogImported(ILogger logger, int count, string folder);
}
