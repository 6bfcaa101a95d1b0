namespace EdgeAgent.Ota;

public sealed class OtaOptions
{
}
