using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli.Doctor;

/// <summary>The doctor against real mosquitto listeners: plain, TLS (right and wrong CA), password (right and wrong), and a closed port.</summary>
public sealed class DoctorBrokerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TlsFiles _tls;
    private readonly MosquittoBroker _broker;

    public DoctorBrokerTests()
    {
        _tls = TlsFiles.Create(_dir);
        _broker = new MosquittoBroker(_tls, ("agent", "right-password"));
    }

    [Fact]
    public async Task On_the_bundled_setup_with_a_broker_every_check_reports_and_none_fails()
    {
        var run = await DoctorRun.RunAsync($"mqtt.port={_broker.Port}", $"stateDirectory={_dir.Combine("state")}");

        run.Checks.Keys.Should().Contain(["config", "onnxruntime", "model demo", "mqtt.reachable", "mqtt.credentials", "source demo/machine",
            "state.writable", "clock", "systemd", "ota.keys"]);
        run.Checks.Where(c => c.Key != "clock").Should().OnlyContain(c => c.Value.Verdict == "ok", run.Output);

        // The sandbox's clock may be undisciplined (a warning); whatever it is, the exit code follows the worst verdict.
        run.Checks["clock"].Verdict.Should().NotBe("error", run.Output);
        run.ExitCode.Should().Be(run.ExpectedExitCode, run.Output);
        run.Checks["model demo"].Reason.Should().Contain("loads and fits the 10 features");
        run.Checks["onnxruntime"].Reason.Should().Contain("CPUExecutionProvider").And.Contain("arena budget 256 MiB");
        run.Checks["mqtt.credentials"].Reason.Should().StartWith($"localhost:{_broker.Port} accepted a connection anonymously (MQTT 5)");
        _broker.Log.Should().Contain("-doctor-", "the doctor logs in under a client id of its own, never the agent's");
    }

    [Fact]
    public async Task A_wrong_password_is_named_with_the_fix_and_never_printed()
    {
        var password = _dir.Write("password", "wrong-password\n");
        var run = await DoctorRun.RunAsync("mqtt.host=127.0.0.1", $"mqtt.port={_broker.PasswordPort}", "mqtt.username=agent", $"mqtt.passwordFile={password}",
            "pipelines[0].enabled=false", $"stateDirectory={_dir.Combine("state")}");

        run.ExitCode.Should().Be(2);
        var (verdict, reason, fix) = run.Checks["mqtt.credentials"];
        verdict.Should().Be("error");
        reason.Should().Contain("refused the connection as 'agent'").And.ContainEquivalentOf("not authorized");
        fix.Should().Contain("mqtt.username").And.Contain("mqtt.passwordFile");
        run.Output.Should().NotContain("wrong-password");

        File.WriteAllText(password, "right-password\n");
        var right = await DoctorRun.RunAsync("mqtt.host=127.0.0.1", $"mqtt.port={_broker.PasswordPort}", "mqtt.username=agent", $"mqtt.passwordFile={password}",
            "pipelines[0].enabled=false", $"stateDirectory={_dir.Combine("state")}");
        right.Checks["mqtt.credentials"].Verdict.Should().Be("ok", right.Output);
        right.Output.Should().NotContain("right-password");
    }

    [Fact]
    public async Task A_wrong_ca_is_named_and_a_certificate_expiring_within_30_days_is_a_warning()
    {
        var wrong = await DoctorRun.RunAsync("mqtt.host=127.0.0.1", $"mqtt.port={_broker.TlsPort}", "mqtt.tls.enabled=true", $"mqtt.tls.caFile={_tls.OtherCaFile}",
            "pipelines[0].enabled=false", $"stateDirectory={_dir.Combine("state")}");
        wrong.ExitCode.Should().Be(2);
        wrong.Checks["mqtt.tls"].Verdict.Should().Be("error");
        wrong.Checks["mqtt.tls"].Reason.Should().Contain("'127.0.0.1'").And.Contain("issued by 'EdgeAgent Test CA'").And.Contain("not signed by mqtt.tls.caFile");
        wrong.Checks["mqtt.tls"].Fix.Should().Contain("mqtt.tls.caFile");
        wrong.Checks.Should().NotContainKey("mqtt.credentials", "a login cannot be tried without a trusted certificate; the TLS check names the problem");

        // The test CA signs for 2 days: trusted, and inside the 30-day warning.
        var right = await DoctorRun.RunAsync("mqtt.host=127.0.0.1", $"mqtt.port={_broker.TlsPort}", "mqtt.tls.enabled=true", $"mqtt.tls.caFile={_tls.CaFile}",
            "pipelines[0].enabled=false", $"stateDirectory={_dir.Combine("state")}");
        right.Checks["mqtt.tls"].Verdict.Should().Be("warning", right.Output);
        right.Checks["mqtt.tls"].Reason.Should().MatchRegex(@"expires in [0-2] days");
        right.Checks["mqtt.credentials"].Verdict.Should().Be("ok", right.Output);
        right.Checks["mqtt.credentials"].Reason.Should().Contain("TLS");
    }

    [Fact]
    public async Task A_closed_port_is_named_with_the_fix()
    {
        var closed = MosquittoBroker.FreePort();
        var run = await DoctorRun.RunAsync("mqtt.host=127.0.0.1", $"mqtt.port={closed}", "pipelines[0].enabled=false", $"stateDirectory={_dir.Combine("state")}");

        run.ExitCode.Should().Be(2);
        run.Checks["mqtt.reachable"].Verdict.Should().Be("error");
        run.Checks["mqtt.reachable"].Reason.Should().Be($"127.0.0.1:{closed} refused the TCP connection: no broker listens there");
        run.Checks["mqtt.reachable"].Fix.Should().Contain("start the broker").And.Contain("mqtt.port");
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
