using EdgeAgent.Pipelines.Platform.Native;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>One register of an I2C device, read with a combined write/read transaction every poll.</summary>
internal sealed class I2cChannel : PolledChannel
{
    private readonly string _device;
    private readonly int _address;
    private readonly I2cRegisterOptions _register;
    private readonly byte[] _buffer;
    private I2cBus? _bus;

    public I2cChannel(string device, int address, I2cRegisterOptions register)
    {
        _device = device;
        _address = address;
        _register = register;
        _buffer = new byte[register.Length];
    }

    public override string Device => $"{_device} @0x{_address:x2} reg 0x{_register.Register:x2}";

    public override void Open() => _bus = I2cBus.Open(_device);

    public override bool Read(SourceContext context, out double value)
    {
        if (_bus is null)
        {
            throw new IOException($"{_device} is not open");
        }

        _bus.ReadRegister(_address, (byte)_register.Register, _buffer);
        value = I2cRegisterDecoder.Decode(_buffer, _register);
        return true;
    }

    public override void Close()
    {
        _bus?.Dispose();
        _bus = null;
    }
}
