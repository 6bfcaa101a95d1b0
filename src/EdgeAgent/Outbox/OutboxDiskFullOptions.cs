using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Outbox;

/// <summary>
/// What the outbox does when its file cannot grow (SQLITE_FULL: the state directory's disk is full): messages that
/// cannot be written go to a bounded queue in memory, from which they are sent to the broker as soon as it is
/// connected (after everything already in the file, in order); the file is tried again at a bounded rate.
/// </summary>
public sealed class OutboxDiskFullOptions : IValidatedOptions
{
    [Description("Most messages held in memory while the disk is full; beyond it the oldest held messages are dropped and counted (the newest describe the current state).")]
    [Range(1, 1_000_000)]
    public int MemoryMessages { get; set; } = 10_000;

    [Description("Most payload megabytes held in memory while the disk is full; beyond it the oldest held messages are dropped and counted.")]
    [Range(1, 1024)]
    public int MemoryMegabytes { get; set; } = 16;

    [Description("Seconds between the first tries to write the outbox file again after the disk was full; each failed try doubles the wait up to probeMaxSeconds.")]
    [Range(1, 3600)]
    public int ProbeSeconds { get; set; } = 2;

    [Description("Longest wait between tries to write the outbox file again while the disk stays full.")]
    [Range(1, 3600)]
    public int ProbeMaxSeconds { get; set; } = 30;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (ProbeMaxSeconds < ProbeSeconds)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "probeMaxSeconds"), $"must be at least probeSeconds ({ProbeSeconds}), got {ProbeMaxSeconds}"));
        }
    }
}
