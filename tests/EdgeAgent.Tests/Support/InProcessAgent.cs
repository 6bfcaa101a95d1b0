using System.Text;
using EdgeAgent.Configuration;
using EdgeAgent.Hosting;
using EdgeAgent.Mqtt;
using EdgeAgent.Outbox;
using EdgeAgent.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Core;
using Serilog.Events;

namespace EdgeAgent.Tests.Support;

/// <summary>
/// The agent's real outbox, MQTT link and telemetry wired as Program.BuildHost wires them, in the test process
/// (faster than the executable when the test needs to reach inside). Log lines are collected for assertions.
/// </summary>
public sealed class InProcessAgent : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly LogCollector _log;

    private InProcessAgent(IHost host, LogCollector log)
    {
        _host = host;
        _log = log;
    }

    public IServiceProvider Services => _host.Services;

    public DurableOutbox Outbox => _host.Services.GetRequiredService<DurableOutbox>();

    public MqttLink Link => _host.Services.GetRequiredService<MqttLink>();

    public string Log => _log.Text;

    /// <param name="settings">--set style overrides, e.g. <c>mqtt.port=1884</c>.</param>
    public static Task<InProcessAgent> StartAsync(string stateDirectory, params string[] settings) => StartAsync(stateDirectory, null, settings);

    public static async Task<InProcessAgent> StartAsync(string stateDirectory, Action<IServiceCollection>? configure, params string[] settings)
    {
        var loaded = ConfigLoader.Load(
            new ConfigSources([], [$"stateDirectory={stateDirectory}", "deviceId=testdev", "logging.file.enabled=false", .. settings]),
            new Dictionary<string, string>());
        var log = new LogCollector();
        var logger = new Serilog.LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(log).CreateLogger();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAgentCore(loaded, logger);
        builder.Services.AddOutbox(loaded.Options);
        builder.Services.AddMqtt(loaded.Options);
        builder.Services.AddTelemetry(loaded.Options);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessAgent(host, log);
    }

    public async Task WaitUntilAsync(Func<InProcessAgent, bool> condition, TimeSpan timeout, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition(this))
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"within {timeout.TotalSeconds:F0}s: {what}. Log:\n{Log}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed class LogCollector : ILogEventSink
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_text)
            {
                _text.Append(logEvent.Level).Append(' ').AppendLine(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
                if (logEvent.Exception is not null)
                {
                    _text.AppendLine(logEvent.Exception.ToString());
                }
            }
        }
    }
}
