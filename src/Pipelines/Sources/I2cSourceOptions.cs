using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Sources;

public sealed class I2cSourceOptions
{
    [Description("The bus device, e.g. /dev/i2c-1.")]
    public string Device { get; set; } = "/dev/i2c-1";

    [Description("7-bit device address (e.g. 72 for 0x48).")]
    [Range(0x03, 0x77)]
    public int Address { get; set; } = 0x48;

    [Description("One register per channel, in channel order.")]
    public List<I2cRegisterOptions> Registers { get; set; } = [];
}
