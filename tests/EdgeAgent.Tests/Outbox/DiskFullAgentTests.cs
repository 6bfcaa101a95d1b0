using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Outbox;

/// <summary>
/// Issue 17, defect 6, against the real executable: its state directory is a small tmpfs that the test fills to the
/// last page while the demo pipeline publishes a score event every few hundred milliseconds. The agent must keep
/// running, deliver through the (real) broker, say disk_full in STATUS, telemetry and metrics, lose nothing accepted
/// before, and go back to persisting by itself once the test frees the space.
/// </summary>
[Trait("Category", "Process")]
public sealed class DiskFullAgentTests : IDisposable
{
    private const string Base = "edgeagent/dfdev";

    /// <summary>Pipeline settings that publish a score event every 200 ms, so the outbox fills quickly.</summary>
    private static readonly string[] FrequentScores = ["pipelines[0].sources[0].simulated.sampleRateHz=100", "pipelines[0].alert.scoreIntervalSeconds=0.2"];

    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();
    private SmallTmpfs? _disk;

    [TmpfsFact]
    public async Task On_a_full_state_disk_the_agent_runs_on_delivers_through_the_broker_says_disk_full_and_resumes_when_space_returns()
    {
        var metricsPort = MosquittoBroker.FreePort();
        var config = OnSmallDisk([.. FrequentScores, "mqtt.reconnect.minDelayMilliseconds=200", "mqtt.reconnect.maxDelaySeconds=1",
            "telemetry.intervalSeconds=1", "metrics.enabled=true", $"metrics.listen=127.0.0.1:{metricsPort}"]);

        // A persistent session: what the broker queues for us while it restarts is kept.
        using var all = new MqttSubscriber(_broker.Port, $"{Base}/#", persistentClientId: "diskfull-test-sub");
        using var agent = AgentProcess.Start(["run", .. config]);
        try
        {
            await all.WaitForAsync(m => Events(m).Count >= 5, TimeSpan.FromSeconds(60), "score events flowing");

            // The broker goes away: events wait in the outbox file.
            _broker.Stop();
            await Poll.UntilAsync(async () => (await OutboxAsync(config)).GetProperty("depth").GetInt64() >= 10, TimeSpan.FromSeconds(30), "a backlog in the outbox file");

            // The disk fills up: the agent goes on, says so, and holds new events in memory.
            _disk.Fill();
            JsonElement status = default;
            await Poll.UntilAsync(async () =>
            {
                status = await StatusAsync(config);
                return status.GetProperty("outbox").GetProperty("persistence").GetString() == "disk_full" &&
                       status.GetProperty("outbox").GetProperty("memoryDepth").GetInt64() > 0;
            }, TimeSpan.FromSeconds(30), "STATUS saying disk_full with events held in memory");
            var backlog = status.GetProperty("outbox").GetProperty("depth").GetInt64();
            backlog.Should().BeGreaterThanOrEqualTo(10, "the file's backlog is kept");
            var outbox = status.GetProperty("health").GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "outbox");
            outbox.GetProperty("state").GetString().Should().Be("degraded");
            outbox.GetProperty("summary").GetString().Should().StartWith("disk_full");
            status.GetProperty("health").GetProperty("overall").GetString().Should().Be("degraded", "degraded, not unhealthy: the watchdog must not restart a device whose disk is full");
            var (_, table, _) = await AgentProcess.RunAsync(["status", .. config]);
            table.Should().Contain("DISK FULL: ");
            agent.StandardError.Should().Contain("Disk full: the outbox");

            // The broker returns: the file's backlog, then the held events, every one in order; new ones go straight through.
            _broker.Start();
            var before = all.Messages.Count;
            await all.WaitForAsync(m => m.Skip(before).Any(x => x.Topic == $"{Base}/telemetry" && x.Payload.Contains("\"persistence\":\"disk_full\"", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), "telemetry saying disk_full");
            status = default;
            await Poll.UntilAsync(async () =>
            {
                status = await StatusAsync(config);
                return status.GetProperty("outbox").GetProperty("unpersistedDelivered").GetInt64() >= 10;
            }, TimeSpan.FromSeconds(60), "events delivered from memory while the disk is full");
            status.GetProperty("outbox").GetProperty("persistence").GetString().Should().Be("disk_full");
            var metrics = await ScrapeAsync(metricsPort);
            metrics.Should().Contain("edgeagent_outbox_disk_full 1").And.Contain("edgeagent_health_state{component=\"outbox\",state=\"degraded\"} 1");
            metrics.Should().MatchRegex(@"edgeagent_outbox_unpersisted_delivered_messages_total [1-9]");
            agent.HasExited.Should().BeFalse();

            // Space returns: persistence resumes by itself and the state clears.
            _disk.Free();
            await Poll.UntilAsync(async () =>
            {
                status = await StatusAsync(config);
                return status.GetProperty("outbox").GetProperty("persistence").GetString() == "ok";
            }, TimeSpan.FromSeconds(30), "STATUS saying persistence ok again");
            status.GetProperty("outbox").GetProperty("memoryDepth").GetInt64().Should().Be(0);
            await agent.WaitForLogAsync("persistence resumed");
            (await ScrapeAsync(metricsPort)).Should().Contain("edgeagent_outbox_disk_full 0");
            var accepted = status.GetProperty("outbox").GetProperty("accepted").GetInt64();
            await Poll.UntilAsync(async () => (await OutboxAsync(config)).GetProperty("accepted").GetInt64() > accepted + 5, TimeSpan.FromSeconds(30), "events accepted into the file again");

            agent.Signal(AgentProcess.SIGTERM);
            (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        // Every message the outbox accepted, before, during and after the full disk, arrived.
        await EveryAcceptedMessageArrivedAsync(all);
        agent.StandardError.Should().NotContain("Unhandled exception").And.NotContain("cannot be written any more");
    }

    /// <summary>
    /// The restart half of the defect: started on a state disk that is already full (it died in 0.37 s, every restart),
    /// the agent opens its outbox, runs its pipeline, delivers through the broker and says disk_full; it persists again
    /// once there is room.
    /// </summary>
    [TmpfsFact]
    public async Task Started_on_a_full_state_disk_the_agent_runs_delivers_and_persists_again_when_space_returns()
    {
        var config = OnSmallDisk(FrequentScores);
        using var all = new MqttSubscriber(_broker.Port, $"{Base}/#", persistentClientId: "diskfull-restart-sub");
        using (var first = AgentProcess.Start(["run", .. config]))
        {
            await all.WaitForAsync(m => Events(m).Count >= 3, TimeSpan.FromSeconds(60), "events from the first run; stderr: " + first.StandardError);
            first.Signal(AgentProcess.SIGTERM);
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, first.StandardError);
        }

        _disk.Fill();
        var before = Events(all.Messages).Count;
        using var agent = AgentProcess.Start(["run", .. config]);
        try
        {
            await all.WaitForAsync(m => Events(m).Count >= before + 10, TimeSpan.FromSeconds(60), "events from the agent started on the full disk");
            var status = await StatusAsync(config);
            status.GetProperty("outbox").GetProperty("persistence").GetString().Should().Be("disk_full");
            status.GetProperty("health").GetProperty("overall").GetString().Should().Be("degraded");
            agent.StandardError.Should().Contain("opened on a full disk");
            var (statsCode, _, statsErr) = await AgentProcess.RunAsync(["outbox", "stats", .. config]);
            statsCode.Should().Be(69, "the agent holds the file alone until it restarts");
            statsErr.Should().Contain("edgeagent status");

            _disk.Free();
            await Poll.UntilAsync(async () => (await OutboxAsync(config)).GetProperty("persistence").GetString() == "ok", TimeSpan.FromSeconds(30), "persistence ok again");
            var accepted = (await OutboxAsync(config)).GetProperty("accepted").GetInt64();
            await Poll.UntilAsync(async () => (await OutboxAsync(config)).GetProperty("accepted").GetInt64() > accepted + 5, TimeSpan.FromSeconds(30), "events accepted into the file again");
            agent.Signal(AgentProcess.SIGTERM);
            (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        await EveryAcceptedMessageArrivedAsync(all);
    }

    /// <summary>
    /// The other big writer of the state directory: a model update whose download meets a full disk is reported with
    /// its reason in models/reported (itself delivered from memory) and retried, the previous model serves, the agent
    /// runs on, and the update applies by itself once there is room.
    /// </summary>
    [TmpfsFact]
    public async Task A_model_update_on_a_full_state_disk_is_retried_with_its_reason_the_previous_model_serves_and_it_applies_after_space_returns()
    {
        var bundle = EdgeAgent.Tests.Ota.HostileInput.Tar(_dir, EdgeAgent.Tests.Ota.HostileInput.DemoFolder(_dir, "2.0.0"));
        var config = OnSmallDisk(["ota.allowUnsigned=true", "ota.healthWatchSeconds=2"]);
        using var reported = new MqttSubscriber(_broker.Port, $"{Base}/models/reported");
        using var agent = AgentProcess.Start(["run", .. config]);
        try
        {
            await reported.WaitForAsync(m => m.Any(x => Demo(x).GetProperty("active").GetProperty("version").GetString() == "1.0.0"),
                TimeSpan.FromSeconds(60), "the initial reported state");
            _disk.Fill();

            var desired = new System.Text.Json.Nodes.JsonObject
            {
                ["pipelines"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["demo"] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["name"] = "demo", ["version"] = "2.0.0", ["url"] = new Uri(bundle).AbsoluteUri,
                        ["sha256"] = EdgeAgent.Ota.BundleSignature.Sha256Hex(bundle), ["size"] = new FileInfo(bundle).Length,
                    },
                },
            }.ToJsonString();
            MosquittoBroker.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", _broker.Port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", $"{Base}/models/desired", "-m", desired);
            var messages = await reported.WaitForAsync(m => m.Any(NoSpace), TimeSpan.FromSeconds(60), "the update reported as held up by the full disk");
            var update = Demo(messages.First(NoSpace));
            update.GetProperty("active").GetProperty("version").GetString().Should().Be("1.0.0", "the previous model serves");
            update.GetProperty("update").GetProperty("state").GetString().Should().NotBe("rejected", "a full disk passes; the update is retried, not refused for good");
            agent.HasExited.Should().BeFalse();
            (await StatusAsync(config)).GetProperty("models").GetProperty("demo").GetProperty("version").GetString().Should().Be("1.0.0");

            // Room again: the retry applies the update without anyone asking again.
            _disk.Free();
            await reported.WaitForAsync(m => m.Any(x => Demo(x).GetProperty("active").GetProperty("version").GetString() == "2.0.0"),
                TimeSpan.FromSeconds(120), "2.0.0 active once there is room");

            agent.Signal(AgentProcess.SIGTERM);
            (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        static bool NoSpace(MqttSubscriber.Received message) =>
            Demo(message).GetProperty("update") is var u && u.TryGetProperty("message", out var text) &&
            text.GetString()!.Contains("no space", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The state directory on a fresh 8 MB tmpfs, and the agent's configuration for it: the bundled file, this broker,
    /// the disk probed every second or two, then each of <paramref name="settings"/> as a --set.
    /// </summary>
    [MemberNotNull(nameof(_disk))]
    private string[] OnSmallDisk(string[] settings)
    {
        _disk = new SmallTmpfs(_dir.Combine("state"), "8m");
        return
        [
            "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=dfdev",
            "--set", $"stateDirectory={_disk.Path}",
            "--set", "outbox.diskFull.probeSeconds=1",
            "--set", "outbox.diskFull.probeMaxSeconds=2",
            .. settings.SelectMany(setting => new[] { "--set", setting }),
        ];
    }

    /// <summary>Every message the outbox accepted arrived: seqs 1..last, none missing, in order.</summary>
    private async Task EveryAcceptedMessageArrivedAsync(MqttSubscriber all)
    {
        long lastSeq;
        using (var connection = OutboxStore.OpenReadOnly(_dir.Combine("state", "outbox.db"))!)
        {
            lastSeq = OutboxStore.ReadTotals(connection).LastSeq;
        }

        var received = await all.WaitForAsync(m => Seqs(m).Count >= lastSeq, TimeSpan.FromSeconds(30), $"all {lastSeq} accepted messages");
        Seqs(received).Should().Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), "nothing accepted is lost, and the order holds");
    }

    private static JsonElement Demo(MqttSubscriber.Received message) =>
        JsonDocument.Parse(message.Payload).RootElement.GetProperty("pipelines").GetProperty("demo").Clone();

    private static List<MqttSubscriber.Received> Events(IReadOnlyList<MqttSubscriber.Received> messages) =>
        messages.Where(m => m.Topic == $"{Base}/events/demo").ToList();

    /// <summary>The seq part of each outbox id ("epoch-seq"), first arrival only, in arrival order.</summary>
    private static List<long> Seqs(IReadOnlyList<MqttSubscriber.Received> messages)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return messages.Where(m => m.Id is not null && seen.Add(m.Id))
            .Select(m => long.Parse(m.Id!.Split('-')[1], CultureInfo.InvariantCulture)).ToList();
    }

    private static async Task<JsonElement> StatusAsync(string[] config)
    {
        var (code, json, stderr) = await AgentProcess.RunAsync(["status", "--json", .. config]);
        code.Should().Be(0, stderr);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static async Task<JsonElement> OutboxAsync(string[] config) => (await StatusAsync(config)).GetProperty("outbox");

    private static async Task<string> ScrapeAsync(int port)
    {
        using var client = new HttpClient();
        return await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
    }

    public void Dispose()
    {
        _broker.Dispose();
        _disk?.Dispose();
        _dir.Dispose();
    }
}
