using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using BackpropGen.Generator;
using BackpropGen.Symbolic;

namespace BackpropGen.Tests.Robustness;

/// <summary>
/// The generator and the engine touch nothing outside the compilation: no file, directory, network or process
/// access, no loading of assemblies and no reflection over types named by strings (user code is read only through
/// Roslyn's symbols). Checked on the built assemblies' metadata: every type and member they reference.
/// </summary>
public class GeneratorIsolationTests
{
    /// <summary>
    /// Referenced types that mean access outside the compilation, by namespace prefix or full name. Streams and
    /// readers as such are allowed (the generator reads its embedded templates with
    /// <see cref="Assembly.GetManifestResourceStream(string)"/> and a <see cref="StreamReader"/> on that stream); a
    /// reader or writer opened on a path is caught by <see cref="ForbiddenMembers"/>.
    /// </summary>
    private static readonly string[] ForbiddenTypes =
    {
        "System.IO.File", "System.IO.FileInfo", "System.IO.FileStream", "System.IO.FileSystemInfo", "System.IO.FileSystemWatcher",
        "System.IO.Directory", "System.IO.DirectoryInfo", "System.IO.DriveInfo", "System.IO.RandomAccess",
        "System.IO.IsolatedStorage.", "System.IO.MemoryMappedFiles.", "System.IO.Pipes.", "System.IO.Compression.ZipFile",
        "System.Net.", "System.Diagnostics.Process", "System.Diagnostics.ProcessStartInfo",
        "System.Runtime.Loader.", "System.Activator", "System.AppDomain", "System.Runtime.InteropServices.NativeLibrary",
        "System.Reflection.Emit.",
        // Scriban's include statement reads templates through a loader; the generator sets none.
        "Scriban.Runtime.ITemplateLoader",
    };

    /// <summary>Referenced members that load code or reach types by name, or open a path.</summary>
    private static readonly string[] ForbiddenMembers =
    {
        "System.Reflection.Assembly::Load", "System.Reflection.Assembly::LoadFrom", "System.Reflection.Assembly::LoadFile",
        "System.Reflection.Assembly::UnsafeLoadFrom", "System.Reflection.Assembly::ReflectionOnlyLoad",
        "System.Reflection.Assembly::ReflectionOnlyLoadFrom", "System.Reflection.Assembly::GetType",
        "System.Reflection.Assembly::GetTypes", "System.Reflection.Assembly::get_Location", "System.Reflection.Assembly::get_CodeBase",
        "System.Type::GetType", "System.Type::InvokeMember", "System.Reflection.MethodBase::Invoke",
        "System.Environment::get_CurrentDirectory", "System.Environment::GetEnvironmentVariable",
        "System.IO.StreamReader::.ctor(string", "System.IO.StreamWriter::.ctor(string",
    };

    public static TheoryData<string> Assemblies() => new() { "BackpropGen.Generator", "BackpropGen.Symbolic" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void The_assembly_references_no_file_network_process_or_assembly_loading_API(string name)
    {
        var references = References(Locate(name));

        Assert.NotEmpty(references.Types);
        Assert.DoesNotContain(references.Types, t => ForbiddenTypes.Any(f => f.EndsWith('.') ? t.StartsWith(f, StringComparison.Ordinal) : t == f));
        Assert.DoesNotContain(references.Members, m => ForbiddenMembers.Any(f => m.StartsWith(f, StringComparison.Ordinal) && (f.Contains('(') || m.Length == f.Length || m[f.Length] == '(')));
        Assert.Empty(references.NativeImports);
    }

    [Fact]
    public void The_check_sees_the_references_it_looks_for()
    {
        // The template is read from the generator's own resources: the allowed way, seen by the same reader.
        var generator = References(Locate("BackpropGen.Generator"));
        Assert.Contains("System.Reflection.Assembly::GetManifestResourceStream(string)", generator.Members);
        Assert.Contains("System.IO.StreamReader::.ctor(System.IO.Stream)", generator.Members);

        // And this test assembly, which does open files, is caught.
        var tests = References(typeof(GeneratorIsolationTests).Assembly.Location);
        Assert.Contains("System.IO.File", tests.Types);
        Assert.Contains(tests.Members, m => m.StartsWith("System.IO.File::ReadAllText(", StringComparison.Ordinal));
    }

    private static string Locate(string name) =>
        name == "BackpropGen.Generator" ? typeof(BackpropGenerator).Assembly.Location : typeof(Expr).Assembly.Location;

    private sealed record AssemblyReferences(IReadOnlyCollection<string> Types, IReadOnlyCollection<string> Members, IReadOnlyCollection<string> NativeImports);

    /// <summary>
    /// Every type reference (<c>Namespace.Outer+Inner</c>) and member reference (<c>Type::Name(parameter types)</c>)
    /// of the assembly at <paramref name="path"/>, and its P/Invoke imports.
    /// </summary>
    private static AssemblyReferences References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var names = new TypeNames(metadata);

        var types = metadata.TypeReferences.Select(h => names.Of(h)).ToHashSet(StringComparer.Ordinal);
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            var owner = member.Parent.Kind switch
            {
                HandleKind.TypeReference => names.Of((TypeReferenceHandle)member.Parent),
                HandleKind.TypeSpecification => metadata.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(names, null),
                _ => "",
            };
            var signature = member.GetKind() == MemberReferenceKind.Method
                ? "(" + string.Join(",", member.DecodeMethodSignature(names, null).ParameterTypes) + ")"
                : "";
            members.Add(owner + "::" + metadata.GetString(member.Name) + signature);
        }

        var imports = metadata.MethodDefinitions
            .Select(h => metadata.GetMethodDefinition(h))
            .Where(m => (m.Attributes & MethodAttributes.PinvokeImpl) != 0)
            .Select(m => metadata.GetString(m.Name))
            .ToList();
        return new AssemblyReferences(types, members, imports);
    }

    /// <summary>Type names from metadata: generic instantiations by their generic type, arrays and pointers by their element.</summary>
    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        private readonly MetadataReader _metadata;

        public TypeNames(MetadataReader metadata) => _metadata = metadata;

        public string Of(TypeReferenceHandle handle)
        {
            var reference = _metadata.GetTypeReference(handle);
            var name = _metadata.GetString(reference.Name);
            return reference.ResolutionScope.Kind == HandleKind.TypeReference
                ? Of((TypeReferenceHandle)reference.ResolutionScope) + "+" + name
                : Qualified(_metadata.GetString(reference.Namespace), name);
        }

        private string Of(TypeDefinitionHandle handle)
        {
            var definition = _metadata.GetTypeDefinition(handle);
            var name = _metadata.GetString(definition.Name);
            return definition.IsNested ? Of(definition.GetDeclaringType()) + "+" + name : Qualified(_metadata.GetString(definition.Namespace), name);
        }

        private static string Qualified(string @namespace, string name) => @namespace.Length == 0 ? name : @namespace + "." + name;

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString().ToLowerInvariant();

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Of(handle);

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Of(handle);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[*]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetTypeFromSerializedName(string name) => name;

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public string GetSystemType() => "System.Type";

        public bool IsSystemType(string type) => type == "System.Type";
    }
}
