using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Sources.Devices.Gpio;

/// <summary>The <c>gpio</c> source kind: validation and construction.</summary>
internal static class GpioSources
{
    public static void Validate(IReadOnlyList<SourceChannelOptions> channels, string sourcePath, ICollection<ConfigError> errors)
    {
        for (var i = 0; i < channels.Count; i++)
        {
            if (!GpioInput.TryParse(channels[i].EffectiveField, out _))
            {
                errors.Add(new ConfigError(ConfigPath.Child(ConfigPath.Index(ConfigPath.Child(sourcePath, "channels"), i), "field"),
                    $"'{channels[i].EffectiveField}' is not a gpio input; use {GpioInput.Syntax}"));
            }
        }
    }

    public static PolledSource Create(SourceOptions source, SourceContext context, TimeSpan interval, TimeSpan maxRetry, DeviceBuses? buses = null)
    {
        var inputs = context.Channels.Select(c => GpioInput.TryParse(c.EffectiveField, out var input) ? input
            : throw new InvalidOperationException($"gpio field '{c.EffectiveField}' passed validation")).ToList();
        var lines = new GpioLines(source.Gpio, inputs, buses ?? DeviceBuses.Kernel);
        return new PolledSource(context, [.. inputs.Select(i => (PolledChannel)new GpioChannel(lines, i))], interval, maxRetry);
    }
}
