using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, e.g. `dotnet run -c Release --project tests/Benchmarks -- --filter '*Camera*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
