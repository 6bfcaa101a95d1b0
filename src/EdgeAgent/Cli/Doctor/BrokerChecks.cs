using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeAgent.Configuration;
using EdgeAgent.Mqtt;
using EdgeAgent.Mqtt.Native;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// The broker, in the order its problems show: reachable (TCP), its certificate (trusted by mqtt.tls.caFile, the name,
/// not expiring within 30 days), then the login itself. A check that cannot run because an earlier one failed is left
/// out: the earlier one names the problem.
/// </summary>
internal static class BrokerChecks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const int ExpiryWarningDays = 30;

    public static async Task<IReadOnlyList<DoctorCheck>> RunAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        var mqtt = options.Mqtt;
        var broker = $"{mqtt.Host}:{mqtt.Port}";
        if (!mqtt.Enabled)
        {
            return [DoctorCheck.Ok("mqtt", "disabled (mqtt.enabled=false): results wait in the outbox until a start with MQTT enabled")];
        }

        var checks = new List<DoctorCheck>();
        var reach = await ReachAsync(mqtt.Host, mqtt.Port, cancellationToken).ConfigureAwait(false);
        checks.Add(reach);
        if (reach.Verdict == DoctorVerdict.Error)
        {
            return checks;
        }

        if (mqtt.Tls.Enabled)
        {
            var tls = await CertificateAsync(mqtt, cancellationToken).ConfigureAwait(false);
            checks.Add(tls);
            if (tls.Verdict == DoctorVerdict.Error)
            {
                return checks;
            }
        }

        checks.Add(await Task.Run(() => Login(options), cancellationToken).ConfigureAwait(false));
        return checks;

        async Task<DoctorCheck> ReachAsync(string host, int port, CancellationToken token)
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(Timeout);
            try
            {
                await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
                return DoctorCheck.Ok("mqtt.reachable", $"{broker} accepts TCP connections");
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return DoctorCheck.Error("mqtt.reachable", $"{broker} refused the TCP connection: no broker listens there",
                    $"start the broker ('sudo systemctl start mosquitto'), or set mqtt.host/mqtt.port to where it listens");
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData)
            {
                return DoctorCheck.Error("mqtt.reachable", $"the broker's name '{host}' does not resolve: {ex.Message}", "check mqtt.host and this device's DNS");
            }
            catch (SocketException ex)
            {
                return DoctorCheck.Error("mqtt.reachable", $"cannot connect to {broker}: {ex.Message}", "check mqtt.host/mqtt.port, the network and any firewall between");
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                return DoctorCheck.Error("mqtt.reachable", $"no answer from {broker} within {Timeout.TotalSeconds:F0} s (packets dropped)",
                    "check the network route and firewall to the broker, and mqtt.host/mqtt.port");
            }
        }
    }

    private static async Task<DoctorCheck> CertificateAsync(MqttOptions mqtt, CancellationToken cancellationToken)
    {
        X509Certificate2Collection? trusted = null;
        if (mqtt.Tls.CaFile.Length > 0)
        {
            try
            {
                trusted = [];
                trusted.ImportFromPemFile(mqtt.Tls.CaFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                return DoctorCheck.Error("mqtt.tls", $"mqtt.tls.caFile '{mqtt.Tls.CaFile}' cannot be read: {ex.Message}",
                    "point mqtt.tls.caFile at the PEM file of the CA that signed the broker's certificate, readable by the agent's user");
            }
        }

        X509Certificate2? certificate = null;
        var errors = SslPolicyErrors.None;
        X509ChainStatusFlags chainStatus = X509ChainStatusFlags.NoError;
        using var tcp = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await tcp.ConnectAsync(mqtt.Host, mqtt.Port, timeout.Token).ConfigureAwait(false);
            await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = mqtt.Host,
                RemoteCertificateValidationCallback = (_, cert, _, policyErrors) =>
                {
                    if (cert is null)
                    {
                        errors = policyErrors;
                        return false;
                    }

                    certificate = new X509Certificate2(cert);
                    errors = policyErrors & ~SslPolicyErrors.RemoteCertificateChainErrors;
                    using var chain = new X509Chain();
                    if (trusted is not null)
                    {
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
                    }

                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    if (!chain.Build(certificate))
                    {
                        errors |= SslPolicyErrors.RemoteCertificateChainErrors;
                        foreach (var status in chain.ChainStatus)
                        {
                            chainStatus |= status.Status;
                        }
                    }

                    return true; // judged below, with words for each failure
                },
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (certificate is null)
            {
                return DoctorCheck.Error("mqtt.tls", $"no TLS handshake with {mqtt.Host}:{mqtt.Port}: {ex.Message}",
                    "check that mqtt.port is the broker's TLS listener (often 8883), or set mqtt.tls.enabled=false for a plain one");
            }
        }

        using (certificate)
        {
            if (certificate is null)
            {
                return DoctorCheck.Error("mqtt.tls", $"{mqtt.Host}:{mqtt.Port} sent no certificate", "check the broker's TLS listener (certfile/keyfile)");
            }

            var subject = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            var expires = certificate.NotAfter.ToUniversalTime();
            var days = (expires - DateTime.UtcNow).TotalDays;
            if ((chainStatus & X509ChainStatusFlags.NotTimeValid) != 0 || days < 0)
            {
                return DoctorCheck.Error("mqtt.tls", $"the broker's certificate '{subject}' expired on {expires:yyyy-MM-dd}",
                    "renew the broker's certificate (the agent refuses an expired one; so does every client)");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                var source = trusted is null ? "the system's CAs" : $"mqtt.tls.caFile ('{mqtt.Tls.CaFile}')";
                return DoctorCheck.Error("mqtt.tls",
                    $"the broker's certificate '{subject}' (issued by '{certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: true)}') is not signed by {source}: {chainStatus}",
                    "set mqtt.tls.caFile to the CA file that signed the broker's certificate");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return DoctorCheck.Error("mqtt.tls", $"the broker's certificate is for '{subject}', not for mqtt.host '{mqtt.Host}'",
                    "set mqtt.host to a name the certificate carries, or reissue the certificate with this name");
            }

            if (days < ExpiryWarningDays)
            {
                return DoctorCheck.Warning("mqtt.tls", string.Create(CultureInfo.InvariantCulture, $"the broker's certificate '{subject}' expires in {days:F0} days ({expires:yyyy-MM-dd})"),
                    "renew the broker's certificate before it expires: the agent cannot connect after that");
            }

            return DoctorCheck.Ok("mqtt.tls", string.Create(CultureInfo.InvariantCulture, $"certificate '{subject}' trusted and valid until {expires:yyyy-MM-dd} ({days:F0} days)"));
        }
    }

    private static DoctorCheck Login(AgentOptions options)
    {
        var mqtt = options.Mqtt;
        var broker = $"{mqtt.Host}:{mqtt.Port}";
        var who = string.IsNullOrEmpty(mqtt.Username) ? "anonymously" : $"as '{mqtt.Username}'";
        string? password;
        try
        {
            password = MqttCredentials.Password(mqtt);
        }
        catch (StartupException ex)
        {
            return DoctorCheck.Error("mqtt.credentials", ex.Message, "make mqtt.passwordFile readable by the agent's user (mode 0600, owned by it)");
        }

        int? code;
        string failure;
        try
        {
            code = BrokerProbe.Connect(mqtt, $"{mqtt.EffectiveClientId(options.DeviceId)}-doctor-{Environment.ProcessId}", password, Timeout, out failure);
        }
        catch (Exception ex) when (ex is MosquittoException or DllNotFoundException)
        {
            return DoctorCheck.Error("mqtt.credentials", $"libmosquitto cannot be used: {ex.Message}", "install libmosquitto1 (./install.sh does)");
        }

        return code switch
        {
            0 => DoctorCheck.Ok("mqtt.credentials", $"{broker} accepted a connection {who} (MQTT {mqtt.ProtocolVersion}{(mqtt.Tls.Enabled ? ", TLS" : string.Empty)})"),
            > 0 => DoctorCheck.Error("mqtt.credentials", $"{broker} refused the connection {who}: {MosquittoClient.DescribeConnack(code.Value)}",
                "check mqtt.username and the password (mqtt.passwordFile or EDGEAGENT__MQTT__PASSWORD), and that mqtt.clientId is allowed"),
            _ => DoctorCheck.Error("mqtt.credentials", $"no MQTT session with {broker}: {failure}",
                mqtt.Tls.Enabled ? "check mqtt.tls (caFile, certFile, keyFile) and that mqtt.port is the TLS listener" : "check that mqtt.port is an MQTT listener (not TLS-only)"),
        };
    }
}
