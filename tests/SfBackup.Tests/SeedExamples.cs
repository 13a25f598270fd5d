using System.Security;
using SfBackup.Client.Models;

namespace SfBackup.Tests;

/// <summary>The requests the seed documents show as examples (facts: method, path and query, body).</summary>
public static class SeedExamples
{
    public const string PartitionId = "1daae3f5-7fd6-42e9-b1ba-8c05f873994d";
    public static readonly Guid Partition = Guid.Parse(PartitionId);

    public const string AzureConnectionString = "DefaultEndpointsProtocol=https;AccountName=storagesample;AccountKey=<PutYourAccountKeyHere>";
    public const string FileSharePassword = "abcd1234";

    public sealed record Example(string Name, string Method, string Target, string? Body);

    public static readonly Example ResumePartition = new("Resume partition backup", "POST",
        $"/Partitions/{PartitionId}/$/ResumeBackup?api-version=6.2-preview", null);

    /// <summary>The document's path uses the pre-6.0 '/' form; the issue says SfBackup sends app~svc (see README).</summary>
    public static readonly Example ResumeService = new("Resume service backup", "POST",
        "/Services/CalcApp/CalcService/$/ResumeBackup?api-version=6.2-preview", null);

    public const string ResumeServiceAsSent = "/Services/CalcApp~CalcService/$/ResumeBackup?api-version=6.2-preview";

    public static readonly Example EnablePartition = new("Enable partition backup", "POST",
        $"/Partitions/{PartitionId}/$/EnableBackup?api-version=6.2-preview", """{"BackupPolicyName": "DailyAzureBackupPolicy"}""");

    public static readonly Example GetRestoreProgress = new("Get restore operation progress", "GET",
        $"/Partitions/{PartitionId}/$/GetRestoreProgress?api-version=6.2-preview", null);

    public const string BackupTarget = $"/Partitions/{PartitionId}/$/Backup?api-version=6.4";

    /// <summary>The five Backup Partition examples with the storage object that produces each body.</summary>
    public static IEnumerable<(string Name, string Body, Func<BackupStorage?> Storage)> BackupExamples()
    {
        yield return ("Backup partition", "{}", () => null);
        yield return ("Backup partition to a specific Azure storage account",
            """{"BackupStorage": {"StorageKind": "AzureBlobStore", "ConnectionString": "DefaultEndpointsProtocol=https;AccountName=storagesample;AccountKey=<PutYourAccountKeyHere>", "ContainerName": "BackupContainer"}}""",
            () => new AzureBlobBackupStorage(SecretText.FromPlain(AzureConnectionString), "BackupContainer"));
        yield return ("Backup partition to a specific Azure storage location accessed using managed identity",
            """{"BackupStorage": {"StorageKind": "ManagedIdentityAzureBlobStore", "BlobServiceUri": "https://managedidentitytest.blob.core.windows.net/", "ContainerName": "BackupContainer", "ManagedIdentityType": "Cluster"}}""",
            () => new ManagedIdentityAzureBlobBackupStorage(new Uri("https://managedidentitytest.blob.core.windows.net/"), "BackupContainer", ManagedIdentityType.Cluster));
        yield return ("Backup partition to a specific on-premise file share",
            """{"BackupStorage": {"StorageKind": "FileShare", "Path": "\\\\myshare\\backupshare", "PrimaryUserName": "mydomain\\backupaccount", "PrimaryPassword": "abcd1234"}}""",
            () => new FileShareBackupStorage(@"\\myshare\backupshare") { PrimaryUserName = @"mydomain\backupaccount", PrimaryPassword = SecretText.FromPlain(FileSharePassword) });
        yield return ("Backup partition to a specific Dsms Azure storage location",
            """{"BackupStorage": {"StorageKind": "DsmsAzureBlobStore", "StorageCredentialsSourceLocation": "https://sample-dsms.dsms.core.winows.net/dsms/samplecredentiallocation/storageaccounts/samplestorageac/servicefabricbackup/samplebackup", "ContainerName": "BackupContainer"}}""",
            () => new DsmsAzureBlobBackupStorage("https://sample-dsms.dsms.core.winows.net/dsms/samplecredentiallocation/storageaccounts/samplestorageac/servicefabricbackup/samplebackup", "BackupContainer"));
    }

    public const string RestoreProgressAnswer = """
        {
          "RestoreState": "Success",
          "TimeStampUtc": "2018-01-01T09:00:55Z",
          "RestoredEpoch": { "DataLossNumber": "131462452931584510", "ConfigurationNumber": "8589934592" },
          "RestoredLsn": "261",
          "FailureError": null
        }
        """;
}
