using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Sources;

public sealed class SerialSourceOptions
{
    [Description("The tty (e.g. /dev/ttyUSB0, /dev/ttyACM0, /dev/serial/by-id/...).")]
    public string Device { get; set; } = string.Empty;

    [Description("Line speed in baud (one of the standard rates 1200..4000000).")]
    [Range(50, 4_000_000)]
    public int BaudRate { get; set; } = 115_200;

    [Description("csv (values in channel order, or by column name when the device prints a header) or jsonLines (channels by field path).")]
    public RecordFormat Format { get; set; } = RecordFormat.Csv;

    [Description("Lines longer than this are garbage: dropped and counted.")]
    [Range(16, 65536)]
    public int MaxLineBytes { get; set; } = 1024;
}
