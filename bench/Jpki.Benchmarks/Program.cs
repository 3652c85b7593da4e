using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project bench/Jpki.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
