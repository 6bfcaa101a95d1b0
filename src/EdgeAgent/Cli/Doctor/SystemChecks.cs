using System.Security.Cryptography;
using EdgeAgent.Pipelines.Platform.Native;
using EdgeAgent.Configuration;

namespace EdgeAgent.Cli.Doctor;

/// <summary>The clock, the systemd unit and its watchdog, the OTA trusted keys.</summary>
internal static class SystemChecks
{
    public static DoctorCheck Clock()
    {
        var state = Adjtimex.State(out var errno);
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        return state switch
        {
            < 0 => DoctorCheck.Warning("clock", $"cannot ask the kernel whether the clock is synchronised (adjtimex: errno {errno}); it reads {now}",
                "check 'timedatectl' shows 'System clock synchronized: yes'"),
            _ when DateTime.UtcNow < BuildDate() => DoctorCheck.Error("clock", $"it reads {now}, before this agent was built: the clock is wrong",
                "enable time sync ('sudo timedatectl set-ntp true', or install chrony), or set it ('sudo date -s ...'): a wrong clock breaks TLS certificates and stamps events with the wrong time"),
            Adjtimex.TimeError => DoctorCheck.Warning("clock", $"not synchronised (the kernel's clock state is TIME_ERROR): nothing keeps it from drifting; it reads {now}",
                "enable time sync ('sudo timedatectl set-ntp true', or install chrony): a drifting clock breaks TLS certificates and stamps events with the wrong time"),
            _ => DoctorCheck.Ok("clock", $"synchronised; {now}"),
        };
    }

    /// <summary>
    /// When this build was made (the executable's time; a Native AOT build has no assembly file, so the process's own
    /// file): a clock reading earlier is certainly wrong.
    /// </summary>
    private static DateTime BuildDate() =>
        Environment.ProcessPath is { } path ? File.GetLastWriteTimeUtc(path).AddDays(-1) : DateTime.MinValue;

    public static DoctorCheck Systemd(ServiceUnit? unit)
    {
        if (unit is null)
        {
            // A foreground trial (the README's first command) is a normal way to run; a service is the next step.
            return DoctorCheck.Ok("systemd", "edgeagent.service is not installed (a foreground run); 'sudo ./install.sh --system' installs it with its watchdog");
        }

        if (unit.Watchdog <= TimeSpan.Zero)
        {
            return DoctorCheck.Warning("systemd", $"{unit.Path} has no watchdog: a wedged agent is never restarted",
                "set WatchdogSec=30s in the unit (the bundled packaging/edgeagent.service has it), then 'sudo systemctl daemon-reload'");
        }

        return DoctorCheck.Ok("systemd", $"{unit.Path} installed, runs as {unit.User}, watchdog {unit.Watchdog.TotalSeconds:0} s");
    }

    public static DoctorCheck OtaKeys(AgentOptions options)
    {
        var ota = options.Ota;
        if (ota.TrustedKeys.Count == 0)
        {
            return ota.AllowUnsigned
                ? DoctorCheck.Warning("ota.keys", "ota.allowUnsigned is on and no key is trusted: any bundle that reaches the device is installed",
                    "make a key pair with 'edgeagent models keygen', list the public key in ota.trustedKeys and turn ota.allowUnsigned off")
                : DoctorCheck.Ok("ota.keys", "no ota.trustedKeys: model updates are refused until a key is trusted ('edgeagent models keygen', docs/ota.md)");
        }

        for (var i = 0; i < ota.TrustedKeys.Count; i++)
        {
            var key = ota.TrustedKeys[i];
            var shown = key.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) ? $"ota.trustedKeys[{i}] (inline PEM)" : $"ota.trustedKeys[{i}] '{key}'";
            try
            {
                var pem = key.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) ? key : File.ReadAllText(key);
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(pem);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return DoctorCheck.Error("ota.keys", $"{shown} cannot be read: {ex.Message}", "make the file readable by the agent's user, or fix the path");
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                return DoctorCheck.Error("ota.keys", $"{shown} is not an ECDSA public key in PEM: {ex.Message}",
                    "list the public key 'edgeagent models keygen' wrote (the .pub file), not the private key");
            }
        }

        return DoctorCheck.Ok("ota.keys", $"{ota.TrustedKeys.Count} trusted key(s) readable{(ota.AllowUnsigned ? "; ota.allowUnsigned is on (unsigned bundles accepted too)" : string.Empty)}");
    }
}
