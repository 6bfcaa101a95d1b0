using System.Text.Json;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

public sealed partial class OtaEndToEndTests
{
    /// <summary>
    /// Issue 17, defects 2 to 4, against the real executable: candidates are validated in a child process under a
    /// memory cap and a deadline. A 1 KB model that allocates 900 MB when its session is created is refused without
    /// the agent's memory growing; a model whose runs never end in time is killed and refused (and a later desired
    /// state is still processed); one slower than the pipeline's window period is refused before the swap. The
    /// agent keeps running and the previous model serves throughout.
    /// </summary>
    [Fact]
    public async Task Candidates_that_eat_memory_hang_or_are_too_slow_are_refused_in_a_child_process_and_the_agent_keeps_serving()
    {
        _broker.Start();
        using var reported = new MqttSubscriber(_broker.Port, "edgeagent/test-device/models/reported");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", "ota.allowUnsigned=true",
            "--set", "ota.healthWatchSeconds=2",
            "--set", "ota.validationMemoryMegabytes=256",
            "--set", "ota.validationTimeoutSeconds=25",
            "--set", "ota.healthMaxLatencyMilliseconds=60000",
            // One window per sample at 10 Hz: a 100 ms period.
            "--set", "pipelines[0].window.hop=1",
        ]);
        try
        {
            await WaitForAsync(reported, r => r.GetProperty("active").GetProperty("version").GetString() == "1.0.0", "the initial reported state");

            var hog = await PublishBundleAsync("9.11.0", HostileInput.MemoryHog());
            var memory = await WaitForAsync(reported, r => IsRejection(r, "9.11.0", "crashed_validation", "not_a_model"), "the memory hog refused");
            memory.GetProperty("update").GetProperty("message").GetString().Should().NotBeEmpty();
            PeakResidentMegabytes(agent.Id).Should().BeLessThan(400, "the 900 MB allocation happened in the child, not in the agent");

            await PublishBundleAsync("9.12.0", HostileInput.Slow(matmuls: 400));
            var hung = await WaitForAsync(reported, r => IsRejection(r, "9.12.0", "validation_timeout"), "the endless model killed and refused");
            hung.GetProperty("update").GetProperty("message").GetString().Should().Contain("killed");

            await PublishBundleAsync("9.13.0", HostileInput.Slow(matmuls: 8));
            var slow = await WaitForAsync(reported, r => IsRejection(r, "9.13.0", "too_slow"), "the slow model refused before the swap");
            slow.GetProperty("update").GetProperty("message").GetString().Should().Contain("period of 100 ms");

            // Still updatable after all of that.
            var good = HostileInput.Tar(_dir, HostileInput.DemoFolder(_dir, "2.0.0"));
            Publish("edgeagent/test-device/models/desired", DesiredAt("2.0.0", new Uri(good).AbsoluteUri, BundleSignature.Sha256Hex(good), new FileInfo(good).Length));
            await WaitForAsync(reported, r => r.GetProperty("active").GetProperty("version").GetString() == "2.0.0", "2.0.0 active");
            (agent.StandardError + agent.StandardOutput).Should().NotContain("swapped in demo 9.1", "no refused candidate reached the live loop");
            _ = hog;
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    private async Task<string> PublishBundleAsync(string version, EdgeAgent.Pipelines.Inference.Onnx.OnnxModelBuilder model)
    {
        var bundle = HostileInput.Tar(_dir, HostileInput.DemoFolder(_dir, version, model: model));
        Publish("edgeagent/test-device/models/desired", DesiredAt(version, new Uri(bundle).AbsoluteUri, BundleSignature.Sha256Hex(bundle), new FileInfo(bundle).Length));
        await Task.CompletedTask;
        return bundle;
    }

    private static bool IsRejection(JsonElement pipeline, string version, params string[] reasons) =>
        pipeline.GetProperty("update") is var u && u.TryGetProperty("reason", out var why) && reasons.Contains(why.GetString()) &&
        u.GetProperty("candidate").ValueKind == JsonValueKind.Object && u.GetProperty("candidate").GetProperty("version").GetString() == version &&
        pipeline.GetProperty("active").GetProperty("version").GetString() == "1.0.0";

    private static double PeakResidentMegabytes(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024).Single();
}
