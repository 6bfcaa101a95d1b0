namespace EdgeAgent.Cli.Doctor;

/// <summary>A check's outcome; the worst one decides <c>edgeagent doctor</c>'s exit code (0, 1, 2).</summary>
public enum DoctorVerdict
{
    Ok,
    Warning,
    Error,
}
