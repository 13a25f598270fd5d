using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// The module's precompiled set for the runtime these tests run on (issue 8, the cold path): the client and its
/// third-party dependencies as ReadyToRun images, beside the plain builds that every other runtime loads. The runtime
/// reads precompiled code only from an image made for its own major version and ignores it otherwise, silently: so the
/// set is checked against the version that this runtime's core library carries.
/// </summary>
public class PrecompiledSetTests
{
    private static string SetDir =>
        Path.Combine(TestPaths.DependencyDir, $"net{Environment.Version.Major}.0-{RuntimeInformation.RuntimeIdentifier}");

    [Fact]
    public void The_module_has_a_set_for_this_runtime_with_the_client_and_its_third_party_dependencies()
    {
        var files = Directory.GetFileSystemEntries(SetDir).Select(Path.GetFileName).ToHashSet();

        foreach (var expected in new[] { "SfBackup.Client.dll", "Microsoft.Extensions.Http.dll", "Microsoft.Extensions.DependencyInjection.dll", "Polly.Core.dll" })
            Assert.Contains(expected, files);
        // Images only: not the publishing project itself, nor symbols, docs or a deps file.
        Assert.All(files, file => Assert.EndsWith(".dll", file));
        Assert.DoesNotContain("SfBackup.Precompile.dll", files);
    }

    [Fact]
    public void Every_image_in_the_set_is_ReadyToRun_for_this_runtimes_major_version()
    {
        var runtime = ReadyToRunMajorVersion(typeof(object).Assembly.Location);
        Assert.NotNull(runtime);

        foreach (var file in Directory.GetFiles(SetDir, "*.dll"))
        {
            var image = ReadyToRunMajorVersion(file);
            Assert.True(image == runtime, $"{Path.GetFileName(file)}: ReadyToRun {image?.ToString() ?? "none"}, this runtime reads {runtime}");
        }
    }

    [Fact]
    public void The_plain_dependencies_stay_IL_only_so_that_any_runtime_and_platform_can_load_them()
    {
        var files = Directory.GetFiles(TestPaths.DependencyDir, "*.dll");

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.Null(ReadyToRunMajorVersion(file)));
    }

    /// <summary>The major version in an image's ReadyToRun header, or null for an IL-only image.</summary>
    private static int? ReadyToRunMajorVersion(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var directory = pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory;
        if (directory is not { Size: > 0 } native) return null;
        var header = pe.GetSectionData(native.RelativeVirtualAddress).GetReader();
        const uint signature = 0x00525452; // "RTR"
        return header.ReadUInt32() == signature ? header.ReadUInt16() : null;
    }
}
