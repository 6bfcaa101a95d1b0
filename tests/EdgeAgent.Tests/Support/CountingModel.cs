using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Tests.Support;

/// <summary>A pipeline's model that counts its runs and whether it was released (what a swap must leave behind).</summary>
internal sealed class CountingModel(IWindowModel inner) : IWindowModel, IDisposable
{
    public long Runs { get; private set; }

    public bool Disposed { get; private set; }

    public Span<float> Input => inner.Input;

    public ReadOnlySpan<float> Output => inner.Output;

    public void Run()
    {
        inner.Run();
        Runs++;
    }

    public void Dispose()
    {
        Disposed = true;
        (inner as IDisposable)?.Dispose();
    }

    /// <summary>Waits (60 s at most) until <paramref name="pipeline"/> has scored <paramref name="windows"/> windows.</summary>
    public static async Task WaitForWindowsAsync(SensorPipeline pipeline, long windows)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (pipeline.Scored < windows)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the pipeline should score {windows} windows; it scored {pipeline.Scored}");
            }

            await Task.Delay(10);
        }
    }
}
