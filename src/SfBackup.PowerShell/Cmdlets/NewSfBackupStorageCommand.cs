using System;
using System.Management.Automation;
using System.Security;
using SfBackup.Client.Models;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Describes a backup storage location, for Start-SfPartitionBackup -Storage (and backup policies).</para>
    /// <para type="description">One parameter set per storage kind: AzureBlobStore (-ConnectionString), ManagedIdentityAzureBlobStore (-BlobServiceUri), FileShare (-Path) and DsmsAzureBlobStore (-StorageCredentialsSourceLocation). Secrets are SecureString or PSCredential and never shown.</para>
    /// </summary>
    /// <example>
    /// <code>$blob = New-SfBackupStorage -ConnectionString (Read-Host -AsSecureString 'Connection string') -ContainerName backups</code>
    /// <para>An Azure blob container; the connection string stays a SecureString.</para>
    /// </example>
    /// <example>
    /// <code>$share = New-SfBackupStorage -Path \\nas\sf-backups -Credential (Get-Credential)</code>
    /// <para>A file share every node can reach, written to as the given account.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "SfBackupStorage")]
    [OutputType(typeof(BackupStorage))]
    public sealed class NewSfBackupStorageCommand : PSCmdlet
    {
        private const string AzureBlob = "AzureBlobStore";
        private const string ManagedIdentity = "ManagedIdentityAzureBlobStore";
        private const string FileShare = "FileShare";
        private const string Dsms = "DsmsAzureBlobStore";

        /// <summary><para type="description">The storage account connection string (AzureBlobStore), e.g. from Read-Host -AsSecureString.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = AzureBlob)]
        [ValidateNotNull]
        public SecureString? ConnectionString { get; set; }

        /// <summary><para type="description">The blob service address (ManagedIdentityAzureBlobStore), e.g. https://account.blob.core.windows.net/.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentity)]
        [ValidateNotNull]
        public Uri? BlobServiceUri { get; set; }

        /// <summary><para type="description">Which managed identity the cluster uses (ManagedIdentityAzureBlobStore): Cluster (default) or VMSS.</para></summary>
        [Parameter(ParameterSetName = ManagedIdentity)]
        public ManagedIdentityType ManagedIdentityType { get; set; } = ManagedIdentityType.Cluster;

        /// <summary><para type="description">The DSMS credentials location (DsmsAzureBlobStore).</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = Dsms)]
        [ValidateNotNullOrEmpty]
        public string StorageCredentialsSourceLocation { get; set; } = "";

        /// <summary><para type="description">The blob container backups go to.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = AzureBlob)]
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentity)]
        [Parameter(Mandatory = true, ParameterSetName = Dsms)]
        [ValidateNotNullOrEmpty]
        public string ContainerName { get; set; } = "";

        /// <summary><para type="description">The share every node can reach (FileShare), e.g. \\server\backups.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = FileShare)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary><para type="description">The account that writes to the share (FileShare); without it the cluster's own identity is used.</para></summary>
        [Parameter(ParameterSetName = FileShare)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary><para type="description">A second account for the share, used when the first fails (FileShare).</para></summary>
        [Parameter(ParameterSetName = FileShare)]
        [Credential]
        public PSCredential? SecondaryCredential { get; set; }

        /// <summary><para type="description">A display name for the storage.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? FriendlyName { get; set; }

        protected override void EndProcessing()
        {
            try
            {
                if (ParameterSetName != FileShare) BackupStorageRules.RequireContainerName(ContainerName);
                if (ParameterSetName == ManagedIdentity) BackupStorageRules.RequireBlobServiceUri(BlobServiceUri!);
            }
            catch (SfBackup.Client.Transport.SfRefusedInputException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidArgument, ParameterSetName == ManagedIdentity && ex.ErrorId == "SfInvalidBlobServiceUri" ? (object)BlobServiceUri! : ContainerName));
            }
            BackupStorage storage;
            switch (ParameterSetName)
            {
                case AzureBlob:
                    storage = new AzureBlobBackupStorage(ConnectionString!, ContainerName);
                    break;
                case ManagedIdentity:
                    storage = new ManagedIdentityAzureBlobBackupStorage(BlobServiceUri!, ContainerName, ManagedIdentityType);
                    break;
                case FileShare:
                    storage = new FileShareBackupStorage(Path)
                    {
                        PrimaryUserName = Credential?.UserName,
                        PrimaryPassword = Credential?.Password,
                        SecondaryUserName = SecondaryCredential?.UserName,
                        SecondaryPassword = SecondaryCredential?.Password,
                    };
                    break;
                default:
                    storage = new DsmsAzureBlobBackupStorage(StorageCredentialsSourceLocation, ContainerName);
                    break;
            }
            storage.FriendlyName = FriendlyName;
            WriteObject(storage);
        }
    }
}
