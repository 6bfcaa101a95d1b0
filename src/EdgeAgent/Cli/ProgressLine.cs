using System.Diagnostics;

namespace EdgeAgent.Cli;

/// <summary>A one-line progress counter on stderr for long inputs: redrawn in place on a terminal, every few seconds otherwise.</summary>
internal sealed class ProgressLine : IProgress<long>, IDisposable
{
    private readonly string _verb;
    private readonly string _unit;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _last;
    private long _value;

    public ProgressLine(string verb, string unit)
    {
        _verb = verb;
        _unit = unit;
    }

    public void Report(long value)
    {
        _value = value;
        var interval = _terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5);
        if (_last is { } last && _clock.Elapsed - last < interval)
        {
            return;
        }

        _last = _clock.Elapsed;
        Console.Error.Write(_terminal ? $"\r{_verb}: {value:N0} {_unit} ({_clock.Elapsed.TotalSeconds:0.0}s)" : $"{_verb}: {value:N0} {_unit}\n");
    }

    public void Done()
    {
        if (_terminal)
        {
            Console.Error.WriteLine($"\r{_verb}: {_value:N0} {_unit} in {_clock.Elapsed.TotalSeconds:0.0}s");
        }
    }

    public void Dispose()
    {
    }
}
