namespace EdgeAgent.Pipelines.Windowing;

/// <summary>Plausible values of one channel; anything outside is rejected and counted.</summary>
public readonly record struct ChannelRange(double Min, double Max)
{
    public static ChannelRange Any => new(double.NegativeInfinity, double.PositiveInfinity);

    public bool Contains(double value) => value >= Min && value <= Max;
}
