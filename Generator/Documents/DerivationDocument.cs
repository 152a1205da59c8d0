using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Reflection;
using BackpropGen.Symbolic.Networks;
using Scriban;
using Scriban.Runtime;

namespace BackpropGen.Generator.Documents;

/// <summary>Renders a <see cref="Derivation"/> as a complete, standalone LaTeX document (amsmath, TikZ).</summary>
public static class DerivationDocument
{
    private static readonly Lazy<Template> DocumentTemplate = new(() => LoadTemplate("Derivation.tex.sbn"));

    /// <summary>
    /// Scriban's built-in functions, made once: a context otherwise makes its own copy of them, a good part of the cost of
    /// a small document. The template writes no global of its own into them (they are read-only), so contexts on several
    /// threads share them.
    /// </summary>
    private static readonly Lazy<ScriptObject> Builtins = new(() =>
    {
        var builtins = TemplateContext.GetDefaultBuiltinObject();
        builtins.IsReadOnly = true;
        return builtins;
    });

    /// <summary>The document, in the notation of the derivation's network.</summary>
    public static string Render(Derivation derivation)
    {
        var globals = Globals(DocumentModel.Build(derivation));
        var context = new DocumentContext(Builtins.Value)
        {
            StrictVariables = true,
            LoopLimit = int.MaxValue,

            // Scriban cuts any string longer than a mebibyte by default; a document of a few hundred layers is longer.
            LimitToString = 0,
            NewLine = "\n",
        };
        context.PushGlobal(globals);
        return DocumentTemplate.Value.Render(context);
    }

    /// <summary>
    /// The model's properties as the template's globals, by the names Scriban gives them (<c>layer_count</c>): what
    /// <c>ScriptObject.Import</c> makes of the model, with the properties looked up once rather than for every document.
    /// </summary>
    internal static ScriptObject Globals(DocumentModel model)
    {
        var globals = new ScriptObject();
        foreach (var (name, property) in ModelProperties.Value)
        {
            globals.SetValue(name, property.GetValue(model), readOnly: false);
        }

        return globals;
    }

    private static readonly Lazy<(string Name, PropertyInfo Property)[]> ModelProperties = new(() => typeof(DocumentModel)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        .Where(property => property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0 && property.GetCustomAttribute<ScriptMemberIgnoreAttribute>() is null)
        .Select(property => (StandardMemberRenamer.Default(property), property))
        .ToArray());

    /// <summary>
    /// A template context that reads the document model's objects through accessors made once per type for all documents:
    /// a context of its own would look each type's properties up again by reflection for every document.
    /// </summary>
    private sealed class DocumentContext : TemplateContext
    {
        private static readonly ConcurrentDictionary<Type, IObjectAccessor?> ModelAccessors = new();

        public DocumentContext(ScriptObject builtins)
            : base(builtins)
        {
        }

        protected override IObjectAccessor? GetMemberAccessorImpl(object target)
        {
            // Only the model's own classes, read with the default member filter and renamer, which this context keeps.
            var type = target.GetType();
            return type.Assembly == typeof(DocumentModel).Assembly && MemberFilter is null && ReferenceEquals(MemberRenamer, StandardMemberRenamer.Default)
                ? ModelAccessors.GetOrAdd(type, _ => base.GetMemberAccessorImpl(target))
                : base.GetMemberAccessorImpl(target);
        }
    }

    private static Template LoadTemplate(string name)
    {
        using var stream = typeof(DerivationDocument).Assembly.GetManifestResourceStream("BackpropGen.Templates." + name)
            ?? throw new InvalidOperationException($"the template '{name}' is not embedded in {typeof(DerivationDocument).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd(), name);
        if (template.HasErrors)
        {
            throw new InvalidOperationException($"the template '{name}' does not parse: {string.Join("; ", template.Messages)}");
        }

        return template;
    }
}
