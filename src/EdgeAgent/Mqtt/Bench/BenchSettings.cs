namespace EdgeAgent.Mqtt.Bench;

internal sealed record BenchSettings(int Count, int Qos, int PayloadBytes, int Rate, int Producers, int DrainRate = 0)
{
    public string? Validate() =>
        Count < 1 ? "--count must be at least 1" :
        Qos is not (0 or 1) ? "--qos must be 0 or 1" :
        PayloadBytes is < 128 or > 1_048_576 ? "--payload-bytes must be 128..1048576 (an event's JSON needs ~120 bytes)" :
        Rate < 0 ? "--rate must be 0 or more" :
        DrainRate < 0 ? "--drain-rate must be 0 or more" :
        Producers is < 1 or > 64 ? "--producers must be 1..64" : null;
}
