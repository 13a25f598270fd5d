using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// Windows PowerShell 5.1 cannot run here, so its one hazard in the loader is checked in the metadata: compiling
/// OnImport must not touch SfLoadContext (an AssemblyLoadContext, which .NET Framework lacks); only the method that
/// PowerShell 7 alone calls may.
/// </summary>
public sealed class LoaderTests
{
    [Fact]
    public void OnImport_reaches_the_load_context_only_through_a_method_of_its_own()
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(TestPaths.ModuleDir, "SfBackup.Loader.dll")));
        var reader = pe.GetMetadataReader();
        var loader = reader.TypeDefinitions.Select(reader.GetTypeDefinition).Single(t => reader.GetString(t.Name) == "SfDependencyLoader");

        var onImport = CalledTypes(pe, reader, loader, "OnImport");
        var hook = CalledTypes(pe, reader, loader, "HookLoadContext");

        Assert.DoesNotContain("SfLoadContext", onImport);
        Assert.Contains("SfDependencyLoader", onImport);
        Assert.Contains("SfLoadContext", hook);
    }

    /// <summary>The names of the types whose methods one method calls (call and callvirt).</summary>
    private static HashSet<string> CalledTypes(PEReader pe, MetadataReader reader, TypeDefinition type, string method)
    {
        var definition = type.GetMethods().Select(reader.GetMethodDefinition).Single(m => reader.GetString(m.Name) == method);
        var il = pe.GetMethodBody(definition.RelativeVirtualAddress).GetILReader();
        var types = new HashSet<string>();
        while (il.RemainingBytes > 0)
        {
            var opCode = il.ReadByte() is var b && b == 0xFE ? (ILOpCode)(0xFE00 | il.ReadByte()) : (ILOpCode)b;
            if (opCode is ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn)
            {
                var handle = MetadataTokens.EntityHandle(il.ReadInt32());
                types.Add(handle.Kind switch
                {
                    HandleKind.MethodDefinition => reader.GetString(reader.GetTypeDefinition(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()).Name),
                    HandleKind.MemberReference => ParentName(reader, reader.GetMemberReference((MemberReferenceHandle)handle).Parent),
                    _ => "?",
                });
                continue;
            }
            il.Offset += OperandSize(opCode, ref il);
        }
        return types;
    }

    private static string ParentName(MetadataReader reader, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name),
        HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)parent).Name),
        _ => "?",
    };

    /// <summary>The operand's size in bytes for the opcodes a small method body holds.</summary>
    private static int OperandSize(ILOpCode opCode, ref BlobReader il)
    {
        switch (opCode)
        {
            case ILOpCode.Br_s: case ILOpCode.Brfalse_s: case ILOpCode.Brtrue_s: case ILOpCode.Leave_s: case ILOpCode.Ldc_i4_s:
            case ILOpCode.Ldloc_s: case ILOpCode.Stloc_s: case ILOpCode.Ldarg_s: case ILOpCode.Ldloca_s: case ILOpCode.Beq_s:
            case ILOpCode.Bne_un_s: case ILOpCode.Bge_s: case ILOpCode.Bgt_s: case ILOpCode.Ble_s: case ILOpCode.Blt_s:
                return 1;
            case ILOpCode.Br: case ILOpCode.Brfalse: case ILOpCode.Brtrue: case ILOpCode.Leave: case ILOpCode.Ldc_i4:
            case ILOpCode.Ldstr: case ILOpCode.Ldsfld: case ILOpCode.Stsfld: case ILOpCode.Ldfld: case ILOpCode.Stfld:
            case ILOpCode.Ldsflda: case ILOpCode.Ldflda: case ILOpCode.Newarr: case ILOpCode.Castclass: case ILOpCode.Isinst:
            case ILOpCode.Box: case ILOpCode.Unbox_any: case ILOpCode.Ldtoken: case ILOpCode.Initobj: case ILOpCode.Constrained:
                return 4;
            case ILOpCode.Ldc_i8: case ILOpCode.Ldc_r8:
                return 8;
            case ILOpCode.Switch:
                return 4 * il.ReadInt32();
            default:
                return 0;
        }
    }
}
