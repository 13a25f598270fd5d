using System.Text.Json;

namespace SfBackup.Emulator;

/// <summary>
/// --Emulator:StorageDirectory: backup records as files, one per backup, so that several emulators (clusters) see
/// one another's backups the way clusters that back up to one storage account do. A file that cannot be read (one
/// being written, or not a record) is passed over.
/// </summary>
public sealed class SharedBackupStorage
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _folder;

    public SharedBackupStorage(string folder)
    {
        _folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(_folder);
    }

    public void Write(BackupRecord record)
    {
        var path = PathOf(record);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(record, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Whether the backup's file is still there (an operator or a test may have removed it).</summary>
    public bool Holds(BackupRecord record) => File.Exists(PathOf(record));

    private string PathOf(BackupRecord record) => Path.Combine(_folder, record.BackupId.ToString("D") + ".json");

    /// <summary>Removes a backup's file (retention): gone for every cluster that shares the folder.</summary>
    public void Delete(BackupRecord record)
    {
        try
        {
            File.Delete(PathOf(record));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // as the real service: a backup that cannot be deleted now is left for the next round
        }
    }

    public IEnumerable<BackupRecord> ReadAll()
    {
        foreach (var path in Directory.EnumerateFiles(_folder, "*.json"))
        {
            BackupRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<BackupRecord>(File.ReadAllText(path), Json);
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
            {
                continue;
            }
            if (record is not null) yield return record;
        }
    }
}
