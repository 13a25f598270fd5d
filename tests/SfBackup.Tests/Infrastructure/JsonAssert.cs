using System.Text.Json.Nodes;

namespace SfBackup.Tests.Infrastructure;

public static class JsonAssert
{
    /// <summary>Same JSON value, whatever the white space and property order.</summary>
    public static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected JSON {expected}\nbut got {actual}");
}
