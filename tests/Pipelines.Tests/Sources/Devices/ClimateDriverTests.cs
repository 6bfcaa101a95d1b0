using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices;

/// <summary>The real Iot.Device.Bindings drivers, opened by name the way the device source opens them, against
/// emulated register maps loaded with the datasheets' worked examples.</summary>
public sealed class ClimateDriverTests
{
    private readonly EmulatedBus _bus = new();

    [Fact]
    public void Bmp280_gives_the_datasheet_worked_example()
    {
        _bus.Add(BoschChips.Bmp280());
        var values = new DeviceReading(_bus, "bmp280").Open().Read();
        values["temperature"].Should().BeApproximately(25.08, 0.005);
        values["pressure"].Should().BeApproximately(1006.5327, 0.00005, "100,653.27 Pa, in hPa");
    }

    [Fact]
    public void Bme280_temperature_and_pressure_as_the_bmp280_example_and_humidity_by_the_datasheet_formula()
    {
        const int adcH = 30_000;
        _bus.Add(BoschChips.Bme280(adcH));
        var values = new DeviceReading(_bus, "bme280").Open().Read();
        values["temperature"].Should().BeApproximately(25.08, 0.005);
        values["pressure"].Should().BeApproximately(1006.5327, 0.00005);
        var expected = Bme280Humidity.Percent(adcH, Bme280Humidity.TFine(519888));
        expected.Should().BeInRange(1, 99, "the example must exercise the formula, not its clamp");
        // The driver's t_fine differs from the datasheet's integer one in the last bit: 1.5e-6 %RH apart.
        values["humidity"].Should().BeApproximately(expected, 1e-5);
    }

    [Fact]
    public void Bme680_gives_the_datasheet_compensation_of_its_adc_values_and_heats_its_plate_as_the_datasheet_says()
    {
        const int adcT = 500_000, adcP = 380_000, adcH = 22_000, gasAdc = 420, gasRange = 5;
        var chip = _bus.Add(Bme680Chip.Create(adcT, adcP, adcH, gasAdc, gasRange));
        var values = new DeviceReading(_bus, "bme680").Open().Read();
        var celsius = Bme680Datasheet.Celsius(adcT);
        celsius.Should().BeInRange(20, 30, "the raw values are those of a room, so every formula works in its usual range");
        values["temperature"].Should().BeApproximately(celsius, 1e-9);
        values["pressure"].Should().BeApproximately(Bme680Datasheet.Pascals(adcP, Bme680Datasheet.TFine(adcT)) / 100, 1e-9);
        var humidity = Bme680Datasheet.Percent(adcH, celsius);
        humidity.Should().BeInRange(1, 99, "the example must exercise the formula, not its clamp");
        values["humidity"].Should().BeApproximately(humidity, 1e-9);

        // The datasheet's integer gas formula truncates to whole ohms; the driver's floating-point one does not.
        values["gasResistance"].Should().BeApproximately(Bme680Datasheet.GasOhms(gasAdc, gasRange), 1.5);

        // The heater profile the driver programs: 320 °C for 150 ms, from the ambient temperature it read first.
        chip.Registers[0x5a].Should().Be(Bme680Datasheet.HeaterResistance(320, celsius), "res_heat_0 by the datasheet's formula");
        chip.Registers[0x64].Should().Be(0x65, "gas_wait_0: 37 x 4 ms (factor bits 01), the nearest encodable wait to 150 ms");
        (chip.Registers[0x71] & 0x10).Should().Be(0x10, "run_gas");
        (chip.Registers[0x70] & 0x08).Should().Be(0, "heat_off clear");
    }

    [Fact]
    public void Bme680_gas_resistance_is_missing_not_invented_when_the_heater_did_not_reach_its_temperature()
    {
        var chip = _bus.Add(Bme680Chip.Create(500_000, 380_000, 22_000, 420, 5));
        var reading = new DeviceReading(_bus, "bme680").Open();
        chip.Written = null; // the measurement completes but gas_valid_r and heat_stab_r stay clear
        chip.Registers[0x2b] &= 0xcf;
        var values = reading.Read();
        values["gasResistance"].Should().Be(double.NaN);
        values["temperature"].Should().BeApproximately(Bme680Datasheet.Celsius(500_000), 1e-9);
        reading.Context.Counters[BadInput.NoReading].Should().Be(1);
    }

