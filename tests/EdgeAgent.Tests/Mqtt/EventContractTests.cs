using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Mqtt;

/// <summary>
/// What consumers rely on, checked against one real run of the published agent (the bundled demo with an injected
/// level shift, a real broker): every message has its own id, one alert's messages share an alertId, docs/mqtt.md's
/// examples have exactly the fields the agent sends, and Home Assistant's discovery templates, rendered with Jinja
/// as Home Assistant does, show the anomaly ON from start to end (through updates and scores) and OFF after.
/// </summary>
public sealed partial class EventContractTests : IDisposable
{
    private const string Base = "edgeagent/test-device";
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task Events_docs_and_home_assistant_agree_with_what_the_agent_publishes()
    {
        using var all = new MqttSubscriber(_broker.Port, "#");
        using (var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", "mqtt.homeAssistant.enabled=true",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", "pipelines[0].alert.updateIntervalSeconds=2",
            "--set", "pipelines[0].alert.scoreIntervalSeconds=1",
            "--set", "pipelines[0].sources[0].simulated.anomalies[0].atSeconds=5",
            "--set", "pipelines[0].sources[0].simulated.anomalies[0].durationSeconds=10",
            "--set", "pipelines[0].sources[0].simulated.anomalies[1].atSeconds=200",
        ]))
        {
            try
            {
                // The end event, then the OFF state published right after it.
                await all.WaitForAsync(m => m.SkipWhile(x => !x.Payload.Contains("\"anomaly_end\"", StringComparison.Ordinal))
                    .Any(x => x.Topic == $"{Base}/alerts/demo" && x.Payload == "OFF"), TimeSpan.FromSeconds(90), "anomaly_end and the OFF state");
            }
            catch (TimeoutException ex)
            {
                throw agent.WithStandardError(ex);
            }

            agent.Signal(AgentProcess.SIGTERM);
            (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        }

        var messages = all.Messages;
        var events = messages.Where(m => m.Topic == $"{Base}/events/demo").Select(m => JsonNode.Parse(m.Payload)!.AsObject()).ToList();
        CheckIds(events);
        CheckDocs(events, messages.Where(m => m.Topic == $"{Base}/alerts/demo/attributes").Select(m => JsonNode.Parse(m.Payload)!.AsObject()).ToList());
        await CheckHomeAssistantAsync(messages);
    }

    private static void CheckIds(IReadOnlyList<JsonObject> events)
    {
        var types = events.Select(e => (string)e["type"]!).ToList();
        types.Should().Contain(["anomaly_start", "anomaly_update", "anomaly_end", "score"]);
        var ids = events.Select(e => (string?)e["id"]).ToList();
        ids.Should().OnlyContain(id => !string.IsNullOrEmpty(id), "every message has an id, score messages included");
        ids.Should().OnlyHaveUniqueItems("a consumer deduplicating on id must drop nothing but duplicates");

        var alertMessages = events.Where(e => ((string)e["type"]!).StartsWith("anomaly_", StringComparison.Ordinal)).ToList();
        var alertId = (string)alertMessages.First(e => (string)e["type"]! == "anomaly_start")["alertId"]!;
        Guid.TryParse(alertId, out _).Should().BeTrue();
        alertMessages.Should().OnlyContain(e => (string)e["alertId"]! == alertId, "start, updates and end link through alertId");
        events.Where(e => (string)e["type"]! == "score" && (bool)e["active"]!).Should().NotBeEmpty()
            .And.OnlyContain(e => (string)e["alertId"]! == alertId);
    }

    /// <summary>Each JSON example in docs/mqtt.md's event and alert-state sections against the real messages of its type.</summary>
    private static void CheckDocs(IReadOnlyList<JsonObject> events, IReadOnlyList<JsonObject> attributes)
    {
        var docs = File.ReadAllText(RepositoryPaths.File("docs", "mqtt.md"));
        var examples = JsonBlock().Matches(docs).Select(m => JsonNode.Parse(m.Groups[1].Value)).OfType<JsonObject>()
            .Where(o => o["type"] is not null && (string)o["type"]! is not ("telemetry" or "clip" or "thumbnail")).ToList();
        examples.Select(e => (string)e["type"]!).Distinct().Should().BeEquivalentTo(["anomaly_start", "anomaly_update", "anomaly_end", "score", "alert_state"]);

        // Present only with alert.severities configured, for a detector's boxes, or once an alert exists.
        string[] conditional = ["severity", "boxes", "alertId", "started", "peakScore", "ended"];
        foreach (var group in examples.GroupBy(e => (string)e["type"]!))
        {
            var type = group.Key;
            var real = type == "alert_state" ? attributes : events.Where(e => (string)e["type"]! == type).ToList();
            real.Should().NotBeEmpty($"the agent sent {type} in this run");
            var example = new JsonObject();
            foreach (var (key, value) in group.SelectMany(e => e))
            {
                example[key] = value?.DeepClone();
            }

            var documented = example.Select(p => p.Key).ToHashSet();
            var sent = real.SelectMany(e => e.Select(p => p.Key)).ToHashSet();
            sent.Should().BeSubsetOf(documented, $"docs/mqtt.md's {type} example names every field the agent sends");
            documented.Except(conditional).Should().BeSubsetOf(sent, $"every field of docs/mqtt.md's {type} example is sent");
            foreach (var message in real)
            {
                foreach (var (key, value) in message)
                {
                    Kind(value).Should().Be(Kind(example[key]), $"{type}.{key} has the documented JSON type");
                }
            }
        }
    }

    private static async Task CheckHomeAssistantAsync(IReadOnlyList<MqttSubscriber.Received> messages)
    {
        var configs = messages.Where(m => m.Topic.StartsWith("homeassistant/", StringComparison.Ordinal)).GroupBy(m => m.Topic).Select(g => g.Last()).ToList();
        configs.Should().HaveCount(3, "status, demo anomaly and demo score");
        var input = new JsonObject
        {
            ["configs"] = new JsonArray([.. configs.Select(c => new JsonObject { ["topic"] = c.Topic, ["payload"] = c.Payload })]),
            ["messages"] = new JsonArray([.. messages.Select(m => new JsonObject { ["topic"] = m.Topic, ["payload"] = m.Payload })]),
        };
        var rendered = JsonNode.Parse(await RunPythonAsync(RepositoryPaths.File("tests", "EdgeAgent.Tests", "Mqtt", "home_assistant_render.py"), input.ToJsonString()))!.AsObject();

        var anomaly = rendered["homeassistant/binary_sensor/edgeagent_test-device/demo_anomaly/config"]!.AsArray()
            .Select(s => ((int)s!["index"]!, (string)s["state"]!)).ToList();
        anomaly.Should().NotBeEmpty().And.OnlyContain(s => s.Item2 == "on" || s.Item2 == "off", "every state message renders");
        string StateBefore(int index) => anomaly.LastOrDefault(s => s.Item1 < index).Item2 ?? "unknown";
        string StateAfter(int index) => anomaly.FirstOrDefault(s => s.Item1 > index).Item2 ?? "none";
        var start = Index(messages, "anomaly_start");
        var end = Index(messages, "anomaly_end");
        StateBefore(start).Should().Be("off", "the pipeline set its state OFF when it started");
        StateAfter(start).Should().Be("on", "ON after anomaly_start");
        for (var i = start + 1; i < end; i++)
        {
            if (messages[i].Topic == $"{Base}/events/demo" && i > anomaly.First(s => s.Item1 > start).Item1)
            {
                StateBefore(i).Should().Be("on", $"ON through updates and scores ({messages[i].Payload})");
            }
        }

        StateAfter(end).Should().Be("off", "OFF after anomaly_end");
        anomaly[^1].Item2.Should().Be("off");

        var scores = rendered["homeassistant/sensor/edgeagent_test-device/demo_score/config"]!.AsArray().Select(s => (string)s!["state"]!).ToList();
        scores.Should().NotBeEmpty().And.OnlyContain(s => IsNumber(s), "every event renders a number");
        var status = rendered["homeassistant/binary_sensor/edgeagent_test-device/status/config"]!.AsArray().Select(s => (string)s!["state"]!).ToList();
        status.Should().Contain("on").And.OnlyContain(s => s == "on" || s == "off");
    }

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString() ?? "null",
    };

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static int Index(IReadOnlyList<MqttSubscriber.Received> messages, string type) =>
        messages.Select((m, i) => (m, i)).First(x => x.m.Topic == $"{Base}/events/demo" && x.m.Payload.Contains($"\"{type}\"", StringComparison.Ordinal)).i;

    private static async Task<string> RunPythonAsync(string script, string stdin)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, await stderr);
        return await stdout;
    }

    [GeneratedRegex("```json\\s*\\n(\\{.*?\\})\\s*\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
