using BenchmarkDotNet.Running;

// dotnet run -c Release --project Benchmarks -- --filter '*'   (add --job short for a quick run)
BenchmarkSwitcher.FromAssembly(typeof(BackpropGen.Benchmarks.NotesTrainStep).Assembly).Run(args);
