using System.Threading.Channels;
using EdgeAgent.Pipelines.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Pipelines.Tests.Support;

/// <summary>Runs a real source into a real bounded channel and collects what comes out.</summary>
public sealed class SourceRunner : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<Sample> _channel = Channel.CreateBounded<Sample>(new BoundedChannelOptions(65536) { SingleReader = true });
    private readonly List<Sample> _samples = [];
    private readonly Task _run;
    private readonly Task _drain;

    public SourceRunner(SampleSource source)
    {
        Source = source;
        _run = Task.Run(async () =>
        {
            try
            {
                await source.RunAsync(_channel.Writer, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            finally
            {
                _channel.Writer.TryComplete();
            }
        });
        _drain = Task.Run(async () =>
        {
            await foreach (var sample in _channel.Reader.ReadAllAsync())
            {
                lock (_samples)
                {
                    _samples.Add(sample);
                }
            }
        });
    }

    public SampleSource Source { get; }

    public Task Completion => _run;

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public static SourceContext Context(string name, params string[] channels) =>
        new(name, 0, [.. channels.Select(c => new SourceChannelOptions { Name = c })], NullLogger.Instance);

    /// <summary>Waits (generously) until <paramref name="condition"/> holds; fails the test if it never does.</summary>
    public static async Task Until(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    public async Task<IReadOnlyList<Sample>> CompleteAsync()
    {
        await _run.WaitAsync(TimeSpan.FromSeconds(60));
        await _drain.WaitAsync(TimeSpan.FromSeconds(60));
        return Samples;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception)
        {
            // Whatever the source ended with was observed (or deliberately not) by the test.
        }

        await _drain.WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }
}
