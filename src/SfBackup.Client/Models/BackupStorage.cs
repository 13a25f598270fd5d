using System;
using System.Security;
using System.Text.Json.Serialization;

namespace SfBackup.Client.Models
{
    /// <summary>Kinds of backup storage in the Backup Partition document.</summary>
    public enum BackupStorageKind : long
    {
        AzureBlobStore,
        ManagedIdentityAzureBlobStore,
        FileShare,
        DsmsAzureBlobStore,
        /// <summary>A kind this version of SfBackup does not know; kept so that reading a policy never fails.</summary>
        Unknown,
    }

    public enum ManagedIdentityType : long
    {
        Cluster,
        VMSS,
    }

    /// <summary>
    /// Where a backup goes. Secrets are SecureString and never appear in ToString; they are turned to text only
    /// while the request body is written (see <see cref="BackupStorageConverter"/>).
    /// </summary>
    [JsonConverter(typeof(BackupStorageConverter))]
    public abstract class BackupStorage
    {
        public abstract BackupStorageKind StorageKind { get; }

        public string? FriendlyName { get; set; }

        protected abstract string Describe();

        /// <summary>The text clusters put in place of a secret when they answer a policy.</summary>
        public const string MaskedSecret = "****";

        /// <summary>True when a secret is the cluster's mask rather than the real value: sending it back would break the storage.</summary>
        public virtual bool HasMaskedSecret => false;

        internal static bool IsMasked(SecureString? secret) => secret != null && SecretText.Reveal(secret) == MaskedSecret;

        public override string ToString() =>
            string.IsNullOrEmpty(FriendlyName) ? $"{StorageKind}: {Describe()}" : $"{FriendlyName} ({StorageKind}: {Describe()})";
    }

    public sealed class AzureBlobBackupStorage : BackupStorage
    {
        public AzureBlobBackupStorage(SecureString connectionString, string containerName)
        {
            ConnectionString = connectionString ?? throw new ArgumentNullException(nameof(connectionString));
            ContainerName = RequireText(containerName, nameof(containerName));
        }

        public override BackupStorageKind StorageKind => BackupStorageKind.AzureBlobStore;
        public SecureString ConnectionString { get; }
        public string ContainerName { get; }
        public override bool HasMaskedSecret => IsMasked(ConnectionString);
        protected override string Describe() => $"container '{ContainerName}', connection string hidden";

        internal static string RequireText(string value, string name) =>
            string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} must not be empty.", name) : value;
    }

    public sealed class ManagedIdentityAzureBlobBackupStorage : BackupStorage
    {
        public ManagedIdentityAzureBlobBackupStorage(Uri blobServiceUri, string containerName, ManagedIdentityType managedIdentityType)
        {
            BlobServiceUri = blobServiceUri ?? throw new ArgumentNullException(nameof(blobServiceUri));
            ContainerName = AzureBlobBackupStorage.RequireText(containerName, nameof(containerName));
            ManagedIdentityType = managedIdentityType;
        }

        public override BackupStorageKind StorageKind => BackupStorageKind.ManagedIdentityAzureBlobStore;
        public Uri BlobServiceUri { get; }
        public string ContainerName { get; }
        public ManagedIdentityType ManagedIdentityType { get; }
        protected override string Describe() => $"{BlobServiceUri} container '{ContainerName}' ({ManagedIdentityType} identity)";
    }

    public sealed class FileShareBackupStorage : BackupStorage
    {
        public FileShareBackupStorage(string path)
        {
            Path = AzureBlobBackupStorage.RequireText(path, nameof(path));
        }

        public override BackupStorageKind StorageKind => BackupStorageKind.FileShare;
        public string Path { get; }
        public string? PrimaryUserName { get; set; }
        public SecureString? PrimaryPassword { get; set; }
        public string? SecondaryUserName { get; set; }
        public SecureString? SecondaryPassword { get; set; }
        public override bool HasMaskedSecret => IsMasked(PrimaryPassword) || IsMasked(SecondaryPassword);

        protected override string Describe() =>
            PrimaryUserName is null ? Path : $"{Path} as {PrimaryUserName}{(SecondaryUserName is null ? "" : $" (secondary {SecondaryUserName})")}";
    }

    public sealed class DsmsAzureBlobBackupStorage : BackupStorage
    {
        public DsmsAzureBlobBackupStorage(string storageCredentialsSourceLocation, string containerName)
        {
            StorageCredentialsSourceLocation = AzureBlobBackupStorage.RequireText(storageCredentialsSourceLocation, nameof(storageCredentialsSourceLocation));
            ContainerName = AzureBlobBackupStorage.RequireText(containerName, nameof(containerName));
        }

        public override BackupStorageKind StorageKind => BackupStorageKind.DsmsAzureBlobStore;
        public string StorageCredentialsSourceLocation { get; }
        public string ContainerName { get; }
        protected override string Describe() => $"container '{ContainerName}' via {StorageCredentialsSourceLocation}";
    }

    /// <summary>A storage kind the cluster sent that SfBackup does not model; only its name is kept.</summary>
    public sealed class UnknownBackupStorage : BackupStorage
    {
        public UnknownBackupStorage(string kindName) => KindName = kindName;
        public override BackupStorageKind StorageKind => BackupStorageKind.Unknown;
        public string KindName { get; }
        protected override string Describe() => $"'{KindName}' (not known to this SfBackup version)";
    }

    /// <summary>What a storage description must hold before New-SfBackupStorage hands it out (reading one from a cluster stays tolerant).</summary>
    public static class BackupStorageRules
    {
        /// <summary>
        /// Azure's container names: 3 to 63 letters, digits and hyphens, starting and ending with a letter or digit, no
        /// two hyphens in a row. Capitals are accepted: the Service Fabric reference examples use "BackupContainer".
        /// </summary>
        public static string RequireContainerName(string name)
        {
            var ok = name != null && name.Length >= 3 && name.Length <= 63 && char.IsLetterOrDigit(name[0]) && char.IsLetterOrDigit(name[name.Length - 1])
                && name.IndexOf("--", StringComparison.Ordinal) < 0;
            if (ok)
                foreach (var ch in name!)
                    if (!(ch == '-' || (ch < 128 && char.IsLetterOrDigit(ch)))) ok = false;
            if (!ok)
                throw new Transport.SfRefusedInputException("SfInvalidContainerName",
                    $"'{Input.SfText.Clip(name)}' is not a blob container name: 3 to 63 letters, digits and single hyphens, starting and ending with a letter or digit.");
            return name!;
        }

        /// <summary>A blob service address: absolute http or https, no query (a SAS token does not belong in it).</summary>
        public static Uri RequireBlobServiceUri(Uri uri)
        {
            if (uri == null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                throw new Transport.SfRefusedInputException("SfInvalidBlobServiceUri",
                    $"'{Input.SfText.Clip(uri?.ToString())}' is not a blob service address such as https://account.blob.core.windows.net/.");
            if (!string.IsNullOrEmpty(uri.Query))
                throw new Transport.SfRefusedInputException("SfInvalidBlobServiceUri", "A blob service address must not carry a query: the cluster's managed identity authenticates, not a SAS token.");
            return uri;
        }
    }
}
