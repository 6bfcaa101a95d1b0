using System.Text.RegularExpressions;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

public sealed partial class OtaEndToEndTests
{
    /// <summary>
    /// Issue 17, defect 9: an inbox bundle and an MQTT desired state arriving together are deployed one after the
    /// other, never interleaved: every "swapped in X" is followed by "now serves X" (or a rollback of X) before the
    /// next swap, and the model the log names last as serving is the one the store and the reported state name.
    /// </summary>
    [Fact]
    public async Task An_inbox_bundle_and_a_desired_state_arriving_together_are_deployed_one_at_a_time()
    {
        _broker.Start();
        var inbox = _dir.Combine("inbox");
        Directory.CreateDirectory(inbox);
        using var reported = new MqttSubscriber(_broker.Port, "edgeagent/test-device/models/reported");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", "ota.allowUnsigned=true",
            "--set", "ota.healthWatchSeconds=3",
            "--set", $"ota.inbox={inbox}",
        ]);
        try
        {
            await WaitForAsync(reported, r => r.GetProperty("active").GetProperty("version").GetString() == "1.0.0", "the initial reported state");
            var good = HostileInput.Tar(_dir, HostileInput.DemoFolder(_dir, "2.0.0"));
            var dropped = HostileInput.DemoFolder(_dir, "3.0.0");
            Publish("edgeagent/test-device/models/desired", DesiredAt("2.0.0", new Uri(good).AbsoluteUri, BundleSignature.Sha256Hex(good), new FileInfo(good).Length));
            Directory.Move(dropped, Path.Combine(inbox, "demo-3.0.0"));

            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (Regex.Matches(agent.StandardError + agent.StandardOutput, "now serves demo [23]\\.0\\.0").Count < 2 ||
                   !Directory.Exists(Path.Combine(inbox, ".done")))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, $"both updates should complete; stderr: {agent.StandardError}");
                await Task.Delay(200);
            }

            var steps = Regex.Matches(agent.StandardError + agent.StandardOutput, "(swapped in|now serves) demo ([0-9.]+[0-9])").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
            steps.Should().HaveCount(4, string.Join("; ", steps));
            for (var i = 0; i < steps.Count; i += 2)
            {
                steps[i].Item1.Should().Be("swapped in");
                steps[i + 1].Should().Be(("now serves", steps[i].Item2), "an update ends before the next one swaps: {0}", string.Join("; ", steps));
            }

            var last = steps[^1].Item2;
            new ModelStore(_dir.Combine("state")).Active("demo")!.Version.Should().Be(last);
            await WaitForAsync(reported, r => r.GetProperty("active").GetProperty("version").GetString() == last
                && r.GetProperty("update").GetProperty("state").GetString() == "active", $"{last} reported active");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }
}
