namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>Bosch BMP280/BME280 register maps loaded with the BMP280 datasheet's worked example (section 8.2,
/// "Compensation formula in 32 bit fixed point": dig_T1..dig_P9 and adc_T = 519888, adc_P = 415148, which give
/// 25.08 °C and 100,653.27 Pa).</summary>
internal static class BoschChips
{
    public const byte ChipIdRegister = 0xd0;

    public static ByteRegisterChip Bmp280(int address = 0x76) => WithExample(new ByteRegisterChip(address), chipId: 0x58);

    /// <summary>A BME280 (chip id 0x60): the same temperature/pressure example, and humidity trimming values read
    /// from a real part, with adc_H as given.</summary>
    public static ByteRegisterChip Bme280(int adcH, int address = 0x76)
    {
        var chip = WithExample(new ByteRegisterChip(address), chipId: 0x60);
        chip.Set(0xa1, Bme280Humidity.H1);
        chip.SetInt16LittleEndian(0xe1, Bme280Humidity.H2);
        chip.Set(0xe3, Bme280Humidity.H3);

        // dig_H4 = 0xE4[7:0] << 4 | 0xE5[3:0]; dig_H5 = 0xE6[7:0] << 4 | 0xE5[7:4] (datasheet table 16).
        chip.Set(0xe4, (byte)(Bme280Humidity.H4 >> 4), (byte)((Bme280Humidity.H4 & 0x0f) | ((Bme280Humidity.H5 & 0x0f) << 4)), (byte)(Bme280Humidity.H5 >> 4));
        chip.Set(0xe7, unchecked((byte)Bme280Humidity.H6));
        chip.Set(0xfd, (byte)(adcH >> 8), (byte)adcH);
        return chip;
    }

    public static void SetRawTemperature(ByteRegisterChip chip, int adcT) =>
        chip.Set(0xfa, (byte)(adcT >> 12), (byte)(adcT >> 4), (byte)((adcT & 0xf) << 4));

    public static void SetRawPressure(ByteRegisterChip chip, int adcP) =>
        chip.Set(0xf7, (byte)(adcP >> 12), (byte)(adcP >> 4), (byte)((adcP & 0xf) << 4));

    private static ByteRegisterChip WithExample(ByteRegisterChip chip, byte chipId)
    {
        chip.Set(ChipIdRegister, chipId);
        chip.SetUInt16LittleEndian(0x88, 27504);
        chip.SetInt16LittleEndian(0x8a, 26435);
        chip.SetInt16LittleEndian(0x8c, -1000);
        chip.SetUInt16LittleEndian(0x8e, 36477);
        chip.SetInt16LittleEndian(0x90, -10685);
        chip.SetInt16LittleEndian(0x92, 3024);
        chip.SetInt16LittleEndian(0x94, 2855);
        chip.SetInt16LittleEndian(0x96, 140);
        chip.SetInt16LittleEndian(0x98, -7);
        chip.SetInt16LittleEndian(0x9a, 15500);
        chip.SetInt16LittleEndian(0x9c, -14600);
        chip.SetInt16LittleEndian(0x9e, 6000);
        SetRawTemperature(chip, 519888);
        SetRawPressure(chip, 415148);
        return chip;
    }
}

/// <summary>BME280 humidity trimming (from a real part) and the datasheet's floating-point humidity formula
/// (section 4.2.3 / appendix 8.1), written out independently of the driver to check it.</summary>
internal static class Bme280Humidity
{
    public const byte H1 = 75;
    public const short H2 = 362;
    public const byte H3 = 0;
    public const short H4 = 324;
    public const short H5 = 50;
    public const sbyte H6 = 30;

    /// <summary>t_fine of the BMP280 example: var1 + var2 of the double formula, as the integer the chip keeps.</summary>
    public static int TFine(int adcT)
    {
        var var1 = ((adcT / 16384.0) - (27504 / 1024.0)) * 26435;
        var var2 = ((adcT / 131072.0) - (27504 / 8192.0)) * ((adcT / 131072.0) - (27504 / 8192.0)) * -1000;
        return (int)(var1 + var2);
    }

    public static double Percent(int adcH, int tFine)
    {
        var h = tFine - 76800.0;
        h = (adcH - ((H4 * 64.0) + (H5 / 16384.0 * h))) * (H2 / 65536.0 * (1.0 + (H6 / 67108864.0 * h * (1.0 + (H3 / 67108864.0 * h)))));
        h *= 1.0 - (H1 * h / 524288.0);
        return Math.Clamp(h, 0, 100);
    }
}
