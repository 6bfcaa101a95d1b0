using EdgeAgent.Mqtt;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Mqtt;

/// <summary>TLS and password listeners of a real mosquitto, with certificates made by openssl here.</summary>
[Trait("Category", "Process")]
public sealed class MqttSecurityTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TlsFiles _tls;
    private readonly MosquittoBroker _broker;

    public MqttSecurityTests()
    {
        _tls = TlsFiles.Create(_dir);
        _broker = new MosquittoBroker(_tls, ("agent", "right-password"));
    }

    [Fact]
    public async Task Tls_with_the_right_ca_connects_and_with_a_wrong_ca_fails_with_a_clear_error()
    {
        await using (var good = await InProcessAgent.StartAsync(_dir.Combine("good"),
            "mqtt.host=127.0.0.1", $"mqtt.port={_broker.TlsPort}", "mqtt.tls.enabled=true", $"mqtt.tls.caFile={_tls.CaFile}"))
        {
            await good.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "TLS connection with the right CA");
        }

        await using var wrong = await InProcessAgent.StartAsync(_dir.Combine("wrong"),
            "mqtt.host=127.0.0.1", $"mqtt.port={_broker.TlsPort}", "mqtt.tls.enabled=true", $"mqtt.tls.caFile={_tls.OtherCaFile}");
        await wrong.WaitUntilAsync(a => a.Link.Check(0).Summary.Contains("certificate", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(30), "a TLS failure report");
        var report = wrong.Link.Check(0);
        report.State.Should().Be(HealthState.Degraded);
        report.Summary.Should().Contain("certificate verify failed").And.Contain("mqtt.tls.caFile");
        wrong.Log.Should().Contain("certificate verify failed").And.NotContain("   at ", "a user mistake gets no stack trace");
    }

    [Fact]
    public async Task Wrong_password_fails_clearly_and_does_not_spin()
    {
        var config = _dir.Write("edgeagent.json", $$"""
            {
              "deviceId": "pwdev",
              "stateDirectory": "{{_dir.Combine("state")}}",
              "logging": { "file": { "enabled": false }, "console": "plain" },
              "mqtt": { "host": "127.0.0.1", "port": {{_broker.PasswordPort}}, "username": "agent", "passwordFile": "{{_dir.Write("password", "wrong-password\n")}}",
                        "reconnect": { "minDelayMilliseconds": 200, "maxDelaySeconds": 2 } },
              "telemetry": { "enabled": false }
            }
            """);
        using var agent = AgentProcess.Start(["run", "--config", config]);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!agent.StandardError.Contains("refused the connection", StringComparison.Ordinal))
        {
            watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), agent.StandardError);
            await Task.Delay(50);
        }

        var cpuBefore = CpuSeconds(agent.Id);
        var attemptsBefore = _broker.ConnectionAttempts(_broker.PasswordPort);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var cpu = CpuSeconds(agent.Id) - cpuBefore;
        var attempts = _broker.ConnectionAttempts(_broker.PasswordPort) - attemptsBefore;

        agent.StandardError.Should().ContainEquivalentOf("not authorized").And.Contain("mqtt.username").And.Contain("mqtt.passwordFile")
            .And.NotContain("wrong-password", "the password is never logged");
        attemptsBefore.Should().BeGreaterThan(0, "the broker log shows the refused attempt (else this check proves nothing)");
        attempts.Should().BeLessThanOrEqualTo(5, "a refused login retries at the slowest backoff (max 2 s here), not in a loop");
        cpu.Should().BeLessThan(2.5, "an agent waiting to retry does not spin the CPU (5 s of wall time)");
        // The READY line may quote the health summary, which names the refusal too; count the failure's own lines.
        agent.StandardError.Split('\n').Count(l => l.Contains("refused the connection", StringComparison.Ordinal) &&
                                                   !l.Contains("ready on device", StringComparison.Ordinal))
            .Should().Be(1, "the same failure is logged once, not at every retry");
    }

    [Fact]
    public async Task Right_password_connects()
    {
        await using var agent = await InProcessAgent.StartAsync(_dir.Combine("pw"),
            "mqtt.host=127.0.0.1", $"mqtt.port={_broker.PasswordPort}", "mqtt.username=agent", $"mqtt.passwordFile={_dir.Write("pw.txt", "right-password")}");
        await agent.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "connected with the right password");
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    /// <summary>utime + stime of a process from /proc (clock ticks at 100 Hz on Linux).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }
}
