using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace SfBackup.Loader
{
    /// <summary>
    /// PowerShell 7 only (never touched on Windows PowerShell, which has no load contexts): the module's private
    /// AssemblyLoadContext. The default context is asked for SfBackup.Client when the cmdlets first need it; this
    /// context answers, and from then on every assembly the client asks for is looked up here first, in
    /// dependencies/ (or in its precompiled set for this runtime and platform). So the module runs its own versions
    /// of System.Text.Json, Microsoft.Extensions.* and Polly whatever other modules loaded into the session, before
    /// or after, and theirs never see ours.
    /// </summary>
    /// <remarks>
    /// One exception: an assembly that the host itself ships (PowerShell's own folder and the .NET runtime: the
    /// trusted platform assemblies) at the same or a later version is shared rather than loaded twice. Those cannot be
    /// replaced by another module, so sharing them cannot conflict, and it keeps the BCL's types one type.
    /// </remarks>
    internal sealed class SfLoadContext : AssemblyLoadContext
    {
        private const string EntryAssembly = "SfBackup.Client";
        private static SfLoadContext? _instance;
        private readonly string _folder;
        private readonly Dictionary<string, string> _hostAssemblies;

        private SfLoadContext(string folder)
        {
            _folder = folder;
            _hostAssemblies = HostAssemblies();
        }

        /// <summary>The context, when PowerShell 7 has loaded the module.</summary>
        internal static SfLoadContext? Instance => _instance;

        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void Hook(string folder)
        {
            _instance = new SfLoadContext(PrecompiledSet(folder) ?? folder);
            Default.Resolving += (_, name) => name.Name == EntryAssembly ? _instance.LoadFromAssemblyName(name) : null;
        }

        /// <summary>
        /// dependencies/net10.0-linux-x64 and the like, when the module was built with one for this runtime and
        /// platform: the same client, and the dependency builds NuGet picks for that framework, as ReadyToRun images.
        /// The runtime uses precompiled code only from images made for its own major version, so a set is chosen by
        /// that version and by the platform's runtime identifier (read through reflection: netstandard2.0 does not
        /// declare it). Any other runtime or platform (linux-musl-x64, say) loads the plain builds in dependencies/
        /// and compiles them itself.
        /// </summary>
        private static string? PrecompiledSet(string folder)
        {
            var platform = typeof(RuntimeInformation).GetProperty("RuntimeIdentifier")?.GetValue(null) as string;
            if (string.IsNullOrEmpty(platform)) return null;
            var set = Path.Combine(folder, "net" + Environment.Version.Major + ".0-" + platform);
            return File.Exists(Path.Combine(set, EntryAssembly + ".dll")) ? set : null;
        }

        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(_folder, name.Name + ".dll");
            if (!File.Exists(path) || HostHasAtLeast(name)) return null;
            return LoadFromAssemblyPath(path);
        }

        private bool HostHasAtLeast(AssemblyName name)
        {
            if (name.Name == EntryAssembly || !_hostAssemblies.TryGetValue(name.Name ?? "", out var path)) return false;
            try
            {
                return AssemblyName.GetAssemblyName(path).Version >= (name.Version ?? new Version(0, 0));
            }
            catch (Exception ex) when (ex is IOException || ex is BadImageFormatException)
            {
                return false;
            }
        }

        /// <summary>The host's trusted platform assemblies by simple name.</summary>
        private static Dictionary<string, string> HostAssemblies()
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
            foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                map[Path.GetFileNameWithoutExtension(path)] = path;
            return map;
        }
    }
}
