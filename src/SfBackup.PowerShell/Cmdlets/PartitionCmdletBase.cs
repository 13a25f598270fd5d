using System;
using System.Management.Automation;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;
using SfBackup.PowerShell.Binding;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>Cmdlets that act on one partition per pipeline item.</summary>
    public abstract class PartitionCmdletBase : SfCmdlet
    {
        /// <summary>
        /// <para type="description">The partition: a GUID, or any object with a PartitionId or PartitionInformation.Id property (Get-SfPartition, Microsoft's Service Fabric modules, Import-Csv rows).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PartitionInformation")]
        [PartitionIdTransformation]
        public Guid PartitionId { get; set; }

        protected string TargetText => "Partition " + PartitionId.ToString("D");
    }

    /// <summary>State-changing partition cmdlets: ShouldProcess, then the call, then -PassThru.</summary>
    public abstract class PartitionActionCmdletBase : PartitionCmdletBase
    {
        /// <summary><para type="description">Emit an SfActionResult for each accepted request, to pipe on.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected abstract string ActionText { get; }

        protected abstract SfOperation Operation { get; }

        protected abstract System.Threading.Tasks.Task<SfResponse> Send(Client.Operations.SfBackupClient client, System.Threading.CancellationToken token);

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(TargetText, ActionText)) return;
            var partitionId = PartitionId;
            if (TryInvoke(partitionId, TargetText, Send, out var response) && PassThru)
            {
                WriteObject(new SfActionResult(Operation.Name, partitionId, null, response.RequestId, DateTime.UtcNow));
            }
        }
    }
}