    [Fact]
    public void A_chip_id_that_is_not_the_drivers_fails_the_open_as_an_io_error()
    {
        _bus.Add(BoschChips.Bmp280()); // 0x58, not a BME280's 0x60
        var open = () => new DeviceReading(_bus, "bme280").Open();
        open.Should().Throw<IOException>();
    }

    [Fact]
    public void Sht3x_and_sht4x_convert_the_raw_words_by_their_datasheet_formulas()
    {
        // SHT3x datasheet 4.13: T = -45 + 175 * S_T / 65535, RH = 100 * S_RH / 65535. 0x6666 is 0.4 of full scale.
        var sht3x = _bus.Add(new SensirionChip(0x44) { RawTemperature = 0x6666, RawHumidity = 0x8000 });
        var values = new DeviceReading(_bus, "sht3x").Open().Read();
        values["temperature"].Should().BeApproximately(25.0, 1e-9);
        // The driver divides by 2^16 where the datasheet divides by 2^16 - 1: 0.0008 %RH at mid-scale, far below the
        // sensor's ±2 %RH accuracy, so the datasheet value is checked to that resolution.
        values["humidity"].Should().BeApproximately(100.0 * 0x8000 / 65535, 0.001);
        sht3x.Commands.Should().Contain(0x2400, "single shot, high repeatability, no clock stretching");

        // SHT4x datasheet 4.5: RH = -6 + 125 * S_RH / 65535.
        var bus4 = new EmulatedBus();
        bus4.Add(new SensirionChip(0x44) { RawTemperature = 0x6666, RawHumidity = 0x8000 });
        var values4 = new DeviceReading(bus4, "sht4x").Open().Read();
        values4["temperature"].Should().BeApproximately(25.0, 1e-9);
        values4["humidity"].Should().BeApproximately(-6 + (125.0 * 0x8000 / 65535), 1e-9);
        SensirionChip.Crc8(0xbe, 0xef).Should().Be(0x92, "the datasheets' CRC example");
    }

    [Fact]
    public void A_sensirion_reading_with_a_bad_crc_is_not_taken_as_a_value()
    {
        _bus.Add(new SensirionChip(0x44) { RawTemperature = 0x6666, RawHumidity = 0x8000, CorruptCrc = true });
        var reading = new DeviceReading(_bus, "sht4x").Open();
        var values = reading.Read();
        values.Values.Should().OnlyContain(v => double.IsNaN(v));
        reading.Context.Counters[BadInput.NoReading].Should().Be(1);
    }

    [Fact]
    public void Mcp9808_and_lm75_decode_their_temperature_registers_as_the_datasheets_tables()
    {
        // MCP9808 datasheet 5.1.3: T_A register 0x05; 0x0194 = +25.25 °C, 0x1FF0 (sign bit 12) = -1.0 °C.
        var mcp = _bus.Add(new WordRegisterChip(0x18));
        mcp.Registers[0x06] = 0x0054; // manufacturer id
        mcp.Registers[0x07] = 0x0400; // device id / revision
        mcp.Registers[0x05] = 0x0194;
        var reading = new DeviceReading(_bus, "mcp9808").Open();
        reading.Read()["temperature"].Should().BeApproximately(25.25, 1e-9);
        mcp.Registers[0x05] = 0x1ff0;
        reading.Read()["temperature"].Should().BeApproximately(-1.0, 1e-9);

        // LM75 datasheet table 7: 0x1900 = +25 °C, 0xE700 = -25 °C (9-bit, 0.5 °C steps, left-aligned).
        var lm = _bus.Add(new WordRegisterChip(0x48));
        lm.Registers[0x00] = 0x1900;
        var lm75 = new DeviceReading(_bus, "lm75").Open();
        lm75.Read()["temperature"].Should().BeApproximately(25, 1e-9);
        lm.Registers[0x00] = 0xe700;
        lm75.Read()["temperature"].Should().BeApproximately(-25, 1e-9);
    }
}
