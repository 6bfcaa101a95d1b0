namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// One named check: its verdict, one line saying what was found, and what to do about it (empty when ok). Names are
/// stable (scripts and tests key on them): <c>config</c>, <c>mqtt.tls</c>, <c>model demo</c>, <c>state.free-space</c>...
/// </summary>
public sealed record DoctorCheck(string Name, DoctorVerdict Verdict, string Reason, string Fix)
{
    public static DoctorCheck Ok(string name, string reason) => new(name, DoctorVerdict.Ok, reason, string.Empty);

    public static DoctorCheck Warning(string name, string reason, string fix) => new(name, DoctorVerdict.Warning, reason, fix);

    public static DoctorCheck Error(string name, string reason, string fix) => new(name, DoctorVerdict.Error, reason, fix);
}
