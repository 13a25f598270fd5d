using System.Collections;
using SfBackup.Client.Input;

namespace SfBackup.Tests;

/// <summary>What users and other tools hand the cmdlets, turned into the ids the REST API wants.</summary>
public sealed class EntityIdTests
{
    [Theory]
    [InlineData("fabric:/CalcApp/CalcService", "CalcApp~CalcService")]
    [InlineData("FABRIC:/CalcApp/CalcService", "CalcApp~CalcService")]
    [InlineData("CalcApp/CalcService", "CalcApp~CalcService")]
    [InlineData("/CalcApp/CalcService/", "CalcApp~CalcService")]
    [InlineData("CalcApp~CalcService", "CalcApp~CalcService")]
    [InlineData(" fabric:/myapp/app1/svc1 ", "myapp~app1~svc1")]
    [InlineData("fabric:/Shop.Api/Orders", "Shop.Api~Orders")]
    public void Service_names_in_every_form_become_the_tilde_id(string name, string id) =>
        Assert.Equal(id, EntityIds.ToEntityId(name));

    [Theory]
    [InlineData("")]
    [InlineData("fabric:/")]
    [InlineData("fabric:/app//svc")]
    [InlineData("app/svc?x=1")]
    [InlineData("app/svc#frag")]
    [InlineData("app\\svc")]
    public void Names_that_no_service_can_have_are_refused(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => EntityIds.ToEntityId(name));

    [Fact]
    public void A_tilde_id_turns_back_into_a_fabric_name() =>
        Assert.Equal("fabric:/myapp/app1/svc1", EntityIds.ToFabricName("myapp~app1~svc1"));

    private static readonly Guid Id = Guid.Parse("1daae3f5-7fd6-42e9-b1ba-8c05f873994d");

    /// <summary>Reads public properties by name, as PowerShell's PSObject does for the binder.</summary>
    private static object? Reflect(object target, string name) =>
        target.GetType().GetProperty(name)?.GetValue(target);

    public sealed class MicrosoftPartitionInformation { public Guid Id { get; set; } = EntityIdTests.Id; public string ServicePartitionKind { get; set; } = "Int64Range"; }
    public sealed class HttpModulePartition { public MicrosoftPartitionInformation PartitionInformation { get; set; } = new(); public string PartitionStatus { get; set; } = "Ready"; }
    public sealed class SdkModulePartition { public Guid PartitionId { get; set; } = EntityIdTests.Id; public string ServiceKind { get; set; } = "Stateful"; }
    public sealed class CsvRow { public string PartitionId { get; set; } = "1daae3f5-7fd6-42e9-b1ba-8c05f873994d"; public string Note { get; set; } = "from Import-Csv"; }
    public sealed class Unrelated { public string Name { get; set; } = "x"; }

    public static TheoryData<string, object> Shapes() => new()
    {
        { "Guid", Id },
        { "string", "1daae3f5-7fd6-42e9-b1ba-8c05f873994d" },
        { "braced string", "{1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D}" },
        { "padded string", "  1daae3f5-7fd6-42e9-b1ba-8c05f873994d\t" },
        { "Microsoft.ServiceFabric.Powershell.Http partition", new HttpModulePartition() },
        { "ServiceFabric SDK module partition", new SdkModulePartition() },
        { "PartitionInformation object itself", new MicrosoftPartitionInformation() },
        { "Import-Csv row", new CsvRow() },
        { "hashtable", new Hashtable { ["PartitionId"] = "1daae3f5-7fd6-42e9-b1ba-8c05f873994d" } },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_partition_shape_yields_the_partition_id(string shape, object value)
    {
        Assert.True(EntityIds.TryGetPartitionId(value, Reflect, out var id), shape);
        Assert.Equal(Id, id);
    }

    [Fact]
    public void Null_carries_no_partition_id() =>
        Assert.False(EntityIds.TryGetPartitionId(null, Reflect, out _));

    public static TheoryData<object> NotPartitions() => new()
    {
        "", "not-a-guid", Guid.Empty, "00000000-0000-0000-0000-000000000000", new Unrelated(), new[] { Id.ToString() }, 42,
    };

    [Theory]
    [MemberData(nameof(NotPartitions))]
    public void Values_that_carry_no_partition_id_are_refused(object value) =>
        Assert.False(EntityIds.TryGetPartitionId(value, Reflect, out _));
}
