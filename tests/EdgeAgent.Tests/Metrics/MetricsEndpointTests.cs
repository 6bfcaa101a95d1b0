using System.Globalization;
using System.Text.RegularExpressions;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Metrics;

/// <summary>The bundled demo with metrics on, scraped over HTTP like Prometheus does, the text parsed line by line.</summary>
public sealed partial class MetricsEndpointTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task A_scrape_of_the_demo_shows_pipeline_outbox_mqtt_ota_and_process_metrics()
    {
        var port = MosquittoBroker.FreePort();
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", "metrics.enabled=true",
            "--set", $"metrics.listen=127.0.0.1:{port}",
        ]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = $"http://127.0.0.1:{port}/metrics";

        Dictionary<string, double> samples = [];
        string text = string.Empty;
        try
        {
            await Poll.UntilAsync(async () =>
            {
                try
                {
                    text = await http.GetStringAsync(url);
                }
                catch (HttpRequestException)
                {
                    return false;
                }

                samples = Parse(text);
                return samples.GetValueOrDefault("edgeagent_pipeline_windows_total{pipeline=\"demo\"}") >= 3 && samples.GetValueOrDefault("edgeagent_mqtt_connected") == 1;
            }, TimeSpan.FromSeconds(60), "a scrape with windows scored and the broker connected");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        // Per pipeline: what came in, what was rejected, the model's time, the alert.
        samples["edgeagent_pipeline_up{pipeline=\"demo\",kind=\"sensor\"}"].Should().Be(1);
        samples["edgeagent_pipeline_samples_total{pipeline=\"demo\"}"].Should().BeGreaterThan(64);
        samples["edgeagent_pipeline_rejected_samples_total{pipeline=\"demo\",reason=\"out_of_range\"}"].Should().Be(0);
        samples["edgeagent_source_rejected_inputs_total{pipeline=\"demo\",source=\"demo/machine\",reason=\"malformed_line\"}"].Should().Be(0);
        samples["edgeagent_pipeline_model_runs_total{pipeline=\"demo\"}"].Should().BeGreaterThanOrEqualTo(3);
        samples["edgeagent_pipeline_model_run_seconds_total{pipeline=\"demo\"}"].Should().BeInRange(1e-7, 1);
        samples["edgeagent_pipeline_alert_active{pipeline=\"demo\"}"].Should().Be(0);
        samples["edgeagent_pipeline_raise_threshold{pipeline=\"demo\"}"].Should().BeGreaterThan(0);
        samples.Should().ContainKey("edgeagent_pipeline_last_score{pipeline=\"demo\"}");

        // Outbox, MQTT, OTA and model, process and GC.
        samples["edgeagent_outbox_delivered_messages_total"].Should().BeGreaterThanOrEqualTo(1, "the retained 'online' went through the outbox");
        samples.Should().ContainKeys("edgeagent_outbox_messages", "edgeagent_outbox_bytes", "edgeagent_outbox_oldest_age_seconds", "edgeagent_outbox_dropped_messages_total");
        samples["edgeagent_mqtt_connections_total"].Should().Be(1);
        samples["edgeagent_mqtt_state{state=\"connected\"}"].Should().Be(1);
        samples["edgeagent_ota_update_state{pipeline=\"demo\",state=\"none\"}"].Should().Be(1);
        samples["edgeagent_model_info{pipeline=\"demo\",model=\"demo\",version=\"1.0.0\"}"].Should().Be(1);
        samples["process_resident_memory_bytes"].Should().BeGreaterThan(10 << 20);
        samples["dotnet_gc_allocated_bytes_total"].Should().BeGreaterThan(0);
        samples.Should().ContainKey("dotnet_gc_collections_total{generation=\"0\"}");
        samples["edgeagent_health_state{component=\"metrics\",state=\"healthy\"}"].Should().Be(1);

        // Prometheus's conventions: every counter ends in _total, units are base units in the name.
        var types = TypeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        types.Where(t => t.Value == "counter").Should().OnlyContain(t => t.Key.EndsWith("_total", StringComparison.Ordinal));
        types.Keys.Where(k => k.Contains("millisecond", StringComparison.Ordinal) || k.Contains("megabyte", StringComparison.Ordinal)).Should().BeEmpty();

        // The text exposition format Prometheus scrapes.
        using var response = await http.GetAsync(url);
        response.Content.Headers.ContentType!.ToString().Should().StartWith("text/plain; version=0.0.4");

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    [Fact]
    public async Task A_listen_address_that_is_not_host_and_port_stops_the_start_with_the_setting_named()
    {
        var (code, _, stderr) = await AgentProcess.RunAsync(["check-config", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", "metrics.enabled=true", "--set", "metrics.listen=9464"]);
        code.Should().Be(78);
        stderr.Should().Contain("metrics.listen: must be host:port with a port 1..65535 (e.g. 127.0.0.1:9464), got '9464'");
    }

    /// <summary>"name{labels} value" lines into a map; HELP/TYPE comments and blank lines skipped.</summary>
    private static Dictionary<string, double> Parse(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => (Key: l[..l.LastIndexOf(' ')], Value: double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToDictionary(p => p.Key, p => p.Value);

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
