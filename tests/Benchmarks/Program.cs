using BenchmarkDotNet.Running;
using EdgeAgent.Benchmarks.Camera;

// `camera-load` runs the whole-process camera measurement; anything else goes to BenchmarkDotNet, e.g.
// `dotnet run -c Release --project tests/Benchmarks -- --filter '*Camera*'`.
if (args is ["camera-load", ..])
{
    await CameraLoadProbe.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
