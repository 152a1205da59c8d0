using System;
using System.IO;
using BackpropGen.Symbolic.Networks;
using Scriban;
using Scriban.Runtime;

namespace BackpropGen.Generator.Documents;

/// <summary>Renders a <see cref="Derivation"/> as a complete, standalone LaTeX document (amsmath, TikZ).</summary>
public static class DerivationDocument
{
    private static readonly Lazy<Template> DocumentTemplate = new(() => LoadTemplate("Derivation.tex.sbn"));

    /// <summary>The document, in the notation of the derivation's network.</summary>
    public static string Render(Derivation derivation)
    {
        var globals = new ScriptObject();
        globals.Import(DocumentModel.Build(derivation));
        var context = new TemplateContext
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
