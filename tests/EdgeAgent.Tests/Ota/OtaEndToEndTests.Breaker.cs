using EdgeAgent.Hosting;
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
    /// The crash-loop breaker (issue 17, defects 2 and 4): the agent dies while a candidate is being deployed (SIGKILL
    /// inside the deployment, or during its health watch, as the OOM killer or the watchdog would). At the restart the
    /// previous model serves, the candidate is reported rejected as crashed_validation, and the retained desired state,
    /// delivered again at every connect, does not deploy it again.
    /// </summary>
    [Theory]
    [InlineData("deploying")]
    [InlineData("watching")]
    public async Task Killed_while_a_candidate_is_deployed_the_restart_refuses_it_for_good_and_the_previous_model_serves(string step)
    {
        _broker.Start();
        var bundle = UnsignedBundle("2.0.0");
        var state = _dir.Combine("state");
        string[] run =
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", $"stateDirectory={state}",
            "--set", "ota.allowUnsigned=true",
            "--set", "ota.healthWatchSeconds=30",
        ];
        var desired = Desired("demo", "2.0.0", bundle, BundleSignature.Sha256Hex(bundle), new FileInfo(bundle).Length);
        Publish("edgeagent/test-device/models/desired", desired);

        var marker = step == "watching" ? "swapped in demo 2.0.0" : $"OTA test hook: paused at {step}";
        using (var first = AgentProcess.Start(run, step == "watching" ? null : new Dictionary<string, string?> { [TestHooks.PauseVariable] = step }))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(first.StandardError + first.StandardOutput).Contains(marker, StringComparison.Ordinal))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, $"the agent should reach '{marker}'; stderr: {first.StandardError}");
                await Task.Delay(20);
            }

            first.Signal(AgentProcess.SIGKILL);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        File.Exists(Path.Combine(state, "models", ".breaker", "attempt.json")).Should().BeTrue("the attempt marker is written before the risky step");
        using var after = new MqttSubscriber(_broker.Port, "edgeagent/test-device/models/reported");
        using var second = AgentProcess.Start(run);
        try
        {
            var tripped = await WaitForAsync(after, r => r.GetProperty("update").TryGetProperty("reason", out var reason) && reason.GetString() == "crashed_validation",
                "crashed_validation after the restart");
            tripped.GetProperty("active").GetProperty("version").GetString().Should().Be("1.0.0");
            tripped.GetProperty("update").GetProperty("candidate").GetProperty("version").GetString().Should().Be("2.0.0");

            // Asked again (the retained message re-published, as a broker does at every reconnect): still refused.
            Publish("edgeagent/test-device/models/desired", desired);
            await Task.Delay(TimeSpan.FromSeconds(5));
            second.HasExited.Should().BeFalse(second.StandardError);
            new ModelStore(state).Active("demo")!.Version.Should().Be("1.0.0", "the breaker keeps the crashed candidate out");
            second.StandardError.Should().NotContain("swapped in demo 2.0.0");
        }
        catch (TimeoutException ex)
        {
            throw second.WithStandardError(ex);
        }

        second.Signal(AgentProcess.SIGTERM);
        (await second.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, second.StandardError);
        AssertStoreConsistent(state).Should().Contain("2.0.0", "the stored version is kept (nothing accepted is lost), only not deployed");
    }
}
