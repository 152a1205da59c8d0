using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Generator.Model;

/// <summary>
/// Where a network's code goes: the user's partial class, its namespace and the partial types around it.
/// Holds only strings, so it compares by value and nothing of the compilation survives in it.
/// </summary>
internal sealed record NetworkTarget
{
    private readonly EquatableArray<string> _containingTypes;

    /// <param name="namespace">The namespace, or null for the global namespace.</param>
    /// <param name="containingTypes">
    /// Declaration heads of the containing types, outermost first, as the emitter writes them after
    /// <c>partial</c>: <c>class Outer</c>, <c>struct Holder</c>, <c>record Model</c>, <c>record struct Pair</c>.
    /// </param>
    /// <param name="name">The network class's name.</param>
    /// <param name="visibility">
    /// <c>public</c> or <c>internal</c>: how far the class is visible from outside its containers (the narrowest of
    /// its own and theirs); null when a container hides it from its namespace (private or protected nesting).
    /// </param>
    /// <param name="extensionsAttributes">
    /// Attributes the extension class carries so that naming the class in it is allowed: the <c>[Obsolete]</c> and <c>[Experimental]</c> of the
    /// class or of the innermost container marked so, as C# code, or the empty string.
    /// </param>
    public NetworkTarget(string? @namespace, IEnumerable<string> containingTypes, string name, string? visibility, string extensionsAttributes = "")
    {
        Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace;
        _containingTypes = containingTypes.ToEquatableArray();
        Name = name;
        Visibility = visibility;
        ExtensionsAttributes = extensionsAttributes;
    }

    /// <summary>
    /// The class's <c>[Obsolete]</c> and <c>[Experimental]</c> (or its innermost marked container's), copied onto the extension class, whose
    /// code names the class: inside a type marked so, using such a type is not reported. Empty when there are none.
    /// </summary>
    public string ExtensionsAttributes { get; }

    /// <summary><c>public</c>, <c>internal</c>, or null when the class cannot be named from its namespace.</summary>
    public string? Visibility { get; }

    /// <summary>The class as C# code names it anywhere: <c>global::Demo.Outer.NotesNet</c>.</summary>
    public string TypeReference =>
        "global::" + string.Join(".", new[] { Namespace }.Concat(_containingTypes.Select(TypeName)).Append(Name).Where(p => !string.IsNullOrEmpty(p)));

    /// <summary>
    /// The static class of the network's extension methods, in the global namespace so they are always in scope,
    /// named after the full name so it is unique: <c>__Demo_Outer_NotesNetExtensions</c>. An underscore of the name is
    /// written <c>_1</c>, so <c>A_B.Net</c> and <c>A.B.Net</c> get different classes (no name after a dot starts
    /// with a digit, so <c>_1</c> never stands for a dot). The leading <c>__</c>, as on every private generated
    /// member, keeps it apart from the names people write: a network <c>ProbeExtensions</c> or a user's own
    /// <c>NetExtensions</c> class meets nothing. A type the user names exactly so is reported (BPG0033).
    /// </summary>
    public string ExtensionsName => "__" + FullName.Replace("_", "_1").Replace('.', '_') + "Extensions";

    public string? Namespace { get; }

    public IReadOnlyList<string> ContainingTypes => _containingTypes;

    public string Name { get; }

    /// <summary>
    /// The class's full name, for messages and the file name: <c>{Namespace}.{Outer}.{Name}</c>, without the <c>@</c>
    /// of names that are keywords (a file name cannot contain it).
    /// </summary>
    public string FullName =>
        string.Join(".", new[] { Namespace }.Concat(_containingTypes.Select(TypeName)).Append(Name).Where(p => !string.IsNullOrEmpty(p))).Replace("@", "");

    /// <summary>The generated file's name: <c>{Namespace}.{Outer}.{Name}.g.cs</c>.</summary>
    public string HintName => FullName + ".g.cs";

    /// <summary>The name in a declaration head: <c>record struct Pair</c> gives <c>Pair</c>.</summary>
    private static string TypeName(string head) => head.Substring(head.LastIndexOf(' ') + 1);


    public override string ToString() => HintName;
}
