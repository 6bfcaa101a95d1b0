using EdgeAgent.Configuration;

namespace EdgeAgent.Cli.Doctor;

/// <summary>Every check after the configuration's, in the order a person would fix them.</summary>
internal static class DoctorChecks
{
    public static async Task<IReadOnlyList<DoctorCheck>> RunAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        var service = ServiceUnit.Find();
        var checks = new List<DoctorCheck>();
        checks.AddRange(RuntimeChecks.Run(options));
        checks.AddRange(await BrokerChecks.RunAsync(options, cancellationToken).ConfigureAwait(false));
        checks.AddRange(DeviceChecks.Run(options, service));
        checks.AddRange(StorageChecks.Run(options));
        checks.Add(SystemChecks.Clock());
        checks.Add(SystemChecks.Systemd(service));
        checks.Add(SystemChecks.OtaKeys(options));
        return checks;
    }
}
