namespace SfBackup.Emulator;

/// <summary>Thrown by the emulator's handlers; the dispatcher answers it as status + FabricError body.</summary>
public sealed class FabricErrorException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static FabricErrorException InvalidArgument(string message) => new(400, "E_INVALIDARG", message);
    public static FabricErrorException PartitionNotFound(Guid id) => new(404, "FABRIC_E_PARTITION_NOT_FOUND", $"Partition {id} does not exist.");
    public static FabricErrorException ServiceNotFound(string name) => new(404, "FABRIC_E_SERVICE_DOES_NOT_EXIST", $"Service {Clip(name)} does not exist.");
    public static FabricErrorException PolicyNotFound(string name) => new(404, "FABRIC_E_BACKUP_POLICY_DOES_NOT_EXIST", $"Backup policy {Clip(name)} does not exist.");

    /// <summary>A name as messages repeat it: cut at 100 characters.</summary>
    public static string Clip(string text) => SfBackup.Client.Input.SfText.Clip(text);
    public static FabricErrorException Stateless(string what) => new(400, "FABRIC_E_INVALID_FOR_STATELESS_SERVICES", $"{what} belongs to a stateless service; backup applies to stateful services only.");
    public static FabricErrorException NotEnabled(string what) => new(404, "FABRIC_E_BACKUP_NOT_ENABLED", $"Periodic backup is not enabled for {what}.");
}
