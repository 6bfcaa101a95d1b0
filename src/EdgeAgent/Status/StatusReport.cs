using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Mqtt;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeAgent.Status;

/// <summary>
/// What <c>edgeagent status</c> shows: the STATUS line's health per component, and telemetry's picture (MQTT, outbox,
/// pipelines through the same <see cref="ITelemetryContributor"/>s) plus the models each pipeline runs. Written on
/// request, on the socket's thread; nothing here touches a pipeline's loop.
/// </summary>
public sealed class StatusReport
{
    private static readonly string Version = typeof(StatusReport).Assembly.GetName().Version?.ToString(3) ?? "0";
    private readonly AgentOptions _options;
    private readonly IServiceProvider _services;
    private readonly long _startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public StatusReport(AgentOptions options, IServiceProvider services)
    {
        _options = options;
        _services = services;
    }

    public byte[] Write()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            w.WriteStartObject();
            w.WriteString("device", _options.DeviceId);
            w.WriteString("version", Version);
            w.WriteNumber("pid", Environment.ProcessId);
            w.WriteNumber("uptimeSeconds", (nowMs - _startedMs) / 1000);
            w.WriteString("stateDirectory", _options.StateDirectory);
            WriteHealth(w);
            WriteMqtt(w, nowMs);
            WriteOutbox(w, nowMs);
            WriteModels(w);
            w.WriteStartObject("pipelines");
            foreach (var contributor in _services.GetServices<ITelemetryContributor>())
            {
                w.WriteStartObject(contributor.Name);
                contributor.WriteCounters(w);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteHealth(Utf8JsonWriter w)
    {
        var reports = _services.GetRequiredService<HealthMonitor>().CheckAll();
        w.WriteStartObject("health");
        w.WriteString("overall", HealthMonitor.Overall(reports).ToString().ToLowerInvariant());
        w.WriteStartArray("components");
        foreach (var (name, report) in reports)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("state", report.State.ToString().ToLowerInvariant());
            w.WriteString("summary", report.Summary);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteMqtt(Utf8JsonWriter w, long nowMs)
    {
        w.WriteStartObject("mqtt");
        if (_services.GetService<MqttLink>() is { } link)
        {
            w.WriteString("broker", string.Create(CultureInfo.InvariantCulture, $"{link.Host}:{link.Port}"));
            w.WriteString("state", TelemetryReport.ConnectionStateName(link.State));
            var since = link.ConnectedSinceMs;
            w.WriteNumber("connectedSeconds", since == 0 ? 0 : (nowMs - since) / 1000);
            w.WriteNumber("connections", link.ConnectionsMade);
            w.WriteString("detail", link.Check(0).Summary);
        }
        else
        {
            w.WriteString("state", "disabled");
        }

        w.WriteEndObject();
    }

    private void WriteOutbox(Utf8JsonWriter w, long nowMs)
    {
        if (_services.GetService<DurableOutbox>() is not { } outbox)
        {
            return;
        }

        var stats = outbox.Statistics;
        w.WriteStartObject("outbox");
        w.WriteNumber("depth", stats.Depth);
        w.WriteNumber("bytes", stats.Bytes);
        w.WriteNumber("oldestAgeSeconds", Math.Round(stats.OldestAgeSeconds(nowMs), 1));
        w.WriteNumber("dropped", stats.Dropped);
        w.WriteNumber("rejected", stats.Rejected);
        w.WriteNumber("inFlight", stats.InFlight);
        w.WriteNumber("accepted", stats.Accepted);
        w.WriteNumber("delivered", stats.Delivered);
        TelemetryReport.WriteDiskFull(w, stats);
        w.WriteEndObject();
    }

    private void WriteModels(Utf8JsonWriter w)
    {
        var updates = _services.GetService<OtaStatusBoard>()?.Snapshot().ToDictionary(s => s.Pipeline, StringComparer.Ordinal) ?? [];
        var active = _services.GetService<ModelStore>()?.ActiveModels() ?? new Dictionary<string, ActiveModel>();
        w.WriteStartObject("models");
        foreach (var pipeline in _options.Pipelines.Where(p => p.Enabled))
        {
            w.WriteStartObject(pipeline.Name);
            if (active.TryGetValue(pipeline.Name, out var model))
            {
                w.WriteString("name", model.Name);
                w.WriteString("version", model.Version);
                if (model.PreviousVersion is not null)
                {
                    w.WriteString("previous", $"{model.PreviousName} {model.PreviousVersion}");
                }
            }
            else
            {
                w.WriteString("path", pipeline.Model.Path);
            }

            if (updates.TryGetValue(pipeline.Name, out var update))
            {
                w.WriteString("update", Metrics.PipelineMetrics.Snake(update.State.ToString()));
                if (update.Message is not null)
                {
                    w.WriteString("updateMessage", update.Message);
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
