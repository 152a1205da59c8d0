using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.IO;

namespace BackpropGen.Tool;

/// <summary>The <c>backpropgen</c> command line.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <returns>The exit code: 0, or 1 when a file is missing or a diagnostic is an error.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        // A root named after the command, not after the assembly as RootCommand would be (BackpropGen.Tool).
        var root = new Command("backpropgen", "BackpropGen: derive the backpropagation of networks declared with [Network] and [Dense] attributes.")
        {
            new HelpOption(),
            new VersionOption(),
            DeriveCommand.Create(),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
