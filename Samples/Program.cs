using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using BackpropGen.Samples;

// The main job: the notes network, declared with attributes, trained with its generated code, and its
// derivation written out as LaTeX (and as PDF when pdflatex is installed).
if (args.Length > 0 && args[0] == "engine")
{
    EngineTour.Run();
    return 0;
}

if (args.Length > 0)
{
    Console.Error.WriteLine($"unknown argument '{args[0]}'. Run with no arguments for the notes network, or with 'engine' for a tour of the algebra engine.");
    return 2;
}

var output = Path.Combine(Environment.CurrentDirectory, "backpropgen-output");
Directory.CreateDirectory(output);

Console.WriteLine("NotesNet: 2 inputs -> 3 sigmoid -> 2 sigmoid, half squared error (the 365 Data Science notes)");
Console.WriteLine($"{NotesNet.ParameterCount} parameters; the generated class carries its derivation ({NotesNet.DerivationLatex.Length} characters of LaTeX).");
Console.WriteLine();

// A small task: the two outputs say whether the inputs differ (XOR) and whether they agree.
double[][] inputs = { new[] { 0.0, 0.0 }, new[] { 0.0, 1.0 }, new[] { 1.0, 0.0 }, new[] { 1.0, 1.0 } };
double[][] targets = { new[] { 0.1, 0.9 }, new[] { 0.9, 0.1 }, new[] { 0.9, 0.1 }, new[] { 0.1, 0.9 } };
var network = new NotesNet();
double MeanLoss() => inputs.Select((x, n) => network.Loss(x, targets[n])).Average();

const int epochs = 4000;
const double learningRate = 2.0;
Console.WriteLine($"Training with TrainStep, learning rate {learningRate}, {epochs} epochs of 4 examples:");
var clock = Stopwatch.StartNew();
for (var epoch = 0; epoch <= epochs; epoch++)
{
    if (epoch % 500 == 0)
    {
        Console.WriteLine($"  epoch {epoch,5}   mean loss {MeanLoss().ToString("F6", CultureInfo.InvariantCulture)}");
    }

    if (epoch < epochs)
    {
        for (var n = 0; n < inputs.Length; n++)
        {
            network.TrainStep(inputs[n], targets[n], learningRate);
        }
    }
}

Console.WriteLine($"  {epochs * inputs.Length} training steps in {clock.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms");
Console.WriteLine();
Console.WriteLine("Predictions:");
var prediction = new double[NotesNet.OutputCount];
for (var n = 0; n < inputs.Length; n++)
{
    network.Forward(inputs[n], prediction);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  x = ({inputs[n][0]}, {inputs[n][1]})   y = ({prediction[0]:F3}, {prediction[1]:F3})   t = ({targets[n][0]}, {targets[n][1]})"));
}

Console.WriteLine();
var tex = Path.Combine(output, "NotesNet.tex");
File.WriteAllText(tex, NotesNet.DerivationLatex);
Console.WriteLine($"Derivation written to {tex}");
var pdf = LatexToPdf.Compile(tex);
Console.WriteLine(pdf.Succeeded ? $"PDF written to {pdf.PdfPath}" : pdf.Message);
return 0;
